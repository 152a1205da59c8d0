using BenchmarkDotNet.Attributes;

namespace BackpropGen.Benchmarks;

/// <summary>
/// The generator's own cost: one full run of BackpropGenerator over <c>Samples/Networks.cs</c> (all sample networks),
/// on a new compilation with a new driver each time, so nothing is cached. Parsing the file is done once, at setup.
/// </summary>
[MemoryDiagnoser]
public class GeneratorCost
{
    private InProcessGenerator _samples = null!;

    [GlobalSetup]
    public void Setup() => _samples = new InProcessGenerator("Samples/Networks.cs");

    /// <summary>Returns the number of generated files.</summary>
    [Benchmark]
    public int SampleNetworks() => _samples.Run().GeneratedSources.Length;
}
