using System;

namespace BackpropGen.Symbolic;

/// <summary>
/// What a symbol stands for, as data beside its printed name: a network's symbols carry their role, layer and kind
/// here (see <c>NetworkTag</c>), so nothing reads a role back out of a name. Two symbols are equal only when their
/// tags are. A tag compares by its <see cref="Key"/>, a stable text, so symbols still sort the same in every process.
/// </summary>
public abstract class SymbolTag : IEquatable<SymbolTag>
{
    /// <summary>A stable text that identifies the tag within its type.</summary>
    public abstract string Key { get; }

    public bool Equals(SymbolTag? other) =>
        ReferenceEquals(other, this) || (other is not null && other.GetHashCode() == GetHashCode() && other.GetType() == GetType() && other.Key == Key);

    public override bool Equals(object? obj) => obj is SymbolTag other && Equals(other);

    public override int GetHashCode() => Symbol.StableHash(Key);

    public override string ToString() => Key;

    /// <summary>Orders tags by type name, then key; null first.</summary>
    internal static int Compare(SymbolTag? first, SymbolTag? second)
    {
        if (first is null || second is null)
        {
            return first is null ? second is null ? 0 : -1 : 1;
        }

        var c = string.CompareOrdinal(first.GetType().Name, second.GetType().Name);
        return c != 0 ? c : string.CompareOrdinal(first.Key, second.Key);
    }
}
