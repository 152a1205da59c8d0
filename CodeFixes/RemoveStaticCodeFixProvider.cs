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
/// BPG0004: removes <c>static</c> from the network class, from every partial declaration that has it (in whichever
/// file), since one <c>static</c> makes the whole class static.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveStaticCodeFixProvider)), Shared]
public sealed class RemoveStaticCodeFixProvider : BackpropGenCodeFixProvider
{
    public const string EquivalenceKey = "BackpropGen.RemoveStatic";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.NetworkClassStatic);

    protected override void RegisterCodeFixes(CodeFixContext context, Diagnostic diagnostic, SyntaxToken token)
    {
        if (token.Parent is TypeDeclarationSyntax declaration)
        {
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Remove 'static' from '{declaration.Identifier.ValueText}'",
                    cancellationToken => RemoveStaticAsync(context.Document, declaration, cancellationToken),
                    EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<Solution> RemoveStaticAsync(Document document, TypeDeclarationSyntax declaration, CancellationToken cancellationToken)
    {
        var solution = document.Project.Solution;
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model?.GetDeclaredSymbol(declaration, cancellationToken) is not { } type)
        {
            return solution;
        }

        foreach (var declarations in type.DeclaringSyntaxReferences.GroupBy(reference => reference.SyntaxTree))
        {
            if (solution.GetDocument(declarations.Key) is not { } declaringDocument)
            {
                continue;
            }

            var root = await declarations.Key.GetRootAsync(cancellationToken).ConfigureAwait(false);
            var nodes = declarations.Select(reference => reference.GetSyntax(cancellationToken)).OfType<TypeDeclarationSyntax>();
            solution = solution.WithDocumentSyntaxRoot(declaringDocument.Id, root.ReplaceNodes(nodes, (original, _) => WithoutStatic(original)));
        }

        return solution;
    }

    /// <summary><paramref name="declaration"/> without <c>static</c>; a leading <c>static</c> hands its indentation on.</summary>
    private static TypeDeclarationSyntax WithoutStatic(TypeDeclarationSyntax declaration)
    {
        var index = declaration.Modifiers.IndexOf(SyntaxKind.StaticKeyword);
        if (index < 0)
        {
            return declaration;
        }

        var leading = declaration.Modifiers[index].LeadingTrivia;
        var modifiers = declaration.Modifiers.RemoveAt(index);
        if (index > 0)
        {
            return declaration.WithModifiers(modifiers);
        }

        return modifiers.Count > 0
            ? declaration.WithModifiers(modifiers.Replace(modifiers[0], modifiers[0].WithLeadingTrivia(leading)))
            : declaration.WithModifiers(modifiers).WithKeyword(declaration.Keyword.WithLeadingTrivia(leading));
    }
}
