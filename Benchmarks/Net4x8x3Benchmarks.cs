using System.Collections.Generic;
using BenchmarkDotNet.Attributes;

namespace BackpropGen.Benchmarks;

/// <summary>
/// 4-8-3 (8 sigmoid, 3 softmax, cross-entropy) in <see langword="double"/>: generated against the conventional and
/// TensorPrimitives references, and its <c>BatchGradient</c> (32 and 256 examples) against the lanes limit kernel.
/// </summary>
public class Net4x8x3DoubleBenchmarks : NetworkBenchmarks<double>
{
    private readonly Net4x8x3Double _generated;
    private readonly Net4x8x3LanesKernel<double> _lanesLimit = new();

    public Net4x8x3DoubleBenchmarks()
        : this(new Net4x8x3Double())
    {
    }

    private Net4x8x3DoubleBenchmarks(Net4x8x3Double generated)
        : base(generated)
    {
        _generated = generated;
        _lanesLimit.SetParameters(generated.Parameters);
    }

    [Benchmark(Baseline = true), BenchmarkCategory(TrainStepCategory)]
    public double TrainStepGenerated() => _generated.TrainStep(Data.Input, Data.Target, LearningRate);

    [Benchmark(Baseline = true), BenchmarkCategory(BatchGradientCategory)]
    public double BatchGradientGenerated() => _generated.BatchGradient(Data.Inputs, Data.Targets, Gradient);

    [Benchmark, BenchmarkCategory(BatchGradientCategory)]
    public double BatchGradientLanesLimit() => _lanesLimit.BatchGradient(Data.Inputs, Data.Targets, Gradient);

    [Benchmark(Baseline = true), BenchmarkCategory(LargeBatchGradientCategory)]
    public double BatchGradient256Generated() => _generated.BatchGradient(LargeBatch.Inputs, LargeBatch.Targets, Gradient);

    [Benchmark, BenchmarkCategory(LargeBatchGradientCategory)]
    public double BatchGradient256LanesLimit() => _lanesLimit.BatchGradient(LargeBatch.Inputs, LargeBatch.Targets, Gradient);

    protected override IEnumerable<(string Implementation, BatchGradientProbe BatchGradient)> ReferenceBatchGradients()
    {
        yield return ("LanesLimit", _lanesLimit.BatchGradient);
    }
}

/// <summary>
/// 4-8-3 (8 sigmoid, 3 softmax, cross-entropy) in <see langword="float"/>: generated against the conventional and
/// TensorPrimitives references, and its <c>BatchGradient</c> (32 and 256 examples) against the lanes limit kernel.
/// </summary>
public class Net4x8x3SingleBenchmarks : NetworkBenchmarks<float>
{
    private readonly Net4x8x3Single _generated;
    private readonly Net4x8x3LanesKernel<float> _lanesLimit = new();

    public Net4x8x3SingleBenchmarks()
        : this(new Net4x8x3Single())
    {
    }

    private Net4x8x3SingleBenchmarks(Net4x8x3Single generated)
        : base(generated)
    {
        _generated = generated;
        _lanesLimit.SetParameters(generated.Parameters);
    }

    [Benchmark(Baseline = true), BenchmarkCategory(TrainStepCategory)]
    public float TrainStepGenerated() => _generated.TrainStep(Data.Input, Data.Target, LearningRate);

    [Benchmark(Baseline = true), BenchmarkCategory(BatchGradientCategory)]
    public float BatchGradientGenerated() => _generated.BatchGradient(Data.Inputs, Data.Targets, Gradient);

    [Benchmark, BenchmarkCategory(BatchGradientCategory)]
    public float BatchGradientLanesLimit() => _lanesLimit.BatchGradient(Data.Inputs, Data.Targets, Gradient);

    [Benchmark(Baseline = true), BenchmarkCategory(LargeBatchGradientCategory)]
    public float BatchGradient256Generated() => _generated.BatchGradient(LargeBatch.Inputs, LargeBatch.Targets, Gradient);

    [Benchmark, BenchmarkCategory(LargeBatchGradientCategory)]
    public float BatchGradient256LanesLimit() => _lanesLimit.BatchGradient(LargeBatch.Inputs, LargeBatch.Targets, Gradient);

    protected override IEnumerable<(string Implementation, BatchGradientProbe BatchGradient)> ReferenceBatchGradients()
    {
        yield return ("LanesLimit", _lanesLimit.BatchGradient);
    }
}
