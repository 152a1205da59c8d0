using System;
using System.Collections.Generic;
using System.Linq;

namespace BackpropGen.Generator.Model;

/// <summary>
/// Where a network's code goes: the user's partial class, its namespace and the partial types around it.
/// Holds only strings, so it compares by value and nothing of the compilation survives in it.
/// </summary>
internal sealed class NetworkTarget : IEquatable<NetworkTarget>
{
    private readonly string[] _containingTypes;

    /// <param name="namespace">The namespace, or null for the global namespace.</param>
    /// <param name="containingTypes">
    /// Declaration heads of the containing types, outermost first, as the emitter writes them after
    /// <c>partial</c>: <c>class Outer</c>, <c>struct Holder</c>, <c>record Model</c>, <c>record struct Pair</c>.
    /// </param>
    /// <param name="name">The network class's name.</param>
    public NetworkTarget(string? @namespace, IEnumerable<string> containingTypes, string name)
    {
        Namespace = string.IsNullOrEmpty(@namespace) ? null : @namespace;
        _containingTypes = containingTypes.ToArray();
        Name = name;
    }

    public string? Namespace { get; }

    public IReadOnlyList<string> ContainingTypes => _containingTypes;

    public string Name { get; }

    /// <summary>The generated file's name: <c>{Namespace}.{Outer}.{Name}.g.cs</c>.</summary>
    public string HintName =>
        string.Join(".", new[] { Namespace }.Concat(_containingTypes.Select(TypeName)).Append(Name).Where(p => !string.IsNullOrEmpty(p))) + ".g.cs";

    /// <summary>The name in a declaration head: <c>record struct Pair</c> gives <c>Pair</c>.</summary>
    private static string TypeName(string head) => head.Substring(head.LastIndexOf(' ') + 1);

    public bool Equals(NetworkTarget? other) =>
        other is not null && Namespace == other.Namespace && Name == other.Name && _containingTypes.SequenceEqual(other._containingTypes);

    public override bool Equals(object? obj) => obj is NetworkTarget other && Equals(other);

    public override int GetHashCode() => unchecked((Namespace?.GetHashCode() ?? 0) * 31 + Name.GetHashCode());

    public override string ToString() => HintName;
}
