using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace BackpropGen.Symbolic.Networks;

/// <summary>A sum Σ_k body taken out of an expression for loop code: a local named <see cref="Name"/> that a loop adds up.</summary>
public sealed class Accumulator
{
    internal Accumulator(Symbol name, IndexedSum sum)
    {
        Name = name;
        Sum = sum;
    }

    public Symbol Name { get; }

    public IndexedSum Sum { get; }

    /// <summary>The number of terms: the sum's upper bound plus one.</summary>
    public int Count => (int)Sum.Upper!.Evaluate(_ => 0) + 1;
}

/// <summary>
/// An expression with every Σ_k taken out as an <see cref="Accumulator"/>, the form loop code computes: the sums that
/// do not depend on the unit index j once per example, those that do once per unit, then the expression in the
/// accumulators. Work per example is O(units), never O(units²).
/// </summary>
public sealed class LoweredSums
{
    private LoweredSums(Expr value, IReadOnlyList<Accumulator> perExample, IReadOnlyList<Accumulator> perUnit)
    {
        Value = value;
        PerExample = perExample;
        PerUnit = perUnit;
    }

    /// <summary>The expression with each sum replaced by its accumulator.</summary>
    public Expr Value { get; }

    /// <summary>Sums that do not depend on the unit index: computed once per example.</summary>
    public IReadOnlyList<Accumulator> PerExample { get; }

    /// <summary>Sums that depend on the unit index: computed for each unit.</summary>
    public IReadOnlyList<Accumulator> PerUnit { get; }

    /// <summary>
    /// Takes every Σ_k out of <paramref name="expression"/>, naming the accumulators <paramref name="prefix"/>0, 1, ….
    /// With a <paramref name="unit"/> index j, a Kronecker δ_jk is taken out of its sum (Σ_k B(δ_jk) = Σ_k B(0) + B(1)|_{k=j}
    /// − B(0)|_{k=j}) and factors free of k are moved out of it, so that only sums that really depend on j are per unit.
    /// </summary>
    public static LoweredSums Lower(Expr expression, string? unit, string prefix)
    {
        var perExample = new List<Accumulator>();
        var perUnit = new List<Accumulator>();

        Expr Take(IndexedSum sum)
        {
            if (ContainsSum(sum.Body))
            {
                throw new InvalidOperationException($"a sum inside a sum cannot be written as a loop: {sum}");
            }

            var list = unit is not null && sum.Body.ContainsIndex(unit) ? perUnit : perExample;
            var name = new Symbol(prefix + (perExample.Count + perUnit.Count).ToString(CultureInfo.InvariantCulture));
            list.Add(new Accumulator(name, sum));
            return name;
        }

        Expr? Lower(Expr e)
        {
            if (e is not IndexedSum sum)
            {
                return null;
            }

            var body = sum.Body;
            if (unit is null || !body.ContainsIndex(unit) && !ContainsKronecker(body))
            {
                return Take(sum);
            }

            if (ContainsKronecker(body))
            {
                var zero = body.ReplaceTopDown(n => n is KroneckerDelta ? Expr.Constant(0, 1) : null).Simplify();
                var one = body.ReplaceTopDown(n => n is KroneckerDelta ? Expr.Constant(1, 1) : null).Simplify();
                var diagonal = Expr.Subtract(one, zero).SubstituteIndex(sum.Index, Subscript.Named(unit)).Simplify();
                return Expr.Add(Lower(new IndexedSum(sum.Index, zero, sum.Lower, sum.Upper))!, diagonal);
            }

            var expanded = body.Expand();
            var terms = expanded is Sum s ? s.Terms : new[] { expanded };
            return Expr.Add(terms.Select(term =>
            {
                var factors = term is Product p ? p.Factors : new[] { term };
                var inner = factors.Where(f => f.ContainsIndex(sum.Index)).ToList();
                var outer = factors.Where(f => !f.ContainsIndex(sum.Index)).ToList();
                var taken = inner.Count == 0
                    ? Expr.Constant((int)sum.Upper!.Evaluate(_ => 0) + 1, 1)
                    : Take(new IndexedSum(sum.Index, Expr.Multiply(inner.ToArray()), sum.Lower, sum.Upper));
                return Expr.Multiply(outer.Append(taken).ToArray());
            }).ToArray());
        }

        var value = expression.ReplaceTopDown(Lower).Simplify();
        return new LoweredSums(value, perExample, perUnit);
    }

    /// <summary>
    /// δ_j of a hidden layer l with its sum Σ_k δ⁽ˡ⁺¹⁾_k w⁽ˡ⁺¹⁾_jk replaced by δ_j itself, which holds that sum when the
    /// expression is evaluated: the element-wise factor that turns the back-propagated sum into δ. Null when δ is not
    /// such a factor times that sum.
    /// </summary>
    public static Expr? BackpropagatedFactor(LayerDerivation layer)
    {
        var l = layer.Number;
        var sum = Expr.Multiply(NetworkSymbols.Delta(l + 1, NetworkSymbols.Next), NetworkSymbols.Weight(l + 1, NetworkSymbols.Unit, NetworkSymbols.Next)).Simplify();
        var replaced = layer.Delta.ReplaceTopDown(e => e is IndexedSum s && s.Index == NetworkSymbols.Next && s.Body.Simplify().Equals(sum) ? NetworkSymbols.Delta(l, NetworkSymbols.Unit) : null);
        return ContainsSum(replaced) ? null : replaced.Simplify();
    }

    private static bool ContainsSum(Expr e) => e is IndexedSum || e.Children.Any(ContainsSum);

    private static bool ContainsKronecker(Expr e) => e is KroneckerDelta || e.Children.Any(ContainsKronecker);
}
