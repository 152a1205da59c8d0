using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;

namespace BackpropGen.Benchmarks;

/// <summary>
/// The notes network (2-3-2 sigmoid, ½ Σ (y − t)²) in <see langword="double"/>: generated against the conventional
/// and TensorPrimitives references, its <c>TrainStep</c> also against the scalar and the vector limit kernels, and its
/// <c>BatchGradient</c> (32 and 256 examples) against the lanes limit kernel.
/// </summary>
public class NotesNetBenchmarks : NetworkBenchmarks<double>
{
    private readonly NotesNet _generated;
    private readonly LimitKernel _limit = new();
    private readonly VectorLimitKernel _vectorLimit = new();
    private readonly NotesLanesKernel<double> _lanesLimit = new();

    public NotesNetBenchmarks()
        : this(new NotesNet())
    {
    }

    private NotesNetBenchmarks(NotesNet generated)
        : base(generated)
    {
        _generated = generated;
        _limit.SetParameters(generated.Parameters);
        _vectorLimit.SetParameters(generated.Parameters);
        _lanesLimit.SetParameters(generated.Parameters);
    }

    [Benchmark(Baseline = true), BenchmarkCategory(TrainStepCategory)]
    public double TrainStepGenerated() => _generated.TrainStep(Data.Input, Data.Target, LearningRate);

    [Benchmark, BenchmarkCategory(TrainStepCategory)]
    public double TrainStepLimit() => _limit.TrainStep(Data.Input[0], Data.Input[1], Data.Target[0], Data.Target[1], LearningRate);

    [Benchmark, BenchmarkCategory(TrainStepCategory)]
    public double TrainStepVectorLimit() => _vectorLimit.TrainStep(Data.Input[0], Data.Input[1], Data.Target[0], Data.Target[1], LearningRate);

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

    protected override IEnumerable<(string Implementation, TrainStepProbe TrainStep)> ReferenceTrainSteps()
    {
        foreach (var reference in base.ReferenceTrainSteps())
        {
            yield return reference;
        }

        yield return ("Limit", (rate, after) => Probe(_limit, rate, after));
        yield return ("VectorLimit", (rate, after) => Probe(_vectorLimit, rate, after));
    }

    private double Probe(NotesKernel kernel, double rate, Span<double> after)
    {
        var loss = kernel.TrainStep(Data.Input[0], Data.Input[1], Data.Target[0], Data.Target[1], rate);
        kernel.CopyParametersTo(after);
        return loss;
    }
}

/// <summary>The notes network in <see langword="float"/>: generated against the conventional and TensorPrimitives references and the lanes limit kernel.</summary>
public class NotesNetSingleBenchmarks : NetworkBenchmarks<float>
{
    private readonly NotesNetSingle _generated;
    private readonly NotesLanesKernel<float> _lanesLimit = new();

    public NotesNetSingleBenchmarks()
        : this(new NotesNetSingle())
    {
    }

    private NotesNetSingleBenchmarks(NotesNetSingle generated)
        : base(generated)
    {
        _generated = generated;
        _lanesLimit.SetParameters(generated.Parameters);
    }

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

    [Benchmark(Baseline = true), BenchmarkCategory(TrainStepCategory)]
    public float TrainStepGenerated() => _generated.TrainStep(Data.Input, Data.Target, LearningRate);

    [Benchmark(Baseline = true), BenchmarkCategory(BatchGradientCategory)]
    public float BatchGradientGenerated() => _generated.BatchGradient(Data.Inputs, Data.Targets, Gradient);
}
