namespace BackpropGen.Symbolic;

/// <summary>A range of characters in an expression's text: the 0-based start and the length.</summary>
public readonly struct TextRange
{
    public TextRange(int start, int length)
    {
        Start = start;
        Length = length;
    }

    public int Start { get; }

    public int Length { get; }

    public override string ToString() => $"[{Start}, {Start + Length})";
}
