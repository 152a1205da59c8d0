using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BackpropGen.Runtime;

namespace BackpropGen.Tests.Runtime;

/// <summary>ONNX Runtime loads every exported model and reproduces a reference forward pass.</summary>
public class OnnxExportTests
{
    private const int Rows = 5;

    /// <summary>Custom activations and the same functions written in C# here.</summary>
    public static readonly Dictionary<string, Func<double, double>> Custom = new()
    {
        ["expr:(div x (add 1 (abs x)))"] = x => x / (1 + Math.Abs(x)),
        ["expr:(add (pow (sigmoid x) 2) (log (add 1 (exp (max x -0.5)))) (mul -1E-05 x))"] =
            x => Math.Pow(1 / (1 + Math.Exp(-x)), 2) + Math.Log(1 + Math.Exp(Math.Max(x, -0.5))) + (-1E-05 * x),
        ["expr:(sub (mul (step x) (sqrt (abs x)) 0.5) (add (sign x) (min (sin x) (cos x)) (tanh (neg x)) (relu x) (softplus x) (div 1 (add 2 (pow x 2)))))"] =
            x => ((x > 0 ? 1 : 0) * Math.Sqrt(Math.Abs(x)) * 0.5)
                - (Math.Sign(x) + Math.Min(Math.Sin(x), Math.Cos(x)) + Math.Tanh(-x) + Math.Max(x, 0) + Math.Log(1 + Math.Exp(x)) + (1 / (2 + (x * x)))),
        ["expr:0.25"] = _ => 0.25,
        ["expr:x"] = x => x,
    };

    public static TheoryData<string, bool> Activations()
    {
        var data = new TheoryData<string, bool>();
        foreach (var single in new[] { false, true })
        {
            foreach (var activation in Reference.BuiltIn.Keys.Append("Softmax").Concat(Custom.Keys))
            {
                data.Add(activation, single);
            }
        }

        return data;
    }

    private static NetworkShape ShapeFor(string activation, bool single) =>
        activation == "Softmax"
            ? Reference.Shape(single, 3, (4, "Tanh"), (3, "Softmax"))
            : Reference.Shape(single, 3, (4, activation), (2, activation));

    [Theory]
    [MemberData(nameof(Activations))]
    public void OnnxRuntime_reproduces_the_reference_forward_pass(string activation, bool single)
    {
        var shape = ShapeFor(activation, single);
        var seed = activation.Length + (single ? 1000 : 0);
        var inputs = Reference.RandomDoubles(Rows * shape.Inputs, seed, scale: 2);
        // Inputs that make the hidden layer's pre-activations cross zero, and one row of zeros.
        Array.Clear(inputs, 0, shape.Inputs);
        var stream = new MemoryStream();
        double[] expected, actual;
        if (single)
        {
            var parameters = Reference.RandomFloats(shape.ParameterCount, seed + 1);
            var floatInputs = inputs.Select(v => (float)v).ToArray();
            OnnxModel.Export(stream, shape, parameters, "Net");
            expected = Reference.Forward(shape, parameters.Select(v => (double)v).ToArray(), floatInputs.Select(v => (double)v).ToArray(), Rows, Custom);
            actual = OnnxRunner.Run(stream.ToArray(), floatInputs, Rows, shape.Inputs);
        }
        else
        {
            var parameters = Reference.RandomDoubles(shape.ParameterCount, seed + 1);
            OnnxModel.Export(stream, shape, parameters, "Net");
            expected = Reference.Forward(shape, parameters, inputs, Rows, Custom);
            actual = OnnxRunner.Run(stream.ToArray(), inputs, Rows, shape.Inputs);
        }

        Assert.Equal(Rows * shape.Outputs, actual.Length);
        Reference.AssertClose(expected, actual, single ? 1e-5 : 1e-9, $"{shape}");
    }

    [Theory]
    [InlineData(false, typeof(double))]
    [InlineData(true, typeof(float))]
    public void The_model_has_a_batch_dimension_N_and_the_networks_widths_and_element_type(bool single, Type element)
    {
        var shape = Reference.Shape(single, 3, (4, "ReLU"), (2, "Identity"));
        var stream = new MemoryStream();
        if (single)
        {
            OnnxModel.Export(stream, shape, new float[shape.ParameterCount], "Net");
        }
        else
        {
            OnnxModel.Export(stream, shape, new double[shape.ParameterCount], "Net");
        }

        var signature = OnnxRunner.Signature(stream.ToArray());
        Assert.Equal(new[] { "input", "output" }, signature.Select(s => s.Name));
        Assert.All(signature, s => Assert.Equal("N", s.Symbolic[0]));
        Assert.Equal(new[] { 3, 2 }, signature.Select(s => s.Dims[1]));
        Assert.All(signature, s => Assert.Equal(element, s.Type));
    }

    [Fact]
    public void A_deeper_network_with_identity_hidden_layers_runs()
    {
        var shape = Reference.Shape(false, 2, (3, "Identity"), (5, "Softplus"), (4, "Identity"), (3, "LeakyReLU"), (2, "Softmax"));
        var parameters = Reference.RandomDoubles(shape.ParameterCount, 7);
        var inputs = Reference.RandomDoubles(Rows * 2, 8, scale: 3);
        var stream = new MemoryStream();
        OnnxModel.Export(stream, shape, parameters, "Deep");
        Reference.AssertClose(Reference.Forward(shape, parameters, inputs, Rows), OnnxRunner.Run(stream.ToArray(), inputs, Rows, 2), 1e-9, "deep");
    }

    [Fact]
    public void Export_checks_the_array_against_the_shape()
    {
        var shape = Reference.Shape(false, 2, (2, "Tanh"));
        Assert.Throws<ArgumentException>(() => OnnxModel.Export(new MemoryStream(), shape, new double[5], "Net"));
        Assert.Throws<ArgumentException>(() => OnnxModel.Export(new MemoryStream(), shape, new float[6], "Net"));
    }
}
