using System;
using System.Collections.Generic;
using System.Linq;
using static BackpropGen.Symbolic.Networks.NetworkSymbols;

namespace BackpropGen.Symbolic.Networks;

/// <summary>How a layer's weights are drawn: uniformly from ±√(6 / fan).</summary>
public enum Initialization
{
    /// <summary>fan = inputs + units (Glorot and Bengio), for saturating and linear activations.</summary>
    Xavier,

    /// <summary>fan = inputs (He et al.), for ReLU-like activations, which zero half their inputs.</summary>
    He,
}

/// <summary>
/// A kind of layer: how its units' outputs come from their weighted inputs a_j = Σ_i h_i w_ij + b_j, and how the
/// chain rule passes back through them. The deriver asks the kind for the layer's output equation, its local
/// derivatives and its δ; the document, the code emitter and the size checks ask it what it needs. The weighted
/// input, the parameter shape (an inputs × units block of weights, then the biases) and the gradients
/// ∂L/∂w_ij = δ_j h_i, ∂L/∂b_j = δ_j are those of every dense kind; a kind with other parameters (a convolution)
/// or other inputs (a residual connection) overrides them (see docs/ARCHITECTURE.md).
/// </summary>
public abstract class LayerKind : IEquatable<LayerKind>
{
    /// <summary>The kind of a dense layer with <paramref name="activation"/>: element-wise, or softmax over the layer.</summary>
    public static LayerKind Of(ActivationSpec activation) => activation.IsSoftmax ? SoftmaxLayer.Instance : new ElementwiseLayer(activation);

    /// <summary>A dense layer with the identity: the shape that stands for a layer whose activation is not known (yet), in size checks.</summary>
    public static LayerKind Dense { get; } = new ElementwiseLayer(ActivationSpec.Identity);

    /// <summary>For prose and the figure: <c>sigmoid</c>, <c>softmax</c>.</summary>
    public abstract string Name { get; }

    /// <summary>True for a kind that can only be the output layer (softmax).</summary>
    public virtual bool OutputOnly => false;

    /// <summary>How the layer's weights are initialised.</summary>
    public virtual Initialization Initialization => Initialization.Xavier;

    /// <summary>
    /// How many weights the layer has when it reads <paramref name="inputs"/> values and has <paramref name="units"/>
    /// units: the dense inputs × units block. Decimal, so that a declared size is checked before it can overflow.
    /// </summary>
    public virtual decimal WeightCount(decimal inputs, decimal units) => inputs * units;

    /// <summary>How many biases the layer has: one per unit.</summary>
    public virtual decimal BiasCount(decimal units) => units;

    /// <summary>
    /// How many copies of the layer's per-unit expressions (its function and derivative) the code writes: one per unit
    /// when the layer is unrolled, one for its loop. The size check of custom expressions (BPG0026) multiplies by it.
    /// </summary>
    public virtual decimal WrittenCopies(decimal units, bool looped) => looped ? 1 : units;

    /// <summary>The element-wise function with its derivative, for the document's list of activations; null when the output is not element-wise.</summary>
    public virtual FunctionFormula? Formula => null;

    /// <summary>
    /// The layers whose outputs layer <paramref name="layer"/> reads (0 is the input): the one below for a dense layer; a
    /// residual connection would add an earlier one. The deriver sums ∂L/∂h of a layer over every layer that reads it.
    /// </summary>
    public virtual IReadOnlyList<int> Reads(int layer) => new[] { layer - 1 };

    /// <summary>
    /// a^{(l)}_unit, the weighted input of unit <paramref name="unit"/> of layer <paramref name="layer"/> as written, with
    /// <paramref name="from"/> the index of the layer below: Σ_from h^{(l−1)}_from w^{(l)}_{from,unit} + b^{(l)}_unit.
    /// </summary>
    internal virtual Expr WeightedInput(NetworkSpec spec, int layer, string unit, string from) =>
        new Sum(
            new IndexedSum(from, new Product(Output(layer - 1, from), Weight(layer, from, unit)), 0, spec.UnitsOf(layer - 1) - 1),
            Bias(layer, unit));

    /// <summary>
    /// h_j of the layer from the weighted inputs, and δ_j = ∂L/∂a_j from ∂L/∂h: fills the
    /// output equation, the local derivatives and δ of <paramref name="derivation"/>.
    /// </summary>
    internal abstract void DeriveOutputAndDelta(LayerDerivation derivation, DerivationContext context);

    /// <summary>
    /// The loss written in this output layer's weighted inputs where the loss takes the logarithm of an output, so that
    /// it stays finite where an output rounds to 0 or 1; null when no such form is known.
    /// </summary>
    internal abstract Expr? StableLoss(int layer, Expr loss);

    // ----- the document fragment: what the derivation document says about a layer of this kind -----

    /// <summary>
    /// True when each unit's output depends on its own weighted input only (a diagonal Jacobian), so each unit lies on one
    /// path from its weights to the loss; the document then draws that path and its computational graph.
    /// </summary>
    public virtual bool DiagonalJacobian => true;

    /// <summary>How the document names what the layer applies to its weighted inputs: "activation", "softmax".</summary>
    public virtual string AppliedName => "activation";

    /// <summary>The chain rule for ∂L/∂w_ij of layer <paramref name="layer"/>, as unevaluated derivatives: ∂L/∂h_j ∂h_j/∂a_j ∂a_j/∂w_ij.</summary>
    public virtual Expr WeightChain(int layer) =>
        new Product(Partial(NetworkSymbols.Loss, Output(layer, Unit)), Partial(Output(layer, Unit), PreActivation(layer, Unit)), Partial(PreActivation(layer, Unit), Weight(layer, From, Unit)));

    /// <summary>The sentence that leads to the chain rule of the output layer's weights.</summary>
    public virtual Prose OutputChainIntro(int layer) => new("Following the chain rule,");

    /// <summary>
    /// The output layer's factors of its chain rule besides ∂a/∂w, each an unevaluated derivative and its value:
    /// ∂L/∂h_j = … and ∂h_j/∂a_j = … for an element-wise layer.
    /// </summary>
    public virtual IReadOnlyList<KeyValuePair<Expr, IReadOnlyList<Expr>>> OutputFactors(LayerDerivation layer) => new[]
    {
        Factor(Partial(NetworkSymbols.Loss, Output(layer.Number, Unit)), layer.LossByOutput),
        Factor(Partial(Output(layer.Number, Unit), PreActivation(layer.Number, Unit)), layer.OutputByPreActivation!, layer.OutputByPreActivationForward!),
    };

    /// <summary>A factor and its values, each step once: σ(a)(1 − σ(a)) = y(1 − y).</summary>
    private protected static KeyValuePair<Expr, IReadOnlyList<Expr>> Factor(Expr factor, params Expr[] steps) =>
        new(factor, steps.Where((step, i) => i == 0 || !step.Equals(steps[i - 1])).ToArray());

    /// <summary>The steps of δ_j after its definition ∂L/∂a_j, ending at <see cref="LayerDerivation.Delta"/>.</summary>
    public virtual IReadOnlyList<Expr> DeltaSteps(LayerDerivation layer) =>
        layer.DeltaForm == DeltaForm.Simplified ? new[] { layer.DeltaChain, layer.Delta } : new[] { layer.DeltaChain };

    /// <summary>A sentence after δ of an output layer of this kind, saying why it came out as it did; null when there is nothing to say.</summary>
    public virtual Prose? DeltaNote(LayerDerivation layer) =>
        layer.DeltaForm == DeltaForm.Simplified
            ? new Prose("The product simplifies: the derivative of the activation cancels the denominators of the loss's derivative.")
            : null;

    /// <summary>∂L/∂a_k of unit <paramref name="unit"/> along its path to the loss, as unevaluated derivatives: ∂L/∂h_k ∂h_k/∂a_k for an element-wise output.</summary>
    public virtual Expr LossByWeightedInput(LayerDerivation layer, Subscript unit) =>
        layer.IsOutput
            ? new Product(Partial(NetworkSymbols.Loss, Output(layer.Number, unit)), Partial(Output(layer.Number, unit), PreActivation(layer.Number, unit)))
            : Partial(NetworkSymbols.Loss, PreActivation(layer.Number, unit));

    /// <summary>Entry (k, j) of the layer's Jacobian ∂h_k/∂a_j at concrete units.</summary>
    public virtual Expr JacobianEntry(LayerDerivation layer, int k, int j) =>
        k == j ? layer.OutputByPreActivationForward!.SubstituteIndex(Unit, j) : Number.Zero;

    /// <summary>What the document says of the Jacobian of a layer of this kind.</summary>
    public virtual Prose JacobianNote => new(
        "An activation applied unit by unit gives a diagonal matrix, so in the chain rule each unit's {delta} takes only its own unit's derivative.");

    /// <summary>The sentence before the loss in the output layer's weighted inputs, saying why it cannot overflow; null when the kind has no such form.</summary>
    public virtual Prose? StableLossNote(int layer) => null;

    /// <summary>Formulas of this kind the document derives among its useful formulas (the softmax's Jacobian); none by default.</summary>
    public virtual IReadOnlyList<KindFormula> Formulas(LayerDerivation layer) => Array.Empty<KindFormula>();

    /// <summary>A label drawn around the layer's units in the network figure when they act together (softmax); null when each unit stands alone.</summary>
    public virtual string? FigureGroup => null;

    /// <summary>∂num/∂den written out, not carried out.</summary>
    private protected static Expr Partial(Expr numerator, Symbol denominator) => new UnevaluatedDerivative(numerator, denominator, partial: true);

    public abstract bool Equals(LayerKind? other);

    public override bool Equals(object? obj) => obj is LayerKind other && Equals(other);

    public abstract override int GetHashCode();

    public override string ToString() => Name;
}

/// <summary>What a layer's derivation needs of the network around it.</summary>
internal sealed class DerivationContext
{
    private readonly IReadOnlyList<LayerDerivation?> _derived;

    /// <summary>For each layer (0 is the input), the layers that read its outputs, in order.</summary>
    private readonly List<int>[] _readers;

    /// <param name="spec">The network.</param>
    /// <param name="loss">L in the output layer's symbols.</param>
    /// <param name="derived">The layers derived so far, at index l − 1; every layer above the one at hand is there.</param>
    public DerivationContext(NetworkSpec spec, Expr loss, IReadOnlyList<LayerDerivation?> derived)
    {
        Spec = spec;
        Loss = loss;
        _derived = derived;
        _readers = Enumerable.Range(0, spec.Layers.Count + 1).Select(_ => new List<int>()).ToArray();
        for (var c = 1; c <= spec.Layers.Count; c++)
        {
            foreach (var read in spec.Layers[c - 1].Kind.Reads(c))
            {
                _readers[read].Add(c);
            }
        }
    }

    public NetworkSpec Spec { get; }

    /// <summary>L = Σ_k ℓ(h_k, t_k), in the output layer's symbols.</summary>
    public Expr Loss { get; }

    /// <summary>
    /// ∂L/∂h_j of a layer: from the loss for the output layer; for a hidden one, over every layer c that reads it,
    /// Σ_k δ⁽ᶜ⁾_k ∂a⁽ᶜ⁾_k/∂h_j, with ∂a⁽ᶜ⁾_k/∂h_j differentiated from layer c's own equation (for a dense network, the
    /// layer above only).
    /// </summary>
    public Expr LossByOutput(LayerDerivation layer)
    {
        var l = layer.Number;
        var h = Output(l, Unit);
        if (layer.IsOutput)
        {
            return Loss.Differentiate(h);
        }

        var terms = new List<Expr>();
        foreach (var c in _readers[l])
        {
            var kind = Spec.Layers[c - 1].Kind;
            var byOutput = kind.WeightedInput(Spec, c, Next, From).Differentiate(h);
            if (c == l + 1)
            {
                layer.NextPreActivationByOutput = byOutput;
            }

            terms.Add(new IndexedSum(Next, new Product(Delta(c, Next), byOutput), 0, _derived[c - 1]!.Units - 1));
        }

        return terms.Count == 1 ? terms[0] : new Sum(terms);
    }
}

/// <summary>A dense layer whose units each apply f to their own weighted input: h_j = f(a_j), so ∂h_j/∂a_k is diagonal.</summary>
public sealed class ElementwiseLayer : LayerKind
{
    public ElementwiseLayer(ActivationSpec activation)
    {
        if (activation.Expression is null)
        {
            throw new ArgumentException("an element-wise layer needs an activation expression", nameof(activation));
        }

        Activation = activation;
    }

    public ActivationSpec Activation { get; }

    public override string Name => Activation.Name;

    public override Initialization Initialization => Activation.Initialization;

    public override FunctionFormula? Formula =>
        new(Activation.Name, Activation.Expression!, Activation.Expression!.Differentiate(ActivationSpec.Variable));

    internal override void DeriveOutputAndDelta(LayerDerivation layer, DerivationContext context)
    {
        var a = PreActivation(layer.Number, Unit);
        var h = Output(layer.Number, Unit);
        layer.Output = Activation.Apply(a);
        var derivative = layer.Output.Differentiate(a);
        layer.OutputByPreActivation = derivative;
        layer.OutputByPreActivationForward = derivative.Substitute(layer.Output.Simplify(), h).Simplify();
        layer.LossByOutput = context.LossByOutput(layer);

        layer.DeltaChain = new Product(NetworkDeriver.Factors(layer.LossByOutput).Concat(NetworkDeriver.Factors(layer.OutputByPreActivationForward)));
        var simplified = layer.DeltaChain.Simplify();
        var expanded = simplified.Expand();
        var shorter = expanded.Size() < simplified.Size();
        layer.Delta = shorter ? expanded : simplified;
        layer.DeltaForm = shorter ? DeltaForm.Simplified : DeltaForm.ChainProduct;
    }

    /// <summary>
    /// The loss with each output written f(a_k): the engine's rules turn log σ(a) into −softplus(−a); when a logarithm
    /// of f(a_k) is left, there is no safer form.
    /// </summary>
    internal override Expr? StableLoss(int layer, Expr loss)
    {
        var f = Activation.Apply(PreActivation(layer, Next));
        var stable = loss.Substitute(Output(layer, Next), f).Simplify();
        return stable.Contains(Expr.Log(f.Simplify())) ? null : stable;
    }

    public override Prose? StableLossNote(int layer) =>
        Activation.IsSigmoid
            ? new Prose(@"Since $\log \sigma(a) = -\operatorname{softplus}(-a)$ and $\log\left(1 - \sigma(a)\right) = -\operatorname{softplus}(a)$,
where $\operatorname{softplus}(a) = \max(a, 0) + \log\left(1 + e^{-|a|}\right)$ never overflows, the loss is")
            : null;

    public override bool Equals(LayerKind? other) => other is ElementwiseLayer e && e.Activation.Equals(Activation);

    public override int GetHashCode() => Activation.GetHashCode();
}

/// <summary>A softmax output layer: y_j = e^{a_j} / Σ_k e^{a_k}, whose Jacobian ∂y_k/∂a_j = y_k(δ_kj − y_j) is full.</summary>
public sealed class SoftmaxLayer : LayerKind
{
    /// <summary>The softmax normaliser's own index, used only while differentiating it.</summary>
    private const string Normaliser = "m";

    public static SoftmaxLayer Instance { get; } = new();

    private SoftmaxLayer()
    {
    }

    public override string Name => "softmax";

    public override bool OutputOnly => true;

    /// <summary>
    /// The Jacobian ∂h_k/∂a_j differentiated from e^{a_k} / Σ_m e^{a_m} and rewritten in the outputs, then
    /// δ_j = Σ_k ∂L/∂h_k ∂h_k/∂a_j; for cross-entropy it collapses to h_j Σ_k t_k − t_j (h_j − t_j for targets that sum to 1).
    /// </summary>
    internal override void DeriveOutputAndDelta(LayerDerivation layer, DerivationContext context)
    {
        var l = layer.Number;
        var last = layer.Units - 1;
        layer.Output = new Product(
            new Call(Function.Exp, PreActivation(l, Unit)),
            new Power(new IndexedSum(Next, new Call(Function.Exp, PreActivation(l, Next)), 0, last), Number.MinusOne));

        var normaliser = Expr.SumOver(Normaliser, Expr.Exp(PreActivation(l, Normaliser)), 0, last);
        var outputK = Expr.Divide(Expr.Exp(PreActivation(l, Next)), normaliser);
        layer.SoftmaxOutputOfNext = outputK;
        var jacobian = outputK.Differentiate(PreActivation(l, Unit))
            .Substitute(Expr.Exp(PreActivation(l, Next)), Expr.Multiply(Output(l, Next), normaliser))
            .Substitute(Expr.Exp(PreActivation(l, Unit)), Expr.Multiply(Output(l, Unit), normaliser))
            .Simplify();
        var factored = new Product(Output(l, Next), new Sum(new KroneckerDelta(Next, Unit), new Product(Number.MinusOne, Output(l, Unit))));
        layer.SoftmaxJacobian = factored.Expand().Equals(jacobian.Expand()) ? factored : jacobian;

        var lossByOutputK = context.Loss.Differentiate(Output(l, Next));
        layer.LossByOutput = context.Loss.Differentiate(Output(l, Unit));
        layer.DeltaChain = new IndexedSum(Next, new Product(NetworkDeriver.Factors(lossByOutputK).Concat(NetworkDeriver.Factors(layer.SoftmaxJacobian))), 0, last);

        if (context.Spec.Loss.Kind == LossKind.CrossEntropy)
        {
            // y_j Σ_k t_k − t_j: the Jacobian sum collapses, and Σ_k t_k stays so that δ is the gradient of the returned
            // loss for any targets; for targets that sum to 1 (one-hot labels) it is y_j − t_j, as the document says.
            layer.Delta = layer.DeltaChain.Expand().Simplify();
            layer.DeltaForm = DeltaForm.SoftmaxCrossEntropy;
        }
        else
        {
            layer.Delta = layer.DeltaChain.Simplify();
            layer.DeltaForm = DeltaForm.SoftmaxJacobian;
        }
    }

    /// <summary>log y_k = a_k − m − log S, with m = max_j a_j and S = Σ_j e^{a_j − m}.</summary>
    internal override Expr? StableLoss(int layer, Expr loss)
    {
        var logSoftmax = Expr.Add(PreActivation(layer, Next), Expr.Negate(SoftmaxMax(layer)), Expr.Negate(Expr.Log(SoftmaxSum(layer))));
        return loss.Substitute(Expr.Log(Output(layer, Next)), logSoftmax).Simplify();
    }

    public override bool DiagonalJacobian => false;

    public override string AppliedName => "softmax";

    public override string? FigureGroup => "softmax";

    /// <summary>Σ_k ∂L/∂h_k ∂h_k/∂a_j ∂a_j/∂w_ij: every output depends on a_j.</summary>
    public override Expr WeightChain(int layer) =>
        new IndexedSum(Next, new Product(Partial(NetworkSymbols.Loss, Output(layer, Next)), Partial(Output(layer, Next), PreActivation(layer, Unit)), Partial(PreActivation(layer, Unit), Weight(layer, From, Unit))));

    public override Prose OutputChainIntro(int layer) => new(
        "Through the softmax, ${0}$ is not the only output that depends on ${1}$: by\nequation~\\eqref{" + EquationLabels.SoftmaxJacobian + "} every output ${2}$ does, so the chain rule sums over the paths\nthrough all of them,",
        Output(layer, Unit), PreActivation(layer, Unit), Output(layer, Next));

    /// <summary>∂L/∂h_k and the Jacobian ∂h_k/∂a_j, taken at output k.</summary>
    public override IReadOnlyList<KeyValuePair<Expr, IReadOnlyList<Expr>>> OutputFactors(LayerDerivation layer) => new[]
    {
        Factor(Partial(NetworkSymbols.Loss, Output(layer.Number, Next)), layer.LossByOutput.SubstituteIndex(Unit, Next)),
        Factor(Partial(Output(layer.Number, Next), PreActivation(layer.Number, Unit)), layer.SoftmaxJacobian!),
    };

    /// <summary>Σ_k ∂L/∂h_k ∂h_k/∂a_j, the sum of the Jacobian's products, then (for the cross-entropy) its expansion and the result.</summary>
    public override IReadOnlyList<Expr> DeltaSteps(LayerDerivation layer)
    {
        var l = layer.Number;
        var paths = new IndexedSum(Next, new Product(Partial(NetworkSymbols.Loss, Output(l, Next)), Partial(Output(l, Next), PreActivation(l, Unit))));
        return layer.DeltaForm == DeltaForm.SoftmaxCrossEntropy
            ? new Expr[] { paths, layer.DeltaChain, layer.DeltaChain.Expand(), layer.Delta }
            : new Expr[] { paths, layer.DeltaChain };
    }

    public override Prose? DeltaNote(LayerDerivation layer) =>
        layer.DeltaForm == DeltaForm.SoftmaxCrossEntropy
            ? new Prose("When the targets of one example are a probability distribution (a one-hot label, for instance),\n${0} = 1$ and the {delta} of the softmax with the cross-entropy is simply the output minus the\ntarget. The generated code keeps the sum, so for any targets its gradient is the gradient of the loss it returns.",
                new IndexedSum(Next, Target(Next)))
            : null;

    public override Expr LossByWeightedInput(LayerDerivation layer, Subscript unit) => Partial(NetworkSymbols.Loss, PreActivation(layer.Number, unit));

    public override Expr JacobianEntry(LayerDerivation layer, int k, int j) =>
        layer.SoftmaxJacobian!.SubstituteIndex(Next, k).SubstituteIndex(Unit, j).Simplify();

    public override Prose JacobianNote => new("A softmax gives a full matrix, which is why its {delta} sums over the outputs.");

    public override Prose? StableLossNote(int layer)
    {
        var (m, S, a) = (SoftmaxMax(layer), SoftmaxSum(layer), PreActivation(layer, Next));
        return new Prose(
            @"With ${0} = \max_{k} {1}$ and ${2} = {3}$, each" + "\n" + @"$\log {4} = {5}$, and no exponential can overflow:",
            m, a, S, new IndexedSum(Next, Expr.Exp(new Sum(a, new Product(Number.MinusOne, m)))), Output(layer, Next),
            new Sum(a, new Product(Number.MinusOne, m), new Product(Number.MinusOne, new Call(Function.Log, S))));
    }

    public override IReadOnlyList<KindFormula> Formulas(LayerDerivation layer)
    {
        var l = layer.Number;
        var jacobian = layer.SoftmaxJacobian!;
        return new[]
        {
            new KindFormula(
                new Prose("The softmax makes every output depend on every weighted input of the last layer. Differentiating\n${0} = {1}$ with the quotient rule, and writing the result in the outputs, gives",
                    Output(l, Unit), layer.Output),
                Partial(Output(l, Next), PreActivation(l, Unit)), layer.SoftmaxOutputOfNext!, PreActivation(l, Unit), jacobian, EquationLabels.SoftmaxJacobian, "written in the outputs",
                new Prose("where ${0}$ is $1$ when the two indices are equal and $0$ otherwise.", jacobian.Descendants().OfType<KroneckerDelta>().First())),
        };
    }

    public override bool Equals(LayerKind? other) => other is SoftmaxLayer;

    public override int GetHashCode() => 7919;
}
