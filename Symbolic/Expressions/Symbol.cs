using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace BackpropGen.Symbolic;

/// <summary>
/// A variable, optionally with a superscript (written as LaTeX, such as <c>(2)</c> or <c>[l]</c>) and
/// subscript indices: <c>x</c>, <c>w_{ij}</c>, <c>a^{(2)}_{j}</c>.
/// d s/d v is 1 for the same symbol and, for indexed symbols of the same name, the product of Kronecker δs
/// of their indices.
/// </summary>
public sealed class Symbol : Expr, IComparable<Symbol>
{
    private readonly Subscript[] _indices;

    /// <summary>A symbol with a superscript (LaTeX text such as <c>(2)</c>) and indices: a^{(2)}_{j}.</summary>
    public Symbol(string name, string? superscript, IEnumerable<Subscript> indices)
        : this(name, superscript, indices.ToArray(), null)
    {
    }

    /// <summary>A symbol that carries what it stands for in <paramref name="tag"/> (a network's typed symbols).</summary>
    public Symbol(string name, string? superscript, IEnumerable<Subscript> indices, SymbolTag? tag)
        : this(name, superscript, indices.ToArray(), tag)
    {
    }

    /// <summary>A plain or indexed symbol: <c>new Symbol("x")</c>, <c>new Symbol("w", "i", "j")</c>.</summary>
    public Symbol(string name, params Subscript[] indices) : this(name, null, indices.ToArray(), null)
    {
    }

    /// <summary>A symbol that keeps <paramref name="indices"/> as they are: the caller gives the array up.</summary>
    internal static Symbol Create(string name, string? superscript, Subscript[] indices, SymbolTag? tag) => new(name, superscript, indices, tag);

    private Symbol(string name, string? superscript, Subscript[] indices, SymbolTag? tag)
        : base(ComputeHash(name, string.IsNullOrEmpty(superscript) ? null : superscript, indices, tag))
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException("a symbol needs a name", nameof(name));
        }

        Name = name;
        Superscript = string.IsNullOrEmpty(superscript) ? null : superscript;
        _indices = indices;
        Tag = tag;
        MarkLeafCanonical();
    }

    public string Name { get; }

    public string? Superscript { get; }

    public IReadOnlyList<Subscript> Indices => _indices;

    /// <summary>What the symbol stands for, as data (null for a plain variable such as a parsed <c>x</c>).</summary>
    public SymbolTag? Tag { get; }

    /// <summary>The same symbol with other indices, keeping its name, superscript and tag.</summary>
    public Symbol WithIndices(IEnumerable<Subscript> indices) => new(Name, Superscript, indices.ToArray(), Tag);

    public override ExprKind Kind => ExprKind.Symbol;

    public override IReadOnlyList<Expr> Children => Array.Empty<Expr>();

    public override Expr WithChildren(IReadOnlyList<Expr> children) => this;

    internal override Expr SimplifyChildren() => this;

    /// <summary>True for the same name and superscript with as many indices: the same family of variables.</summary>
    public bool IsSameFamily(Symbol other) =>
        Name == other.Name && Superscript == other.Superscript && _indices.Length == other._indices.Length && Equals(Tag, other.Tag);

    internal override Expr Derivative(Symbol variable)
    {
        if (!IsSameFamily(variable))
        {
            return Number.Zero;
        }

        return Product.Create(_indices.Select((index, i) => KroneckerDelta.Create(index, variable._indices[i])));
    }

    public override Expr SubstituteIndex(string index, Subscript value) =>
        _indices.Any(i => i.Name == index)
            ? WithIndices(_indices.Select(i => i.Name == index ? value : i))
            : this;

    public override bool ContainsIndex(string index) => _indices.Any(i => i.Name == index);

    internal Symbol ResolveIndices(EvaluationContext context)
    {
        // Most symbols evaluated have concrete indices only, or none bound: they are their own value's key.
        var changes = 0;
        var position = -1;
        var value = default(Subscript);
        for (var i = 0; i < _indices.Length; i++)
        {
            if (_indices[i].Name is null)
            {
                continue;
            }

            var index = context.Resolve(_indices[i]);
            if (!index.Equals(_indices[i]) && changes++ == 0)
            {
                position = i;
                value = index;
            }
        }

        if (changes == 0)
        {
            return this;
        }

        if (changes == 1 && value.IsConcrete)
        {
            return AtValue(position, value.Value);
        }

        var resolved = new Subscript[_indices.Length];
        for (var i = 0; i < _indices.Length; i++)
        {
            resolved[i] = _indices[i].Name is null ? _indices[i] : context.Resolve(_indices[i]);
        }

        return new Symbol(Name, Superscript, resolved, Tag);
    }

    /// <summary>
    /// This symbol with index <paramref name="position"/> at <paramref name="value"/>, made once per position and value:
    /// a sum evaluates the same terms at the same units again and again (y_k, t_k for each k of the loss).
    /// </summary>
    private Symbol AtValue(int position, int value)
    {
        const int MaxCached = 256;
        if ((uint)value >= MaxCached)
        {
            return WithIndexAt(position, value);
        }

        var byPosition = Volatile.Read(ref _atValue);
        if (byPosition is null)
        {
            Interlocked.CompareExchange(ref _atValue, new Symbol?[]?[_indices.Length], null);
            byPosition = Volatile.Read(ref _atValue)!;
        }

        var byValue = Volatile.Read(ref byPosition[position]);
        if (byValue is null || byValue.Length <= value)
        {
            // A larger copy replaces the array; a symbol another thread put in the old one is made again, equal to it.
            var larger = new Symbol?[Math.Min(MaxCached, Math.Max(value + 1, 2 * (byValue?.Length ?? 4)))];
            byValue?.CopyTo(larger, 0);
            Volatile.Write(ref byPosition[position], larger);
            byValue = larger;
        }

        var symbol = Volatile.Read(ref byValue[value]);
        if (symbol is null)
        {
            symbol = WithIndexAt(position, value);
            Volatile.Write(ref byValue[value], symbol);
        }

        return symbol;
    }

    private Symbol?[]?[]? _atValue;

    private Symbol WithIndexAt(int position, int value)
    {
        var indices = (Subscript[])_indices.Clone();
        indices[position] = Subscript.Concrete(value);
        return new Symbol(Name, Superscript, indices, Tag);
    }

    internal override double Evaluate(EvaluationContext context) => context.ValueOf(this);

    public override bool Equals(Expr? other) =>
        other is Symbol s && s.GetHashCode() == GetHashCode() && s.Name == Name && s.Superscript == Superscript
        && s._indices.SequenceEqual(_indices) && Equals(s.Tag, Tag);

    public int CompareTo(Symbol? other) => CompareTo((Expr?)other);

    private protected override int CompareSameKind(Expr other)
    {
        var s = (Symbol)other;
        var c = string.CompareOrdinal(Name, s.Name);
        if (c != 0)
        {
            return c;
        }

        c = string.CompareOrdinal(Superscript, s.Superscript);
        if (c != 0)
        {
            return c;
        }

        for (var i = 0; i < Math.Min(_indices.Length, s._indices.Length); i++)
        {
            c = _indices[i].CompareTo(s._indices[i]);
            if (c != 0)
            {
                return c;
            }
        }

        c = _indices.Length.CompareTo(s._indices.Length);
        return c != 0 ? c : SymbolTag.Compare(Tag, s.Tag);
    }

    private static int ComputeHash(string name, string? superscript, Subscript[] indices, SymbolTag? tag)
    {
        unchecked
        {
            var hash = (int)ExprKind.Symbol * 486187739 + StableHash(name);
            hash = hash * 31 + (superscript is null ? 0 : StableHash(superscript));
            foreach (var index in indices)
            {
                hash = hash * 31 + (index.Name is null ? index.Value : StableHash(index.Name));
            }

            hash = hash * 31 + (tag?.GetHashCode() ?? 0);

            return hash;
        }
    }

    /// <summary>An ordinal string hash that is the same in every process, so hashes never decide an order.</summary>
    internal static int StableHash(string text)
    {
        unchecked
        {
            var hash = (int)2166136261;
            foreach (var c in text)
            {
                hash = (hash ^ c) * 16777619;
            }

            return hash;
        }
    }
}
