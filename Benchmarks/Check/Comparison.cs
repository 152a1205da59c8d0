using System;
using System.Collections.Generic;
using System.Numerics;

namespace BackpropGen.Benchmarks.Check;

/// <summary>A benchmark class whose implementations <c>--check</c> compares with each other before they are timed.</summary>
public interface ICheckedBenchmark
{
    /// <summary>Runs each implementation once on the benchmark's data and compares it with the baseline.</summary>
    IReadOnlyList<Comparison> Compare();
}

/// <summary>
/// One implementation against the baseline on one operation: the relative error of the loss, and of the result vector
/// (a mean gradient, or the change a training step made to the parameters) measured against the baseline's largest
/// entry, max_k |r_k − b_k| / max_k |b_k|.
/// </summary>
public sealed record Comparison(string Benchmark, string Operation, string Implementation, double LossError, double VectorError, double Tolerance)
{
    /// <summary>The tolerance of the issue: 1e-9 relative for <see langword="double"/>, 1e-4 for <see langword="float"/>.</summary>
    public static double ToleranceOf<T>() => typeof(T) == typeof(float) ? 1e-4 : 1e-9;

    public bool Passed => LossError <= Tolerance && VectorError <= Tolerance;

    /// <summary>Compares a loss and a vector with the baseline's.</summary>
    public static Comparison Of<T>(string benchmark, string operation, string implementation, T expectedLoss, ReadOnlySpan<T> expected, T actualLoss, ReadOnlySpan<T> actual)
        where T : IFloatingPointIeee754<T>
    {
        var lossError = double.CreateTruncating(T.Abs(actualLoss - expectedLoss) / T.Abs(expectedLoss));
        return new Comparison(benchmark, operation, implementation, lossError, RelativeError(expected, actual), ToleranceOf<T>());
    }

    /// <summary>max_k |actual_k − expected_k| / max_k |expected_k|; infinite when the lengths differ or a value is not finite.</summary>
    public static double RelativeError<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual)
        where T : IFloatingPointIeee754<T>
    {
        if (expected.Length != actual.Length)
        {
            return double.PositiveInfinity;
        }

        var scale = 0.0;
        var error = 0.0;
        for (var k = 0; k < expected.Length; k++)
        {
            var e = double.CreateTruncating(expected[k]);
            var a = double.CreateTruncating(actual[k]);
            scale = Math.Max(scale, Math.Abs(e));
            error = Math.Max(error, double.IsFinite(a) ? Math.Abs(a - e) : double.PositiveInfinity);
        }

        return error / scale;
    }

    public override string ToString() =>
        $"{(Passed ? "ok  " : "FAIL")} {Benchmark,-30} {Operation,-14} {Implementation,-18} loss {LossError,8:0.0e+00}  {(Operation == "TrainStep" ? "step" : "gradient"),-8} {VectorError,8:0.0e+00}  (tolerance {Tolerance:0e+00})";
}
