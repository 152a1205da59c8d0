using System.Collections.Generic;
using System.Linq;

namespace BackpropGen.Symbolic;

/// <summary>
/// t₁ + t₂ + … (subtraction is a term with a negative coefficient). d/dv Σ tᵢ = Σ dtᵢ/dv.
/// Canonical form: flattened, like terms collected (2x + 3x = 5x, x − x = 0), f(−u) collected with f(u)
/// through the function's reflection (σ(−u) = 1 − σ(u)), terms in canonical order with the constant last,
/// and terms that share a denominator combined over it when that cancels (1/(x + 1) − x/(x + 1)² = 1/(x + 1)²).
/// </summary>
public sealed class Sum : Expr
{
    private readonly Expr[] _terms;

    /// <summary>Builds exactly this sum (no simplification).</summary>
    public Sum(params Expr[] terms) : this((IEnumerable<Expr>)terms)
    {
    }

    /// <summary>Builds exactly this sum (no simplification).</summary>
    public Sum(IEnumerable<Expr> terms) : this(terms.ToArray(), 0)
    {
    }

    private Sum(Expr[] terms, int _) : base(HashOf(ExprKind.Sum, terms))
    {
        if (terms.Length == 0)
        {
            throw new System.ArgumentException("a sum needs at least one term", nameof(terms));
        }

        _terms = terms;
    }

    public IReadOnlyList<Expr> Terms => _terms;

    public override ExprKind Kind => ExprKind.Sum;

    public override IReadOnlyList<Expr> Children => _terms;

    public override Expr WithChildren(IReadOnlyList<Expr> children) => new Sum(children);

    internal override Expr SimplifyChildren() => Create(_terms);

    /// <summary>The canonical sum of the given terms.</summary>
    internal static Expr Create(IEnumerable<Expr> terms)
    {
        var constant = Rational.Zero;
        var coefficients = new Dictionary<Expr, Rational>();
        var order = new List<Expr>();

        // Terms whose coefficients would add up past Rational.MaxBits stay apart, after the folded ones.
        var unfolded = new List<Expr>();

        void AddTerm(Expr term)
        {
            switch (term)
            {
                case Sum sum:
                    foreach (var inner in sum._terms)
                    {
                        AddTerm(inner);
                    }

                    break;
                case Number number when Rational.CanAdd(constant, number.Value):
                    constant += number.Value;
                    break;
                case Number number:
                    unfolded.Add(number);
                    break;
                default:
                    var (coefficient, rest) = Product.SplitCoefficient(term);
                    if (coefficients.TryGetValue(rest, out var existing))
                    {
                        if (Rational.CanAdd(existing, coefficient))
                        {
                            coefficients[rest] = existing + coefficient;
                        }
                        else
                        {
                            unfolded.Add(term);
                        }
                    }
                    else
                    {
                        coefficients[rest] = coefficient;
                        order.Add(rest);
                    }

                    break;
            }
        }

        foreach (var term in terms)
        {
            AddTerm(term.Simplify());
        }

        if (order.Any(rest => Reflected(rest, coefficients) is not null))
        {
            // f(u) and f(−u) both occur (σ(y − t) − σ(t − y)): f(−u) is written with f(u) so the two collect.
            return Create(order
                .SelectMany(rest => Reflected(rest, coefficients) is { } reflected
                    ? TermsOf(reflected).Select(t => Product.Create(new[] { new Number(coefficients[rest]), t }))
                    : new[] { Product.WithCoefficient(coefficients[rest], rest) })
                .Append(new Number(constant)));
        }

        var result = order
            .Where(rest => !coefficients[rest].IsZero)
            .OrderBy(rest => rest)
            .Select(rest => Product.WithCoefficient(coefficients[rest], rest))
            .ToList();
        if (!constant.IsZero)
        {
            result.Add(new Number(constant));
        }

        result.AddRange(unfolded);

        return result.Count switch
        {
            0 => Number.Zero,
            1 => result[0],
            _ => OverCommonDenominator(result) ?? Canonical(new Sum(result.ToArray(), 0)),
        };
    }

    private static IEnumerable<Expr> TermsOf(Expr e) => e is Sum sum ? sum._terms : new[] { e };

    /// <summary>
    /// f(−u) written with f(u) (σ(−u) = 1 − σ(u)) when <paramref name="rest"/> is f(−u) for a function with a
    /// reflection and f(u) is also a term; otherwise null.
    /// </summary>
    private static Expr? Reflected(Expr rest, Dictionary<Expr, Rational> coefficients)
    {
        if (rest is not Call { Function.Reflection: { } reflection, Arguments: [var argument] } call || !CanonicalSign.IsNegated(argument))
        {
            return null;
        }

        var positive = Expr.Negate(argument);
        return coefficients.TryGetValue(Call.Create(call.Function, new[] { positive }), out var c) && !c.IsZero ? reflection(positive) : null;
    }

    [System.ThreadStatic]
    private static bool _combining;

    /// <summary>
    /// The terms over their common denominator, a/d + b/d² = (a d + b)/d², when at least two terms share a
    /// denominator, the numerator cancels to fewer terms than the sum had and the result is shorter: how a person
    /// writes 1/(|x| + 1) − |x|/(|x| + 1)² as 1/(|x| + 1)². Both forms are equal wherever the terms are defined.
    /// Null when the sum stays as it is.
    /// </summary>
    private static Expr? OverCommonDenominator(IReadOnlyList<Expr> terms)
    {
        if (_combining)
        {
            return null;
        }

        if (!ShareDenominator(terms))
        {
            return null;
        }

        var denominators = terms.Select(Denominators).ToList();

        var common = new Dictionary<Expr, Rational>();
        var bases = new List<Expr>();
        foreach (var pair in denominators.SelectMany(d => d))
        {
            var (@base, exponent) = (pair.Key, pair.Value);
            if (!common.TryGetValue(@base, out var largest))
            {
                bases.Add(@base);
                common[@base] = exponent;
            }
            else if (exponent.CompareTo(largest) > 0)
            {
                common[@base] = exponent;
            }
        }

        _combining = true;
        try
        {
            var numerator = Create(terms.Select(t =>
                Transformations.DistributeTop(Product.Create(bases.Select(b => Power.Create(b, new Number(common[b]))).Prepend(t)))));
            if (TermsOf(numerator).Count() >= terms.Count)
            {
                return null;
            }

            var combined = Product.Create(bases.Select(b => Power.Create(b, new Number(-common[b]))).Prepend(numerator));
            return combined.Size() < 1 + terms.Sum(Transformations.Size) ? combined : null;
        }
        finally
        {
            _combining = false;
        }
    }

    /// <summary>True when two of the terms divide by the same base (the bases of <see cref="Denominators"/>).</summary>
    private static bool ShareDenominator(IReadOnlyList<Expr> terms)
    {
        // Most sums have no fraction, or one: they are done without a dictionary.
        Dictionary<Expr, int>? termOf = null;
        for (var t = 0; t < terms.Count; t++)
        {
            if (terms[t] is Product product)
            {
                foreach (var factor in product.Factors)
                {
                    if (DividesBy(factor, t, ref termOf))
                    {
                        return true;
                    }
                }
            }
            else if (DividesBy(terms[t], t, ref termOf))
            {
                return true;
            }
        }

        return false;

        // Records that term t divides by the factor's base; true when another term does too.
        static bool DividesBy(Expr factor, int t, ref Dictionary<Expr, int>? termOf)
        {
            if (factor is not Power { Exponent: Number { Value: { IsNegative: true, IsInteger: true } } } power)
            {
                return false;
            }

            termOf ??= new Dictionary<Expr, int>();
            if (termOf.TryGetValue(power.Base, out var other))
            {
                return other != t;
            }

            termOf[power.Base] = t;
            return false;
        }
    }

    /// <summary>The bases a canonical term divides by, with their (positive) exponents: x/(y z²) gives y → 1, z → 2.</summary>
    private static Dictionary<Expr, Rational> Denominators(Expr term)
    {
        var found = new Dictionary<Expr, Rational>();
        foreach (var factor in term is Product product ? product.Factors : new[] { term })
        {
            if (factor is Power { Exponent: Number { Value: { IsNegative: true, IsInteger: true } exponent } } power)
            {
                found[power.Base] = -exponent;
            }
        }

        return found;
    }

    internal override Expr Derivative(Symbol variable) => Create(_terms.Select(t => t.Derivative(variable)));

    public override Expr SubstituteIndex(string index, Subscript value) =>
        ContainsIndex(index) ? new Sum(_terms.Select(t => t.SubstituteIndex(index, value))) : this;

    public override bool ContainsIndex(string index) => _terms.Any(t => t.ContainsIndex(index));

    internal override double Evaluate(EvaluationContext context)
    {
        var total = 0.0;
        foreach (var term in _terms)
        {
            total += term.Evaluate(context);
        }

        return total;
    }

    public override bool Equals(Expr? other) =>
        other is Sum s && s.GetHashCode() == GetHashCode() && s._terms.SequenceEqual(_terms);

    private protected override int CompareSameKind(Expr other) => CompareLists(_terms, ((Sum)other)._terms);
}
