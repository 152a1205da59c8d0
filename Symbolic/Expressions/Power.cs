using System;
using System.Collections.Generic;
using System.Linq;

namespace BackpropGen.Symbolic;

/// <summary>
/// base^exponent. d/dv uⁿ = n uⁿ⁻¹ u' for constant n; in general d/dv u^w = u^w (w' log u + w u'/u).
/// Canonical form folds exact numbers (2³ = 8, 4^(1/2) = 2), x⁰ = 1, x¹ = x, (x^a)^n = x^(a·n) and
/// (x·y)^n = xⁿ·yⁿ for integer n, u^(n/2) = √uⁿ, and √u² = u.
/// </summary>
public sealed class Power : Expr
{
    /// <summary>Builds exactly this power (no simplification).</summary>
    public Power(Expr @base, Expr exponent) : base(HashOf(ExprKind.Power, new[] { @base, exponent }))
    {
        Base = @base;
        Exponent = exponent;
    }

    public Expr Base { get; }

    public Expr Exponent { get; }

    public override ExprKind Kind => ExprKind.Power;

    public override IReadOnlyList<Expr> Children => new[] { Base, Exponent };

    public override Expr WithChildren(IReadOnlyList<Expr> children) => new Power(children[0], children[1]);

    internal override Expr SimplifyChildren() => Create(Base, Exponent);

    /// <summary>The canonical power.</summary>
    internal static Expr Create(Expr @base, Expr exponent)
    {
        @base = @base.Simplify();
        exponent = exponent.Simplify();

        if (Number.IsZeroNumber(exponent) || Number.IsOneNumber(@base))
        {
            return Number.One;
        }

        if (Number.IsOneNumber(exponent))
        {
            return @base;
        }

        if (exponent is Number { Value: var e })
        {
            if (@base is Number { Value: var b })
            {
                if (b.IsZero)
                {
                    return e.Sign > 0 ? Number.Zero : Canonical(new Power(@base, exponent));
                }

                if (e.IsInteger && e.Numerator >= int.MinValue && e.Numerator <= int.MaxValue && b.Pow((int)e.Numerator) is { } exact)
                {
                    return new Number(exact);
                }

                if (e.Denominator == 2 && e.Numerator >= int.MinValue && e.Numerator <= int.MaxValue
                    && b.ExactSqrt() is { } root && root.Pow((int)e.Numerator) is { } exactRoot)
                {
                    return new Number(exactRoot);
                }
            }

            if (e.Denominator == 2 && @base is not Number)
            {
                // u^(n/2) = sqrt(u)^n: one form for roots, so sqrt(x) and x^(1/2) are like terms.
                return Create(Call.Create(Function.Sqrt, new[] { @base }), new Number(e * 2));
            }

            if (e == Rational.MinusOne && @base is Sum { Terms: [Call { Function.Name: "exp" } exp, Number { Value.IsOne: true }] })
            {
                // 1 / (1 + e^u) = σ(−u), whose printed form saturates instead of dividing infinities.
                return Call.Create(Function.Sigmoid, new[] { Product.Create(new[] { Number.MinusOne, exp.Arguments[0] }) });
            }

            if (e.IsInteger)
            {
                switch (@base)
                {
                    case Power inner:
                        return Create(inner.Base, Product.Create(new[] { inner.Exponent, exponent }));
                    case Product product:
                        return Product.Create(product.Factors.Select(f => Create(f, exponent)));
                    case Call { Function.Name: "sqrt" } sqrt when e.Numerator.IsEven:
                        return Create(sqrt.Arguments[0], new Number(e / 2));
                }
            }
        }

        return Canonical(new Power(@base, exponent));
    }

    internal override Expr Derivative(Symbol variable)
    {
        var baseDerivative = Base.Derivative(variable);
        var exponentDerivative = Exponent.Derivative(variable);
        var baseConstant = Number.IsZeroNumber(baseDerivative);
        var exponentConstant = Number.IsZeroNumber(exponentDerivative);

        if (exponentConstant && baseConstant)
        {
            return Number.Zero;
        }

        if (exponentConstant)
        {
            // n uⁿ⁻¹ u'
            return Product.Create(new[] { Exponent, Create(Base, Sum.Create(new[] { Exponent, Number.MinusOne })), baseDerivative });
        }

        var logBase = Call.Create(Function.Log, new[] { Base });
        if (baseConstant)
        {
            // u^w log(u) w'
            return Product.Create(new[] { this, logBase, exponentDerivative });
        }

        // u^w (w' log u + w u' / u)
        return Product.Create(new[]
        {
            this,
            Sum.Create(new[]
            {
                Product.Create(new[] { exponentDerivative, logBase }),
                Product.Create(new[] { Exponent, baseDerivative, Create(Base, Number.MinusOne) }),
            }),
        });
    }

    public override Expr SubstituteIndex(string index, Subscript value) =>
        ContainsIndex(index) ? new Power(Base.SubstituteIndex(index, value), Exponent.SubstituteIndex(index, value)) : this;

    public override bool ContainsIndex(string index) => Base.ContainsIndex(index) || Exponent.ContainsIndex(index);

    internal override double Evaluate(EvaluationContext context) =>
        Math.Pow(Base.Evaluate(context), Exponent.Evaluate(context));

    public override bool Equals(Expr? other) =>
        other is Power p && p.GetHashCode() == GetHashCode() && p.Base.Equals(Base) && p.Exponent.Equals(Exponent);

    private protected override int CompareSameKind(Expr other)
    {
        var p = (Power)other;
        var c = Base.CompareTo(p.Base);
        return c != 0 ? c : Exponent.CompareTo(p.Exponent);
    }
}
