using System;
using System.Collections.Generic;
using System.Numerics;
using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace BackpropGen.Benchmarks;

/// <summary>
/// One network's <c>BatchGradient</c> on one core (<c>MaxDegreeOfParallelism = 1</c>, the baseline) and on every core, at
/// 32, 256 and 4096 examples. Both compute the same bits; a batch under the network's slot threshold is one slot either way.
/// </summary>
[MemoryDiagnoser]
public abstract class CoresBenchmarks<TNetwork, T>
    where TNetwork : IGeneratedNetwork<T>, new()
    where T : IFloatingPointIeee754<T>
{
    private readonly TNetwork _oneCore = new();
    private readonly TNetwork _allCores = new();
    private TrainingData<T> _data = null!;
    private T[] _gradient = null!;

    [Params(32, 256, 4096)]
    public int Examples { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = new TrainingData<T>(NetworkShape.Of(typeof(TNetwork)), count: Examples);
        _gradient = new T[_oneCore.Parameters.Length];
        SetMaxDegreeOfParallelism(_oneCore, 1);
    }

    [Benchmark(Baseline = true)]
    public T BatchGradientOneCore() => _oneCore.BatchGradient(_data.Inputs, _data.Targets, _gradient);

    [Benchmark]
    public T BatchGradientAllCores() => _allCores.BatchGradient(_data.Inputs, _data.Targets, _gradient);

    private static void SetMaxDegreeOfParallelism(TNetwork network, int degree) =>
        typeof(TNetwork).GetProperty("MaxDegreeOfParallelism")!.SetValue(network, degree);
}

/// <summary>784-128-10 in <see langword="double"/> on one core and on all.</summary>
public class Net784x128x10DoubleCoresBenchmarks : CoresBenchmarks<Net784x128x10Double, double>
{
}

/// <summary>784-128-10 in <see langword="float"/> on one core and on all.</summary>
public class Net784x128x10SingleCoresBenchmarks : CoresBenchmarks<Net784x128x10Single, float>
{
}

/// <summary>
/// Where two cores start to pay, for the slot threshold of the generator (<c>EmitOptions.DefaultMinSlotWork</c>): a batch as
/// one slot on one core (the baseline: one call of the network's range body over the whole batch), and split into 2 slots on
/// one core and on two, all through <c>Accumulate</c> of the generated <c>__Workers</c> (the runtime's <c>BatchSlots</c>), at sizes
/// below and above the generated threshold. It is a private member, reached by reflection as a delegate, because the public
/// methods never split a batch under the threshold.
/// </summary>
public class CoreThreshold
{
    private delegate double Slots(double[] p, ReadOnlySpan<double> inputs, ReadOnlySpan<double> targets, Span<double> gradient, int count, int slots, int maxDegreeOfParallelism);

    private double[] _parameters = null!;
    private Slots _slots = null!;
    private TrainingData<double> _data = null!;
    private double[] _gradient = null!;
    private int _count;

    /// <summary>A network and a batch size: examples × parameters around the threshold.</summary>
    public sealed record Case(string Network, Type Type, int Examples)
    {
        public override string ToString() => $"{Network} × {Examples}";
    }

    public static IEnumerable<Case> Cases()
    {
        foreach (var examples in new[] { 8, 16, 32, 64, 128 })
        {
            yield return new Case("784-128-10", typeof(Net784x128x10Double), examples);
        }

        foreach (var examples in new[] { 64, 128, 256, 512, 1024, 2048 })
        {
            yield return new Case("64-32-10", typeof(Net64x32x10Double), examples);
        }

        foreach (var examples in new[] { 256, 1024, 4096, 16384, 65536 })
        {
            yield return new Case("4-8-3", typeof(Net4x8x3Double), examples);
        }
    }

    [ParamsSource(nameof(Cases))]
    public Case Batch { get; set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        var network = Activator.CreateInstance(Batch.Type)!;
        _parameters = (double[])Batch.Type.GetField("__parameters", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(network)!;
        var workers = Batch.Type.GetNestedType("__Workers", BindingFlags.NonPublic)!;
        _slots = workers.GetMethod("Accumulate")!.CreateDelegate<Slots>(workers.GetProperty("Current")!.GetValue(null));
        _data = new TrainingData<double>(NetworkShape.Of(Batch.Type), count: Batch.Examples);
        _gradient = new double[_parameters.Length];
        _count = Batch.Examples;
    }

    [Benchmark(Baseline = true)]
    public double OneSlot()
    {
        Array.Clear(_gradient);
        return _slots(_parameters, _data.Inputs, _data.Targets, _gradient, _count, 1, 1);
    }

    [Benchmark]
    public double TwoSlotsOneCore()
    {
        Array.Clear(_gradient);
        return _slots(_parameters, _data.Inputs, _data.Targets, _gradient, _count, 2, 1);
    }

    [Benchmark]
    public double TwoSlotsTwoCores()
    {
        Array.Clear(_gradient);
        return _slots(_parameters, _data.Inputs, _data.Targets, _gradient, _count, 2, 2);
    }
}
