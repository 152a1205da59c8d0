using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace BackpropGen.Runtime;

/// <summary>Reads the subset of an ONNX ModelProto that holds a feed-forward network and maps it to the parameter layout.</summary>
internal static class OnnxImport
{
    private sealed class Node
    {
        public string Op = string.Empty;
        public string Name = string.Empty;
        public readonly List<string> Inputs = new();
        public readonly List<string> Outputs = new();
        public readonly Dictionary<string, Attribute> Attributes = new(StringComparer.Ordinal);

        public string Describe() => Name.Length > 0 ? $"{Op} node '{Name}'" : $"{Op} node";
    }

    private sealed class Attribute
    {
        public long? Int;
        public float? Float;
        public Tensor? Tensor;
    }

    private sealed class Tensor
    {
        public string Name = string.Empty;
        public readonly List<long> Dims = new();
        public int DataType;
        public byte[]? Raw;
        public readonly List<double> Values = new();
        public bool External;
    }

    private sealed class Graph
    {
        public readonly List<Node> Nodes = new();
        public readonly Dictionary<string, Tensor> Initializers = new(StringComparer.Ordinal);
        public readonly List<string> Inputs = new();
        public readonly List<string> Outputs = new();
    }

    /// <summary>One linear step: a Gemm, or a MatMul and the Add of its bias.</summary>
    private sealed class Linear
    {
        public Node Node = null!;
        public Node? BiasAdd;
        public string Input = string.Empty;
        public string Weight = string.Empty;
        public string? Bias;
        public bool Transposed;

        public string Output => (BiasAdd ?? Node).Outputs[0];
    }

    /// <summary>Reads the model and returns the network's parameters in its layout, or throws <see cref="InvalidDataException"/>.</summary>
    public static double[] Read(byte[] model, NetworkShape shape)
    {
        if (model.Length == 0)
        {
            throw new InvalidDataException("The stream is empty: it holds no ONNX model.");
        }

        Graph graph;
        try
        {
            graph = ReadModel(new ProtoReader(model, 0, model.Length));
        }
        catch (Exception e) when (e is IndexOutOfRangeException || e is OverflowException || e is ArgumentException)
        {
            throw new InvalidDataException("The stream is not a well-formed ONNX model: " + e.Message, e);
        }

        return Map(graph, shape);
    }

    private static Graph ReadModel(ProtoReader reader)
    {
        Graph? graph = null;
        while (!reader.AtEnd)
        {
            var field = reader.ReadTag();
            if (field == 7)
            {
                graph = ReadGraph(reader.ReadMessageField("ModelProto.graph"));
            }
            else
            {
                reader.Skip(field);
            }
        }

        return graph ?? throw new InvalidDataException("The stream is not an ONNX model: it has no graph (ModelProto field 7).");
    }

    private static Graph ReadGraph(ProtoReader reader)
    {
        var graph = new Graph();
        while (!reader.AtEnd)
        {
            var field = reader.ReadTag();
            switch (field)
            {
                case 1:
                    graph.Nodes.Add(ReadNode(reader.ReadMessageField("GraphProto.node")));
                    break;
                case 5:
                    var tensor = ReadTensor(reader.ReadMessageField("GraphProto.initializer"));
                    graph.Initializers[tensor.Name] = tensor;
                    break;
                case 11:
                    graph.Inputs.Add(ReadValueInfoName(reader.ReadMessageField("GraphProto.input")));
                    break;
                case 12:
                    graph.Outputs.Add(ReadValueInfoName(reader.ReadMessageField("GraphProto.output")));
                    break;
                default:
                    reader.Skip(field);
                    break;
            }
        }

        return graph;
    }

    private static string ReadValueInfoName(ProtoReader reader)
    {
        var name = string.Empty;
        while (!reader.AtEnd)
        {
            var field = reader.ReadTag();
            if (field == 1)
            {
                name = reader.ReadStringField("ValueInfoProto.name");
            }
            else
            {
                reader.Skip(field);
            }
        }

        return name;
    }

    private static Node ReadNode(ProtoReader reader)
    {
        var node = new Node();
        while (!reader.AtEnd)
        {
            var field = reader.ReadTag();
            switch (field)
            {
                case 1:
                    node.Inputs.Add(reader.ReadStringField("NodeProto.input"));
                    break;
                case 2:
                    node.Outputs.Add(reader.ReadStringField("NodeProto.output"));
                    break;
                case 3:
                    node.Name = reader.ReadStringField("NodeProto.name");
                    break;
                case 4:
                    node.Op = reader.ReadStringField("NodeProto.op_type");
                    break;
                case 5:
                    var attribute = reader.ReadMessageField("NodeProto.attribute");
                    var (name, value) = ReadAttribute(attribute);
                    node.Attributes[name] = value;
                    break;
                default:
                    reader.Skip(field);
                    break;
            }
        }

        return node;
    }

    private static (string Name, Attribute Value) ReadAttribute(ProtoReader reader)
    {
        var name = string.Empty;
        var attribute = new Attribute();
        while (!reader.AtEnd)
        {
            var field = reader.ReadTag();
            switch (field)
            {
                case 1:
                    name = reader.ReadStringField("AttributeProto.name");
                    break;
                case 2:
                    reader.Expect(ProtoWriter.Fixed32, "AttributeProto.f");
                    attribute.Float = ToSingle(reader.ReadFixed32());
                    break;
                case 3:
                    attribute.Int = reader.ReadInt64Field("AttributeProto.i");
                    break;
                case 5:
                    attribute.Tensor = ReadTensor(reader.ReadMessageField("AttributeProto.t"));
                    break;
                default:
                    reader.Skip(field);
                    break;
            }
        }

        return (name, attribute);
    }

    private static Tensor ReadTensor(ProtoReader reader)
    {
        var tensor = new Tensor();
        while (!reader.AtEnd)
        {
            var field = reader.ReadTag();
            switch (field)
            {
                case 1:
                    ReadRepeated(reader, "TensorProto.dims", ProtoWriter.Varint, r => tensor.Dims.Add(r.ReadInt64()));
                    break;
                case 2:
                    tensor.DataType = (int)reader.ReadInt64Field("TensorProto.data_type");
                    break;
                case 4:
                    ReadRepeated(reader, "TensorProto.float_data", ProtoWriter.Fixed32, r => tensor.Values.Add(ToSingle(r.ReadFixed32())));
                    break;
                case 10:
                    ReadRepeated(reader, "TensorProto.double_data", ProtoWriter.Fixed64, r => tensor.Values.Add(BitConverter.Int64BitsToDouble((long)r.ReadFixed64())));
                    break;
                case 8:
                    tensor.Name = reader.ReadStringField("TensorProto.name");
                    break;
                case 9:
                    reader.Expect(ProtoWriter.LengthDelimited, "TensorProto.raw_data");
                    tensor.Raw = reader.ReadBytes();
                    break;
                case 13:
                    tensor.External = true;
                    reader.Skip(field);
                    break;
                case 14:
                    tensor.External |= reader.ReadInt64Field("TensorProto.data_location") == 1;
                    break;
                default:
                    reader.Skip(field);
                    break;
            }
        }

        return tensor;
    }

    /// <summary>A repeated scalar field, packed (length-delimited) or one element per tag.</summary>
    private static void ReadRepeated(ProtoReader reader, string what, int wireType, Action<ProtoReader> element)
    {
        if (reader.WireType == ProtoWriter.LengthDelimited)
        {
            var packed = reader.ReadMessage();
            while (!packed.AtEnd)
            {
                element(packed);
            }
        }
        else
        {
            reader.Expect(wireType, what);
            element(reader);
        }
    }

    private static float ToSingle(uint bits)
    {
        var bytes = new byte[4];
        LittleEndian.WriteUInt32(bytes, 0, bits);
        return LittleEndian.ReadSingle(bytes, 0);
    }

    private static double[] Map(Graph graph, NetworkShape shape)
    {
        // Constant nodes hold tensors as initializers do.
        foreach (var node in graph.Nodes.Where(n => n.Op == "Constant" && n.Outputs.Count == 1).ToList())
        {
            if (node.Attributes.TryGetValue("value", out var value) && value.Tensor is not null)
            {
                value.Tensor.Name = node.Outputs[0];
                graph.Initializers[node.Outputs[0]] = value.Tensor;
                graph.Nodes.Remove(node);
            }
        }

        // Identity nodes only rename values: follow them instead.
        var alias = new Dictionary<string, string>(StringComparer.Ordinal);
        string Resolve(string value)
        {
            for (var hops = 0; alias.TryGetValue(value, out var target) && hops <= alias.Count; hops++)
            {
                value = target;
            }

            return value;
        }

        var nodes = new List<Node>();
        foreach (var node in graph.Nodes)
        {
            if (node.Op == "Identity" && node.Inputs.Count == 1 && node.Outputs.Count == 1)
            {
                alias[node.Outputs[0]] = node.Inputs[0];
            }
            else
            {
                nodes.Add(node);
            }
        }

        var dataInputs = graph.Inputs.Where(i => !graph.Initializers.ContainsKey(i)).ToList();
        if (dataInputs.Count != 1 || graph.Outputs.Count != 1)
        {
            throw new InvalidDataException(
                $"The ONNX model has {dataInputs.Count} inputs and {graph.Outputs.Count} outputs; a network has one of each.");
        }

        // The linear steps in node order, and the nodes between them.
        var linears = new List<Linear>();
        var segments = new List<List<Node>> { new() };
        for (var i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            if (node.Op == "Gemm" || node.Op == "MatMul")
            {
                linears.Add(ReadLinear(node, nodes, graph, linears.Count + 1, Resolve));
                segments.Add(new List<Node>());
            }
            else if (!linears.Any(l => ReferenceEquals(l.BiasAdd, node)))
            {
                segments[segments.Count - 1].Add(node);
            }
        }

        if (linears.Count != shape.Layers.Count)
        {
            throw new InvalidDataException(
                $"The ONNX model has {linears.Count} linear layers (Gemm, or MatMul and Add), the network has {shape.Layers.Count}: {shape}.");
        }

        if (segments[0].Count > 0)
        {
            throw new InvalidDataException(
                $"The ONNX model computes {Describe(segments[0])} before its first linear layer; a network starts with one.");
        }

        var parameters = new double[shape.ParameterCount];
        for (var k = 0; k < linears.Count; k++)
        {
            var linear = linears[k];
            var source = Resolve(linear.Input);
            var expected = k == 0 ? Resolve(dataInputs[0]) : null;
            if (k == 0 ? source != expected : !Produces(linears[k - 1], segments[k], source, Resolve))
            {
                throw new InvalidDataException(
                    $"Layer {k + 1}: the model's {linear.Node.Describe()} takes '{linear.Input}', which is not "
                    + (k == 0 ? $"the model's input '{dataInputs[0]}'." : $"computed from layer {k}'s output."));
            }

            CheckActivation(shape.Layers[k], segments[k + 1], k + 1, shape.Single);
            ReadParameters(graph, linear, shape, k, parameters);
        }

        if (!Produces(linears[linears.Count - 1], segments[segments.Count - 1], Resolve(graph.Outputs[0]), Resolve))
        {
            throw new InvalidDataException($"The ONNX model's output '{graph.Outputs[0]}' is not computed from its last linear layer.");
        }

        return parameters;
    }

    private static bool Produces(Linear linear, List<Node> segment, string value, Func<string, string> resolve) =>
        value == resolve(linear.Output) || segment.Any(n => n.Outputs.Any(o => resolve(o) == value));

    private static Linear ReadLinear(Node node, List<Node> nodes, Graph graph, int layer, Func<string, string> resolve)
    {
        var linear = new Linear { Node = node };
        if (node.Outputs.Count != 1)
        {
            throw new InvalidDataException($"Layer {layer}: the model's {node.Describe()} has {node.Outputs.Count} outputs, not 1.");
        }

        if (node.Op == "Gemm")
        {
            if (node.Inputs.Count < 2)
            {
                throw new InvalidDataException($"Layer {layer}: the model's {node.Describe()} has {node.Inputs.Count} inputs, not 2 or 3.");
            }

            linear.Input = node.Inputs[0];
            linear.Weight = node.Inputs[1];
            linear.Bias = node.Inputs.Count > 2 && node.Inputs[2].Length > 0 ? node.Inputs[2] : null;
            linear.Transposed = Int(node, "transB", 0) != 0;
            if (Int(node, "transA", 0) != 0)
            {
                throw new InvalidDataException($"Layer {layer}: the model's {node.Describe()} has transA = 1; a network's layer multiplies its input untransposed.");
            }

            foreach (var scale in new[] { "alpha", "beta" })
            {
                if (node.Attributes.TryGetValue(scale, out var attribute) && attribute.Float is float f && f != 1f)
                {
                    throw new InvalidDataException($"Layer {layer}: the model's {node.Describe()} has {scale} = {f.ToString("R", CultureInfo.InvariantCulture)}; only 1 maps to a network's layer.");
                }
            }
        }
        else
        {
            if (node.Inputs.Count != 2)
            {
                throw new InvalidDataException($"Layer {layer}: the model's {node.Describe()} has {node.Inputs.Count} inputs, not 2.");
            }

            linear.Input = node.Inputs[0];
            linear.Weight = node.Inputs[1];
            var output = node.Outputs[0];
            var add = nodes.FirstOrDefault(n => n.Op == "Add" && n.Inputs.Count == 2 && n.Inputs.Any(i => resolve(i) == output)
                && n.Inputs.Any(i => graph.Initializers.ContainsKey(resolve(i))));
            if (add is not null)
            {
                linear.BiasAdd = add;
                linear.Bias = add.Inputs.First(i => graph.Initializers.ContainsKey(resolve(i)));
            }
        }

        linear.Weight = resolve(linear.Weight);
        linear.Bias = linear.Bias is null ? null : resolve(linear.Bias);
        return linear;
    }

    private static long Int(Node node, string name, long defaultValue) =>
        node.Attributes.TryGetValue(name, out var attribute) && attribute.Int is long value ? value : defaultValue;

    private static string Describe(List<Node> segment) =>
        segment.Count == 0 ? "nothing (the identity)" : string.Join(", ", segment.Select(n => n.Op));

    /// <summary>Checks that the nodes after a layer's linear step compute its built-in activation; custom activations are not compared.</summary>
    private static void CheckActivation(LayerShape layer, List<Node> segment, int index, bool single)
    {
        if (layer.IsCustom)
        {
            return;
        }

        var found = segment.Select(n => n.Op).OrderBy(o => o, StringComparer.Ordinal).ToList();
        var forms = new List<List<string>>();
        switch (layer.Activation)
        {
            case "Identity":
                forms.Add(new List<string>());
                break;
            case "Sigmoid":
                forms.Add(new List<string> { "Sigmoid" });
                break;
            case "Tanh":
                forms.Add(new List<string> { "Tanh" });
                break;
            case "ReLU":
                forms.Add(new List<string> { "Relu" });
                break;
            case "LeakyReLU":
                forms.Add(new List<string> { "LeakyRelu" });
                forms.Add(Operators(OnnxGraphBuilder.LeakyReluExpression));
                break;
            case "Softplus":
                forms.Add(new List<string> { "Softplus" });
                forms.Add(Operators(OnnxGraphBuilder.SoftplusExpression));
                break;
            case "Softmax":
                forms.Add(new List<string> { "Softmax" });
                break;
        }

        if (!forms.Any(f => f.SequenceEqual(found, StringComparer.Ordinal)))
        {
            throw new InvalidDataException(
                $"Layer {index}: the model applies {Describe(segment)} after its linear step, the network's layer {index} uses {layer.Activation}.");
        }

        var node = segment.FirstOrDefault();
        if (node is not null && node.Op == "LeakyRelu" && node.Attributes.TryGetValue("alpha", out var alpha) && alpha.Float is float slope
            && Math.Abs(slope - 0.01f) > 1e-7f)
        {
            throw new InvalidDataException(
                $"Layer {index}: the model's LeakyRelu has slope {slope.ToString("R", CultureInfo.InvariantCulture)}, the network's LeakyReLU 0.01.");
        }

        if (node is not null && node.Op == "Softmax" && Int(node, "axis", -1) is var axis && axis != -1 && axis != 1)
        {
            throw new InvalidDataException($"Layer {index}: the model's Softmax is over axis {axis}, not over the units (axis -1 or 1).");
        }
    }

    /// <summary>The sorted operator types the exporter writes for an activation expression (as a double network writes a built-in it has no kernel for).</summary>
    private static List<string> Operators(ActivationExpression expression)
    {
        var builder = new OnnxGraphBuilder(single: true);
        builder.AddActivation(new LayerShape(1, LayerShape.ExpressionPrefix + expression), "probe", "x", "y");
        return builder.OperatorTypes.OrderBy(o => o, StringComparer.Ordinal).ToList();
    }

    private static void ReadParameters(Graph graph, Linear linear, NetworkShape shape, int k, double[] parameters)
    {
        var layer = k + 1;
        var inputs = shape.LayerInputs(k);
        var units = shape.Layers[k].Units;
        if (!graph.Initializers.TryGetValue(linear.Weight, out var weight))
        {
            throw new InvalidDataException($"Layer {layer}: the model's weight '{linear.Weight}' is not an initializer or a constant.");
        }

        var w = Values(weight, layer, "weight");
        var dims = weight.Dims;
        var (rows, columns) = linear.Transposed ? (units, inputs) : (inputs, units);
        if (dims.Count != 2 || dims[0] != rows || dims[1] != columns)
        {
            var spelled = string.Join(" × ", dims.Select(d => d.ToString(CultureInfo.InvariantCulture)));
            throw new InvalidDataException(
                $"Layer {layer}: the model's weight is {(dims.Count == 0 ? "a scalar" : spelled)}{(linear.Transposed ? " (out × in, transB = 1)" : " (in × out)")}, the network's layer {layer} is {inputs} inputs × {units} units.");
        }

        var offset = shape.LayerOffset(k);
        for (var i = 0; i < inputs; i++)
        {
            for (var j = 0; j < units; j++)
            {
                parameters[offset + (i * units) + j] = linear.Transposed ? w[(j * inputs) + i] : w[(i * units) + j];
            }
        }

        offset += inputs * units;
        if (linear.Bias is null)
        {
            return;
        }

        if (!graph.Initializers.TryGetValue(linear.Bias, out var bias))
        {
            throw new InvalidDataException($"Layer {layer}: the model's bias '{linear.Bias}' is not an initializer or a constant.");
        }

        var b = Values(bias, layer, "bias");
        var biasShapeFits = (bias.Dims.Count == 1 && bias.Dims[0] == units) || (bias.Dims.Count == 2 && bias.Dims[0] == 1 && bias.Dims[1] == units);
        if (!biasShapeFits)
        {
            throw new InvalidDataException(
                $"Layer {layer}: the model's bias has shape [{string.Join(", ", bias.Dims)}], the network's layer {layer} has {units} units.");
        }

        Array.Copy(b, 0, parameters, offset, units);
    }

    private static double[] Values(Tensor tensor, int layer, string what)
    {
        if (tensor.External)
        {
            throw new InvalidDataException($"Layer {layer}: the model's {what} '{tensor.Name}' is stored in an external file; only data inside the model is read.");
        }

        if (tensor.DataType != 1 && tensor.DataType != 11)
        {
            throw new InvalidDataException(
                $"Layer {layer}: the model's {what} '{tensor.Name}' has element type {tensor.DataType}; only FLOAT (1) and DOUBLE (11) are read.");
        }

        long expected = 1;
        foreach (var dim in tensor.Dims)
        {
            if (dim < 0 || dim > int.MaxValue)
            {
                throw new InvalidDataException($"Layer {layer}: the model's {what} '{tensor.Name}' has a dimension of {dim}.");
            }

            expected = Math.Min(expected * dim, (long)int.MaxValue + 1);
        }

        double[] values;
        if (tensor.Raw is not null)
        {
            var size = tensor.DataType == 1 ? 4 : 8;
            values = new double[tensor.Raw.Length / size];
            if (tensor.Raw.Length % size != 0 || values.Length != expected)
            {
                throw new InvalidDataException(
                    $"Layer {layer}: the model's {what} '{tensor.Name}' holds {tensor.Raw.Length} bytes of data, its shape needs {expected * size}.");
            }

            for (var i = 0; i < values.Length; i++)
            {
                values[i] = size == 4 ? LittleEndian.ReadSingle(tensor.Raw, 4 * i) : LittleEndian.ReadDouble(tensor.Raw, 8 * i);
            }
        }
        else
        {
            values = tensor.Values.ToArray();
            if (values.Length != expected)
            {
                throw new InvalidDataException(
                    $"Layer {layer}: the model's {what} '{tensor.Name}' holds {values.Length} values, its shape needs {expected}.");
            }
        }

        return values;
    }
}
