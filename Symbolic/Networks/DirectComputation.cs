using System;
using System.Collections.Generic;
using System.Linq;
using static BackpropGen.Symbolic.Networks.NetworkSymbols;

namespace BackpropGen.Symbolic.Networks;

/// <summary>
/// The gradient of one weight without the chain rule, as the Coursera notes' "direct computation": the loss written
/// as a function of that weight alone (every quantity that depends on it replaced by its equation, everything else
/// held fixed), differentiated by the engine in one go, then shown equal to the chain rule's result. The equality is
/// checked symbolically, and at random points where the engine cannot bring the difference to 0.
/// </summary>
public sealed class DirectComputation
{
    /// <summary>A loss written out longer than this many nodes is not worth printing.</summary>
    public const int MaxSize = 200;

    /// <summary>Nor is a derivative longer than this many nodes once the forward values have their names back.</summary>
    public const int MaxDerivativeSize = 120;

    /// <summary>How many random points the numeric check uses.</summary>
    public const int Points = 8;

    private DirectComputation(Symbol weight, int layer, Expr lossOfWeight, Expr derivative, Expr chainRule, bool symbolic, double largestDifference)
    {
        Weight = weight;
        Layer = layer;
        LossOfWeight = lossOfWeight;
        Derivative = derivative;
        ChainRule = chainRule;
        Symbolic = symbolic;
        LargestDifference = largestDifference;
    }

    /// <summary>The weight w^{(l)}_{00}: the worked weight of the lowest hidden layer, or of the only layer.</summary>
    public Symbol Weight { get; }

    /// <summary>The layer of <see cref="Weight"/>.</summary>
    public int Layer { get; }

    /// <summary>L as a function of <see cref="Weight"/>: the loss as written, with the outputs and weighted inputs that depend on the weight replaced by their equations.</summary>
    public Expr LossOfWeight { get; }

    /// <summary>dL/dw differentiated from <see cref="LossOfWeight"/>, with the forward values written back by name (h₁, y_k).</summary>
    public Expr Derivative { get; }

    /// <summary>The chain rule's ∂L/∂w, its δs written out in forward values.</summary>
    public Expr ChainRule { get; }

    /// <summary>True when the difference of <see cref="Derivative"/> and <see cref="ChainRule"/> simplifies to 0.</summary>
    public bool Symbolic { get; }

    /// <summary>The largest relative difference of the two at <see cref="Points"/> random points.</summary>
    public double LargestDifference { get; }

    /// <summary>The direct computation of a small network's worked weight; null when the loss written out would be too long to read.</summary>
    public static DirectComputation? For(Derivation derivation)
    {
        var spec = derivation.Spec;
        if (spec.ParameterCount > NumericExample.MaxParameters)
        {
            return null;
        }

        var count = spec.Layers.Count;
        var layer = derivation.WorkedExamples.Count > 0 ? 1 : count;
        var weight = NetworkSymbols.Weight(layer, 0, 0);

        // From the loss down: outputs, then weighted inputs, of every unit that depends on the weight.
        var dependent = new List<(Symbol Name, Expr Equation)>();
        for (var l = count; l >= layer; l--)
        {
            var units = l == layer ? new[] { 0 } : Enumerable.Range(0, spec.UnitsOf(l)).ToArray();
            var layerDerivation = derivation.Layers[l - 1];
            dependent.AddRange(units.Select(j => (Output(l, j), layerDerivation.OutputAt(j))));
            dependent.AddRange(units.Select(j => (PreActivation(l, j), layerDerivation.PreActivationAt(j))));
        }

        var loss = derivation.LossAsWritten.ExpandSums();
        foreach (var (name, equation) in dependent)
        {
            loss = loss.Substitute(name, equation);
        }

        if (loss.Size() > MaxSize)
        {
            return null;
        }

        var raw = loss.Differentiate(weight);

        // Names written back from the weight up: a^{(l)}_0 for its equation, then h^{(l)}_0 for f(a^{(l)}_0), …
        // Each equation's canonical form and its negation are the same for every expression named.
        var forms = dependent.Select(d =>
        {
            var canonical = d.Equation.Simplify();
            return (d.Name, Canonical: canonical, Negated: (-canonical).Simplify(), NegatedName: -d.Name);
        }).ToList();
        Expr Named(Expr e)
        {
            for (var n = forms.Count - 1; n >= 0; n--)
            {
                var form = forms[n];
                e = e.Substitute(form.Canonical, form.Name).Substitute(form.Negated, form.NegatedName).Simplify();
            }

            return e;
        }

        // σ(−z) as 1 − σ(z), which is 1 − a by name, where that shortens the result (the notes' 1 − a).
        var named = Named(raw);
        var reflected = Named(named.Reflect());
        foreach (var candidate in new[] { reflected, reflected.Expand().Simplify() })
        {
            if (candidate.Size() < named.Size())
            {
                named = candidate;
            }
        }

        if (named.Size() > MaxDerivativeSize)
        {
            return null;
        }

        var chain = ChainRuleOf(derivation, layer);
        var symbolic = Number.IsZeroNumber((named - chain).Expand().Simplify());
        var difference = LargestDifferenceAtRandomPoints(raw, chain, dependent, derivation);
        return new DirectComputation(weight, layer, loss, named, chain, symbolic, difference);
    }

    /// <summary>∂L/∂w^{(l)}_{00} by the chain rule, each δ of a layer above replaced by its own expression.</summary>
    private static Expr ChainRuleOf(Derivation derivation, int layer)
    {
        var gradient = derivation.Layers[layer - 1].WeightGradientAt(0, 0);
        for (var l = layer; l <= derivation.Layers.Count; l++)
        {
            var above = derivation.Layers[l - 1];
            for (var k = 0; k < above.Units; k++)
            {
                gradient = gradient.Substitute(Delta(l, k), above.DeltaAt(k));
            }
        }

        return gradient.Simplify();
    }

    /// <summary>
    /// The largest relative difference of the direct derivative (in inputs, parameters and targets) and the chain rule
    /// (in forward values, computed here from the same inputs and parameters) at random points.
    /// </summary>
    private static double LargestDifferenceAtRandomPoints(Expr raw, Expr chain, IReadOnlyList<(Symbol Name, Expr Equation)> dependent, Derivation derivation)
    {
        var random = new Random(NumericExample.DefaultSeed);
        var largest = 0.0;
        for (var point = 0; point < Points; point++)
        {
            var values = new Dictionary<Symbol, double>();
            double ValueOf(Symbol s)
            {
                if (!values.TryGetValue(s, out var v))
                {
                    // Targets in (0, 1), so every loss is defined; the rest in (−1, 1).
                    v = TagOf(s)?.Role == SymbolRole.Target ? 0.05 + 0.9 * random.NextDouble() : random.NextDouble() * 2 - 1;
                    values[s] = v;
                }

                return v;
            }

            // The forward values that depend on the weight, from the bottom up, from the same base values.
            for (var n = dependent.Count - 1; n >= 0; n--)
            {
                values[dependent[n].Name] = dependent[n].Equation.Evaluate(ValueOf);
            }

            var direct = raw.Evaluate(ValueOf);
            var byChain = chain.Evaluate(ValueOf);
            largest = Math.Max(largest, Math.Abs(direct - byChain) / Math.Max(1e-12, Math.Max(Math.Abs(direct), Math.Abs(byChain))));
        }

        return largest;
    }
}
