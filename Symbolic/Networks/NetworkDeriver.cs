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

    /// <summary>The softmax normaliser's own index, used only while differentiating it.</summary>
    private const string Normaliser = "m";

    public static Derivation Derive(NetworkSpec spec)
    {
        var count = spec.Layers.Count;
        var lossPerOutput = spec.Loss.ForOutputs(spec.Outputs).Simplify();
        var lossPerOutputDerivative = lossPerOutput.Differentiate(LossSpec.Output);
        var loss = Expr.SumOver(Next, OutputLoss(lossPerOutput, count, Next), 0, spec.Outputs - 1);
        var lossAsWritten = new IndexedSum(Next, OutputLoss(spec.Loss.ForOutputs(spec.Outputs), count, Next), 0, spec.Outputs - 1);

        var layers = new LayerDerivation[count];
        for (var l = count; l >= 1; l--)
        {
            layers[l - 1] = DeriveLayer(spec, l, loss, l < count ? layers[l] : null);
        }

        var workedExamples = layers.Take(count - 1).Select(layer => WorkedExample(layer, layers[layer.Number])).ToList();
        var activations = spec.Layers.Select(l => l.Activation).Where(a => !a.IsSoftmax).Distinct()
            .Select(a => new FunctionFormula(a.Name, a.Expression!, a.Expression!.Differentiate(ActivationSpec.Variable)))
            .ToList();

        var general = GeneralDelta(spec);
        return new Derivation(spec, lossPerOutput, lossPerOutputDerivative, loss, lossAsWritten, StableLoss(spec, loss), activations, layers, workedExamples,
            general, Labels(spec, activations.Count, general is not null));
    }

    /// <summary>ℓ(h^{(L)}_k, t_k).</summary>
    private static Expr OutputLoss(Expr lossPerOutput, int outputLayer, Subscript unit) =>
        lossPerOutput.Substitute(LossSpec.Output, Output(outputLayer, unit)).Substitute(LossSpec.Target, Target(unit));

    /// <summary>a^{(l)}_unit = Σ_from h^{(l−1)}_from w^{(l)}_{from,unit} + b^{(l)}_unit, as written.</summary>
    private static Expr LayerEquation(NetworkSpec spec, int layer, string unit, string from) =>
        new Sum(
            new IndexedSum(from, new Product(Output(layer - 1, from), Weight(layer, from, unit)), 0, spec.UnitsOf(layer - 1) - 1),
            Bias(layer, unit));

    private static LayerDerivation DeriveLayer(NetworkSpec spec, int l, Expr loss, LayerDerivation? above)
    {
        var activation = spec.Layers[l - 1].Activation;
        var layer = new LayerDerivation(l, spec.UnitsOf(l - 1), spec.UnitsOf(l), above is null, activation);
        var a = PreActivation(l, Unit);
        var h = Output(l, Unit);

        layer.PreActivation = LayerEquation(spec, l, Unit, From);
        layer.PreActivationByWeight = layer.PreActivation.Differentiate(Weight(l, From, Unit));
        layer.PreActivationByBias = layer.PreActivation.Differentiate(Bias(l, Unit));

        if (activation.IsSoftmax)
        {
            DeriveSoftmax(spec, layer, loss);
        }
        else
        {
            layer.Output = activation.Apply(a);
            var derivative = layer.Output.Differentiate(a);
            layer.OutputByPreActivation = derivative;
            layer.OutputByPreActivationForward = derivative.Substitute(layer.Output.Simplify(), h).Simplify();

            if (above is null)
            {
                layer.LossByOutput = loss.Differentiate(h);
            }
            else
            {
                // ∂L/∂h_j = Σ_k ∂L/∂a_k ∂a_k/∂h_j, with ∂a_k/∂h_j from the layer above's own equation.
                var byOutput = LayerEquation(spec, l + 1, Next, From).Differentiate(h);
                layer.NextPreActivationByOutput = byOutput;
                layer.LossByOutput = new IndexedSum(Next, new Product(Delta(l + 1, Next), byOutput), 0, above.Units - 1);
            }

            layer.DeltaChain = new Product(Factors(layer.LossByOutput).Concat(Factors(layer.OutputByPreActivationForward)));
            var simplified = layer.DeltaChain.Simplify();
            var expanded = simplified.Expand();
            var shorter = expanded.Size() < simplified.Size();
            layer.Delta = shorter ? expanded : simplified;
            layer.DeltaForm = shorter ? DeltaForm.Simplified : DeltaForm.ChainProduct;
        }

        var chainFactors = layer.DeltaForm == DeltaForm.ChainProduct ? Factors(layer.DeltaChain) : new[] { layer.Delta };
        layer.WeightGradientChain = new Product(chainFactors.Append(layer.PreActivationByWeight));
        layer.WeightGradient = Expr.Multiply(Delta(l, Unit), layer.PreActivationByWeight);
        layer.BiasGradient = Expr.Multiply(Delta(l, Unit), layer.PreActivationByBias);
        return layer;
    }

    /// <summary>
    /// Softmax: the Jacobian ∂h_k/∂a_j differentiated from e^{a_k} / Σ_m e^{a_m} and rewritten in the outputs,
    /// then δ_j = Σ_k ∂L/∂h_k ∂h_k/∂a_j; for cross-entropy, Σ_k t_k = 1 reduces it to h_j − t_j.
    /// </summary>
    private static void DeriveSoftmax(NetworkSpec spec, LayerDerivation layer, Expr loss)
    {
        var l = layer.Number;
        var last = layer.Units - 1;
        layer.Output = new Product(
            new Call(Function.Exp, PreActivation(l, Unit)),
            new Power(new IndexedSum(Next, new Call(Function.Exp, PreActivation(l, Next)), 0, last), Number.MinusOne));

        var normaliser = Expr.SumOver(Normaliser, Expr.Exp(PreActivation(l, Normaliser)), 0, last);
        var outputK = Expr.Divide(Expr.Exp(PreActivation(l, Next)), normaliser);
        var jacobian = outputK.Differentiate(PreActivation(l, Unit))
            .Substitute(Expr.Exp(PreActivation(l, Next)), Expr.Multiply(Output(l, Next), normaliser))
            .Substitute(Expr.Exp(PreActivation(l, Unit)), Expr.Multiply(Output(l, Unit), normaliser))
            .Simplify();
        var factored = new Product(Output(l, Next), new Sum(new KroneckerDelta(Next, Unit), new Product(Number.MinusOne, Output(l, Unit))));
        layer.SoftmaxJacobian = factored.Expand().Equals(jacobian.Expand()) ? factored : jacobian;

        var lossByOutputK = loss.Differentiate(Output(l, Next));
        layer.LossByOutput = loss.Differentiate(Output(l, Unit));
        layer.DeltaChain = new IndexedSum(Next, new Product(Factors(lossByOutputK).Concat(Factors(layer.SoftmaxJacobian))), 0, last);

        if (spec.Loss.Kind == LossKind.CrossEntropy)
        {
            var targetsSum = Expr.SumOver(Next, Target(Next), 0, last);
            layer.Delta = layer.DeltaChain.Expand().Substitute(targetsSum, Number.One).Simplify();
            layer.DeltaForm = DeltaForm.SoftmaxCrossEntropy;
        }
        else
        {
            layer.Delta = layer.DeltaChain.Simplify();
            layer.DeltaForm = DeltaForm.SoftmaxJacobian;
        }
    }

    /// <summary>
    /// The loss in the output layer's weighted inputs, for the outputs whose logarithm overflows: the engine's own
    /// rules turn log σ(a) into −softplus(−a); a softmax's log y_k is a_k − m − log S. Null when no log of an output occurs.
    /// </summary>
    private static Expr? StableLoss(NetworkSpec spec, Expr loss)
    {
        var l = spec.Layers.Count;
        var output = spec.Layers[l - 1].Activation;
        var logOfOutput = Expr.Log(Output(l, Next));
        if (!loss.Contains(logOfOutput))
        {
            return null;
        }

        if (output.IsSoftmax)
        {
            var logSoftmax = Expr.Add(PreActivation(l, Next), Expr.Negate(SoftmaxMax(l)), Expr.Negate(Expr.Log(SoftmaxSum(l))));
            return loss.Substitute(logOfOutput, logSoftmax).Simplify();
        }

        if (output.IsSigmoid)
        {
            var stable = loss.Substitute(Output(l, Next), Expr.Sigmoid(PreActivation(l, Next))).Simplify();
            return stable.Contains(Expr.Log(Expr.Sigmoid(PreActivation(l, Next)))) ? null : stable;
        }

        return null;
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
        if (spec.Layers[count - 1].Activation.IsSoftmax)
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

        for (var l = 1; l <= count; l++)
        {
            labels.Add(EquationLabels.WeightUpdate(l));
            labels.Add(EquationLabels.BiasUpdate(l));
        }

        return labels;
    }

    /// <summary>The factors of a product, or the expression alone: to write chain-rule products flat.</summary>
    private static IEnumerable<Expr> Factors(Expr e) => e is Product p ? p.Factors : new[] { e };
}
