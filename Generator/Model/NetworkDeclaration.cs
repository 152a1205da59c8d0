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
internal sealed record NetworkDeclaration
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

    /// <summary>
    /// What generation reads: the declaration without its diagnostics, so an edit that only moves the declaration (and
    /// its diagnostics' locations) leaves it equal and re-derives nothing; null when nothing is generated.
    /// </summary>
    public NetworkModel? Model => Target is { } target && Spec is { } spec ? new NetworkModel(target, spec, Precision, MaxUnrolledWeights) : null;

    /// <summary>A declaration that generates nothing and reports <paramref name="diagnostics"/>.</summary>
    public static NetworkDeclaration Invalid(NetworkTarget? target, EquatableArray<DiagnosticInfo> diagnostics) =>
        new(target, null, NumericType.Double, diagnostics);


    public override string ToString() => Spec?.ToString() ?? Target?.ToString() ?? "invalid network";
}

/// <summary>The network to generate: where its code goes, the network, its number type and its unroll threshold. Holds no location.</summary>
internal sealed record NetworkModel(NetworkTarget Target, NetworkSpec Spec, NumericType Precision, int MaxUnrolledWeights);

/// <summary>
/// The output of one network: the generated file (null when nothing is generated) and the diagnostics to report.
/// Compares by value, so an unchanged result is not added again.
/// </summary>
internal sealed record GeneratedNetwork
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


    public override string ToString() => HintName;
}
