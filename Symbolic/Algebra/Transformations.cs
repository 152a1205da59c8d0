using System;
using System.Collections.Generic;
using System.Linq;

namespace BackpropGen.Symbolic;

/// <summary>Whole-tree transformations: expansion, sum expansion, node count, and symbol/index rewriting.</summary>
public static class Transformations
{
    /// <summary>Products of more terms than this are left factored by <see cref="Expand"/>.</summary>
    public const int MaxExpandedTerms = 256;

    /// <summary>
    /// Distributes products over sums, everywhere in the tree, and simplifies:
    /// y (1 − y) ((1 − t)/(1 − y) − t/y) becomes y − t. Products that would have more than
    /// <see cref="MaxExpandedTerms"/> terms stay factored. Terms that share a denominator and cancel over it stay
    /// together, as the canonical sum keeps them: (x + 1)/(x + 1)² is 1/(x + 1), not x/(x + 1)² + 1/(x + 1)².
    /// </summary>
    public static Expr Expand(this Expr e) => ExpandNode(e.Simplify());

    private static Expr ExpandNode(Expr e) => e switch
    {
        Sum s => Sum.Create(s.Terms.Select(ExpandNode)),
        Product p => DistributeProduct(Product.Create(p.Factors.Select(ExpandNode))),
        Power p => Power.Create(ExpandNode(p.Base), p.Exponent),
        Call c => Call.Create(c.Function, c.Arguments.Select(ExpandNode).ToArray()),
        IndexedSum s => IndexedSum.Create(s.Index, ExpandNode(s.Body), s.Lower, s.Upper),
        _ => e,
    };

    /// <summary>
    /// Distributes a product of expanded factors. They are multiplied first, so a factor cancels a denominator that
    /// expanding another factor produced (y (1 − y) · (y − t)/(y (1 − y)) is y − t before anything is distributed).
    /// </summary>
    private static Expr DistributeProduct(Expr product) => product is Product p ? Distribute(p.Factors) : product;

    /// <summary>
    /// Distributes one sum factor at a time and simplifies each new term before going on, so a factor
    /// can cancel a denominator first: y (1 − y) (a/(1 − y) − b/y) gives y a − (1 − y) b, then expands.
    /// Sums holding fractions go first, since their denominators are what the other factors cancel.
    /// </summary>
    private static Expr Distribute(IReadOnlyList<Expr> factors, int budget = MaxExpandedTerms, bool deep = true)
    {
        var sum = factors.OfType<Sum>().OrderByDescending(HasDenominator).FirstOrDefault();
        if (sum is null || sum.Terms.Count > budget)
        {
            return Product.Create(factors);
        }

        var others = factors.Where(f => !ReferenceEquals(f, sum)).ToList();
        var terms = sum.Terms.Select(term =>
        {
            var product = Product.Create(others.Append(term));
            return product is Product p ? Distribute(p.Factors, budget / sum.Terms.Count, deep)
                : deep ? ExpandNode(product) : DistributeTop(product);
        });
        return Sum.Create(terms);
    }

    /// <summary>
    /// Distributes the products at the top of a canonical tree over their sum factors (a (b + c) → a b + a c),
    /// leaving function arguments, bases and exponents as they are.
    /// </summary>
    internal static Expr DistributeTop(Expr e) => e switch
    {
        Sum s => Sum.Create(s.Terms.Select(DistributeTop)),
        Product p => Distribute(p.Factors, deep: false),
        _ => e,
    };

    private static bool HasDenominator(Sum sum) =>
        sum.Terms.Any(t => t is Power { Exponent: Number { Value.IsNegative: true } }
            || (t is Product p && p.Factors.Any(f => f is Power { Exponent: Number { Value.IsNegative: true } })));

    /// <summary>The number of nodes in the tree: a measure of how long a form is to read.</summary>
    public static int Size(this Expr e) => 1 + e.Children.Sum(Size);

    /// <summary>Replaces every sum over an index with integer bounds by its explicit terms.</summary>
    public static Expr ExpandSums(this Expr e)
    {
        if (e is IndexedSum { Lower: Number { Value: { IsInteger: true } lower }, Upper: Number { Value: { IsInteger: true } upper } } sum)
        {
            var terms = new List<Expr>();
            for (var k = (int)lower.Numerator; k <= (int)upper.Numerator; k++)
            {
                terms.Add(sum.Body.SubstituteIndex(sum.Index, k).ExpandSums());
            }

            return terms.Count switch
            {
                0 => Number.Zero,
                1 => terms[0],
                _ => new Sum(terms),
            };
        }

        var children = e.Children;
        if (children.Count == 0)
        {
            return e;
        }

        var expanded = children.Select(ExpandSums).ToArray();
        return expanded.Where((c, i) => !ReferenceEquals(c, children[i])).Any() ? e.WithChildren(expanded) : e;
    }

    /// <summary>
    /// Every f(−u) written with f(u) by the function's own reflection (σ(−u) = 1 − σ(u), softplus(−u) = softplus(u) − u),
    /// unsimplified; calls of functions without one stay. Simplification keeps σ(−u), which is precise where σ(u) rounds
    /// to 1; a result shown in forward values reads better as 1 − σ(u), which names the output.
    /// </summary>
    public static Expr Reflect(this Expr e) => e.ReplaceTopDown(node =>
        node is Call { Function.Reflection: { } reflection, Arguments: [var argument] } && CanonicalSign.IsNegated(argument)
            ? reflection(Expr.Negate(argument).Reflect())
            : null);

    /// <summary>Rewrites the tree top-down: where <paramref name="rewrite"/> gives a replacement, that replaces the node (unsimplified).</summary>
    public static Expr ReplaceTopDown(this Expr e, Func<Expr, Expr?> rewrite)
    {
        if (rewrite(e) is { } replacement)
        {
            return replacement;
        }

        var children = e.Children;
        if (children.Count == 0)
        {
            return e;
        }

        var rewritten = children.Select(c => c.ReplaceTopDown(rewrite)).ToList();
        return rewritten.SequenceEqual(children) ? e : e.WithChildren(rewritten);
    }

    /// <summary>
    /// Rebuilds the tree (unsimplified, keeping its shape) with every symbol replaced by
    /// <paramref name="symbol"/>'s answer and every index, in Kronecker δs and summation indices, by
    /// <paramref name="index"/>'s: how a notation renames the symbols of a derivation.
    /// </summary>
    public static Expr Rewrite(this Expr e, Func<Symbol, Expr> symbol, Func<Subscript, Subscript> index) => e switch
    {
        Symbol s => symbol(s),
        KroneckerDelta d => new KroneckerDelta(index(d.First), index(d.Second)),
        IndexedSum s => new IndexedSum(
            index(Subscript.Named(s.Index)).Name ?? s.Index,
            s.Body.Rewrite(symbol, index),
            s.Lower?.Rewrite(symbol, index),
            s.Upper?.Rewrite(symbol, index)),
        UnevaluatedDerivative d => new UnevaluatedDerivative(d.Body.Rewrite(symbol, index), symbol(d.Variable) as Symbol ?? d.Variable, d.Partial),
        _ when e.Children.Count == 0 => e,
        _ => e.WithChildren(e.Children.Select(c => c.Rewrite(symbol, index)).ToArray()),
    };
}
