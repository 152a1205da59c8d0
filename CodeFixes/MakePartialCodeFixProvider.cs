using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace BackpropGen.CodeFixes;

/// <summary>
/// BPG0001: adds <c>partial</c> to the network class and to every type around it that lacks it, since they all must
/// be partial; BPG0002: adds it to the containing type the diagnostic marks.
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
        if (token.Parent is not TypeDeclarationSyntax declaration)
        {
            return;
        }

        var declarations = diagnostic.Id == DiagnosticIds.NetworkClassNotPartial
            ? declaration.AncestorsAndSelf().OfType<TypeDeclarationSyntax>().Where(IsNotPartial).ToList()
            : new[] { declaration }.Where(IsNotPartial).ToList();
        if (declarations.Count == 0)
        {
            return;
        }

        var name = declaration.Identifier.ValueText;
        context.RegisterCodeFix(
            CodeAction.Create(
                declarations.Count == 1 ? $"Make '{name}' partial" : $"Make '{name}' and the types around it partial",
                cancellationToken => MakePartialAsync(context.Document, declarations, cancellationToken),
                EquivalenceKey),
            diagnostic);
    }

    private static bool IsNotPartial(TypeDeclarationSyntax declaration) => !declaration.Modifiers.Any(SyntaxKind.PartialKeyword);

    private static async Task<Document> MakePartialAsync(Document document, IReadOnlyList<TypeDeclarationSyntax> declarations, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);

        // Nested declarations: each is rewritten with the declarations inside it already made partial.
        return document.WithSyntaxRoot(root!.ReplaceNodes(declarations, (_, rewritten) => WithPartial(rewritten)));
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
