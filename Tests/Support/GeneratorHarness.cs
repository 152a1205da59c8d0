using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using BackpropGen.Generator;
using BackpropGen.Hosting;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace BackpropGen.Tests.Support;

/// <summary>
/// Runs <see cref="BackpropGenerator"/> on C# source in memory, the way the compiler runs it on a project that
/// references BackpropGen: the sources are compiled against the framework and the attributes assembly, the
/// generator runs with step tracking on, and the result holds what the compiler would see.
/// </summary>
/// <example>
/// <code>
/// var run = GeneratorHarness.Run("""
///     using BackpropGen;
///     [Network(2)] [Dense(3, Activation.Sigmoid)] [Dense(2, Activation.Sigmoid)]
///     public partial class NotesNet { }
///     """);
/// Assert.Empty(run.Diagnostics);
/// var type = run.EmitAndLoad().GetType("NotesNet")!;
/// </code>
/// To check incremental caching, run again on an edited compilation from the previous run's driver:
/// <code>
/// var next = GeneratorHarness.Run(run.InputCompilation.AddSyntaxTrees(tree), run.Driver);
/// </code>
/// </example>
public static class GeneratorHarness
{
    /// <summary>The language version of the sources and of the generated files (the tool's, see <see cref="GeneratorHost"/>).</summary>
    public static CSharpParseOptions ParseOptions => GeneratorHost.ParseOptions;

    /// <summary>
    /// A library compilation of <paramref name="sources"/>, named <c>File0.cs</c>, <c>File1.cs</c>, … in order, with
    /// nullable reference types enabled, against the framework and the BackpropGen attributes.
    /// </summary>
    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        GeneratorHost.Compile("GeneratorTest", sources.Select((source, i) => Parse(source, $"File{i}.cs")));

    /// <summary>Parses one more file for <see cref="CreateCompilation"/>'s compilation, with the same options.</summary>
    public static SyntaxTree Parse(string source, string path) => CSharpSyntaxTree.ParseText(source, ParseOptions, path);

    /// <summary>Compiles <paramref name="sources"/> and runs the generator on them.</summary>
    public static GeneratorRun Run(params string[] sources) => Run(CreateCompilation(sources));

    /// <summary>
    /// Runs the generator on <paramref name="compilation"/>; pass the <see cref="GeneratorRun.Driver"/> of a
    /// previous run to run incrementally and see in <see cref="GeneratorRun.RunResult"/> which steps were cached.
    /// </summary>
    public static GeneratorRun Run(Compilation compilation, GeneratorDriver? driver = null)
    {
        driver ??= GeneratorHost.CreateDriver();
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        return new GeneratorRun(compilation, output, diagnostics, driver);
    }

    /// <summary>Emits <paramref name="compilation"/> with warnings as errors and loads it; throws with the errors otherwise.</summary>
    public static Assembly EmitAndLoad(Compilation compilation) => InMemoryCompiler.EmitAndLoad(compilation);

    /// <summary>The framework and the BackpropGen attributes: what a project that uses BackpropGen compiles against.</summary>
    public static IReadOnlyList<MetadataReference> References => GeneratorHost.References;
}

/// <summary>The result of one <see cref="GeneratorHarness.Run(Compilation, GeneratorDriver?)"/>.</summary>
public sealed class GeneratorRun
{
    internal GeneratorRun(Compilation inputCompilation, Compilation outputCompilation, ImmutableArray<Diagnostic> diagnostics, GeneratorDriver driver)
    {
        InputCompilation = inputCompilation;
        OutputCompilation = outputCompilation;
        Diagnostics = diagnostics;
        Driver = driver;
        RunResult = driver.GetRunResult();
        GeneratedSources = RunResult.Results.SelectMany(r => r.GeneratedSources)
            .ToDictionary(s => s.HintName, s => s.SourceText.ToString());
    }

    /// <summary>The compilation the generator ran on.</summary>
    public Compilation InputCompilation { get; }

    /// <summary>The input compilation with the generated files added.</summary>
    public Compilation OutputCompilation { get; }

    /// <summary>The diagnostics the generator reported (BPG…), and CS8784/CS8785 if it failed.</summary>
    public ImmutableArray<Diagnostic> Diagnostics { get; }

    /// <summary>The generated files: hint name (<c>Namespace.Type.g.cs</c>) to text.</summary>
    public IReadOnlyDictionary<string, string> GeneratedSources { get; }

    /// <summary>The driver's result, with the tracked steps (<see cref="TrackingNames"/>) and any exception.</summary>
    public GeneratorDriverRunResult RunResult { get; }

    /// <summary>The driver after this run: pass it to the next run to run incrementally.</summary>
    public GeneratorDriver Driver { get; }

    /// <summary>Emits <see cref="OutputCompilation"/> with warnings as errors and loads the assembly.</summary>
    public Assembly EmitAndLoad() => GeneratorHarness.EmitAndLoad(OutputCompilation);
}
