using System;
using System.Collections.Generic;
using System.Linq;

namespace BackpropGen.Symbolic;

/// <summary>
/// Σ_{index = lower}^{upper} body, bounds optional (<c>\sum_k</c>). d/dv Σ_k f = Σ_k df/dv.
/// Canonical form: Σ_k 0 = 0; Σ over a sum is a sum of Σs; factors free of k move out; a Kronecker δ_{km}
/// collapses the sum by k → m (Σ_k x_k δ_{ki} = x_i); Σ_{k=1}^{n} c = n·c.
/// </summary>
public sealed class IndexedSum : Expr
{
    /// <summary>Builds exactly this sum (no simplification).</summary>
    public IndexedSum(string index, Expr body, Expr? lower = null, Expr? upper = null)
        : base(HashOf(ExprKind.IndexedSum, new[] { body, lower ?? Number.Zero, upper ?? Number.Zero }, Symbol.StableHash(index)))
    {
        if (string.IsNullOrEmpty(index))
        {
            throw new ArgumentException("a sum needs an index name", nameof(index));
        }

        if ((lower is null) != (upper is null))
        {
            throw new ArgumentException("give both bounds of a sum or neither");
        }

        Index = index;
        Body = body;
        Lower = lower;
        Upper = upper;
    }

    /// <summary>The summation index.</summary>
    public string Index { get; }

    public Expr Body { get; }

    public Expr? Lower { get; }

    public Expr? Upper { get; }

    public override ExprKind Kind => ExprKind.IndexedSum;

    public override IReadOnlyList<Expr> Children => Lower is null || Upper is null ? new[] { Body } : new[] { Body, Lower, Upper };

    public override Expr WithChildren(IReadOnlyList<Expr> children) =>
        new IndexedSum(Index, children[0], children.Count > 1 ? children[1] : null, children.Count > 2 ? children[2] : null);

    internal override Expr SimplifyChildren() => Create(Index, Body, Lower, Upper);

    /// <summary>The canonical indexed sum.</summary>
    internal static Expr Create(string index, Expr body, Expr? lower, Expr? upper)
    {
        body = body.Simplify();
        lower = lower?.Simplify();
        upper = upper?.Simplify();

        if (Number.IsZeroNumber(body))
        {
            return Number.Zero;
        }

        if (!body.ContainsIndex(index))
        {
            return lower is null || upper is null
                ? Canonical(new IndexedSum(index, body, lower, upper))
                : Product.Create(new[] { Sum.Create(new[] { upper, Expr.Negate(lower), Number.One }), body });
        }

        switch (body)
        {
            case Sum sum:
                return Sum.Create(sum.Terms.Select(t => Create(index, t, lower, upper)));
            case KroneckerDelta delta when delta.Partner(index) is { } partner:
                return InRange(partner, lower, upper) ? Number.One : Number.Zero;
            case Product product:
                var factors = product.Factors;
                for (var i = 0; i < factors.Count; i++)
                {
                    if (factors[i] is KroneckerDelta d && d.Partner(index) is { } m)
                    {
                        if (!InRange(m, lower, upper))
                        {
                            return Number.Zero;
                        }

                        var rest = Product.Create(factors.Where((_, j) => j != i));
                        return rest.SubstituteIndex(index, m).Simplify();
                    }
                }

                var free = factors.Where(f => !f.ContainsIndex(index)).ToArray();
                if (free.Length > 0)
                {
                    var bound = Product.Create(factors.Where(f => f.ContainsIndex(index)));
                    return Product.Create(free.Append(Canonical(new IndexedSum(index, bound, lower, upper))));
                }

                break;
        }

        return Canonical(new IndexedSum(index, body, lower, upper));
    }

    private static bool InRange(Subscript value, Expr? lower, Expr? upper) =>
        !value.IsConcrete
        || lower is not Number { Value: var lo } || upper is not Number { Value: var hi }
        || (lo.CompareTo(value.Value) <= 0 && hi.CompareTo(value.Value) >= 0);

    internal override Expr Derivative(Symbol variable)
    {
        var self = variable.Indices.Any(i => i.Name == Index) ? RenameIndex(FreshIndex(variable)) : this;
        return Create(self.Index, self.Body.Derivative(variable), self.Lower, self.Upper);
    }

    /// <summary>An index name used neither here nor by <paramref name="avoid"/>.</summary>
    private string FreshIndex(Symbol avoid)
    {
        for (var n = 1; ; n++)
        {
            var candidate = Index + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!ContainsIndex(candidate) && !Body.ContainsIndex(candidate) && avoid.Indices.All(i => i.Name != candidate))
            {
                return candidate;
            }
        }
    }

    private IndexedSum RenameIndex(string fresh) => new(fresh, Body.SubstituteIndex(Index, Subscript.Named(fresh)), Lower, Upper);

    public override Expr SubstituteIndex(string index, Subscript value)
    {
        if (!ContainsIndex(index))
        {
            return this;
        }

        var lower = Lower?.SubstituteIndex(index, value);
        var upper = Upper?.SubstituteIndex(index, value);
        if (index == Index)
        {
            return new IndexedSum(Index, Body, lower, upper);
        }

        // Substituting the bound index's own name would capture it: rename the bound index first.
        var self = value.Name == Index ? RenameIndex(FreshIndex(new Symbol("_", value))) : this;
        return new IndexedSum(self.Index, self.Body.SubstituteIndex(index, value), lower, upper);
    }

    public override bool ContainsIndex(string index) =>
        (index != Index && Body.ContainsIndex(index)) || (Lower?.ContainsIndex(index) ?? false) || (Upper?.ContainsIndex(index) ?? false);

    internal override double Evaluate(EvaluationContext context)
    {
        if (Lower is null || Upper is null)
        {
            throw new InvalidOperationException($"the sum over {Index} has no bounds, so it cannot be evaluated");
        }

        var lo = (int)Math.Round(Lower.Evaluate(context));
        var hi = (int)Math.Round(Upper.Evaluate(context));
        var total = 0.0;
        for (var k = lo; k <= hi; k++)
        {
            var previous = context.Bind(Index, k);
            total += Body.Evaluate(context);
            context.Restore(Index, previous);
        }

        return total;
    }

    public override bool Equals(Expr? other) =>
        other is IndexedSum s && s.GetHashCode() == GetHashCode() && s.Index == Index && s.Body.Equals(Body)
        && Equals(s.Lower, Lower) && Equals(s.Upper, Upper);

    private protected override int CompareSameKind(Expr other)
    {
        var s = (IndexedSum)other;
        var c = string.CompareOrdinal(Index, s.Index);
        if (c != 0)
        {
            return c;
        }

        c = Body.CompareTo(s.Body);
        if (c != 0)
        {
            return c;
        }

        c = (Lower ?? Number.Zero).CompareTo(s.Lower ?? Number.Zero);
        return c != 0 ? c : (Upper ?? Number.Zero).CompareTo(s.Upper ?? Number.Zero);
    }
}
