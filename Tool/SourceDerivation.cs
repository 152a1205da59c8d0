using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using BackpropGen.Generator;
using BackpropGen.Generator.Documents;
using BackpropGen.Generator.Model;
using BackpropGen.Hosting;
using BackpropGen.Symbolic.Networks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace BackpropGen.Tool;

/// <summary>One network of the derived files: the generated file as a build writes it, and its document.</summary>
/// <param name="FullName">The class's full name, <c>Demo.NotesNet</c>.</param>
/// <param name="FileName">The name of its output files without extension: the class name, or the full name when two networks share it.</param>
/// <param name="Code">The generated file, with the encoding the compiler writes it in.</param>
/// <param name="Latex">The derivation document in <paramref name="Notation"/>.</param>
internal sealed record DerivedNetwork(string FullName, string FileName, SourceText Code, string Latex, NotationStyle Notation);

/// <summary>
/// What the generator made of the files: the networks it generated and every diagnostic it reported; or, when the files
/// have C# syntax errors, those errors and no network (the generator does not run on Roslyn's error recovery).
/// </summary>
internal sealed record DerivationResult(IReadOnlyList<DerivedNetwork> Networks, IReadOnlyList<Diagnostic> Diagnostics, bool SyntaxErrors)
{
    public bool HasErrors => Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
}

/// <summary>A C# file as read: its full path and its text.</summary>
internal sealed record SourceFile(string Path, string Text);

/// <summary>
/// Runs <see cref="BackpropGenerator"/> over C# files the way a build does: one compilation of all the files
/// against the framework and the BackpropGen attributes shipped with this tool. The code is the generator's
/// output; the document is rendered by the code path the generator embeds as <c>DerivationLatex</c>, from the
/// network the generator's own parser read.
/// </summary>
internal static class SourceDerivation
{
    /// <summary>Derives every network in <paramref name="files"/>; <paramref name="notation"/> overrides each network's own.</summary>
    public static DerivationResult Run(IReadOnlyList<SourceFile> files, NotationStyle? notation)
    {
        var trees = files.Select(file => CSharpSyntaxTree.ParseText(file.Text, GeneratorHost.ParseOptions, file.Path, Encoding.UTF8)).ToList();
        var syntaxErrors = trees.SelectMany(tree => tree.GetDiagnostics()).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (syntaxErrors.Count > 0)
        {
            return new DerivationResult(Array.Empty<DerivedNetwork>(), Sorted(syntaxErrors), SyntaxErrors: true);
        }

        var compilation = GeneratorHost.Compile("BackpropGenTool", trees);
        var result = GeneratorHost.CreateDriver().RunGenerators(compilation).GetRunResult().Results.Single();

        var generated = result.GeneratedSources.ToDictionary(source => source.HintName, source => source.SourceText, StringComparer.Ordinal);
        var declarations = Declarations(result)
            .Where(d => d.Target is not null && d.Spec is not null && generated.ContainsKey(d.Target.HintName))
            .OrderBy(d => d.Target!.FullName, StringComparer.Ordinal)
            .ToList();
        var sharedNames = declarations.GroupBy(d => ClassName(d.Target!)).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();

        var networks = declarations.Select(declaration =>
        {
            var target = declaration.Target!;
            var spec = notation is { } style ? declaration.Spec!.WithNotation(style) : declaration.Spec!;
            var fileName = sharedNames.Contains(ClassName(target)) ? target.FullName : ClassName(target);
            var latex = DerivationDocument.Render(Derivation.Derive(spec));
            return new DerivedNetwork(target.FullName, fileName, generated[target.HintName], latex, spec.Notation);
        }).ToList();

        var diagnostics = result.Diagnostics.Where(d => d.Severity is DiagnosticSeverity.Warning or DiagnosticSeverity.Error);
        return new DerivationResult(networks, Sorted(diagnostics), SyntaxErrors: false);
    }

    private static IReadOnlyList<Diagnostic> Sorted(IEnumerable<Diagnostic> diagnostics) => diagnostics
        .OrderBy(d => d.Location.GetLineSpan().Path, StringComparer.Ordinal)
        .ThenBy(d => d.Location.GetLineSpan().StartLinePosition)
        .ThenBy(d => d.Id, StringComparer.Ordinal)
        .ToList();

    /// <summary>The networks the generator's parser read, from its tracked <see cref="TrackingNames.Networks"/> step.</summary>
    private static IEnumerable<NetworkDeclaration> Declarations(GeneratorRunResult result) =>
        result.TrackedSteps.TryGetValue(TrackingNames.Networks, out var steps)
            ? steps.SelectMany(step => step.Outputs).Select(output => output.Value).OfType<NetworkDeclaration>()
            : ImmutableArray<NetworkDeclaration>.Empty;

    private static string ClassName(NetworkTarget target) => target.Name.Replace("@", "");
}
