using System.Collections.Immutable;
using System.Composition;
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
public sealed class QualifyLossEnumCodeFixProvider : BackpropGenCodeFixProvider
{
    public const string EquivalenceKey = "BackpropGen.QualifyLoss";

    private const string QualifiedName = "global::BackpropGen.Loss";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.LossNameHidden);

    protected override void RegisterCodeFixes(CodeFixContext context, Diagnostic diagnostic, SyntaxToken token)
    {
        if (token.Parent is IdentifierNameSyntax { Identifier.ValueText: "Loss", Parent: MemberAccessExpressionSyntax access } name && access.Expression == name)
        {
            var qualified = SyntaxFactory.ParseExpression(QualifiedName).WithTriviaFrom(name);
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Write '{QualifiedName}.{access.Name.Identifier.ValueText}'",
                    cancellationToken => ReplaceAsync(context.Document, name, qualified, cancellationToken),
                    EquivalenceKey),
                diagnostic);
        }
    }
}
