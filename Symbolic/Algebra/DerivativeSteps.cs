using System;
using System.Collections.Generic;
using System.Linq;

namespace BackpropGen.Symbolic;

/// <summary>One step of a derivation: <see cref="Left"/> = <see cref="Right"/> by <see cref="Rule"/>.</summary>
public sealed class DerivativeStep
{
    public DerivativeStep(Expr left, Expr right, string rule, Function? function = null, bool chainRule = false)
    {
        Left = left;
        Right = right;
        Rule = rule;
        Function = function;
        ChainRule = chainRule;
    }

    /// <summary>The form before the step (the first step's is d/dv of the expression as written).</summary>
    public Expr Left { get; }

    /// <summary>The form after the step; equal to <see cref="Left"/> in value wherever both are defined.</summary>
    public Expr Right { get; }

    /// <summary>
    /// The rule applied: one of the <see cref="DerivativeRules"/> names, or for a function's own derivative the
    /// function's name (<c>log</c>, <c>sigmoid</c>), then <see cref="Function"/> is that function.
    /// </summary>
    public string Rule { get; }

    /// <summary>The function whose derivative the step used, or null for the other rules.</summary>
    public Function? Function { get; }

    /// <summary>True when the step multiplied by the derivative of an inner expression (the chain rule) as well.</summary>
    public bool ChainRule { get; }

    public override string ToString() => Left + " = " + Right + "   (" + Rule + (ChainRule ? ", chain" : "") + ")";
}

/// <summary>The names of the rules a <see cref="DerivativeStep"/> records, other than each function's own rule.</summary>
public static class DerivativeRules
{
    /// <summary>d/dx c = 0 for anything free of x.</summary>
    public const string Constant = "constant";

    /// <summary>d/dx x = 1 (for indexed variables, a product of Kronecker δs).</summary>
    public const string Variable = "variable";

    /// <summary>d/dx (u + v) = du/dx + dv/dx; terms free of x drop out.</summary>
    public const string Sum = "sum";

    /// <summary>d/dx (c u) = c du/dx for c free of x.</summary>
    public const string ConstantFactor = "constant factor";

    /// <summary>d/dx (u v) = du/dx v + u dv/dx.</summary>
    public const string Product = "product";

    /// <summary>d/dx (u / v) = (du/dx v − u dv/dx) / v².</summary>
    public const string Quotient = "quotient";

    /// <summary>d/dx uⁿ = n uⁿ⁻¹ du/dx for n free of x.</summary>
    public const string Power = "power";

    /// <summary>d/dx a^u = a^u log(a) du/dx for a free of x.</summary>
    public const string Exponential = "exponential";

    /// <summary>d/dx u^w = u^w (dw/dx log u + w du/dx / u).</summary>
    public const string GeneralPower = "general power";

    /// <summary>The engine's canonical simplification of the result.</summary>
    public const string Simplify = "simplify";

    /// <summary>
    /// The canonical derivative, from differentiating the simplified expression (1/(1 + e^{−x}) is σ(x), so its
    /// derivative is σ(x)(1 − σ(x))): an equal form the rules above do not reach by themselves.
    /// </summary>
    public const string CanonicalForm = "canonical form";
}

/// <summary>
/// Differentiation in steps: the leftmost outermost d/dv not yet carried out is rewritten by the rule for its kind
/// of node, one rule per step, until none is left; then the result is simplified and, if it differs, equated with
/// <see cref="Expr.Differentiate(Symbol)"/>. Steps only multiply, add and tidy (drop 0 terms and 1 factors), so every
/// right side equals its left side.
/// </summary>
internal static class DerivativeSteps
{
    public static IReadOnlyList<DerivativeStep> Derive(Expr e, Symbol variable)
    {
        var steps = new List<DerivativeStep>();
        // A partial derivative when anything else is held fixed, a_m of the same family at another index included.
        var partial = e.Symbols().Any(s => !s.Equals(variable));
        Expr current = new UnevaluatedDerivative(Tidy(e), variable, partial);
        while (FirstUnevaluated(current) is { } next)
        {
            var (replacement, rule, function, chain) = Apply(next, partial);
            var rewritten = Tidy(Replace(current, next, replacement));
            steps.Add(new DerivativeStep(current, rewritten, rule, function, chain));
            current = rewritten;
        }

        var simplified = current.Simplify();
        if (!simplified.Equals(current))
        {
            steps.Add(new DerivativeStep(current, simplified, DerivativeRules.Simplify));
        }

        var canonical = e.Differentiate(variable);
        if (!canonical.Equals(simplified))
        {
            steps.Add(new DerivativeStep(simplified, canonical, DerivativeRules.CanonicalForm));
        }

        return steps;
    }

    /// <summary>One rule applied to d/dv u: the rewritten form, the rule's name, the function whose rule it was, and whether the chain rule was used.</summary>
    private static (Expr Result, string Rule, Function? Function, bool Chain) Apply(UnevaluatedDerivative d, bool partial)
    {
        Expr D(Expr body, Symbol variable) => new UnevaluatedDerivative(body, variable, partial);
        var v = d.Variable;
        var u = d.Body;
        if (!DependsOn(u, v))
        {
            return (Number.Zero, DerivativeRules.Constant, null, false);
        }

        switch (u)
        {
            case Symbol symbol:
                return (symbol.Derivative(v), DerivativeRules.Variable, null, false);
            case Sum sum:
                return (Add(sum.Terms.Where(t => DependsOn(t, v)).Select(t => D(t, v))), DerivativeRules.Sum, null, false);
            case IndexedSum sum:
                return (new IndexedSum(sum.Index, D(sum.Body, v), sum.Lower, sum.Upper), DerivativeRules.Sum, null, false);
            case Product product:
                return ProductRule(product.Factors, v, D);
            case Power power:
                return PowerRule(power, v, D);
            case Call call:
                return FunctionRule(call, v, D);
            default:
                // An unevaluated derivative inside the body: carried out at once.
                return (u.Differentiate(v), DerivativeRules.Simplify, null, false);
        }
    }

    private static (Expr, string, Function?, bool) ProductRule(IReadOnlyList<Expr> factors, Symbol v, Func<Expr, Symbol, Expr> D)
    {
        var constants = factors.Where(f => !DependsOn(f, v)).ToList();
        var dependent = factors.Where(f => DependsOn(f, v)).ToList();
        if (constants.Count > 0)
        {
            return (Multiply(constants.Append(D(Multiply(dependent), v))), DerivativeRules.ConstantFactor, null, false);
        }

        var denominator = dependent.OfType<Power>().Where(p => p.Exponent is Number { Value.IsNegative: true }).ToList();
        var numerator = dependent.Where(f => !denominator.Contains(f)).ToList();
        if (denominator.Count > 0 && numerator.Count > 0)
        {
            // (f / g)' = (f' g − f g') / g², with g the factors divided by.
            var f = Multiply(numerator);
            var g = Multiply(denominator.Select(p => Positive(p)));
            var top = new Sum(Multiply(new[] { D(f, v), g }), new Product(Number.MinusOne, Multiply(new[] { f, D(g, v) })));
            return (new Product(top, new Power(new Power(g, new Number(2)), Number.MinusOne)), DerivativeRules.Quotient, null, false);
        }

        // (f₁ f₂ …)' = Σᵢ fᵢ' Π_{j≠i} fⱼ
        var terms = dependent.Select((f, i) => Multiply(dependent.Select((g, j) => j == i ? D(g, v) : g)));
        return (Add(terms), DerivativeRules.Product, null, false);
    }

    /// <summary>u^n, written with a positive exponent (the denominator of a quotient).</summary>
    private static Expr Positive(Power p)
    {
        var n = -((Number)p.Exponent).Value;
        return n.IsOne ? p.Base : new Power(p.Base, new Number(n));
    }

    private static (Expr, string, Function?, bool) PowerRule(Power power, Symbol v, Func<Expr, Symbol, Expr> D)
    {
        var (b, n) = (power.Base, power.Exponent);
        if (!DependsOn(n, v))
        {
            // n uⁿ⁻¹ u'
            var lowered = n is Number { Value: var value } ? new Number(value - Rational.One) : (Expr)new Sum(n, Number.MinusOne);
            var chain = !b.Equals(v);
            var factors = new List<Expr> { n, new Power(b, lowered) };
            if (chain)
            {
                factors.Add(D(b, v));
            }

            return (Multiply(factors), DerivativeRules.Power, null, chain);
        }

        var logBase = new Call(Function.Log, b);
        if (!DependsOn(b, v))
        {
            // a^u log(a) u'
            return (Multiply(new[] { power, logBase, D(n, v) }), DerivativeRules.Exponential, null, !n.Equals(v));
        }

        // u^w (w' log u + w u' / u)
        var inner = new Sum(Multiply(new[] { D(n, v), logBase }), Multiply(new[] { n, D(b, v), new Power(b, Number.MinusOne) }));
        return (new Product(power, inner), DerivativeRules.GeneralPower, null, true);
    }

    private static (Expr, string, Function?, bool) FunctionRule(Call call, Symbol v, Func<Expr, Symbol, Expr> D)
    {
        var arguments = call.Arguments.ToArray();
        // f' at placeholders, then the arguments put in as written, so the step shows them as the expression had them.
        var placeholders = arguments.Select((_, i) => (Expr)new Symbol("#" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        var terms = new List<Expr>();
        var chain = false;
        for (var i = 0; i < arguments.Length; i++)
        {
            if (!DependsOn(arguments[i], v))
            {
                continue;
            }

            // f'(u) u': the function's own rule, times the inner derivative unless u is the variable itself.
            var partial = call.Function.Partial(placeholders, i);
            for (var k = 0; k < arguments.Length; k++)
            {
                partial = partial.Substitute(placeholders[k], arguments[k]);
            }

            if (arguments[i].Equals(v))
            {
                terms.Add(partial);
            }
            else
            {
                chain = true;
                terms.Add(Multiply(new[] { partial, D(arguments[i], v) }));
            }
        }

        return (Add(terms), call.Function.Name, call.Function, chain);
    }

    private static bool DependsOn(Expr e, Symbol v) => e.Symbols().Any(s => s.IsSameFamily(v)) || ContainsDerivative(e);

    private static bool ContainsDerivative(Expr e) => e is UnevaluatedDerivative || e.Children.Any(ContainsDerivative);

    private static Expr Add(IEnumerable<Expr> terms)
    {
        var list = terms.ToList();
        return list.Count switch
        {
            0 => Number.Zero,
            1 => list[0],
            _ => new Sum(list),
        };
    }

    private static Expr Multiply(IEnumerable<Expr> factors)
    {
        var list = factors.ToList();
        return list.Count switch
        {
            0 => Number.One,
            1 => list[0],
            _ => new Product(list),
        };
    }

    /// <summary>The leftmost outermost derivative not yet carried out, or null.</summary>
    private static UnevaluatedDerivative? FirstUnevaluated(Expr e) =>
        e as UnevaluatedDerivative ?? e.Children.Select(FirstUnevaluated).FirstOrDefault(d => d is not null);

    /// <summary>The tree with the node <paramref name="target"/> (by reference) replaced.</summary>
    private static Expr Replace(Expr e, Expr target, Expr replacement)
    {
        if (ReferenceEquals(e, target))
        {
            return replacement;
        }

        var children = e.Children;
        for (var i = 0; i < children.Count; i++)
        {
            var child = Replace(children[i], target, replacement);
            if (!ReferenceEquals(child, children[i]))
            {
                var replaced = children.ToArray();
                replaced[i] = child;
                return e.WithChildren(replaced);
            }
        }

        return e;
    }

    /// <summary>
    /// Drops what a rule leaves behind and a reader would not write: 0 terms, 1 factors, products with a 0 factor,
    /// powers to the first, sums and products of one operand, and nested products (−1 · (n · u) is −n · u).
    /// Derivatives not yet carried out are left as written.
    /// </summary>
    private static Expr Tidy(Expr e)
    {
        switch (e)
        {
            case UnevaluatedDerivative:
                return e;
            case Sum sum:
                return Add(sum.Terms.Select(Tidy).Where(t => !Number.IsZeroNumber(t)));
            case Product product:
                var factors = product.Factors.Select(Tidy).SelectMany(f => f is Product inner ? inner.Factors : new[] { f }).ToList();
                if (factors.Any(Number.IsZeroNumber))
                {
                    return Number.Zero;
                }

                var numbers = factors.OfType<Number>().Aggregate(Rational.One, (acc, n) => acc * n.Value);
                var rest = factors.Where(f => f is not Number).ToList();
                return Multiply(numbers.IsOne ? rest : rest.Prepend(new Number(numbers)));
            case Power power:
                var @base = Tidy(power.Base);
                var exponent = Tidy(power.Exponent);
                return Number.IsOneNumber(exponent) ? @base : Number.IsZeroNumber(exponent) ? Number.One : new Power(@base, exponent);
            default:
                return e.Children.Count == 0 ? e : e.WithChildren(e.Children.Select(Tidy).ToArray());
        }
    }
}
