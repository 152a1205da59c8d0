using System;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace BackpropGen.Benchmarks.Check;

/// <summary>
/// The <c>--check</c> mode: every <see cref="ICheckedBenchmark"/> of this assembly compares its implementations on
/// identical parameters and data, one line per comparison; then the generator runs over the benchmark and sample
/// networks and the size of each generated file is printed.
/// </summary>
public static class ComparisonCheck
{
    /// <summary>The files whose generated code is measured in lines, relative to the repository root.</summary>
    private static readonly string[] NetworkFiles =
    [
        "Benchmarks/Networks.cs",
        "Benchmarks/WideNetworks.cs",
        "Benchmarks/UnrollThresholdNetworks.cs",
        "Samples/Networks.cs",
    ];

    /// <summary>Returns 0 when every comparison is within its tolerance, 1 otherwise.</summary>
    public static int Run(TextWriter output)
    {
        var benchmarks = typeof(ComparisonCheck).Assembly.GetTypes()
            .Where(type => typeof(ICheckedBenchmark).IsAssignableFrom(type) && type is { IsAbstract: false, IsInterface: false })
            .OrderBy(type => type.Name, StringComparer.Ordinal);
        var comparisons = benchmarks
            .SelectMany(type => ((ICheckedBenchmark)Activator.CreateInstance(type)!).Compare())
            .ToList();
        foreach (var comparison in comparisons)
        {
            output.WriteLine(comparison);
        }

        if (OpenBlasNet<double>.Unavailable is { } skipped)
        {
            output.WriteLine(skipped);
        }

        var failed = comparisons.Count(comparison => !comparison.Passed);
        output.WriteLine($"{comparisons.Count - failed} of {comparisons.Count} comparisons within tolerance");
        output.WriteLine();
        WriteGeneratedLines(output);
        return failed == 0 ? 0 : 1;
    }

    private static void WriteGeneratedLines(TextWriter output)
    {
        var root = InProcessGenerator.RepositoryRoot();
        var files = NetworkFiles.Where(file => File.Exists(Path.Combine(root, file))).ToArray();
        var result = new InProcessGenerator(files).Run();
        output.WriteLine($"Generated lines per network ({string.Join(", ", files)}):");
        foreach (var source in result.GeneratedSources.OrderBy(source => source.HintName, StringComparer.Ordinal))
        {
            output.WriteLine($"{source.SourceText.Lines.Count,8}  {source.HintName}");
        }

        foreach (var diagnostic in result.Diagnostics.Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error))
        {
            output.WriteLine($"generator: {diagnostic}");
        }
    }
}
