using System;

namespace BackpropGen.Symbolic;

/// <summary>Why an expression did not parse: the 0-based position in the text and a message that says how to fix it.</summary>
public sealed class ParseError
{
    public ParseError(int position, string message, string? suggestion = null)
    {
        Position = position;
        Message = message;
        Suggestion = suggestion;
    }

    /// <summary>0-based character offset of the problem (the text's length for "end of input").</summary>
    public int Position { get; }

    /// <summary>The full message, including where: <c>unexpected ')' at 7</c>.</summary>
    public string Message { get; }

    /// <summary>
    /// For an unknown function, the known one it most likely misspells (<c>sigmoid</c> for <c>sigmod</c>), whose name
    /// can replace the name at <see cref="Position"/>; null otherwise.
    /// </summary>
    public string? Suggestion { get; }

    public override string ToString() => Message;
}

/// <summary>Thrown by <see cref="Expr.Parse"/> for text that is not a valid expression.</summary>
public sealed class ParseException : Exception
{
    public ParseException(ParseError error) : base(error.Message) => Error = error;

    public ParseError Error { get; }

    /// <summary>0-based character offset of the problem.</summary>
    public int Position => Error.Position;
}
