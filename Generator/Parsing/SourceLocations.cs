using System.Linq;
using BackpropGen.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

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
    /// The token at <paramref name="position"/> of the expression <paramref name="text"/> written in
    /// <paramref name="argument"/>: a whole name, or one character, or the closing quote for the end of the text.
    /// Narrowed only inside a plain <c>"…"</c> literal, where offsets in the text are offsets in the source;
    /// anything else (escapes, verbatim strings, constants) gives the whole argument value.
    /// </summary>
    public static LocationInfo? InExpression(AttributeArgumentSyntax? argument, string? text, int position)
    {
        if (!TryGetPlainLiteral(argument, text, out var literal) || position < 0 || position > text!.Length)
        {
            return Of(argument?.Expression);
        }

        var length = position == text.Length ? 1
            : IsIdentifierStart(text[position]) ? IdentifierLength(text, position)
            : char.IsSurrogatePair(text, position) ? 2
            : 1;
        return LocationInfo.Create(literal.SyntaxTree!, new TextSpan(literal.SpanStart + 1 + position, length));
    }

    /// <summary>
    /// The characters <paramref name="start"/> to <paramref name="start"/> + <paramref name="length"/> of the expression
    /// <paramref name="text"/> written in <paramref name="argument"/>; the whole argument value where offsets in the
    /// text are not offsets in the source (see <see cref="InExpression(AttributeArgumentSyntax?, string?, int)"/>).
    /// </summary>
    public static LocationInfo? InExpression(AttributeArgumentSyntax? argument, string? text, int start, int length)
    {
        if (!TryGetPlainLiteral(argument, text, out var literal) || start < 0 || length < 1 || start + length > text!.Length)
        {
            return Of(argument?.Expression);
        }

        return LocationInfo.Create(literal.SyntaxTree!, new TextSpan(literal.SpanStart + 1 + start, length));
    }

    /// <summary>The first use of the variable <paramref name="name"/> in the expression <paramref name="text"/>.</summary>
    public static LocationInfo? OfVariable(AttributeArgumentSyntax? argument, string text, string name)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (!IsIdentifierStart(text[i]) || (i > 0 && IsIdentifierPart(text[i - 1])))
            {
                continue;
            }

            var length = IdentifierLength(text, i);
            if (string.CompareOrdinal(text, i, name, 0, name.Length) == 0 && length == name.Length && !IsFollowedByCall(text, i + length))
            {
                return InExpression(argument, text, i);
            }

            i += length - 1;
        }

        return Of(argument?.Expression);
    }

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

    private static bool IsFollowedByCall(string text, int index)
    {
        while (index < text.Length && char.IsWhiteSpace(text[index]))
        {
            index++;
        }

        return index < text.Length && text[index] == '(';
    }

    private static int IdentifierLength(string text, int start)
    {
        var end = start;
        while (end < text.Length && IsIdentifierPart(text[end]))
        {
            end++;
        }

        return end - start;
    }

    private static bool IsIdentifierStart(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_';

    private static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || c is >= '0' and <= '9';
}
