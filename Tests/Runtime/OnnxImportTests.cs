using System;
using System.IO;
using System.Linq;
using BackpropGen.Runtime;

namespace BackpropGen.Tests.Runtime;

/// <summary>Import: the library's own exports bit for bit, PyTorch-style models judged by ONNX Runtime, and every mismatch named.</summary>
public class OnnxImportTests
{
    private const int Rows = 5;

    private static readonly ForeignOnnx.Linear[] TorchLayers =
    {
        ForeignOnnx.RandomLinear(3, 5, 21),
        ForeignOnnx.RandomLinear(5, 4, 23),
        ForeignOnnx.RandomLinear(4, 2, 25),
    };

    private static readonly string?[] TorchActivations = { "Relu", "Relu", null };

    [Theory]
    [MemberData(nameof(OnnxExportTests.Activations), MemberType = typeof(OnnxExportTests))]
    public void The_own_export_imports_bit_for_bit(string activation, bool single)
    {
        var shape = activation == "Softmax"
            ? Reference.Shape(single, 3, (4, "LeakyReLU"), (3, "Softmax"))
            : Reference.Shape(single, 3, (4, activation), (3, "Softplus"), (2, activation));
        var stream = new MemoryStream();
        if (single)
        {
            var parameters = Reference.RandomFloats(shape.ParameterCount, 31);
            OnnxModel.Export(stream, shape, parameters, "Net");
            stream.Position = 0;
            var imported = new float[shape.ParameterCount];
            OnnxModel.Import(stream, shape, imported);
            Assert.Equal(parameters.Select(BitConverter.SingleToInt32Bits), imported.Select(BitConverter.SingleToInt32Bits));
        }
        else
        {
            var parameters = Reference.RandomDoubles(shape.ParameterCount, 31);
            parameters[0] = -0.0;
            parameters[1] = double.Epsilon;
            OnnxModel.Export(stream, shape, parameters, "Net");
            stream.Position = 0;
            var imported = new double[shape.ParameterCount];
            OnnxModel.Import(stream, shape, imported);
            Assert.Equal(parameters.Select(BitConverter.DoubleToInt64Bits), imported.Select(BitConverter.DoubleToInt64Bits));
        }
    }

    [Theory]
    [InlineData(true, ForeignOnnx.Storage.RawData, false)]
    [InlineData(true, ForeignOnnx.Storage.TypedData, false)]
    [InlineData(false, ForeignOnnx.Storage.RawData, false)]
    [InlineData(false, ForeignOnnx.Storage.TypedData, false)]
    [InlineData(true, ForeignOnnx.Storage.RawData, true)]
    [InlineData(false, ForeignOnnx.Storage.TypedData, true)]
    public void A_PyTorch_style_model_imports_and_reproduces_ONNX_Runtimes_outputs(bool single, ForeignOnnx.Storage storage, bool matMul)
    {
        var model = ForeignOnnx.Sequential(TorchLayers, TorchActivations, single, storage, matMul);
        var shape = Reference.Shape(single, 3, (5, "ReLU"), (4, "ReLU"), (2, "Identity"));
        var inputs = Reference.RandomDoubles(Rows * 3, 27, scale: 2);

        // ONNX Runtime runs the foreign model first: it is a valid model of this network.
        double[] judged, imported;
        if (single)
        {
            var floatInputs = inputs.Select(v => (float)v).ToArray();
            judged = OnnxRunner.Run(model, floatInputs, Rows, 3, "input.1");
            var parameters = new float[shape.ParameterCount];
            OnnxModel.Import(new MemoryStream(model), shape, parameters);
            imported = parameters.Select(v => (double)v).ToArray();
            inputs = floatInputs.Select(v => (double)v).ToArray();
        }
        else
        {
            judged = OnnxRunner.Run(model, inputs, Rows, 3, "input.1");
            imported = new double[shape.ParameterCount];
            OnnxModel.Import(new MemoryStream(model), shape, imported);
        }

        Reference.AssertClose(judged, Reference.Forward(shape, imported, inputs, Rows), single ? 1e-5 : 1e-9, "imported PyTorch model");

        // And the layout: PyTorch's weight[j, i] (unit j, input i) is W[i * out + j]; the biases follow each block.
        var first = single ? ForeignOnnx.Rounded(TorchLayers[0]) : TorchLayers[0];
        Assert.Equal(first.Weight[(2 * 3) + 1], imported[(1 * 5) + 2]);
        Assert.Equal(first.Bias, imported.Skip(15).Take(5));
    }

    [Fact]
    public void A_double_model_of_tanh_and_sigmoid_layers_imports()
    {
        var layers = new[] { ForeignOnnx.RandomLinear(2, 3, 41), ForeignOnnx.RandomLinear(3, 1, 43) };
        var model = ForeignOnnx.Sequential(layers, new[] { "Tanh", "Sigmoid" }, single: false, ForeignOnnx.Storage.TypedData);
        var shape = Reference.Shape(false, 2, (3, "Tanh"), (1, "Sigmoid"));
        var inputs = Reference.RandomDoubles(Rows * 2, 45);
        var imported = new double[shape.ParameterCount];
        OnnxModel.Import(new MemoryStream(model), shape, imported);
        Reference.AssertClose(OnnxRunner.Run(model, inputs, Rows, 2, "input.1"), Reference.Forward(shape, imported, inputs, Rows), 1e-9, "tanh/sigmoid");
    }

    [Fact]
    public void Float_initializers_widen_into_a_double_network_and_double_ones_round_into_a_float_network()
    {
        var floatShape = Reference.Shape(true, 3, (2, "Tanh"));
        var doubleShape = Reference.Shape(false, 3, (2, "Tanh"));
        var floats = Reference.RandomFloats(8, 51);
        var doubles = Reference.RandomDoubles(8, 52);
        var stream = new MemoryStream();
        OnnxModel.Export(stream, floatShape, floats, "Net");
        var widened = new double[8];
        OnnxModel.Import(new MemoryStream(stream.ToArray()), doubleShape, widened);
        Assert.Equal(floats.Select(v => (double)v), widened);

        stream = new MemoryStream();
        OnnxModel.Export(stream, doubleShape, doubles, "Net");
        var rounded = new float[8];
        OnnxModel.Import(new MemoryStream(stream.ToArray()), floatShape, rounded);
        Assert.Equal(doubles.Select(v => (float)v), rounded);
    }

    [Fact]
    public void Custom_activations_are_not_compared()
    {
        var exported = Reference.Shape(false, 2, (3, "expr:(div x (add 1 (abs x)))"), (1, "Identity"));
        var importing = Reference.Shape(false, 2, (3, "expr:(mul x (sigmoid x))"), (1, "Identity"));
        var parameters = Reference.RandomDoubles(exported.ParameterCount, 53);
        var stream = new MemoryStream();
        OnnxModel.Export(stream, exported, parameters, "Net");
        var imported = new double[importing.ParameterCount];
        OnnxModel.Import(new MemoryStream(stream.ToArray()), importing, imported);
        Assert.Equal(parameters, imported);
    }

    private static InvalidDataException ImportFails(byte[] model, NetworkShape shape)
    {
        var parameters = Enumerable.Repeat(42.0, shape.ParameterCount).ToArray();
        var error = Assert.Throws<InvalidDataException>(() => OnnxModel.Import(new MemoryStream(model), shape, parameters));
        Assert.All(parameters, p => Assert.Equal(42.0, p));
        return error;
    }

    private static byte[] Torch(bool matMul = false) =>
        ForeignOnnx.Sequential(TorchLayers, TorchActivations, single: false, ForeignOnnx.Storage.RawData, matMul);

    [Fact]
    public void A_weight_of_another_shape_names_both()
    {
        var message = ImportFails(Torch(), Reference.Shape(false, 3, (6, "ReLU"), (4, "ReLU"), (2, "Identity"))).Message;
        Assert.Contains("Layer 1: the model's weight is 5 × 3 (out × in, transB = 1), the network's layer 1 is 3 inputs × 6 units", message);
        message = ImportFails(Torch(matMul: true), Reference.Shape(false, 3, (5, "ReLU"), (4, "ReLU"), (3, "Identity"))).Message;
        Assert.Contains("Layer 3: the model's weight is 4 × 2 (in × out), the network's layer 3 is 4 inputs × 3 units", message);
    }

    [Fact]
    public void Another_activation_names_both()
    {
        var message = ImportFails(Torch(), Reference.Shape(false, 3, (5, "ReLU"), (4, "Sigmoid"), (2, "Identity"))).Message;
        Assert.Contains("Layer 2: the model applies Relu after its linear step, the network's layer 2 uses Sigmoid", message);
        message = ImportFails(Torch(), Reference.Shape(false, 3, (5, "ReLU"), (4, "ReLU"), (2, "Softmax"))).Message;
        Assert.Contains("Layer 3: the model applies nothing (the identity)", message);
    }

    [Fact]
    public void Another_number_of_layers_names_both_counts()
    {
        var message = ImportFails(Torch(), Reference.Shape(false, 3, (5, "ReLU"), (2, "Identity"))).Message;
        Assert.Contains("3 linear layers", message);
        Assert.Contains("the network has 2", message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Garbage_is_not_a_model(int kind)
    {
        var shape = Reference.Shape(false, 3, (5, "ReLU"), (4, "ReLU"), (2, "Identity"));
        var torch = Torch();
        var bytes = kind switch
        {
            0 => Array.Empty<byte>(),
            1 => "hello, this is not a model"u8.ToArray(),
            2 => Reference.RandomDoubles(500, 61).Select(v => (byte)((v * 127) + 128)).ToArray(),
            _ => torch.Take(torch.Length / 2).ToArray(),
        };
        ImportFails(bytes, shape);
    }

    [Fact]
    public void Random_bytes_of_every_seed_are_rejected_without_another_exception()
    {
        var shape = Reference.Shape(false, 3, (5, "ReLU"), (4, "ReLU"), (2, "Identity"));
        var torch = Torch();
        for (var seed = 0; seed < 300; seed++)
        {
            var random = new Random(seed);
            var bytes = (byte[])torch.Clone();
            // Flip a few bytes of a valid model, or cut it anywhere.
            for (var i = 0; i < 3; i++)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            if (seed % 2 == 0)
            {
                bytes = bytes.Take(random.Next(bytes.Length)).ToArray();
            }

            var parameters = new double[shape.ParameterCount];
            try
            {
                OnnxModel.Import(new MemoryStream(bytes), shape, parameters);
            }
            catch (InvalidDataException)
            {
                Assert.All(parameters, p => Assert.Equal(0.0, p));
            }
        }
    }

    [Fact]
    public void Unknown_fields_of_every_wire_type_are_skipped()
    {
        var shape = Reference.Shape(false, 3, (5, "ReLU"), (4, "ReLU"), (2, "Identity"));
        var expected = new double[shape.ParameterCount];
        OnnxModel.Import(new MemoryStream(Torch()), shape, expected);

        // Fields a later ONNX might add, appended to the ModelProto: varint, fixed64, fixed32, length-delimited, and a group.
        var extra = ForeignOnnx.Message(o =>
        {
            o.WriteTag(97, Google.Protobuf.WireFormat.WireType.Varint);
            o.WriteInt64(-5);
            o.WriteTag(99, Google.Protobuf.WireFormat.WireType.Fixed64);
            o.WriteDouble(1.5);
            o.WriteTag(98, Google.Protobuf.WireFormat.WireType.Fixed32);
            o.WriteFloat(2.5f);
            o.WriteTag(95, Google.Protobuf.WireFormat.WireType.LengthDelimited);
            o.WriteString("later");
            o.WriteTag(96, Google.Protobuf.WireFormat.WireType.StartGroup);
            o.WriteTag(1, Google.Protobuf.WireFormat.WireType.Varint);
            o.WriteInt64(7);
            o.WriteTag(2, Google.Protobuf.WireFormat.WireType.StartGroup);
            o.WriteTag(2, Google.Protobuf.WireFormat.WireType.EndGroup);
            o.WriteTag(96, Google.Protobuf.WireFormat.WireType.EndGroup);
        });
        var imported = new double[shape.ParameterCount];
        OnnxModel.Import(new MemoryStream(extra.Concat(Torch()).Concat(extra).ToArray()), shape, imported);
        Assert.Equal(expected, imported);

        // A group that never ends is malformed.
        ImportFails(Torch().Concat(extra.Take(extra.Length - 2)).ToArray(), shape);
    }

    [Fact]
    public void A_network_file_is_not_an_ONNX_model()
    {
        var shape = Reference.Shape(false, 3, (5, "ReLU"), (4, "ReLU"), (2, "Identity"));
        var stream = new MemoryStream();
        NetworkFile.Save(stream, shape, new double[shape.ParameterCount]);
        ImportFails(stream.ToArray(), shape);
    }
}
