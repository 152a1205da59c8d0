using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.Intrinsics;
using BackpropGen.Runtime;
using Xunit;

namespace BackpropGen.Tests.Runtime;

/// <summary>
/// The runtime's lanes logarithm against <see cref="Math.Log(double)"/> and <see cref="MathF.Log(float)"/>: within 2 ulp from
/// the smallest subnormal to the largest number, near 1 where the logarithm is small, and the edges (0, negatives, NaN, ∞).
/// The exponential's test is in <c>LanesTests</c>, beside the generated one it must equal.
/// </summary>
public class LaneMathTests
{
    public static TheoryData<int, string> Widths() => new() { { 512, "double" }, { 256, "double" }, { 512, "float" }, { 256, "float" } };

    [Theory]
    [MemberData(nameof(Widths))]
    public void The_lanes_logarithm_is_within_2_ulp_of_the_scalar_one(int bits, string precision)
    {
        var single = precision == "float";
        var random = new Random(5);
        var values = new List<double>();
        for (var k = 0; k < 200000; k++)
        {
            // from the smallest subnormal up: 10^-323 … 10^308 in double, 10^-45 … 10^38 in float
            values.Add(single ? Math.Pow(10, -45 + 83.5 * random.NextDouble()) : Math.Pow(10, -323 + 631 * random.NextDouble()));
        }

        for (var k = -2000; k <= 2000; k++)
        {
            values.Add(1 + k * (single ? 1e-6 : 1e-12)); // near 1, where log x ≈ x − 1
            values.Add(Math.Sqrt(0.5) * (1 + k * 1e-6)); // around the boundary of the reduced argument
            values.Add(Math.Sqrt(2) * (1 + k * 1e-6));
        }

        values.AddRange(new[] { 1.0, 2.0, 0.5, Math.E, single ? float.Epsilon : double.Epsilon, single ? float.MaxValue : double.MaxValue, single ? 1.17549435e-38 : 2.2250738585072014e-308 });
        var inputs = values.Select(v => single ? (float)v : v).ToArray();
        var results = Evaluate(bits, single, inputs);
        var worst = 0.0;
        for (var k = 0; k < inputs.Length; k++)
        {
            var x = inputs[k];
            var expected = single ? MathF.Log((float)x) : Math.Log(x);
            var actual = results[k];
            if (expected == 0)
            {
                Assert.True(actual == 0, $"log {x:R} = {actual:R}, expected 0");
                continue;
            }

            var relative = Math.Abs(actual - expected) / Math.Abs(expected);
            worst = Math.Max(worst, relative);
            Assert.True(relative <= (single ? Math.Pow(2, -22) : Math.Pow(2, -51)), $"log {x:R} = {actual:R}, expected {expected:R}: relative error {relative:E2}");
        }

        Assert.True(worst > 0, "the polynomial rounds somewhere, or the test compared the scalar logarithm with itself");
        var edges = Evaluate(bits, single, new[] { 0.0, -0.0, -1.0, double.NegativeInfinity, double.NaN, double.PositiveInfinity });
        Assert.Equal(double.NegativeInfinity, edges[0]);
        Assert.Equal(double.NegativeInfinity, edges[1]);
        Assert.True(double.IsNaN(edges[2]) && double.IsNaN(edges[3]) && double.IsNaN(edges[4]), "log of a negative number, of −∞ and of NaN is NaN");
        Assert.Equal(double.PositiveInfinity, edges[5]);
    }

    /// <summary><see cref="LaneMath.Log(Vector512{double})"/> or an overload of <paramref name="bits"/> bits on <paramref name="values"/>, a vector at a time.</summary>
    private static double[] Evaluate(int bits, bool single, double[] values)
    {
        var width = bits / (single ? 32 : 64);
        var results = new List<double>();
        for (var start = 0; start < values.Length; start += width)
        {
            var lanes = Enumerable.Range(start, width).Select(k => k < values.Length ? values[k] : 1.0).ToArray();
            var floats = lanes.Select(v => (float)v).ToArray();
            double[] output = (bits, single) switch
            {
                (512, true) => Lanes(LaneMath.Log(Vector512.Create(floats)), width),
                (512, false) => Lanes(LaneMath.Log(Vector512.Create(lanes)), width),
                (_, true) => Lanes(LaneMath.Log(Vector256.Create(floats)), width),
                _ => Lanes(LaneMath.Log(Vector256.Create(lanes)), width),
            };
            results.AddRange(output.Take(Math.Min(width, values.Length - start)));
        }

        return results.ToArray();
    }

    private static double[] Lanes<T>(Vector512<T> v, int width) => Enumerable.Range(0, width).Select(k => Convert.ToDouble(v[k])).ToArray();

    private static double[] Lanes<T>(Vector256<T> v, int width) => Enumerable.Range(0, width).Select(k => Convert.ToDouble(v[k])).ToArray();
}
