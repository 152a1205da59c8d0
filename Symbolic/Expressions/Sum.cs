using System.Collections.Generic;
using System.Linq;

namespace BackpropGen.Symbolic;

/// <summary>
/// t₁ + t₂ + … (subtraction is a term with a negative coefficient). d/dv Σ tᵢ = Σ dtᵢ/dv.
/// Canonical form: flattened, like terms collected (2x + 3x = 5x, x − x = 0), terms in canonical order
/// with the constant last.
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
            _ => Canonical(new Sum(result.ToArray(), 0)),
        };
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
