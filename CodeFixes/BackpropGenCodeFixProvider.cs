using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace BackpropGen.CodeFixes;

/// <summary>
/// What every BackpropGen code fix shares: Fix All applies the fix of each diagnostic in one batch, and a fix is
/// chosen from the syntax the diagnostic marks.
/// </summary>
public abstract class BackpropGenCodeFixProvider : CodeFixProvider
{
    public sealed override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            RegisterCodeFixes(context, diagnostic, root.FindToken(diagnostic.Location.SourceSpan.Start));
        }
    }

    /// <summary>Registers the fixes of <paramref name="diagnostic"/>, whose span starts at <paramref name="token"/>, if it has any.</summary>
    protected abstract void RegisterCodeFixes(CodeFixContext context, Diagnostic diagnostic, SyntaxToken token);

    /// <summary><paramref name="document"/> with <paramref name="node"/> replaced by <paramref name="replacement"/>.</summary>
    protected static async Task<Document> ReplaceAsync(Document document, SyntaxNode node, SyntaxNode replacement, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        return document.WithSyntaxRoot(root!.ReplaceNode(node, replacement));
    }
}
