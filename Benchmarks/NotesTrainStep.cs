using BenchmarkDotNet.Attributes;

namespace BackpropGen.Benchmarks;

/// <summary>One training step of the notes network (2-3-2 sigmoid): generated, conventional, and the limit kernel.</summary>
[MemoryDiagnoser]
public class NotesTrainStep
{
    private readonly NotesNet _generated = new();
    private readonly ConventionalNet _conventional = new(2, 3, 2);
    private readonly LimitKernel _limit = new();
    private readonly double[] _input = { 0.3, -0.7 };
    private readonly double[] _target = { 0.1, 0.9 };

    [Benchmark(Baseline = true)]
    public double Generated() => _generated.TrainStep(_input, _target, 1e-3);

    [Benchmark]
    public double Conventional() => _conventional.TrainStep(_input, _target, 1e-3);

    [Benchmark]
    public double Limit() => _limit.TrainStep(_input[0], _input[1], _target[0], _target[1], 1e-3);
}
