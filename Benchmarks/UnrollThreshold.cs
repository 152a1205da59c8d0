using System.Collections.Generic;
using BackpropGen.Benchmarks.Check;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace BackpropGen.Benchmarks;

/// <summary>
/// Where unrolling stops paying: <c>TrainStep</c> and <c>BatchGradient</c> (32 examples) of the same networks generated
/// twice, with every layer unrolled (<c>MaxUnrolledWeights = 4096</c>, the baseline) and with every layer a loop
/// (<c>MaxUnrolledWeights = 0</c>), from the same parameters.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class UnrollThreshold : ICheckedBenchmark
{
    private const double LearningRate = 1e-3;

    private readonly Unrolled8x16x4 _unrolled8x16x4 = new();
    private readonly Looped8x16x4 _looped8x16x4 = new();
    private readonly TrainingData<double> _data8x16x4 = new(NetworkShape.Of(typeof(Unrolled8x16x4)));
    private readonly double[] _gradient8x16x4 = new double[Unrolled8x16x4.ParameterCount];

    private readonly Unrolled16x16x16 _unrolled16x16x16 = new();
    private readonly Looped16x16x16 _looped16x16x16 = new();
    private readonly TrainingData<double> _data16x16x16 = new(NetworkShape.Of(typeof(Unrolled16x16x16)));
    private readonly double[] _gradient16x16x16 = new double[Unrolled16x16x16.ParameterCount];

    private readonly Unrolled32x32x10 _unrolled32x32x10 = new();
    private readonly Looped32x32x10 _looped32x32x10 = new();
    private readonly TrainingData<double> _data32x32x10 = new(NetworkShape.Of(typeof(Unrolled32x32x10)));
    private readonly double[] _gradient32x32x10 = new double[Unrolled32x32x10.ParameterCount];

    public UnrollThreshold()
    {
        _unrolled8x16x4.Parameters.CopyTo(_looped8x16x4.Parameters);
        _unrolled16x16x16.Parameters.CopyTo(_looped16x16x16.Parameters);
        _unrolled32x32x10.Parameters.CopyTo(_looped32x32x10.Parameters);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("TrainStep 8-16-4")]
    public double TrainStep8x16x4Unrolled() => _unrolled8x16x4.TrainStep(_data8x16x4.Input, _data8x16x4.Target, LearningRate);

    [Benchmark, BenchmarkCategory("TrainStep 8-16-4")]
    public double TrainStep8x16x4Looped() => _looped8x16x4.TrainStep(_data8x16x4.Input, _data8x16x4.Target, LearningRate);

    [Benchmark(Baseline = true), BenchmarkCategory("BatchGradient 8-16-4")]
    public double BatchGradient8x16x4Unrolled() => _unrolled8x16x4.BatchGradient(_data8x16x4.Inputs, _data8x16x4.Targets, _gradient8x16x4);

    [Benchmark, BenchmarkCategory("BatchGradient 8-16-4")]
    public double BatchGradient8x16x4Looped() => _looped8x16x4.BatchGradient(_data8x16x4.Inputs, _data8x16x4.Targets, _gradient8x16x4);

    [Benchmark(Baseline = true), BenchmarkCategory("TrainStep 16-16-16")]
    public double TrainStep16x16x16Unrolled() => _unrolled16x16x16.TrainStep(_data16x16x16.Input, _data16x16x16.Target, LearningRate);

    [Benchmark, BenchmarkCategory("TrainStep 16-16-16")]
    public double TrainStep16x16x16Looped() => _looped16x16x16.TrainStep(_data16x16x16.Input, _data16x16x16.Target, LearningRate);

    [Benchmark(Baseline = true), BenchmarkCategory("BatchGradient 16-16-16")]
    public double BatchGradient16x16x16Unrolled() => _unrolled16x16x16.BatchGradient(_data16x16x16.Inputs, _data16x16x16.Targets, _gradient16x16x16);

    [Benchmark, BenchmarkCategory("BatchGradient 16-16-16")]
    public double BatchGradient16x16x16Looped() => _looped16x16x16.BatchGradient(_data16x16x16.Inputs, _data16x16x16.Targets, _gradient16x16x16);

    [Benchmark(Baseline = true), BenchmarkCategory("TrainStep 32-32-10")]
    public double TrainStep32x32x10Unrolled() => _unrolled32x32x10.TrainStep(_data32x32x10.Input, _data32x32x10.Target, LearningRate);

    [Benchmark, BenchmarkCategory("TrainStep 32-32-10")]
    public double TrainStep32x32x10Looped() => _looped32x32x10.TrainStep(_data32x32x10.Input, _data32x32x10.Target, LearningRate);

    [Benchmark(Baseline = true), BenchmarkCategory("BatchGradient 32-32-10")]
    public double BatchGradient32x32x10Unrolled() => _unrolled32x32x10.BatchGradient(_data32x32x10.Inputs, _data32x32x10.Targets, _gradient32x32x10);

    [Benchmark, BenchmarkCategory("BatchGradient 32-32-10")]
    public double BatchGradient32x32x10Looped() => _looped32x32x10.BatchGradient(_data32x32x10.Inputs, _data32x32x10.Targets, _gradient32x32x10);

    /// <summary>Each looped network against its unrolled twin: the batch's mean loss and gradient, and one step's change.</summary>
    public IReadOnlyList<Comparison> Compare() =>
    [
        .. Compare("8-16-4", _unrolled8x16x4, _looped8x16x4, _data8x16x4),
        .. Compare("16-16-16", _unrolled16x16x16, _looped16x16x16, _data16x16x16),
        .. Compare("32-32-10", _unrolled32x32x10, _looped32x32x10, _data32x32x10),
    ];

    private static Comparison[] Compare(string network, IGeneratedNetwork<double> unrolled, IGeneratedNetwork<double> looped, TrainingData<double> data)
    {
        var benchmark = $"{nameof(UnrollThreshold)} {network}";
        var expected = new double[unrolled.Parameters.Length];
        var actual = new double[looped.Parameters.Length];
        var batch = Comparison.Of(
            benchmark, "BatchGradient", "Looped",
            unrolled.BatchGradient(data.Inputs, data.Targets, expected), expected,
            looped.BatchGradient(data.Inputs, data.Targets, actual), actual);

        const double rate = 0.5;
        var before = unrolled.Parameters.ToArray();
        var expectedLoss = unrolled.TrainStep(data.Input, data.Target, rate);
        var actualLoss = looped.TrainStep(data.Input, data.Target, rate);
        for (var k = 0; k < before.Length; k++)
        {
            expected[k] = unrolled.Parameters[k] - before[k];
            actual[k] = looped.Parameters[k] - before[k];
        }

        return [batch, Comparison.Of(benchmark, "TrainStep", "Looped", expectedLoss, expected, actualLoss, actual)];
    }
}
