using System;
using System.Linq;
using System.Text;
using System.Threading;
using BackpropGen.Generator.Diagnostics;
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
    /// <summary>Derives and emits one network; a declaration with errors yields only its diagnostics.</summary>
    public static GeneratedNetwork Generate(NetworkDeclaration declaration, CancellationToken cancellationToken) =>
        Generate(declaration, static (target, spec, precision) => NetworkEmitter.Emit(target, Derivation.Derive(spec), precision));

    /// <summary><see cref="Generate(NetworkDeclaration, CancellationToken)"/> with <paramref name="emit"/> writing the file.</summary>
    internal static GeneratedNetwork Generate(NetworkDeclaration declaration, Func<NetworkTarget, NetworkSpec, NumericType, string> emit)
    {
        if (declaration.Target is not { } target || declaration.Spec is not { } spec)
        {
            return new GeneratedNetwork(declaration.Target?.HintName ?? "", null, declaration.Diagnostics);
        }

        try
        {
            return new GeneratedNetwork(target.HintName, emit(target, spec, declaration.Precision), declaration.Diagnostics);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var error = DiagnosticInfo.ForException(target.FullName, null, exception);
            return new GeneratedNetwork(target.HintName, null, declaration.Diagnostics.Append(error).ToEquatableArray());
        }
    }

    /// <summary>Adds the generated file, if any.</summary>
    public static void AddSource(SourceProductionContext context, GeneratedNetwork network)
    {
        if (network.Source is null)
        {
            return;
        }

        try
        {
            context.AddSource(network.HintName, SourceText.From(network.Source, Encoding.UTF8));
        }
        catch (ArgumentException exception)
        {
            context.ReportDiagnostic(DiagnosticInfo.ForException(network.HintName, null, exception).ToDiagnostic(null));
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
