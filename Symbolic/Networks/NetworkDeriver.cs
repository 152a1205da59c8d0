using System;
using System.Collections.Generic;
using System.Linq;
using static BackpropGen.Symbolic.Networks.NetworkSymbols;

namespace BackpropGen.Symbolic.Networks;

/// <summary>
/// The chain rule through a dense network, layer by layer from the output down. Every local derivative is
/// computed by <see cref="Expr.Differentiate(Symbol)"/> from the layer's own equation, so nothing is a pasted
/// formula. The work per layer does not depend on its width: formulas stay in index form.
/// </summary>
internal static class NetworkDeriver
{
    /// <summary>The worked example writes out the layer above term by term up to this many units.</summary>
    public const int WorkedExampleMaxTerms = 4;

    public static Derivation Derive(NetworkSpec spec)
    {
        var count = spec.Layers.Count;
        var lossPerOutput = spec.Loss.ForOutputs(spec.Outputs).Simplify();
        var lossPerOutputDerivative = lossPerOutput.Differentiate(LossSpec.Output);
        var loss = Expr.SumOver(Next, OutputLoss(lossPerOutput, count, Next), 0, spec.Outputs - 1);
        var lossAsWritten = new IndexedSum(Next, OutputLoss(spec.Loss.ForOutputs(spec.Outputs), count, Next), 0, spec.Outputs - 1);

        var layers = new LayerDerivation[count];
        var context = new DerivationContext(spec, loss, layers);
        for (var l = count; l >= 1; l--)
        {
            layers[l - 1] = DeriveLayer(spec, l, context);
        }

        var workedExamples = layers.Take(count - 1).Select(layer => WorkedExample(layer, layers[layer.Number])).ToList();
        var activations = spec.Layers.Select(l => l.Kind).Distinct().Select(k => k.Formula).OfType<FunctionFormula>().ToList();

        var general = GeneralDelta(spec);
        return new Derivation(spec, lossPerOutput, lossPerOutputDerivative, loss, lossAsWritten, StableLoss(spec, loss), activations, layers, workedExamples,
            general, Labels(spec, activations.Count, general is not null));
    }

    /// <summary>ℓ(h^{(L)}_k, t_k).</summary>
    private static Expr OutputLoss(Expr lossPerOutput, int outputLayer, Subscript unit) =>
        lossPerOutput.Substitute(LossSpec.Output, Output(outputLayer, unit)).Substitute(LossSpec.Target, Target(unit));

    /// <summary>Layer <paramref name="l"/>, after every layer above it is derived.</summary>
    private static LayerDerivation DeriveLayer(NetworkSpec spec, int l, DerivationContext context)
    {
        var kind = spec.Layers[l - 1].Kind;
        var layer = new LayerDerivation(l, spec.UnitsOf(l - 1), spec.UnitsOf(l), l == spec.Layers.Count, spec.Layers[l - 1].Activation, kind);
        layer.PreActivation = kind.WeightedInput(spec, l, Unit, From);
        layer.PreActivationByWeight = layer.PreActivation.Differentiate(Weight(l, From, Unit));
        layer.PreActivationByBias = layer.PreActivation.Differentiate(Bias(l, Unit));
        kind.DeriveOutputAndDelta(layer, context);

        var chainFactors = layer.DeltaForm == DeltaForm.ChainProduct ? Factors(layer.DeltaChain) : new[] { layer.Delta };
        layer.WeightGradientChain = new Product(chainFactors.Append(layer.PreActivationByWeight));
        layer.WeightGradient = Expr.Multiply(Delta(l, Unit), layer.PreActivationByWeight);
        layer.BiasGradient = Expr.Multiply(Delta(l, Unit), layer.PreActivationByBias);
        return layer;
    }

    /// <summary>
    /// The loss in the output layer's weighted inputs, for the outputs whose logarithm overflows (see
    /// <see cref="LayerKind.StableLoss"/>). Null when no log of an output occurs, or no safer form is known.
    /// </summary>
    private static Expr? StableLoss(NetworkSpec spec, Expr loss)
    {
        var l = spec.Layers.Count;
        return loss.Contains(Expr.Log(Output(l, Next))) ? spec.Layers[l - 1].Kind.StableLoss(l, loss) : null;
    }

    private static WorkedExample WorkedExample(LayerDerivation layer, LayerDerivation above)
    {
        var weight = layer.NextPreActivationByOutput!.SubstituteIndex(Unit, 0);
        var abbreviated = above.Units > WorkedExampleMaxTerms;
        var terms = new List<Expr>();
        Expr lossByOutput;
        if (abbreviated)
        {
            lossByOutput = layer.LossByOutput.SubstituteIndex(Unit, 0);
        }
        else
        {
            for (var k = 0; k < above.Units; k++)
            {
                var delta = !above.IsOutput || above.DeltaForm == DeltaForm.SoftmaxJacobian ? Delta(above.Number, k)
                    : above.DeltaForm == DeltaForm.ChainProduct ? above.DeltaChain.SubstituteIndex(Unit, k)
                    : above.Delta.SubstituteIndex(Unit, k);
                terms.Add(new Product(Factors(delta).Append(weight.SubstituteIndex(Next, k))));
            }

            lossByOutput = terms.Count == 1 ? terms[0] : new Sum(terms);
        }

        var gradient = new Product(
            new[] { lossByOutput }
                .Concat(Factors(layer.OutputByPreActivationForward!.SubstituteIndex(Unit, 0)))
                .Append(layer.PreActivationByWeight.SubstituteIndex(From, 0).SubstituteIndex(Unit, 0)));
        return new WorkedExample(layer.Number, terms, lossByOutput, gradient, abbreviated);
    }

    /// <summary>δ^{(l)}_j = Σ_k δ^{(l+1)}_k w^{(l+1)}_{jk} f'(a^{(l)}_j), when all hidden layers share one activation.</summary>
    private static Expr? GeneralDelta(NetworkSpec spec)
    {
        var hidden = spec.Layers.Take(spec.Layers.Count - 1).Select(l => l.Activation).Distinct().ToList();
        if (hidden.Count != 1)
        {
            return null;
        }

        var a = PreActivation(GeneralLayer, Unit);
        var h = Output(GeneralLayer, Unit);
        var next = new Sum(
            new IndexedSum(From, new Product(Output(GeneralLayer, From), Weight(GeneralNextLayer, From, Next))),
            Bias(GeneralNextLayer, Next));
        var byOutput = next.Differentiate(h);
        var f = hidden[0].Apply(a);
        var derivative = f.Differentiate(a).Substitute(f.Simplify(), h).Simplify();
        return new Product(Factors(new IndexedSum(Next, new Product(Delta(GeneralNextLayer, Next), byOutput))).Concat(Factors(derivative)));
    }

    /// <summary>The numbered equations in the order the document shows them.</summary>
    private static IReadOnlyList<string> Labels(NetworkSpec spec, int activationCount, bool hasGeneral)
    {
        var count = spec.Layers.Count;
        var labels = new List<string>();
        for (var l = 1; l <= count; l++)
        {
            labels.Add(EquationLabels.PreActivation(l));
            labels.Add(EquationLabels.Output(l));
        }

        labels.Add(EquationLabels.Loss);
        labels.Add(EquationLabels.LossDerivative);
        labels.AddRange(Enumerable.Range(1, activationCount).Select(EquationLabels.ActivationDerivative));
        if (spec.Layers[count - 1].Kind is SoftmaxLayer)
        {
            labels.Add(EquationLabels.SoftmaxJacobian);
        }

        labels.Add(EquationLabels.Delta(count));
        labels.Add(EquationLabels.WeightGradient(count));
        for (var l = count - 1; l >= 1; l--)
        {
            labels.Add(EquationLabels.Delta(l));
            labels.Add(EquationLabels.WeightGradient(l));
            labels.Add(EquationLabels.WorkedExample(l));
        }

        for (var l = count; l >= 1; l--)
        {
            labels.Add(EquationLabels.BiasGradient(l));
        }

        labels.Add(EquationLabels.BatchMean);
        if (hasGeneral)
        {
            labels.Add(EquationLabels.General);
        }

        if (spec.Training.L2 > 0)
        {
            labels.Add(EquationLabels.Objective);
            labels.Add(EquationLabels.ObjectiveWeightGradient);
        }

        var rule = UpdateRule.For(spec.Training);
        if (rule.IsPlainStep)
        {
            for (var l = 1; l <= count; l++)
            {
                labels.Add(EquationLabels.WeightUpdate(l));
                labels.Add(EquationLabels.BiasUpdate(l));
            }
        }
        else
        {
            labels.AddRange(Enumerable.Range(1, rule.Equations.Count).Select(EquationLabels.UpdateStep));
        }

        return labels;
    }

    /// <summary>The factors of a product, or the expression alone: to write chain-rule products flat.</summary>
    internal static IEnumerable<Expr> Factors(Expr e) => e is Product p ? p.Factors : new[] { e };
}
