using System;
using System.Collections.Generic;
using System.Globalization;

namespace BackpropGen.Runtime;

/// <summary>Collects the nodes and initializers of an exported graph and encodes it as an ONNX GraphProto.</summary>
internal sealed class OnnxGraphBuilder
{
    /// <summary>
    /// Operators ONNX Runtime's CPU provider has no double kernel for (found by running the exported models in the
    /// tests): a double network writes them as the equivalent expression of other operators instead.
    /// </summary>
    internal static readonly HashSet<string> LacksDoubleKernel = new(StringComparer.Ordinal) { "Softplus" };

    /// <summary>LeakyReLU with slope 0.01 as other operators: max(x, 0.01·x), exact for every x.</summary>
    internal static readonly ActivationExpression LeakyReluExpression = ActivationExpression.Parse("(max x (mul x 0.01))");

    /// <summary>Softplus as other operators, in the form that does not overflow: max(x, 0) + log(1 + e^{-|x|}).</summary>
    internal static readonly ActivationExpression SoftplusExpression = ActivationExpression.Parse("(add (relu x) (log (add 1 (exp (neg (abs x))))))");

    private static readonly Dictionary<string, string> OperatorNames = new(StringComparer.Ordinal)
    {
        ["neg"] = "Neg", ["exp"] = "Exp", ["log"] = "Log", ["sqrt"] = "Sqrt", ["abs"] = "Abs", ["sin"] = "Sin", ["cos"] = "Cos",
        ["tanh"] = "Tanh", ["sigmoid"] = "Sigmoid", ["relu"] = "Relu", ["sign"] = "Sign",
        ["sub"] = "Sub", ["div"] = "Div", ["pow"] = "Pow", ["max"] = "Max", ["min"] = "Min", ["add"] = "Add", ["mul"] = "Mul",
    };

    private readonly bool single;
    private readonly List<ProtoWriter> nodes = new();
    private readonly List<ProtoWriter> initializers = new();
    private readonly Dictionary<string, string> constants = new(StringComparer.Ordinal);
    private int counter;

    public OnnxGraphBuilder(bool single) => this.single = single;

    /// <summary>The operator types of the nodes added so far, in order.</summary>
    public List<string> OperatorTypes { get; } = new();

    /// <summary>An INT attribute.</summary>
    public static ProtoWriter IntAttribute(string name, long value)
    {
        var attribute = new ProtoWriter();
        attribute.WriteString(1, name);
        attribute.WriteInt64(20, 2);
        attribute.WriteInt64(3, value);
        return attribute;
    }

    /// <summary>A FLOAT attribute.</summary>
    public static ProtoWriter FloatAttribute(string name, float value)
    {
        var attribute = new ProtoWriter();
        attribute.WriteString(1, name);
        attribute.WriteInt64(20, 1);
        attribute.WriteFloat(2, value);
        return attribute;
    }

    /// <summary>Whether this precision writes <paramref name="op"/> as the operator itself.</summary>
    public bool HasKernel(string op) => single || !LacksDoubleKernel.Contains(op);

    public void AddInitializer(string name, long[] dims, byte[] raw)
    {
        var tensor = new ProtoWriter();
        foreach (var dim in dims)
        {
            tensor.WriteInt64(1, dim);
        }

        tensor.WriteInt64(2, OnnxModel.ElementType(single));
        tensor.WriteString(8, name);
        tensor.WriteBytes(9, raw);
        initializers.Add(tensor);
    }

    public void AddNode(string op, string name, string[] inputs, string output, params ProtoWriter[] attributes)
    {
        var node = new ProtoWriter();
        foreach (var input in inputs)
        {
            node.WriteString(1, input);
        }

        node.WriteString(2, output);
        node.WriteString(3, name);
        node.WriteString(4, op);
        foreach (var attribute in attributes)
        {
            node.WriteMessage(5, attribute);
        }

        nodes.Add(node);
        OperatorTypes.Add(op);
    }

    /// <summary>Adds the nodes of a layer's activation applied to <paramref name="input"/>; returns the value that holds its result.</summary>
    /// <param name="layer">The layer.</param>
    /// <param name="prefix">The prefix of the names of the nodes, values and constants, e.g. <c>layer2</c>.</param>
    /// <param name="input">The value the activation applies to.</param>
    /// <param name="target">The name of the result (the layer's output), used unless the activation is the identity.</param>
    public string AddActivation(LayerShape layer, string prefix, string input, string target)
    {
        if (layer.Expression is not null)
        {
            return Emit(layer.Expression, input, target, prefix);
        }

        switch (layer.Activation)
        {
            case "Identity":
                return input;
            case "Sigmoid":
                return Unary("Sigmoid", input, target, prefix);
            case "Tanh":
                return Unary("Tanh", input, target, prefix);
            case "ReLU":
                return Unary("Relu", input, target, prefix);
            case "LeakyReLU":
                if (!HasKernel("LeakyRelu"))
                {
                    return Emit(LeakyReluExpression, input, target, prefix);
                }

                AddNode("LeakyRelu", prefix + ".leakyrelu", new[] { input }, target, FloatAttribute("alpha", 0.01f));
                return target;
            case "Softplus":
                return HasKernel("Softplus") ? Unary("Softplus", input, target, prefix) : Emit(SoftplusExpression, input, target, prefix);
            case "Softmax":
                AddNode("Softmax", prefix + ".softmax", new[] { input }, target, IntAttribute("axis", -1));
                return target;
            default:
                throw new InvalidOperationException("Unknown activation " + layer.Activation);
        }
    }

    public ProtoWriter ToGraph(string name, NetworkShape shape)
    {
        var graph = new ProtoWriter();
        foreach (var node in nodes)
        {
            graph.WriteMessage(1, node);
        }

        graph.WriteString(2, name);
        foreach (var initializer in initializers)
        {
            graph.WriteMessage(5, initializer);
        }

        graph.WriteString(10, "BackpropGen network: " + shape);
        graph.WriteMessage(11, ValueInfo("input", shape.Inputs));
        graph.WriteMessage(12, ValueInfo("output", shape.Outputs));
        return graph;
    }

    private ProtoWriter ValueInfo(string name, int width)
    {
        var batch = new ProtoWriter();
        batch.WriteString(2, "N");
        var features = new ProtoWriter();
        features.WriteInt64(1, width);
        var dims = new ProtoWriter();
        dims.WriteMessage(1, batch);
        dims.WriteMessage(1, features);
        var tensor = new ProtoWriter();
        tensor.WriteInt64(1, OnnxModel.ElementType(single));
        tensor.WriteMessage(2, dims);
        var type = new ProtoWriter();
        type.WriteMessage(1, tensor);
        var info = new ProtoWriter();
        info.WriteString(1, name);
        info.WriteMessage(2, type);
        return info;
    }

    private string Unary(string op, string input, string target, string prefix)
    {
        AddNode(op, prefix + "." + op.ToLowerInvariant(), new[] { input }, target);
        return target;
    }

    private string Fresh(string prefix) => prefix + ".t" + (counter++).ToString(CultureInfo.InvariantCulture);

    private string NodeName(string prefix, string op) => prefix + "." + op.ToLowerInvariant() + (counter++).ToString(CultureInfo.InvariantCulture);

    /// <summary>A scalar initializer of the network's element type holding <paramref name="value"/>, one per value and prefix.</summary>
    private string Constant(double value, string prefix)
    {
        var key = prefix + "|" + ActivationExpression.FormatNumber(single ? (float)value : value);
        if (constants.TryGetValue(key, out var existing))
        {
            return existing;
        }

        var name = prefix + ".const" + constants.Count.ToString(CultureInfo.InvariantCulture);
        var raw = new byte[single ? 4 : 8];
        if (single)
        {
            LittleEndian.WriteSingle(raw, 0, (float)value);
        }
        else
        {
            LittleEndian.WriteDouble(raw, 0, value);
        }

        AddInitializer(name, new long[0], raw);
        constants[key] = name;
        return name;
    }

    /// <summary>Emits <paramref name="e"/> with x bound to the value <paramref name="x"/>; the result is <paramref name="target"/> if given.</summary>
    private string Emit(ActivationExpression e, string x, string? target, string prefix)
    {
        if (e.IsVariable)
        {
            if (target is null)
            {
                return x;
            }

            AddNode("Identity", NodeName(prefix, "Identity"), new[] { x }, target);
            return target;
        }

        if (e.IsConstant)
        {
            var constant = Constant(e.Value, prefix);
            if (target is null)
            {
                return constant;
            }

            // A constant activation still has the shape of x: broadcast the scalar to it.
            var shapeOfX = Fresh(prefix);
            AddNode("Shape", NodeName(prefix, "Shape"), new[] { x }, shapeOfX);
            AddNode("Expand", NodeName(prefix, "Expand"), new[] { constant, shapeOfX }, target);
            return target;
        }

        var arguments = new string[e.Arguments.Length];
        for (var i = 0; i < arguments.Length; i++)
        {
            arguments[i] = Emit(e.Arguments[i], x, null, prefix);
        }

        var result = target ?? Fresh(prefix);
        switch (e.Operator)
        {
            case "add":
            case "mul":
                var op = OperatorNames[e.Operator];
                var accumulated = arguments[0];
                for (var i = 1; i < arguments.Length; i++)
                {
                    var output = i == arguments.Length - 1 ? result : Fresh(prefix);
                    AddNode(op, NodeName(prefix, op), new[] { accumulated, arguments[i] }, output);
                    accumulated = output;
                }

                return result;
            case "step":
                var greater = Fresh(prefix);
                AddNode("Greater", NodeName(prefix, "Greater"), new[] { arguments[0], Constant(0, prefix) }, greater);
                AddNode("Cast", NodeName(prefix, "Cast"), new[] { greater }, result, IntAttribute("to", OnnxModel.ElementType(single)));
                return result;
            case "softplus":
                if (!HasKernel("Softplus"))
                {
                    return Emit(SoftplusExpression, arguments[0], result, prefix);
                }

                AddNode("Softplus", NodeName(prefix, "Softplus"), arguments, result);
                return result;
            default:
                var name = OperatorNames[e.Operator];
                if (!HasKernel(name))
                {
                    throw new NotSupportedException($"ONNX Runtime has no double kernel for {name}.");
                }

                AddNode(name, NodeName(prefix, name), arguments, result);
                return result;
        }
    }
}
