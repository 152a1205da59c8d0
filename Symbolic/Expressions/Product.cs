using System.Collections.Generic;
using System.Linq;

namespace BackpropGen.Symbolic;

/// <summary>
/// f₁ · f₂ · … (division is a factor with a negative exponent). d/dv Π fᵢ = Σᵢ fᵢ' Π_{j≠i} fⱼ.
/// Canonical form: flattened, one rational coefficient first, equal bases merged (x·x = x², x·x⁻¹ = 1),
/// a factor a function absorbs combined with it (u·sign(u) = |u|), factors in canonical order of their bases.
/// </summary>
public sealed class Product : Expr
{
    private readonly Expr[] _factors;

    /// <summary>Builds exactly this product (no simplification).</summary>
    public Product(params Expr[] factors) : this((IEnumerable<Expr>)factors)
    {
    }

    /// <summary>Builds exactly this product (no simplification).</summary>
    public Product(IEnumerable<Expr> factors) : this(factors.ToArray(), 0)
    {
    }

    private Product(Expr[] factors, int _) : base(HashOf(ExprKind.Product, factors))
    {
        if (factors.Length == 0)
        {
            throw new System.ArgumentException("a product needs at least one factor", nameof(factors));
        }

        _factors = factors;
    }

    public IReadOnlyList<Expr> Factors => _factors;

    public override ExprKind Kind => ExprKind.Product;

    public override IReadOnlyList<Expr> Children => _factors;

    public override Expr WithChildren(IReadOnlyList<Expr> children) => new Product(children);

    internal override Expr SimplifyChildren() => Create(_factors);

    /// <summary>The canonical product of the given factors.</summary>
    internal static Expr Create(IEnumerable<Expr> factors)
    {
        var coefficient = Rational.One;
        var exponents = new Dictionary<Expr, List<Expr>>();
        var order = new List<Expr>();

        void AddFactor(Expr factor)
        {
            switch (factor)
            {
                case Product product:
                    foreach (var inner in product._factors)
                    {
                        AddFactor(inner);
                    }

                    break;
                case Number number when Rational.CanMultiply(coefficient, number.Value):
                    coefficient *= number.Value;
                    break;
                default:
                    // A number past Rational.MaxBits stays a factor of its own; equal ones still merge into a power.
                    var (@base, exponent) = factor is Power power ? (power.Base, power.Exponent) : (factor, Number.One);
                    if (!exponents.TryGetValue(@base, out var list))
                    {
                        exponents[@base] = list = new List<Expr>();
                        order.Add(@base);
                    }

                    list.Add(exponent);
                    break;
            }
        }

        foreach (var factor in factors)
        {
            AddFactor(factor.Simplify());
        }

        if (coefficient.IsZero)
        {
            return Number.Zero;
        }

        var merged = new List<Expr>();
        var needsAnotherPass = false;
        foreach (var @base in order)
        {
            var list = exponents[@base];
            var power = list.Count == 1 ? Power.Create(@base, list[0]) : Power.Create(@base, Sum.Create(list));
            switch (power)
            {
                case Number number when Rational.CanMultiply(coefficient, number.Value):
                    coefficient *= number.Value;
                    break;
                case Product:
                    // (x·y)^(1/2) · (x·y)^(1/2) became x·y: its factors may share bases with the others.
                    needsAnotherPass = true;
                    merged.Add(power);
                    break;
                default:
                    merged.Add(power);
                    break;
            }
        }

        if (needsAnotherPass)
        {
            return Create(merged.Prepend(new Number(coefficient)));
        }

        if (coefficient.IsZero)
        {
            return Number.Zero;
        }

        for (var i = 0; i < merged.Count; i++)
        {
            if (merged[i] is not Call { Function.Absorb: { } absorb } call)
            {
                continue;
            }

            for (var j = 0; j < merged.Count; j++)
            {
                if (j != i && absorb(call, merged[j]) is { } combined)
                {
                    // A function combines with another factor (u·sign(u) = |u|).
                    return Create(merged.Where((_, k) => k != i && k != j).Append(combined).Prepend(new Number(coefficient)));
                }
            }
        }

        merged.Sort(CompareFactors);
        if (merged.Count == 0)
        {
            return new Number(coefficient);
        }

        if (coefficient == Rational.MinusOne && merged is [Sum sum])
        {
            // −(a − b) = b − a: a negated sum is distributed, so x − (x − y) cancels to y.
            return Sum.Create(sum.Terms.Select(t => Create(new[] { Number.MinusOne, t })));
        }

        if (!coefficient.IsOne)
        {
            merged.Insert(0, new Number(coefficient));
        }

        return merged.Count == 1 ? merged[0] : Canonical(new Product(merged.ToArray(), 0));
    }

    /// <summary>Orders factors by base, then exponent, so x, x², y sort as x-family before y.</summary>
    private static int CompareFactors(Expr a, Expr b)
    {
        var (baseA, expA) = a is Power pa ? (pa.Base, pa.Exponent) : (a, Number.One);
        var (baseB, expB) = b is Power pb ? (pb.Base, pb.Exponent) : (b, Number.One);
        var c = baseA.CompareTo(baseB);
        return c != 0 ? c : expA.CompareTo(expB);
    }

    /// <summary>Splits a canonical term into its rational coefficient and the rest (3xy → 3, xy).</summary>
    internal static (Rational Coefficient, Expr Remainder) SplitCoefficient(Expr term)
    {
        if (term is Product { _factors: [Number number, ..] } product)
        {
            var rest = product._factors.Skip(1).ToArray();
            return (number.Value, rest.Length == 1 ? rest[0] : Canonical(new Product(rest, 0)));
        }

        return (Rational.One, term);
    }

    /// <summary>coefficient · rest for a canonical rest without a coefficient.</summary>
    internal static Expr WithCoefficient(Rational coefficient, Expr rest)
    {
        if (coefficient.IsOne)
        {
            return rest;
        }

        if (rest is Sum)
        {
            return Create(new[] { new Number(coefficient), rest });
        }

        var factors = rest is Product product ? product._factors.Prepend(new Number(coefficient)) : new[] { new Number(coefficient), rest };
        return Canonical(new Product(factors.ToArray(), 0));
    }

    internal override Expr Derivative(Symbol variable)
    {
        var terms = new List<Expr>();
        for (var i = 0; i < _factors.Length; i++)
        {
            var derivative = _factors[i].Derivative(variable);
            if (Number.IsZeroNumber(derivative))
            {
                continue;
            }

            var others = _factors.Where((_, j) => j != i);
            terms.Add(Create(others.Prepend(derivative)));
        }

        return Sum.Create(terms);
    }

    public override Expr SubstituteIndex(string index, Subscript value) =>
        ContainsIndex(index) ? new Product(_factors.Select(f => f.SubstituteIndex(index, value))) : this;

    public override bool ContainsIndex(string index) => _factors.Any(f => f.ContainsIndex(index));

    internal override double Evaluate(EvaluationContext context)
    {
        var total = 1.0;
        foreach (var factor in _factors)
        {
            total *= factor.Evaluate(context);
        }

        return total;
    }

    public override bool Equals(Expr? other) =>
        other is Product p && p.GetHashCode() == GetHashCode() && p._factors.SequenceEqual(_factors);

    private protected override int CompareSameKind(Expr other) => CompareLists(_factors, ((Product)other)._factors);
}
