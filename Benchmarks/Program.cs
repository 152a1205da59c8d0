using System;
using BackpropGen.Benchmarks;
using BackpropGen.Benchmarks.Check;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project Benchmarks -- --check                 (references against the generated code)
// dotnet run -c Release --project Benchmarks -- --filter '*'            (every benchmark; add --job short for a quick run)
if (args is ["--check"])
{
    return ComparisonCheck.Run(Console.Out);
}

BenchmarkSwitcher.FromAssembly(typeof(NetworkBenchmarks<>).Assembly).Run(args);
return 0;
