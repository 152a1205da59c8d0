using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace BackpropGen.CodeFixes;

/// <summary>
/// BPG0024: in <c>Loss = Loss.CrossEntropy</c> on a network whose generated <c>Loss</c> method hides the enum, writes
/// the enum fully qualified, <c>Loss = global::BackpropGen.Loss.CrossEntropy</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(QualifyLossEnumCodeFixProvider)), Shared]
public sealed class QualifyLossEnumCodeFixProvider : CodeFixProvider
{
    public const string EquivalenceKey = "BackpropGen.QualifyLoss";

    private const string QualifiedName = "global::BackpropGen.Loss";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.LossNameHidden);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (root?.FindToken(diagnostic.Location.SourceSpan.Start).Parent is IdentifierNameSyntax { Identifier.ValueText: "Loss", Parent: MemberAccessExpressionSyntax access } name
                && access.Expression == name)
            {
                context.RegisterCodeFix(
                    CodeAction.Create($"Write '{QualifiedName}.{access.Name.Identifier.ValueText}'", c => QualifyAsync(context.Document, name, c), EquivalenceKey),
                    diagnostic);
            }
        }
    }

    private static async Task<Document> QualifyAsync(Document document, IdentifierNameSyntax name, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        return document.WithSyntaxRoot(root!.ReplaceNode(name, SyntaxFactory.ParseExpression(QualifiedName).WithTriviaFrom(name)));
    }
}
