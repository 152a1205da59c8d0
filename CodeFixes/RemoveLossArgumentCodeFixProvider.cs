using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace BackpropGen.CodeFixes;

/// <summary>
/// BPG0016: a <c>[Network]</c> that sets both <c>Loss</c> and <c>LossExpression</c> keeps one of them. Two fixes are
/// offered, one removing each, since only the user knows which loss was meant.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveLossArgumentCodeFixProvider)), Shared]
public sealed class RemoveLossArgumentCodeFixProvider : BackpropGenCodeFixProvider
{
    /// <summary>The fix that removes <c>Loss = …</c> and keeps the custom loss.</summary>
    public const string RemoveLossKey = "BackpropGen.RemoveLoss";

    /// <summary>The fix that removes <c>LossExpression = …</c> and keeps the built-in loss.</summary>
    public const string RemoveLossExpressionKey = "BackpropGen.RemoveLossExpression";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.LossSetTwice);

    protected override void RegisterCodeFixes(CodeFixContext context, Diagnostic diagnostic, SyntaxToken token)
    {
        if (token.Parent?.FirstAncestorOrSelf<AttributeSyntax>() is not { ArgumentList: { } arguments }
            || Named(arguments, "Loss") is not { } loss
            || Named(arguments, "LossExpression") is not { } lossExpression)
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create("Remove 'Loss' and keep 'LossExpression'", c => RemoveAsync(context.Document, loss, c), RemoveLossKey),
            diagnostic);
        context.RegisterCodeFix(
            CodeAction.Create("Remove 'LossExpression' and keep 'Loss'", c => RemoveAsync(context.Document, lossExpression, c), RemoveLossExpressionKey),
            diagnostic);
    }

    private static AttributeArgumentSyntax? Named(AttributeArgumentListSyntax arguments, string name) =>
        arguments.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name);

    /// <summary>Removes the argument with its comma (the one after it, or before it for the last argument).</summary>
    private static async Task<Document> RemoveAsync(Document document, AttributeArgumentSyntax argument, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        return document.WithSyntaxRoot(root!.RemoveNode(argument, SyntaxRemoveOptions.KeepNoTrivia)!);
    }
}
