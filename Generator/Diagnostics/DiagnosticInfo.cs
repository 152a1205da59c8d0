using System;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using BackpropGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace BackpropGen.Generator.Diagnostics;

/// <summary>
/// A source location as plain data (file, span, line span), so a model can carry it through the pipeline
/// without holding a <see cref="SyntaxTree"/>.
/// </summary>
internal sealed record LocationInfo
{
    public LocationInfo(string filePath, TextSpan textSpan, LinePositionSpan lineSpan)
    {
        FilePath = filePath;
        TextSpan = textSpan;
        LineSpan = lineSpan;
    }

    public string FilePath { get; }

    public TextSpan TextSpan { get; }

    public LinePositionSpan LineSpan { get; }

    /// <summary>The span <paramref name="span"/> of <paramref name="tree"/>.</summary>
    public static LocationInfo Create(SyntaxTree tree, TextSpan span) =>
        new(tree.FilePath, span, tree.GetLineSpan(span).Span);

    /// <summary>
    /// The location in <paramref name="tree"/>, the tree of <see cref="FilePath"/> in the current compilation; a
    /// location by file path when there is no such tree or the span no longer fits in it.
    /// </summary>
    public Location ToLocation(SyntaxTree? tree) =>
        tree is not null && TextSpan.End <= tree.Length ? Location.Create(tree, TextSpan) : Location.Create(FilePath, TextSpan, LineSpan);

}

/// <summary>
/// A diagnostic as plain data: its descriptor, its location and its message arguments as strings. It becomes a
/// <see cref="Diagnostic"/> only in the output step, so models that carry it still compare by value.
/// </summary>
internal sealed record DiagnosticInfo
{
    private DiagnosticInfo(DiagnosticDescriptor descriptor, LocationInfo? location, EquatableArray<string> messageArguments, EquatableArray<DiagnosticProperty> properties)
    {
        Descriptor = descriptor;
        Location = location;
        MessageArguments = messageArguments;
        Properties = properties;
    }

    public DiagnosticDescriptor Descriptor { get; }

    public LocationInfo? Location { get; }

    public EquatableArray<string> MessageArguments { get; }

    /// <summary>What a code fix needs to know beyond the location (keys in <see cref="DiagnosticProperties"/>).</summary>
    public EquatableArray<DiagnosticProperty> Properties { get; }

    /// <summary>A diagnostic at <paramref name="location"/>; each argument is formatted with the invariant culture.</summary>
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params object?[] messageArguments) =>
        new(descriptor, location, messageArguments.Select(a => Convert.ToString(a, CultureInfo.InvariantCulture) ?? "").ToEquatableArray(), EquatableArray<DiagnosticProperty>.Empty);

    /// <summary>This diagnostic with the property <paramref name="key"/> set to <paramref name="value"/> as well.</summary>
    public DiagnosticInfo WithProperty(string key, string value) =>
        new(Descriptor, Location, MessageArguments, Properties.Append(new DiagnosticProperty(key, value)).ToEquatableArray());

    /// <summary>The internal error for an exception the generator did not expect while handling <paramref name="network"/>.</summary>
    public static DiagnosticInfo ForException(string network, LocationInfo? location, Exception exception) =>
        Create(DiagnosticDescriptors.InternalError, location, network, exception.GetType().FullName, exception.Message);

    /// <summary>The diagnostic, located in <paramref name="tree"/> (see <see cref="LocationInfo.ToLocation"/>).</summary>
    public Diagnostic ToDiagnostic(SyntaxTree? tree) =>
        Diagnostic.Create(
            Descriptor,
            Location?.ToLocation(tree) ?? Microsoft.CodeAnalysis.Location.None,
            Properties.Count == 0 ? null : Properties.ToImmutableDictionary(p => p.Key, p => (string?)p.Value, StringComparer.Ordinal),
            MessageArguments.Cast<object>().ToArray());


    public override string ToString() => $"{Descriptor.Id}: {string.Format(CultureInfo.InvariantCulture, Descriptor.MessageFormat.ToString(CultureInfo.InvariantCulture), MessageArguments.Cast<object>().ToArray())}";
}

/// <summary>One entry of <see cref="Diagnostic.Properties"/>, as plain data.</summary>
internal readonly record struct DiagnosticProperty(string Key, string Value);
