using System.Linq;
using BackpropGen.Symbolic.Networks;
using BenchmarkDotNet.Attributes;

namespace BackpropGen.Benchmarks;

/// <summary>
/// The symbolic derivation's cost against depth: <see cref="Derivation.Derive"/> of a network of 8 inputs and
/// <see cref="Depth"/> layers of 8 sigmoid units, half squared error.
/// </summary>
[MemoryDiagnoser]
public class DerivationDepth
{
    private NetworkSpec _spec = null!;

    [Params(1, 10, 100)]
    public int Depth { get; set; }

    [GlobalSetup]
    public void Setup() =>
        _spec = new NetworkSpec(8, Enumerable.Range(0, Depth).Select(_ => new LayerSpec(8, ActivationSpec.Sigmoid)), LossSpec.HalfSquaredError);

    [Benchmark]
    public Derivation Derive() => Derivation.Derive(_spec);
}
