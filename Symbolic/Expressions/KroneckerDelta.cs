using System;
using System.Collections.Generic;

namespace BackpropGen.Symbolic;

/// <summary>
/// δ_{ij}: 1 when the indices are equal, 0 otherwise. It is what ∂w_{kj}/∂w_{ij} gives, and a sum over k
/// collapses it (Σ_k x_k δ_{ki} = x_i). Canonical form: δ_{ii} = 1, δ_{12} = 0, indices in order.
/// d/dv δ = 0.
/// </summary>
public sealed class KroneckerDelta : Expr
{
    /// <summary>Builds exactly this δ (no simplification).</summary>
    public KroneckerDelta(Subscript first, Subscript second)
        : base(unchecked((int)ExprKind.KroneckerDelta * 486187739 + HashOf(first) * 31 + HashOf(second)))
    {
        First = first;
        Second = second;
    }

    public Subscript First { get; }

    public Subscript Second { get; }

    public override ExprKind Kind => ExprKind.KroneckerDelta;

    public override IReadOnlyList<Expr> Children => Array.Empty<Expr>();

    public override Expr WithChildren(IReadOnlyList<Expr> children) => this;

    internal override Expr SimplifyChildren() => Create(First, Second);

    /// <summary>The canonical δ.</summary>
    internal static Expr Create(Subscript first, Subscript second)
    {
        if (first.Equals(second))
        {
            return Number.One;
        }

        if (first.IsConcrete && second.IsConcrete)
        {
            return Number.Zero;
        }

        return first.CompareTo(second) <= 0
            ? Canonical(new KroneckerDelta(first, second))
            : Canonical(new KroneckerDelta(second, first));
    }

    /// <summary>When this δ ties <paramref name="index"/> to another index, that other index.</summary>
    internal Subscript? Partner(string index) =>
        First.Name == index && Second.Name != index ? Second
        : Second.Name == index && First.Name != index ? First
        : (Subscript?)null;

    internal override Expr Derivative(Symbol variable) => Number.Zero;

    public override Expr SubstituteIndex(string index, Subscript value) =>
        ContainsIndex(index)
            ? new KroneckerDelta(First.Name == index ? value : First, Second.Name == index ? value : Second)
            : this;

    public override bool ContainsIndex(string index) => First.Name == index || Second.Name == index;

    internal override double Evaluate(EvaluationContext context)
    {
        var a = context.Resolve(First);
        var b = context.Resolve(Second);
        if (a.Equals(b))
        {
            return 1.0;
        }

        if (a.IsConcrete && b.IsConcrete)
        {
            return 0.0;
        }

        throw new InvalidOperationException($"δ_{{{a},{b}}} can be evaluated only when its indices are bound");
    }

    public override bool Equals(Expr? other) =>
        other is KroneckerDelta d && d.First.Equals(First) && d.Second.Equals(Second);

    private protected override int CompareSameKind(Expr other)
    {
        var d = (KroneckerDelta)other;
        var c = First.CompareTo(d.First);
        return c != 0 ? c : Second.CompareTo(d.Second);
    }

    private static int HashOf(Subscript s) => s.Name is null ? s.Value : Symbol.StableHash(s.Name);
}
