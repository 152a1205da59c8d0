using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using BackpropGen.Runtime;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace BackpropGen.Tests.Runtime;

/// <summary>The exported ModelProto read field by field with Google.Protobuf's decoder, against onnx.proto's numbering.</summary>
public class ExportedGraphTests
{
    /// <summary>The fields of one message: varints as long, length-delimited as byte[], fixed as ulong.</summary>
    private static List<(int Field, object Value)> Fields(byte[] message)
    {
        var input = new CodedInputStream(message);
        var fields = new List<(int, object)>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var field = WireFormat.GetTagFieldNumber(tag);
            object value = WireFormat.GetTagWireType(tag) switch
            {
                WireFormat.WireType.Varint => input.ReadInt64(),
                WireFormat.WireType.LengthDelimited => input.ReadBytes().ToByteArray(),
                WireFormat.WireType.Fixed32 => (ulong)input.ReadFixed32(),
                WireFormat.WireType.Fixed64 => input.ReadFixed64(),
                var other => throw new InvalidDataException($"wire type {other}"),
            };
            fields.Add((field, value));
        }

        return fields;
    }

    private static IEnumerable<byte[]> Messages(List<(int Field, object Value)> fields, int field) =>
        fields.Where(f => f.Field == field).Select(f => (byte[])f.Value);

    private static string Text(List<(int Field, object Value)> fields, int field) =>
        Encoding.UTF8.GetString(Messages(fields, field).Single());

    private static byte[] Export(NetworkShape shape)
    {
        var stream = new MemoryStream();
        if (shape.Single)
        {
            OnnxModel.Export(stream, shape, Reference.RandomFloats(shape.ParameterCount, 71), "TestNet");
        }
        else
        {
            OnnxModel.Export(stream, shape, Reference.RandomDoubles(shape.ParameterCount, 71), "TestNet");
        }

        return stream.ToArray();
    }

    [Fact]
    public void The_model_header_graph_nodes_and_initializers_are_as_documented()
    {
        var shape = Reference.Shape(false, 3, (4, "Tanh"), (2, "Identity"));
        var model = Fields(Export(shape));
        Assert.Equal(8L, model.Single(f => f.Field == 1).Value);
        Assert.Equal("BackpropGen", Text(model, 2));
        var opset = Fields(Messages(model, 8).Single());
        Assert.Equal(17L, opset.Single(f => f.Field == 2).Value);
        Assert.Equal(string.Empty, Text(opset, 1));

        var graph = Fields(Messages(model, 7).Single());
        Assert.Equal("TestNet", Text(graph, 2));
        var nodes = Messages(graph, 1).Select(Fields).ToList();
        Assert.Equal(new[] { "Gemm", "Tanh", "Gemm" }, nodes.Select(n => Text(n, 4)));
        Assert.Equal(new[] { "input", "layer1.weight", "layer1.bias" }, Messages(nodes[0], 1).Select(Encoding.UTF8.GetString));
        Assert.Equal("output", Text(nodes[2], 2));
        var transB = nodes[0].Where(f => f.Field == 5).Select(f => Fields((byte[])f.Value)).Single();
        Assert.Equal("transB", Text(transB, 1));
        Assert.Equal(0L, transB.Single(f => f.Field == 3).Value);

        var initializers = Messages(graph, 5).Select(Fields).ToList();
        Assert.Equal(new[] { "layer1.weight", "layer1.bias", "layer2.weight", "layer2.bias" }, initializers.Select(i => Text(i, 8)));
        Assert.Equal(new[] { 3L, 4L }, initializers[0].Where(f => f.Field == 1).Select(f => (long)f.Value));
        Assert.All(initializers, i => Assert.Equal(11L, i.Single(f => f.Field == 2).Value));
        Assert.Equal(12 * 8, Messages(initializers[0], 9).Single().Length);
    }

    [Fact]
    public void ONNX_Runtime_has_no_double_Softplus_so_a_double_export_writes_none()
    {
        // A float export uses Softplus itself; the same graph in double does not load in ONNX Runtime.
        var floatModel = Export(Reference.Shape(true, 2, (2, "Softplus")));
        var nodes = Fields(Messages(Fields(floatModel), 7).Single()).Where(f => f.Field == 1).Select(f => Text(Fields((byte[])f.Value), 4));
        Assert.Contains("Softplus", nodes);
        var doubleModel = ForeignOnnx.Sequential(new[] { ForeignOnnx.RandomLinear(2, 2, 73) }, new[] { "Softplus" }, single: false, ForeignOnnx.Storage.RawData);
        var error = Assert.Throws<OnnxRuntimeException>(() => OnnxRunner.Run(doubleModel, new double[2], 1, 2, "input.1"));
        Assert.Contains("Softplus", error.Message);

        var exported = Fields(Messages(Fields(Export(Reference.Shape(false, 2, (2, "Softplus"), (1, "expr:(softplus (neg x))")))), 7).Single());
        Assert.DoesNotContain("Softplus", exported.Where(f => f.Field == 1).Select(f => Text(Fields((byte[])f.Value), 4)));
    }
}
