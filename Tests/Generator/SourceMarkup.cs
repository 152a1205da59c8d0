using Microsoft.CodeAnalysis.Text;

namespace BackpropGen.Tests.Generator;

/// <summary>Source with one span marked <c>[|like this|]</c>, the way Roslyn's analyzer tests mark where a diagnostic goes.</summary>
internal static class SourceMarkup
{
    private const string Open = "[|";
    private const string Close = "|]";

    /// <summary>The source without the markers, and the marked span as lines and columns.</summary>
    public static (string Source, LinePositionSpan Span) Parse(string marked)
    {
        var start = marked.IndexOf(Open, System.StringComparison.Ordinal);
        var end = marked.IndexOf(Close, start + Open.Length, System.StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "the source marks no span with [| and |]");
        var source = marked.Substring(0, start) + marked.Substring(start + Open.Length, end - start - Open.Length) + marked.Substring(end + Close.Length);
        var span = new TextSpan(start, end - start - Open.Length);
        return (source, SourceText.From(source).Lines.GetLinePositionSpan(span));
    }
}
