using System.Linq;
using BackpropGen.Generator.Diagnostics;
using BackpropGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace BackpropGen.Generator.Parsing;

/// <summary>
/// Where the parts of a declaration were written, so a diagnostic points at the value that is wrong: a name, an
/// attribute, an argument, and inside an expression string the very character or name the problem is about.
/// </summary>
internal static class SourceLocations
{
    /// <summary>The argument bound to the constructor parameter at <paramref name="index"/>, positional or <c>name:</c>.</summary>
    public static AttributeArgumentSyntax? Constructor(AttributeSyntax? attribute, IMethodSymbol constructor, int index)
    {
        if (attribute?.ArgumentList is null || index >= constructor.Parameters.Length)
        {
            return null;
        }

        var parameter = constructor.Parameters[index].Name;
        var position = 0;
        foreach (var argument in attribute.ArgumentList.Arguments.Where(a => a.NameEquals is null))
        {
            if (argument.NameColon is null ? position == index : argument.NameColon.Name.Identifier.ValueText == parameter)
            {
                return argument;
            }

            position++;
        }

        return null;
    }

    /// <summary>The <c>Name = value</c> argument that sets the property <paramref name="name"/>.</summary>
    public static AttributeArgumentSyntax? Named(AttributeSyntax? attribute, string name) =>
        attribute?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name);

    /// <summary>
    /// Where <paramref name="argument"/> is written, as data: the argument, its value, the value's source text and, when
    /// the value is <paramref name="text"/> written as a plain <c>"…"</c> literal, the literal (see <see cref="ArgumentText"/>).
    /// </summary>
    public static ArgumentText Text(AttributeArgumentSyntax? argument, string? text = null) =>
        argument is null ? ArgumentText.None
            : new ArgumentText(Of(argument), Of(argument.Expression), argument.Expression.ToString(), TryGetPlainLiteral(argument, text, out var literal) ? Of(literal) : null);

    /// <summary>The location of <paramref name="node"/>; null for no node.</summary>
    public static LocationInfo? Of(SyntaxNode? node) => node is null ? null : LocationInfo.Create(node.SyntaxTree, node.Span);

    /// <summary>The location of <paramref name="token"/>.</summary>
    public static LocationInfo Of(SyntaxToken token) => LocationInfo.Create(token.SyntaxTree!, token.Span);

    private static bool TryGetPlainLiteral(AttributeArgumentSyntax? argument, string? text, out SyntaxToken literal)
    {
        literal = default;
        if (text is null || argument?.Expression is not LiteralExpressionSyntax { Token: var token } || !token.IsKind(SyntaxKind.StringLiteralToken))
        {
            return false;
        }

        literal = token;
        return token.Text.Length == text.Length + 2 && token.Text[0] == '"' && string.CompareOrdinal(token.Text, 1, text, 0, text.Length) == 0;
    }
}
