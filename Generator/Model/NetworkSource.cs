using BackpropGen.Generator.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace BackpropGen.Generator.Model;

/// <summary>
/// What the pipeline's transform reads from one <c>[Network]</c> class, and nothing more: where its code goes, the raw
/// values of its attributes with their locations, and the problems only the compilation can show (the class's shape,
/// clashes with generated names, layers split over declarations). Parsing the expressions, checking the values and
/// the algebra of the size estimates run in the next step, on this record, so an edit beside a network that leaves
/// its attributes as they were stops here. Compares by value.
/// </summary>
internal sealed record NetworkSource
{
    public NetworkSource(
        NetworkTarget? target,
        string name,
        LocationInfo? identifier,
        bool bound,
        NetworkArguments? network,
        EquatableArray<LayerArguments>? layers,
        EquatableArray<DiagnosticInfo> diagnostics)
    {
        Target = target;
        Name = name;
        Identifier = identifier;
        Bound = bound;
        Network = network;
        Layers = layers;
        Diagnostics = diagnostics;
    }

    /// <summary>Null only when the declaration could not be read at all.</summary>
    public NetworkTarget? Target { get; }

    /// <summary>The class's name, as messages write it.</summary>
    public string Name { get; }

    /// <summary>The class's identifier: where a problem without a better place is reported.</summary>
    public LocationInfo? Identifier { get; }

    /// <summary>False when an attribute did not bind; the compiler reports that, and nothing is generated.</summary>
    public bool Bound { get; }

    /// <summary>The <c>[Network]</c> attribute's values; null when its constructor did not bind.</summary>
    public NetworkArguments? Network { get; }

    /// <summary>The <c>[Dense]</c> layers in the order written; null when the order is unknown (reported or unbound).</summary>
    public EquatableArray<LayerArguments>? Layers { get; }

    /// <summary>The problems found while reading.</summary>
    public EquatableArray<DiagnosticInfo> Diagnostics { get; }

    /// <summary>A class that generates nothing and reports <paramref name="diagnostics"/>.</summary>
    public static NetworkSource Invalid(NetworkTarget? target, string name, LocationInfo? identifier, EquatableArray<DiagnosticInfo> diagnostics) =>
        new(target, name, identifier, false, null, null, diagnostics);

    public override string ToString() => Target?.ToString() ?? Name;
}

/// <summary>The values of <c>[Network(inputs, Name = value, …)]</c> as written, in the order written.</summary>
internal sealed record NetworkArguments(int Inputs, LocationInfo? InputsLocation, LocationInfo? Location, EquatableArray<NamedArgument> Named);

/// <summary>
/// One <c>Name = value</c> of an attribute: the constant's value as the compiler gives it (an <c>int</c> for an enum
/// member, a <c>double</c>, a <c>string</c> or null) and where it is written.
/// </summary>
internal sealed record NamedArgument(string Name, object? Value, ArgumentText Text);

/// <summary>One <c>[Dense(units, activation)]</c>: its 1-based number, units, and the activation as an enum value or an expression string.</summary>
internal sealed record LayerArguments(int Number, int Units, LocationInfo? UnitsLocation, bool IsCustom, object? Activation, ArgumentText ActivationText, LocationInfo? Location);

/// <summary>
/// Where an argument is written: the whole argument (<c>Name = value</c>), its value expression and the expression's
/// source text, and — for a string written as a plain <c>"…"</c> literal on one line — the literal, so that a position
/// in the string is a position in the source. The methods place a problem inside an expression string at the
/// character or name it is about, or at the whole value where offsets in the string are not offsets in the source
/// (escapes, verbatim strings, constants).
/// </summary>
internal sealed record ArgumentText(LocationInfo? Argument, LocationInfo? Expression, string? Written, LocationInfo? PlainLiteral)
{
    /// <summary>No argument written (a default, or syntax the compiler did not bind to a parameter).</summary>
    public static ArgumentText None { get; } = new(null, null, null, null);

    /// <summary>The token at <paramref name="position"/> of <paramref name="text"/>: a whole name, one character, or the closing quote for the end.</summary>
    public LocationInfo? At(string? text, int position)
    {
        if (text is null || PlainLiteral is null || position < 0 || position > text.Length)
        {
            return Expression;
        }

        var length = position == text.Length ? 1
            : IsIdentifierStart(text[position]) ? IdentifierLength(text, position)
            : char.IsSurrogatePair(text, position) ? 2
            : 1;
        return Inside(position, length);
    }

    /// <summary>The characters <paramref name="start"/> to <paramref name="start"/> + <paramref name="length"/> of <paramref name="text"/>.</summary>
    public LocationInfo? At(string? text, int start, int length) =>
        text is null || PlainLiteral is null || start < 0 || length < 1 || start + length > text.Length ? Expression : Inside(start, length);

    /// <summary>The first use of the variable <paramref name="name"/> in <paramref name="text"/>.</summary>
    public LocationInfo? OfVariable(string text, string name)
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
                return At(text, i);
            }

            i += length - 1;
        }

        return Expression;
    }

    /// <summary>Characters of the string inside the plain literal, which stands on one line after its opening quote.</summary>
    private LocationInfo Inside(int start, int length)
    {
        var literal = PlainLiteral!;
        var line = literal.LineSpan.Start.Line;
        var column = literal.LineSpan.Start.Character + 1 + start;
        return new LocationInfo(
            literal.FilePath,
            new TextSpan(literal.TextSpan.Start + 1 + start, length),
            new LinePositionSpan(new LinePosition(line, column), new LinePosition(line, column + length)));
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
