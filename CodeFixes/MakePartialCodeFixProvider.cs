using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace BackpropGen.CodeFixes;

/// <summary>
/// BPG0001 and BPG0002: adds <c>partial</c> to the network class, or to the type the network is nested in, whose
/// name the diagnostic marks.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialCodeFixProvider)), Shared]
public sealed class MakePartialCodeFixProvider : BackpropGenCodeFixProvider
{
    /// <summary>The equivalence key of the fix, one for both diagnostics, so Fix All makes every such type partial.</summary>
    public const string EquivalenceKey = "BackpropGen.MakePartial";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.NetworkClassNotPartial, DiagnosticIds.ContainingTypeNotPartial);

    protected override void RegisterCodeFixes(CodeFixContext context, Diagnostic diagnostic, SyntaxToken token)
    {
        if (token.Parent is TypeDeclarationSyntax declaration && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Make '{declaration.Identifier.ValueText}' partial",
                    cancellationToken => ReplaceAsync(context.Document, declaration, WithPartial(declaration), cancellationToken),
                    EquivalenceKey),
                diagnostic);
        }
    }

    /// <summary>
    /// <paramref name="declaration"/> with <c>partial</c> as its last modifier, right before <c>class</c> (or
    /// <c>struct</c>, <c>record</c>, …) where the language wants it; the first modifier takes over the indentation.
    /// </summary>
    private static TypeDeclarationSyntax WithPartial(TypeDeclarationSyntax declaration)
    {
        var partial = SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        if (declaration.Modifiers.Count > 0)
        {
            return declaration.WithModifiers(declaration.Modifiers.Add(partial));
        }

        var keyword = declaration.Keyword;
        return declaration
            .WithKeyword(keyword.WithLeadingTrivia())
            .WithModifiers(SyntaxFactory.TokenList(partial.WithLeadingTrivia(keyword.LeadingTrivia)));
    }
}
