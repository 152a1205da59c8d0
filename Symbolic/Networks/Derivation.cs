using System;
using System.Collections.Generic;
using System.Linq;

namespace BackpropGen.Symbolic.Networks;

/// <summary>A function and its derivative, both in x (the derivative computed by the engine).</summary>
public sealed class FunctionFormula
{
    public FunctionFormula(string name, Expr function, Expr derivative)
    {
        Name = name;
        Function = function;
        Derivative = derivative;
    }

    public string Name { get; }

    public Expr Function { get; }

    public Expr Derivative { get; }
}

/// <summary>How a layer's δ came out.</summary>
public enum DeltaForm
{
    /// <summary>The product of the chain rule's factors, as the notes write it: (y − t) y (1 − y).</summary>
    ChainProduct,

    /// <summary>The product simplified to something shorter: sigmoid with binary cross-entropy gives y − t.</summary>
    Simplified,

    /// <summary>Softmax with cross-entropy: the Jacobian sum collapses to y_j Σ_k t_k − t_j, which is y − t for targets that sum to 1.</summary>
    SoftmaxCrossEntropy,

    /// <summary>Softmax with another loss: the sum over the Jacobian y_k(δ_kj − y_j) stays.</summary>
    SoftmaxJacobian,
}

/// <summary>
/// The derivation for one layer l, in index form over the canonical symbols of <see cref="NetworkSymbols"/>:
/// unit j of this layer, unit i of the layer below, unit k of the layer above.
/// </summary>
public sealed class LayerDerivation
{
    internal LayerDerivation(int number, int inputs, int units, bool isOutput, ActivationSpec activation, LayerKind kind)
    {
        Kind = kind;
        Number = number;
        Inputs = inputs;
        Units = units;
        IsOutput = isOutput;
        Activation = activation;
    }

    /// <summary>l, from 1 (the first layer after the input) to the number of layers.</summary>
    public int Number { get; }

    /// <summary>Units of the layer below (the inputs of this one).</summary>
    public int Inputs { get; }

    public int Units { get; }

    public bool IsOutput { get; }

    public ActivationSpec Activation { get; }

    /// <summary>The layer's kind, which derived its output and δ.</summary>
    public LayerKind Kind { get; }

    /// <summary>a_j = Σ_i h_i w_ij + b_j, as written.</summary>
    public Expr PreActivation { get; internal set; } = null!;

    /// <summary>h_j = f(a_j), as written; for softmax e^{a_j} / Σ_k e^{a_k}.</summary>
    public Expr Output { get; internal set; } = null!;

    /// <summary>∂a_j/∂w_ij, differentiated from <see cref="PreActivation"/>: h_i of the layer below.</summary>
    public Expr PreActivationByWeight { get; internal set; } = null!;

    /// <summary>∂a_j/∂b_j: 1.</summary>
    public Expr PreActivationByBias { get; internal set; } = null!;

    /// <summary>∂h_j/∂a_j as differentiated (in a_j); null for softmax.</summary>
    public Expr? OutputByPreActivation { get; internal set; }

    /// <summary>∂h_j/∂a_j rewritten in forward values where it can be (σ'(a_j) = h_j(1 − h_j)); null for softmax.</summary>
    public Expr? OutputByPreActivationForward { get; internal set; }

    /// <summary>For softmax: h_k = e^{a_k} / Σ_m e^{a_m}, the output the Jacobian is differentiated from.</summary>
    public Expr? SoftmaxOutputOfNext { get; internal set; }

    /// <summary>For softmax: ∂h_k/∂a_j = h_k(δ_kj − h_j), differentiated from the softmax.</summary>
    public Expr? SoftmaxJacobian { get; internal set; }

    /// <summary>For a hidden layer: ∂a_k/∂h_j of the layer above, differentiated from its equation: w_jk.</summary>
    public Expr? NextPreActivationByOutput { get; internal set; }

    /// <summary>∂L/∂h_j: from the loss for the output layer; Σ_k δ_k w_jk (of the layer above) for a hidden one.</summary>
    public Expr LossByOutput { get; internal set; } = null!;

    /// <summary>The chain rule's product for δ_j before simplifying, as written.</summary>
    public Expr DeltaChain { get; internal set; } = null!;

    /// <summary>δ_j = ∂L/∂a_j, simplified (see <see cref="DeltaForm"/>).</summary>
    public Expr Delta { get; internal set; } = null!;

    public DeltaForm DeltaForm { get; internal set; }

    /// <summary>∂L/∂w_ij written out by the chain rule, as written: (y_j − t_j) y_j (1 − y_j) h_i.</summary>
    public Expr WeightGradientChain { get; internal set; } = null!;

    /// <summary>∂L/∂w_ij = δ_j h_i.</summary>
    public Expr WeightGradient { get; internal set; } = null!;

    /// <summary>∂L/∂b_j = δ_j.</summary>
    public Expr BiasGradient { get; internal set; } = null!;

    /// <summary>δ_j as loop code computes it for every unit j of an example, its sums as accumulators.</summary>
    public LoweredSums LoopDelta => _loopDelta ??= LoweredSums.Lower(Delta, NetworkSymbols.Unit, "deltaSum");

    private LoweredSums? _loopDelta;

    /// <summary>
    /// For a hidden layer whose δ is a factor times Σ_k δ_k w_jk: that factor with the sum replaced by δ_j (see
    /// <see cref="LoweredSums.BackpropagatedFactor"/>); null otherwise.
    /// </summary>
    public Expr? BackpropagatedFactor => IsOutput ? null : _factor ??= LoweredSums.BackpropagatedFactor(this);

    private Expr? _factor;

    /// <summary>a_j at a concrete unit, the sum over the layer below written out.</summary>
    public Expr PreActivationAt(int unit) => Cached(0, unit, 0, () => At(PreActivation, unit).ExpandSums());

    /// <summary>h_j at a concrete unit, in terms of a_j (for softmax, of all a_k).</summary>
    public Expr OutputAt(int unit) => Cached(1, unit, 0, () => At(Output, unit).ExpandSums());

    /// <summary>δ_j at a concrete unit, in forward values, targets and the δs of the layer above.</summary>
    public Expr DeltaAt(int unit) => Cached(2, unit, 0, () => At(Delta, unit).ExpandSums().Simplify());

    /// <summary>∂L/∂w_ij at concrete units.</summary>
    public Expr WeightGradientAt(int from, int unit) =>
        Cached(3, unit, from, () => At(WeightGradient, unit).SubstituteIndex(NetworkSymbols.From, from).Simplify());

    /// <summary>∂L/∂b_j at a concrete unit.</summary>
    public Expr BiasGradientAt(int unit) => Cached(4, unit, 0, () => At(BiasGradient, unit).Simplify());

    /// <summary>The per-unit expressions, computed once: every method of the generated code prints them again.</summary>
    private readonly Dictionary<(int What, int Unit, int From), Expr> _atUnit = new();

    private Expr Cached(int what, int unit, int from, Func<Expr> compute)
    {
        if (!_atUnit.TryGetValue((what, unit, from), out var value))
        {
            value = compute();
            _atUnit.Add((what, unit, from), value);
        }

        return value;
    }

    private static Expr At(Expr e, int unit) => e.SubstituteIndex(NetworkSymbols.Unit, unit);
}

/// <summary>
/// The notes' worked example for the first weight of a hidden layer at concrete indices:
/// ∂L/∂w₁₁ = [(y₁ − t₁)y₁(1 − y₁)u₁₁ + (y₂ − t₂)y₂(1 − y₂)u₁₂] h₁(1 − h₁) x₁.
/// </summary>
public sealed class WorkedExample
{
    internal WorkedExample(int layer, IReadOnlyList<Expr> terms, Expr lossByOutput, Expr gradient, bool abbreviated)
    {
        Layer = layer;
        Terms = terms;
        LossByOutput = lossByOutput;
        Gradient = gradient;
        Abbreviated = abbreviated;
    }

    /// <summary>The hidden layer whose weight w_00 (w₁₁ in 1-based notes) is worked.</summary>
    public int Layer { get; }

    /// <summary>One term of ∂L/∂h_0 per unit k of the layer above: δ_k (written out when it is the output layer) times w_0k.</summary>
    public IReadOnlyList<Expr> Terms { get; }

    /// <summary>∂L/∂h_0: the sum of <see cref="Terms"/>, or Σ_k δ_k w_0k when the layer above is too wide to write out.</summary>
    public Expr LossByOutput { get; }

    /// <summary>∂L/∂w_00 = [∂L/∂h_0] ∂h_0/∂a_0 x_0, as written.</summary>
    public Expr Gradient { get; }

    /// <summary>True when the layer above was too wide to write out term by term.</summary>
    public bool Abbreviated { get; }
}

/// <summary>
/// The whole derivation of a network's gradients by the chain rule, as data: the loss and activation
/// formulas, per layer the local derivatives, δ and the gradients, the worked examples, the general
/// recursion, and the numbered equations both the document and the generated code cite.
/// </summary>
public sealed class Derivation
{
    private readonly Dictionary<string, int> _equationNumbers;

    internal Derivation(
        NetworkSpec spec,
        Expr lossPerOutput,
        Expr lossPerOutputDerivative,
        Expr loss,
        Expr lossAsWritten,
        Expr? stableLoss,
        IReadOnlyList<FunctionFormula> activations,
        IReadOnlyList<LayerDerivation> layers,
        IReadOnlyList<WorkedExample> workedExamples,
        Expr? generalDelta,
        IReadOnlyList<string> equationLabels)
    {
        Spec = spec;
        LossPerOutput = lossPerOutput;
        LossPerOutputDerivative = lossPerOutputDerivative;
        Loss = loss;
        LossAsWritten = lossAsWritten;
        StableLoss = stableLoss;
        Activations = activations;
        Layers = layers;
        WorkedExamples = workedExamples;
        GeneralDelta = generalDelta;
        EquationLabels = equationLabels;
        Update = UpdateRule.For(spec.Training);
        _equationNumbers = equationLabels.Select((label, i) => (label, i)).ToDictionary(x => x.label, x => x.i + 1, StringComparer.Ordinal);
    }

    public NetworkSpec Spec { get; }

    /// <summary>ℓ(y, t) of one output, in the plain symbols y and t.</summary>
    public Expr LossPerOutput { get; }

    /// <summary>∂ℓ/∂y.</summary>
    public Expr LossPerOutputDerivative { get; }

    /// <summary>L = Σ_j ℓ(h_j, t_j) over the outputs (the sum bounded by the output count).</summary>
    public Expr Loss { get; }

    /// <summary>L = Σ_k ℓ(h_k, t_k) with ℓ as the loss was written, for showing when the simplified form reads worse.</summary>
    public Expr LossAsWritten { get; }

    /// <summary>
    /// The loss written in the output layer's weighted inputs so that it stays finite where an output rounds to 0 or
    /// 1: for sigmoid outputs log σ(a) = −softplus(−a) and log(1 − σ(a)) = −softplus(a); for softmax outputs
    /// log y_k = a_k − m − log S with m = max_j a_j and S = Σ_j e^{a_j − m}. Null when the loss takes no logarithm of
    /// an output, so the loss itself is already safe.
    /// </summary>
    public Expr? StableLoss { get; }

    /// <summary>Each distinct per-unit activation with its derivative.</summary>
    public IReadOnlyList<FunctionFormula> Activations { get; }

    /// <summary>Layers 1 … L, in order (the output layer last).</summary>
    public IReadOnlyList<LayerDerivation> Layers { get; }

    public LayerDerivation OutputLayer => Layers[Layers.Count - 1];

    /// <summary>One worked example per hidden layer.</summary>
    public IReadOnlyList<WorkedExample> WorkedExamples { get; }

    /// <summary>
    /// δ^{(l)}_j = Σ_k δ^{(l+1)}_k w^{(l+1)}_{jk} f'(a^{(l)}_j) for a general hidden layer l, when every hidden
    /// layer has the same activation; null otherwise or when there is no hidden layer.
    /// </summary>
    public Expr? GeneralDelta { get; }

    /// <summary>The labels of the numbered equations, in the order the document shows them.</summary>
    public IReadOnlyList<string> EquationLabels { get; }

    /// <summary>How a training step updates each parameter from its gradient.</summary>
    public UpdateRule Update { get; }

    /// <summary>λ of the L2 penalty, the symbol of the objective's extra term.</summary>
    public static readonly Symbol L2Strength = NetworkSymbols.Hyperparameter("lambda");

    /// <summary>The objective J, L plus the penalty when there is one.</summary>
    public static readonly Symbol Objective = new("J", null, System.Array.Empty<Subscript>(), new NetworkTag(SymbolRole.Loss, 0, "objective"));

    /// <summary>λ of the L2 penalty (λ/2) Σ w² on the weights; 0 for none.</summary>
    public double L2 => Spec.Training.L2;

    /// <summary>
    /// The L2 penalty as the objective adds it, (λ/2) Σ over every layer of Σ_i Σ_j (w^{(l)}_{ij})², the biases left
    /// out; null without a penalty.
    /// </summary>
    public Expr? Penalty => L2 <= 0 ? null
        : new Product(new Number(new Rational(1, 2)), L2Strength, new Sum(Layers.Select(l =>
            (Expr)new IndexedSum(NetworkSymbols.From, new IndexedSum(NetworkSymbols.Unit,
                new Power(NetworkSymbols.Weight(l.Number, NetworkSymbols.From, NetworkSymbols.Unit), new Number(new Rational(2, 1))),
                Number.Zero, new Number(new Rational(l.Units - 1, 1))), Number.Zero, new Number(new Rational(l.Inputs - 1, 1))))));

    /// <summary>
    /// ∂J/∂w of layer <paramref name="layer"/>'s weight from <paramref name="from"/> to <paramref name="unit"/>:
    /// ∂L/∂w, plus λ w with a penalty. The objective's gradient of a bias is the loss's.
    /// </summary>
    public Expr ObjectiveWeightGradientAt(LayerDerivation layer, int from, int unit) =>
        L2 <= 0 ? layer.WeightGradientAt(from, unit)
        : new Sum(layer.WeightGradientAt(from, unit), new Product(L2Strength, NetworkSymbols.Weight(layer.Number, from, unit)));

    /// <summary>The loss as loop code computes it (the stable form where there is one), its sums as accumulators.</summary>
    public LoweredSums LoopLoss => _loopLoss ??= LoweredSums.Lower(StableLoss ?? Loss, null, "lossSum");

    private LoweredSums? _loopLoss;

    /// <summary>The number of a labelled equation (1-based).</summary>
    public int EquationNumber(string label) =>
        _equationNumbers.TryGetValue(label, out var n) ? n : throw new KeyNotFoundException($"no equation is labelled '{label}'");

    /// <summary>Derives every gradient of the network with the chain rule.</summary>
    public static Derivation Derive(NetworkSpec spec) => NetworkDeriver.Derive(spec);
}

/// <summary>The labels of the numbered equations.</summary>
public static class EquationLabels
{
    public static string PreActivation(int layer) => $"eq:pre-activation-{layer}";

    public static string Output(int layer) => $"eq:output-{layer}";

    public const string Loss = "eq:loss";

    public const string LossDerivative = "eq:loss-derivative";

    /// <summary>The derivative of the <paramref name="index"/>-th distinct activation (1-based).</summary>
    public static string ActivationDerivative(int index) => $"eq:activation-{index}";

    public const string SoftmaxJacobian = "eq:softmax-jacobian";

    public static string Delta(int layer) => $"eq:delta-{layer}";

    public static string WeightGradient(int layer) => $"eq:weight-gradient-{layer}";

    public static string WorkedExample(int layer) => $"eq:worked-example-{layer}";

    public static string BiasGradient(int layer) => $"eq:bias-gradient-{layer}";

    public const string BatchMean = "eq:batch-mean";

    public const string General = "eq:general";

    /// <summary>J = L + (λ/2) Σ w², with an L2 penalty.</summary>
    public const string Objective = "eq:objective";

    /// <summary>∂J/∂w = ∂L/∂w + λ w, with an L2 penalty.</summary>
    public const string ObjectiveWeightGradient = "eq:objective-weight-gradient";

    /// <summary>The <paramref name="index"/>-th equation (1-based) of an update rule other than θ ← θ − η g.</summary>
    public static string UpdateStep(int index) => $"eq:update-{index}";

    public static string WeightUpdate(int layer) => $"eq:weight-update-{layer}";

    public static string BiasUpdate(int layer) => $"eq:bias-update-{layer}";
}
