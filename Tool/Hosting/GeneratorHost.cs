using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BackpropGen.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace BackpropGen.Hosting;

/// <summary>
/// Runs <see cref="BackpropGenerator"/> in this process the way the compiler runs it on a project that references
/// BackpropGen: the same parse options, a library compilation against the framework and the attributes, and a driver.
/// The one runner of the tool, the benchmarks and the tests (the benchmarks compile this file too).
/// </summary>
public static class GeneratorHost
{
    /// <summary>The language version of the sources and of the generated files.</summary>
    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

    /// <summary>A library with nullable reference types enabled, as the samples are.</summary>
    public static CSharpCompilationOptions CompilationOptions { get; } =
        new(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable);

    private static readonly Lazy<IReadOnlyList<MetadataReference>> LazyReferences = new(() =>
    {
        var frameworkFolder = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => Path.GetDirectoryName(path) == frameworkFolder)
            .Append(typeof(NetworkAttribute).Assembly.Location)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToArray();
    });

    /// <summary>The framework's assemblies and the BackpropGen attributes: what a project that uses BackpropGen compiles against.</summary>
    public static IReadOnlyList<MetadataReference> References => LazyReferences.Value;

    /// <summary>A library compilation of <paramref name="trees"/> against <see cref="References"/>.</summary>
    public static CSharpCompilation Compile(string assemblyName, IEnumerable<SyntaxTree> trees) =>
        CSharpCompilation.Create(assemblyName, trees, References, CompilationOptions);

    /// <summary>A driver with the generator; <paramref name="trackSteps"/> records each step's run reason (see <see cref="TrackingNames"/>).</summary>
    public static GeneratorDriver CreateDriver(bool trackSteps = true) =>
        CSharpGeneratorDriver.Create(
            new[] { new BackpropGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));
}
