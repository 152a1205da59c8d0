using System;
using BackpropGen.Generator.Diagnostics;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Networks;

namespace BackpropGen.Generator.Model;

/// <summary>
/// What the parser read from one <c>[Network]</c> class: where its code goes, the network, its precision and
/// the diagnostics found. <see cref="Spec"/> is null when the declaration has an error, and then only the
/// diagnostics are reported. Compares by value: this is where the incremental pipeline caches.
/// </summary>
internal sealed class NetworkDeclaration : IEquatable<NetworkDeclaration>
{
    public NetworkDeclaration(NetworkTarget? target, NetworkSpec? spec, NumericType precision, EquatableArray<DiagnosticInfo> diagnostics, int maxUnrolledWeights = Parsing.NetworkLimits.DefaultMaxUnrolledWeights)
    {
        Target = target;
        Spec = spec;
        Precision = precision;
        Diagnostics = diagnostics;
        MaxUnrolledWeights = maxUnrolledWeights;
    }

    /// <summary>Null only when the declaration could not be read at all (an internal error).</summary>
    public NetworkTarget? Target { get; }

    public NetworkSpec? Spec { get; }

    public NumericType Precision { get; }

    /// <summary>The <c>MaxUnrolledWeights</c> of the attribute: wider layers are generated as loops.</summary>
    public int MaxUnrolledWeights { get; }

    public EquatableArray<DiagnosticInfo> Diagnostics { get; }

    /// <summary>A declaration that generates nothing and reports <paramref name="diagnostics"/>.</summary>
    public static NetworkDeclaration Invalid(NetworkTarget? target, EquatableArray<DiagnosticInfo> diagnostics) =>
        new(target, null, NumericType.Double, diagnostics);

    public bool Equals(NetworkDeclaration? other) =>
        other is not null && Equals(Target, other.Target) && Equals(Spec, other.Spec) && Precision == other.Precision
        && MaxUnrolledWeights == other.MaxUnrolledWeights && Diagnostics == other.Diagnostics;

    public override bool Equals(object? obj) => obj is NetworkDeclaration other && Equals(other);

    public override int GetHashCode() => unchecked(((Target?.GetHashCode() ?? 0) * 31 + (Spec?.GetHashCode() ?? 0)) * 31 + (int)Precision);

    public override string ToString() => Spec?.ToString() ?? Target?.ToString() ?? "invalid network";
}

/// <summary>
/// The output of one network: the generated file (null when nothing is generated) and the diagnostics to report.
/// Compares by value, so an unchanged result is not added again.
/// </summary>
internal sealed class GeneratedNetwork : IEquatable<GeneratedNetwork>
{
    public GeneratedNetwork(string hintName, string? source, EquatableArray<DiagnosticInfo> diagnostics)
    {
        HintName = hintName;
        Source = source;
        Diagnostics = diagnostics;
    }

    /// <summary>The file name, <c>{Namespace}.{Type}.g.cs</c>; empty when there is no target.</summary>
    public string HintName { get; }

    public string? Source { get; }

    public EquatableArray<DiagnosticInfo> Diagnostics { get; }

    public bool Equals(GeneratedNetwork? other) =>
        other is not null && HintName == other.HintName && Source == other.Source && Diagnostics == other.Diagnostics;

    public override bool Equals(object? obj) => obj is GeneratedNetwork other && Equals(other);

    public override int GetHashCode() => unchecked(HintName.GetHashCode() * 31 + (Source?.GetHashCode() ?? 0));

    public override string ToString() => HintName;
}
