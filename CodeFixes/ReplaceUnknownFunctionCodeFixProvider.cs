using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using BackpropGen.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace BackpropGen.CodeFixes;

/// <summary>
/// BPG0012 and BPG0014 for an unknown function: writes the function the parser suggests (carried in
/// <see cref="DiagnosticProperties.Suggestion"/>) in place of the misspelt name the diagnostic marks inside the
/// expression string, <c>"sigmod(x)"</c> → <c>"sigmoid(x)"</c>. Other parse errors have no suggestion and no fix.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ReplaceUnknownFunctionCodeFixProvider)), Shared]
public sealed class ReplaceUnknownFunctionCodeFixProvider : BackpropGenCodeFixProvider
{
    /// <summary>One key for every replacement, so Fix All writes each misspelt name's own suggestion.</summary>
    public const string EquivalenceKey = "BackpropGen.ReplaceUnknownFunction";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.InvalidActivationExpression, DiagnosticIds.InvalidLossExpression);

    protected override void RegisterCodeFixes(CodeFixContext context, Diagnostic diagnostic, SyntaxToken token)
    {
        var span = diagnostic.Location.SourceSpan;
        var text = token.SyntaxTree!.GetText(context.CancellationToken);
        if (diagnostic.Properties.TryGetValue(DiagnosticProperties.Suggestion, out var suggestion) && suggestion is not null && IsNameInsideString(token, text, span))
        {
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Replace '{text.ToString(span)}' with '{suggestion}'",
                    _ => Task.FromResult(context.Document.WithText(text.WithChanges(new TextChange(span, suggestion)))),
                    EquivalenceKey),
                diagnostic);
        }
    }

    /// <summary>
    /// Whether <paramref name="span"/> is a whole name inside a string literal, as the generator marks it in a plain
    /// <c>"…"</c> literal; for a verbatim or escaped string the diagnostic marks the whole argument, and there is no fix.
    /// </summary>
    private static bool IsNameInsideString(SyntaxToken token, SourceText text, TextSpan span) =>
        span.Length > 0
        && token.IsKind(SyntaxKind.StringLiteralToken)
        && token.Span.Start < span.Start
        && span.End < token.Span.End
        && text.ToString(span).All(c => char.IsLetterOrDigit(c) || c == '_');
}
