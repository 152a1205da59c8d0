using System;
using System.Collections.Generic;
using System.Linq;
using BackpropGen.Runtime;

namespace BackpropGen.Tests.Runtime;

/// <summary>
/// A plain forward pass written from the parameter layout's definition, independent of the runtime library, and the
/// random networks and inputs the runtime tests use.
/// </summary>
internal static class Reference
{
    /// <summary>The element-wise built-in activations as their textbook formulas.</summary>
    public static readonly Dictionary<string, Func<double, double>> BuiltIn = new()
    {
        ["Identity"] = x => x,
        ["Sigmoid"] = x => 1 / (1 + Math.Exp(-x)),
        ["Tanh"] = Math.Tanh,
        ["ReLU"] = x => x > 0 ? x : 0,
        ["LeakyReLU"] = x => x > 0 ? x : 0.01 * x,
        ["Softplus"] = x => Math.Log(1 + Math.Exp(x)),
    };

    /// <summary>
    /// The outputs of <paramref name="rows"/> examples: each layer computes a_j = Σ_i x_i W[i·out + j] + b_j and applies its
    /// activation; <paramref name="custom"/> gives the functions of custom activations by their text.
    /// </summary>
    public static double[] Forward(NetworkShape shape, double[] parameters, double[] inputs, int rows, IReadOnlyDictionary<string, Func<double, double>>? custom = null)
    {
        var outputs = new List<double>();
        for (var r = 0; r < rows; r++)
        {
            var x = inputs.Skip(r * shape.Inputs).Take(shape.Inputs).ToArray();
            var offset = 0;
            foreach (var layer in shape.Layers)
            {
                var n = x.Length;
                var m = layer.Units;
                var a = new double[m];
                for (var j = 0; j < m; j++)
                {
                    var sum = parameters[offset + (n * m) + j];
                    for (var i = 0; i < n; i++)
                    {
                        sum += x[i] * parameters[offset + (i * m) + j];
                    }

                    a[j] = sum;
                }

                offset += (n + 1) * m;
                if (layer.Activation == "Softmax")
                {
                    var max = a.Max();
                    var e = a.Select(v => Math.Exp(v - max)).ToArray();
                    var total = e.Sum();
                    x = e.Select(v => v / total).ToArray();
                }
                else
                {
                    var f = BuiltIn.TryGetValue(layer.Activation, out var g) ? g : custom![layer.Activation];
                    x = a.Select(f).ToArray();
                }
            }

            outputs.AddRange(x);
        }

        return outputs.ToArray();
    }

    public static double[] RandomDoubles(int count, int seed, double scale = 1)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => scale * ((2 * random.NextDouble()) - 1)).ToArray();
    }

    public static float[] RandomFloats(int count, int seed, double scale = 1) => RandomDoubles(count, seed, scale).Select(v => (float)v).ToArray();

    public static NetworkShape Shape(bool single, int inputs, params (int Units, string Activation)[] layers) =>
        new(inputs, layers.Select(l => new LayerShape(l.Units, l.Activation)).ToArray(), single);

    /// <summary>Asserts |actual − expected| ≤ tolerance · max(1, |expected|) element by element.</summary>
    public static void AssertClose(double[] expected, double[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var error = Math.Abs(actual[i] - expected[i]);
            Assert.True(
                error <= tolerance * Math.Max(1, Math.Abs(expected[i])),
                $"{what}: element {i} is {actual[i]:R}, the reference {expected[i]:R} (error {error:E2}, tolerance {tolerance:E0}).");
        }
    }
}
