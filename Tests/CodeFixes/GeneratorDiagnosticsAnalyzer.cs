using System;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using System.Threading;
using BackpropGen.Generator;
using BackpropGen.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace BackpropGen.Tests.CodeFixes;

/// <summary>
/// The generator's diagnostics as an analyzer's, for the code-fix testing library, which asks for a
/// <see cref="DiagnosticAnalyzer"/>: it runs <see cref="BackpropGenerator"/> over the compilation with a generator
/// driver, as the compiler does, once per compilation, and reports exactly the diagnostics the generator reported,
/// properties included, each with the syntax tree it points into.
/// </summary>
// It runs only inside the test process, never in a compiler, so the rules for shipped compiler extensions do not apply.
#pragma warning disable RS1036, RS1038, RS1041
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class GeneratorDiagnosticsAnalyzer : DiagnosticAnalyzer
#pragma warning restore RS1036, RS1038, RS1041
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = typeof(DiagnosticDescriptors)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (DiagnosticDescriptor)field.GetValue(null)!)
        .ToImmutableArray();

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var diagnostics = new Lazy<ImmutableArray<Diagnostic>>(() => RunGenerator(start.Compilation, start.CancellationToken));

            // Reported per syntax tree, so they are local diagnostics of the tree they point into, as a code fix needs.
            start.RegisterSyntaxTreeAction(tree =>
            {
                foreach (var diagnostic in diagnostics.Value.Where(d => d.Location.SourceTree == tree.Tree))
                {
                    tree.ReportDiagnostic(diagnostic);
                }
            });
        });
    }

    private static ImmutableArray<Diagnostic> RunGenerator(Compilation compilation, CancellationToken cancellationToken)
    {
        var parseOptions = compilation.SyntaxTrees.FirstOrDefault()?.Options as CSharpParseOptions;
        var driver = CSharpGeneratorDriver.Create(new[] { new BackpropGenerator().AsSourceGenerator() }, parseOptions: parseOptions);
        return driver.RunGenerators(compilation, cancellationToken).GetRunResult().Diagnostics;
    }
}
