using System;
using BackpropGen.Benchmarks;
using BackpropGen.Benchmarks.Check;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project Benchmarks -- --check                 (references against the generated code)
// dotnet run -c Release --project Benchmarks -- --filter '*'            (every benchmark; add --job short for a quick run)
// dotnet run -c Release --project Benchmarks -- --machine               (instruction sets and the measured FMA peak per core)
if (args is ["--check"])
{
    return ComparisonCheck.Run(Console.Out);
}

if (args is ["--machine"])
{
    Console.WriteLine(MachinePeak.Describe());
    var (single, @double, bits) = MachinePeak.Measure();
    Console.WriteLine($"FMA peak:       {single:F1} GFLOP/s float, {@double:F1} GFLOP/s double per core ({bits}-bit vectors, best of 7 runs)");
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(NetworkBenchmarks<>).Assembly).Run(args);
return 0;
