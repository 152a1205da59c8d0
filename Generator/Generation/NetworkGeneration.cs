using System;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using BackpropGen.Generator.Diagnostics;
using BackpropGen.Generator.Documents;
using BackpropGen.Generator.Emit;
using BackpropGen.Generator.Model;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Networks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace BackpropGen.Generator.Generation;

/// <summary>
/// Turns a parsed network into its generated file (derivation, then emission) and hands the file and the
/// diagnostics to the compiler. None of these steps throws: an unexpected exception becomes an internal-error
/// diagnostic.
/// </summary>
internal static class NetworkGeneration
{
    /// <summary>Derives and emits one network, with the SIMD APIs of the compilation.</summary>
    public static GeneratedNetwork Generate((NetworkModel Model, VectorSupport Vectors) input, CancellationToken cancellationToken) =>
        Generate(input.Model, input.Vectors, static (target, spec, options) =>
        {
            var derivation = Derivation.Derive(spec);
            return NetworkEmitter.Emit(target, derivation, options, DerivationDocument.Render(derivation));
        });

    /// <summary>
    /// Derives and emits <paramref name="model"/> with <paramref name="emit"/> writing the file; an unexpected exception
    /// becomes the file's only diagnostic (an internal error, with no location).
    /// </summary>
    internal static GeneratedNetwork Generate(NetworkModel model, VectorSupport vectors, Func<NetworkTarget, NetworkSpec, EmitOptions, string> emit)
    {
        try
        {
            return new GeneratedNetwork(model.Target.HintName, emit(model.Target, model.Spec, new EmitOptions(model.Precision, model.MaxUnrolledWeights, vectors)), EquatableArray<DiagnosticInfo>.Empty);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var error = DiagnosticInfo.ForException(model.Target.FullName, null, exception);
            return new GeneratedNetwork(model.Target.HintName, null, EquatableArray.Create(error));
        }
    }

    /// <summary>
    /// Adds the generated files. Hint names must be unique ignoring case (the files may be written to a
    /// case-insensitive disk) but C# names are not, so of networks named <c>Net</c> and <c>NET</c> the one first in
    /// ordinal order keeps <c>NET.g.cs</c> and the next gets <c>Net.2.g.cs</c>: the same names whatever the order of
    /// the files.
    /// </summary>
    public static void AddSources(SourceProductionContext context, ImmutableArray<GeneratedNetwork> networks)
    {
        var withSource = networks.Where(n => n.Source is not null).OrderBy(n => n.HintName, StringComparer.Ordinal);
        foreach (var sameName in withSource.GroupBy(n => n.HintName, StringComparer.OrdinalIgnoreCase))
        {
            var number = 1;
            foreach (var network in sameName)
            {
                AddSource(context, network, number == 1 ? network.HintName : Numbered(network.HintName, number));
                number++;
            }
        }
    }

    private static string Numbered(string hintName, int number)
    {
        const string Extension = ".g.cs";
        return hintName.Substring(0, hintName.Length - Extension.Length) + "." + number.ToString(CultureInfo.InvariantCulture) + Extension;
    }

    private static void AddSource(SourceProductionContext context, GeneratedNetwork network, string hintName)
    {
        try
        {
            context.AddSource(hintName, SourceText.From(network.Source!, Encoding.UTF8));
        }
        catch (ArgumentException exception)
        {
            context.ReportDiagnostic(DiagnosticInfo.ForException(hintName, null, exception).ToDiagnostic(null));
        }
    }

    /// <summary>
    /// Reports one diagnostic at its place in the compilation's syntax tree, where <c>#pragma warning disable</c> and
    /// <c>[SuppressMessage]</c> apply to it.
    /// </summary>
    public static void Report(SourceProductionContext context, (DiagnosticInfo Diagnostic, Compilation Compilation) input)
    {
        var path = input.Diagnostic.Location?.FilePath;
        var tree = path is null ? null : input.Compilation.SyntaxTrees.FirstOrDefault(t => t.FilePath == path);
        context.ReportDiagnostic(input.Diagnostic.ToDiagnostic(tree));
    }
}
