using System;
using System.Globalization;

namespace BackpropGen.Symbolic;

/// <summary>One index of an indexed symbol or a Kronecker δ: a named index (<c>j</c>) or a concrete one (<c>1</c>).</summary>
public readonly struct Subscript : IEquatable<Subscript>, IComparable<Subscript>
{
    private Subscript(string? name, int value)
    {
        Name = name;
        Value = value;
    }

    /// <summary>The index name, or null for a concrete index.</summary>
    public string? Name { get; }

    /// <summary>The concrete value (meaningful when <see cref="IsConcrete"/>).</summary>
    public int Value { get; }

    public bool IsConcrete => Name is null;

    /// <summary>A named index such as <c>j</c>.</summary>
    public static Subscript Named(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException("an index name cannot be empty", nameof(name));
        }

        return new Subscript(name, 0);
    }

    /// <summary>A concrete index such as <c>1</c>.</summary>
    public static Subscript Concrete(int value) => new(null, value);

    public static implicit operator Subscript(string name) => Named(name);

    public static implicit operator Subscript(int value) => Concrete(value);

    public bool Equals(Subscript other) => Name == other.Name && (Name is not null || Value == other.Value);

    public override bool Equals(object? obj) => obj is Subscript other && Equals(other);

    public override int GetHashCode() => Name?.GetHashCode() ?? Value;

    /// <summary>Concrete indices first, by value; then named ones, ordinally.</summary>
    public int CompareTo(Subscript other)
    {
        if (IsConcrete != other.IsConcrete)
        {
            return IsConcrete ? -1 : 1;
        }

        return IsConcrete ? Value.CompareTo(other.Value) : string.CompareOrdinal(Name, other.Name);
    }

    public override string ToString() => Name ?? Value.ToString(CultureInfo.InvariantCulture);
}
