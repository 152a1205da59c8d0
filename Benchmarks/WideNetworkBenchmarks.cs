using BenchmarkDotNet.Attributes;

namespace BackpropGen.Benchmarks;

/// <summary>64-32-10 (32 sigmoid, 10 softmax, cross-entropy) in <see langword="double"/>: generated against the conventional and TensorPrimitives references.</summary>
public class Net64x32x10DoubleBenchmarks : NetworkBenchmarks<double>
{
    private readonly Net64x32x10Double _generated;

    public Net64x32x10DoubleBenchmarks()
        : this(new Net64x32x10Double())
    {
    }

    private Net64x32x10DoubleBenchmarks(Net64x32x10Double generated)
        : base(generated) => _generated = generated;

    [Benchmark(Baseline = true), BenchmarkCategory(TrainStepCategory)]
    public double TrainStepGenerated() => _generated.TrainStep(Data.Input, Data.Target, LearningRate);

    [Benchmark(Baseline = true), BenchmarkCategory(BatchGradientCategory)]
    public double BatchGradientGenerated() => _generated.BatchGradient(Data.Inputs, Data.Targets, Gradient);
}

/// <summary>64-32-10 (32 sigmoid, 10 softmax, cross-entropy) in <see langword="float"/>: generated against the conventional and TensorPrimitives references.</summary>
public class Net64x32x10SingleBenchmarks : NetworkBenchmarks<float>
{
    private readonly Net64x32x10Single _generated;

    public Net64x32x10SingleBenchmarks()
        : this(new Net64x32x10Single())
    {
    }

    private Net64x32x10SingleBenchmarks(Net64x32x10Single generated)
        : base(generated) => _generated = generated;

    [Benchmark(Baseline = true), BenchmarkCategory(TrainStepCategory)]
    public float TrainStepGenerated() => _generated.TrainStep(Data.Input, Data.Target, LearningRate);

    [Benchmark(Baseline = true), BenchmarkCategory(BatchGradientCategory)]
    public float BatchGradientGenerated() => _generated.BatchGradient(Data.Inputs, Data.Targets, Gradient);
}

/// <summary>784-128-10 (128 sigmoid, 10 softmax, cross-entropy) in <see langword="double"/>: generated against the conventional and TensorPrimitives references.</summary>
public class Net784x128x10DoubleBenchmarks : NetworkBenchmarks<double>
{
    private readonly Net784x128x10Double _generated;

    public Net784x128x10DoubleBenchmarks()
        : this(new Net784x128x10Double())
    {
    }

    private Net784x128x10DoubleBenchmarks(Net784x128x10Double generated)
        : base(generated) => _generated = generated;

    [Benchmark(Baseline = true), BenchmarkCategory(TrainStepCategory)]
    public double TrainStepGenerated() => _generated.TrainStep(Data.Input, Data.Target, LearningRate);

    [Benchmark(Baseline = true), BenchmarkCategory(BatchGradientCategory)]
    public double BatchGradientGenerated() => _generated.BatchGradient(Data.Inputs, Data.Targets, Gradient);
}

/// <summary>784-128-10 (128 sigmoid, 10 softmax, cross-entropy) in <see langword="float"/>: generated against the conventional and TensorPrimitives references.</summary>
public class Net784x128x10SingleBenchmarks : NetworkBenchmarks<float>
{
    private readonly Net784x128x10Single _generated;

    public Net784x128x10SingleBenchmarks()
        : this(new Net784x128x10Single())
    {
    }

    private Net784x128x10SingleBenchmarks(Net784x128x10Single generated)
        : base(generated) => _generated = generated;

    [Benchmark(Baseline = true), BenchmarkCategory(TrainStepCategory)]
    public float TrainStepGenerated() => _generated.TrainStep(Data.Input, Data.Target, LearningRate);

    [Benchmark(Baseline = true), BenchmarkCategory(BatchGradientCategory)]
    public float BatchGradientGenerated() => _generated.BatchGradient(Data.Inputs, Data.Targets, Gradient);
}
