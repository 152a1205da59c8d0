using System;
using System.Collections.Generic;
using System.IO;
using Google.Protobuf;

namespace BackpropGen.Tests.Runtime;

/// <summary>
/// ONNX models written with Google.Protobuf's encoder, independently of the runtime library's writer, in the shape
/// <c>torch.onnx.export</c> gives an <c>nn.Sequential</c> of <c>Linear</c> layers: Gemm with transB = 1 and
/// [out × in] weights named like "0.weight", activations between.
/// </summary>
public static class ForeignOnnx
{
    /// <summary>One Linear layer as PyTorch holds it: weight[j, i] from input i to output j, and the bias.</summary>
    public sealed record Linear(int In, int Out, double[] Weight, double[] Bias);

    public enum Storage
    {
        RawData,
        TypedData,
    }

    /// <summary>
    /// A PyTorch-style export: for module k (0-based, counting activations as modules), Gemm "/k/Gemm" with
    /// "k.weight" and "k.bias", then the activation op named by <paramref name="activations"/> (null: none).
    /// </summary>
    public static byte[] Sequential(IReadOnlyList<Linear> layers, IReadOnlyList<string?> activations, bool single, Storage storage, bool matMul = false)
    {
        var nodes = new List<byte[]>();
        var initializers = new List<byte[]>();
        var current = "input.1";
        var module = 0;
        for (var k = 0; k < layers.Count; k++)
        {
            var layer = layers[k];
            var weightName = $"{module}.weight";
            var biasName = $"{module}.bias";
            var last = k == layers.Count - 1;
            var linearOut = last && activations[k] is null ? "17" : $"/{module}/Gemm_output_0";
            if (matMul)
            {
                // MatMul with an [in × out] weight, as exporters write a Linear applied to a higher-rank input.
                var transposed = new double[layer.In * layer.Out];
                for (var i = 0; i < layer.In; i++)
                {
                    for (var j = 0; j < layer.Out; j++)
                    {
                        transposed[(i * layer.Out) + j] = layer.Weight[(j * layer.In) + i];
                    }
                }

                initializers.Add(Tensor(weightName, new long[] { layer.In, layer.Out }, transposed, single, storage));
                var product = $"/{module}/MatMul_output_0";
                nodes.Add(Node("MatMul", $"/{module}/MatMul", new[] { current, weightName }, product));
                nodes.Add(Node("Add", $"/{module}/Add", new[] { biasName, product }, linearOut));
            }
            else
            {
                initializers.Add(Tensor(weightName, new long[] { layer.Out, layer.In }, layer.Weight, single, storage));
                nodes.Add(Node("Gemm", $"/{module}/Gemm", new[] { current, weightName, biasName }, linearOut,
                    FloatAttribute("alpha", 1f), FloatAttribute("beta", 1f), IntAttribute("transB", 1)));
            }

            initializers.Add(Tensor(biasName, new long[] { layer.Out }, layer.Bias, single, storage));
            current = linearOut;
            module++;
            if (activations[k] is string op)
            {
                var output = last ? "17" : $"/{module}/{op}_output_0";
                nodes.Add(Node(op, $"/{module}/{op}", new[] { current }, output));
                current = output;
                module++;
            }
        }

        var elementType = single ? 1 : 11;
        var graph = Message(o =>
        {
            foreach (var node in nodes)
            {
                Bytes(o, 1, node);
            }

            String(o, 2, "main_graph");
            foreach (var initializer in initializers)
            {
                Bytes(o, 5, initializer);
            }

            Bytes(o, 11, ValueInfo("input.1", elementType, layers[0].In));
            Bytes(o, 12, ValueInfo("17", elementType, layers[layers.Count - 1].Out));
        });

        return Message(o =>
        {
            Int(o, 1, 8);
            String(o, 2, "pytorch");
            String(o, 3, "2.5.0");
            Bytes(o, 7, graph);
            Bytes(o, 8, Message(p =>
            {
                String(p, 1, string.Empty);
                Int(p, 2, 17);
            }));
            // metadata_props, a field the importer does not read.
            Bytes(o, 14, Message(p =>
            {
                String(p, 1, "origin");
                String(p, 2, "test");
            }));
        });
    }

    public static Linear RandomLinear(int inputs, int outputs, int seed) =>
        new(inputs, outputs, Reference.RandomDoubles(inputs * outputs, seed), Reference.RandomDoubles(outputs, seed + 1));

    public static Linear Rounded(Linear layer) =>
        layer with { Weight = Array.ConvertAll(layer.Weight, v => (double)(float)v), Bias = Array.ConvertAll(layer.Bias, v => (double)(float)v) };

    private static byte[] Tensor(string name, long[] dims, double[] values, bool single, Storage storage) => Message(o =>
    {
        foreach (var dim in dims)
        {
            Int(o, 1, dim);
        }

        Int(o, 2, single ? 1 : 11);
        String(o, 8, name);
        if (storage == Storage.RawData)
        {
            var raw = new MemoryStream();
            foreach (var v in values)
            {
                raw.Write(single ? BitConverter.GetBytes((float)v) : BitConverter.GetBytes(v));
            }

            Bytes(o, 9, raw.ToArray());
        }
        else
        {
            // float_data (4) or double_data (10), packed.
            o.WriteTag(single ? 4 : 10, WireFormat.WireType.LengthDelimited);
            o.WriteLength(values.Length * (single ? 4 : 8));
            foreach (var v in values)
            {
                if (single)
                {
                    o.WriteFloat((float)v);
                }
                else
                {
                    o.WriteDouble(v);
                }
            }
        }
    });

    private static byte[] Node(string op, string name, string[] inputs, string output, params byte[][] attributes) => Message(o =>
    {
        foreach (var input in inputs)
        {
            String(o, 1, input);
        }

        String(o, 2, output);
        String(o, 3, name);
        String(o, 4, op);
        foreach (var attribute in attributes)
        {
            Bytes(o, 5, attribute);
        }

        String(o, 6, "a doc string the importer skips");
    });

    private static byte[] FloatAttribute(string name, float value) => Message(o =>
    {
        String(o, 1, name);
        o.WriteTag(2, WireFormat.WireType.Fixed32);
        o.WriteFloat(value);
        Int(o, 20, 1);
    });

    private static byte[] IntAttribute(string name, long value) => Message(o =>
    {
        String(o, 1, name);
        Int(o, 3, value);
        Int(o, 20, 2);
    });

    private static byte[] ValueInfo(string name, int elementType, int width) => Message(o =>
    {
        String(o, 1, name);
        Bytes(o, 2, Message(type => Bytes(type, 1, Message(tensor =>
        {
            Int(tensor, 1, elementType);
            Bytes(tensor, 2, Message(shape =>
            {
                Bytes(shape, 1, Message(d => String(d, 2, "batch_size")));
                Bytes(shape, 1, Message(d => Int(d, 1, width)));
            }));
        }))));
    });

    public static byte[] Message(Action<CodedOutputStream> write)
    {
        var buffer = new MemoryStream();
        using (var output = new CodedOutputStream(buffer, leaveOpen: true))
        {
            write(output);
        }

        return buffer.ToArray();
    }

    private static void Bytes(CodedOutputStream o, int field, byte[] value)
    {
        o.WriteTag(field, WireFormat.WireType.LengthDelimited);
        o.WriteBytes(ByteString.CopyFrom(value));
    }

    private static void String(CodedOutputStream o, int field, string value)
    {
        o.WriteTag(field, WireFormat.WireType.LengthDelimited);
        o.WriteString(value);
    }

    private static void Int(CodedOutputStream o, int field, long value)
    {
        o.WriteTag(field, WireFormat.WireType.Varint);
        o.WriteInt64(value);
    }
}
