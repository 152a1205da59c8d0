using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using BackpropGen.Runtime;

namespace BackpropGen.Tests.Runtime;

/// <summary>Network shapes, the custom activation language and the CRC-32.</summary>
public class ShapeAndChecksumTests
{
    /// <summary>CRC-32 bit by bit from its definition (reflected 0x04C11DB7), without a table.</summary>
    public static uint BitwiseCrc32(IEnumerable<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc >> 1) ^ ((crc & 1) * 0xEDB88320u);
            }
        }

        return ~crc;
    }

    [Fact]
    public void The_generator_writes_by_name_exactly_the_activations_the_runtime_knows_and_every_other_as_an_expression()
    {
        var runtime = (string[])typeof(LayerShape).GetField("BuiltInActivations", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.GetValue(null)!;
        Assert.Equal(runtime, global::BackpropGen.Generator.Emit.NetworkEmitter.RuntimeActivationNames);

        // Every activation a declaration can name reaches the runtime in a form it accepts.
        foreach (var (name, spec) in global::BackpropGen.Generator.Parsing.NetworkParser.Activations)
        {
            var written = global::BackpropGen.Generator.Emit.NetworkEmitter.RuntimeActivation(spec);
            Assert.True(written == name || written.StartsWith("expr:", StringComparison.Ordinal), $"{name} is written as {written}");
            var shape = new LayerShape(3, written);
            Assert.Equal(3, shape.Units);
        }
    }

    [Fact]
    public void Crc32_matches_the_published_check_values()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute(Encoding.ASCII.GetBytes("123456789")));
        Assert.Equal(0u, Crc32.Compute(Array.Empty<byte>()));
        Assert.Equal(0x414FA339u, Crc32.Compute(Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog")));
        Assert.Equal(0xE8B7BE43u, Crc32.Compute(Encoding.ASCII.GetBytes("a")));
    }

    [Fact]
    public void Crc32_agrees_with_the_bitwise_definition_on_random_data_and_ranges()
    {
        var data = Reference.RandomDoubles(300, 11).Select(v => (byte)(v * 127 + 128)).ToArray();
        Assert.Equal(BitwiseCrc32(data), Crc32.Compute(data));
        Assert.Equal(BitwiseCrc32(data.Skip(17).Take(100)), Crc32.Compute(data, 17, 100));
        Assert.Throws<ArgumentOutOfRangeException>(() => Crc32.Compute(data, 250, 51));
    }

    [Fact]
    public void The_shape_counts_parameters_and_spells_itself()
    {
        var shape = Reference.Shape(false, 2, (3, "Sigmoid"), (2, "Sigmoid"));
        Assert.Equal(17, shape.ParameterCount);
        Assert.Equal("2 inputs → 3 Sigmoid → 2 Sigmoid, double", shape.ToString());
        Assert.Equal("1 input → 1 expr:(neg x), float", Reference.Shape(true, 1, (1, "expr:(neg x)")).ToString());
        Assert.Equal(2, shape.Outputs);
        Assert.Equal(9, shape.LayerOffset(1));
        Assert.Equal(3, shape.LayerInputs(1));
        Assert.Equal(17, shape.LayerOffset(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => shape.LayerInputs(2));
        Assert.Equal("3 Sigmoid", shape.Layers[0].ToString());
    }

    [Fact]
    public void The_layers_are_copied()
    {
        var layers = new[] { new LayerShape(3, "Tanh") };
        var shape = new NetworkShape(2, layers, single: false);
        layers[0] = new LayerShape(5, "Tanh");
        Assert.Equal(3, shape.Layers[0].Units);
    }

    [Fact]
    public void Invalid_shapes_are_argument_errors()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LayerShape(0, "Tanh"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NetworkShape(0, new[] { new LayerShape(1, "Tanh") }, false));
        Assert.Throws<ArgumentException>(() => new NetworkShape(2, Array.Empty<LayerShape>(), false));
        Assert.Contains("Softmax", Assert.Throws<ArgumentException>(() => Reference.Shape(false, 2, (3, "Softmax"), (2, "Tanh"))).Message);
        Assert.Contains("parameters", Assert.Throws<ArgumentException>(() => Reference.Shape(false, 50000, (50000, "Tanh"))).Message);
        Assert.Contains("'relu'", Assert.Throws<ArgumentException>(() => new LayerShape(1, "relu")).Message);
    }

    [Theory]
    [InlineData("(div x (add 1 (abs x)))", "(div x (add 1 (abs x)))")]
    [InlineData("  (add\tx 1.50  -2 1E-05 )", "(add x 1.5 -2 1E-05)")]
    [InlineData("x", "x")]
    [InlineData("-3.25e2", "-325")]
    [InlineData("(step (sign (max (min x 0) (pow x 2))))", "(step (sign (max (min x 0) (pow x 2))))")]
    public void Expressions_are_kept_in_canonical_spelling(string text, string canonical)
    {
        Assert.Equal("expr:" + canonical, new LayerShape(1, "expr:" + text).Activation);
    }

    [Theory]
    [InlineData("(frobnicate x)", "'frobnicate'")]
    [InlineData("(add x y)", "'y'")]
    [InlineData("(add x 1", "')'")]
    [InlineData("(add x 1))", "')'")]
    [InlineData("(sub x)", "'sub'")]
    [InlineData("(neg x x)", "'neg'")]
    [InlineData("(add x)", "'add'")]
    [InlineData("", "empty")]
    [InlineData("x x", "'x'")]
    [InlineData("(exp NaN)", "'NaN'")]
    [InlineData("(exp 1e999)", "'1e999'")]
    [InlineData("()", "')'")]
    [InlineData("(X)", "'X'")]
    [InlineData("(add 1,5 x)", "'1,5'")]
    public void Malformed_expressions_name_the_offending_token(string text, string named)
    {
        var error = Assert.Throws<ArgumentException>(() => new LayerShape(1, "expr:" + text));
        Assert.Contains(named, error.Message);
    }
}
