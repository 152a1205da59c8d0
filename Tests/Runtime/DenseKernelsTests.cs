using System;
using System.Linq;
using System.Numerics;
using BackpropGen.Runtime;

namespace BackpropGen.Tests.Runtime;

/// <summary>
/// The runtime's matrix products against sums written out one term at a time, over shapes that take every path of the
/// kernels: whole tiles, strips of 4 rows and of one, vectors of the widest and of half the width, single units.
/// </summary>
public class DenseKernelsTests
{
    /// <summary>Rows: under, at and past a tile of 4, and a block of 32.</summary>
    private static readonly int[] Rows = { 1, 3, 4, 5, 9, 32, 33 };

    /// <summary>Units: under and past every vector width in both precisions and the 4-vector tiles of 512 bits.</summary>
    private static readonly int[] Units = { 1, 2, 7, 8, 10, 16, 17, 31, 33, 45, 64, 65, 70, 130 };

    private static readonly int[] Inputs = { 1, 3, 4, 5, 37 };

    public static TheoryData<string> Precisions() => new() { "double", "float" };

    [Theory]
    [MemberData(nameof(Precisions))]
    public void The_forward_product_adds_the_sum_over_the_inputs_to_every_row_and_unit(string precision)
    {
        if (precision == "double")
        {
            Forward<double>(1e-13);
        }
        else
        {
            Forward<float>(2e-5);
        }
    }

    [Theory]
    [MemberData(nameof(Precisions))]
    public void The_weight_gradient_adds_the_scaled_sum_over_the_rows_to_every_input_and_unit(string precision)
    {
        if (precision == "double")
        {
            Gradient<double>(1e-13);
        }
        else
        {
            Gradient<float>(2e-5);
        }
    }

    [Fact]
    public void Spans_shorter_than_the_product_needs_throw_and_name_the_span()
    {
        var exception = Assert.Throws<ArgumentException>(() => DenseKernels.MultiplyAdd<double>(new double[5], 2, 3, new double[12], 4, new double[8]));
        Assert.Equal("x", exception.ParamName);
        exception = Assert.Throws<ArgumentException>(() => DenseKernels.MultiplyAdd<double>(new double[6], 2, 3, new double[11], 4, new double[8]));
        Assert.Equal("w", exception.ParamName);
        exception = Assert.Throws<ArgumentException>(() => DenseKernels.AddOuterProducts<float>(new float[6], 2, 3, new float[8], 4, 1f, new float[11]));
        Assert.Equal("g", exception.ParamName);
        Assert.Contains("needs 12", exception.Message, StringComparison.Ordinal);
    }

    private static void Forward<T>(double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(11);
        foreach (var n in Rows)
        {
            foreach (var k in Inputs)
            {
                foreach (var m in Units)
                {
                    var x = Values<T>(random, n * k);
                    var w = Values<T>(random, k * m);
                    var a = Values<T>(random, n * m + 3);
                    var expected = a.Select(double.CreateTruncating).ToArray();
                    for (var e = 0; e < n; e++)
                    {
                        for (var j = 0; j < m; j++)
                        {
                            for (var i = 0; i < k; i++)
                            {
                                expected[e * m + j] += double.CreateTruncating(x[e * k + i]) * double.CreateTruncating(w[i * m + j]);
                            }
                        }
                    }

                    DenseKernels.MultiplyAdd<T>(x, n, k, w, m, a);
                    Agree(expected, a, tolerance * (k + 1), $"{typeof(T).Name} a[{n} × {m}] += x[{n} × {k}] · w");
                }
            }
        }
    }

    private static void Gradient<T>(double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(12);
        foreach (var n in Rows)
        {
            foreach (var k in Inputs)
            {
                foreach (var m in Units)
                {
                    var x = Values<T>(random, n * k);
                    var d = Values<T>(random, n * m);
                    var g = Values<T>(random, k * m + 3);
                    var scale = T.CreateTruncating(-0.37);
                    var expected = g.Select(double.CreateTruncating).ToArray();
                    for (var i = 0; i < k; i++)
                    {
                        for (var j = 0; j < m; j++)
                        {
                            var sum = 0.0;
                            for (var e = 0; e < n; e++)
                            {
                                sum += double.CreateTruncating(x[e * k + i]) * double.CreateTruncating(d[e * m + j]);
                            }

                            expected[i * m + j] += -0.37 * sum;
                        }
                    }

                    DenseKernels.AddOuterProducts<T>(x, n, k, d, m, scale, g);
                    Agree(expected, g, tolerance * (n + 1), $"{typeof(T).Name} g[{k} × {m}] += s · xᵀ[{k} × {n}] · d");
                }
            }
        }
    }

    private static T[] Values<T>(Random random, int count)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Enumerable.Range(0, count).Select(_ => T.CreateTruncating(random.NextDouble() * 2 - 1)).ToArray();

    /// <summary>Every element within the tolerance, and the 3 elements past the product untouched.</summary>
    private static void Agree<T>(double[] expected, T[] actual, double tolerance, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var q = 0; q < expected.Length; q++)
        {
            var value = double.CreateTruncating(actual[q]);
            var bound = q >= expected.Length - 3 ? 0 : tolerance * Math.Max(1, Math.Abs(expected[q]));
            Assert.True(Math.Abs(value - expected[q]) <= bound, $"{what}: element {q} is {value:R}, expected {expected[q]:R}");
        }
    }
}
