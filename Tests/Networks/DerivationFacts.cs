using System.Linq;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Networks;
using BackpropGen.Tests.Support;
using static BackpropGen.Symbolic.Networks.NetworkSymbols;

namespace BackpropGen.Tests.Networks;

/// <summary>Facts asserted on the derivation's expressions, not on strings.</summary>
public class DerivationFacts
{
    private static readonly Derivation Notes = Derivation.Derive(SampleNetworks.Notes);

    [Fact]
    public void The_notes_output_delta_is_error_times_sigmoid_derivative_in_forward_values()
    {
        var y = Output(2, Unit);
        var t = Target(Unit);
        var output = Notes.OutputLayer;
        Assert.Equal(Expr.Multiply(y - t, y, 1 - y), output.Delta);
        Assert.Equal(DeltaForm.ChainProduct, output.DeltaForm);
        Assert.Equal(y - t, output.LossByOutput);
        Assert.Equal(Expr.Sigmoid(PreActivation(2, Unit)) * (1 - Expr.Sigmoid(PreActivation(2, Unit))), output.OutputByPreActivation);
        Assert.Equal(y * (1 - y), output.OutputByPreActivationForward);
        Assert.Equal(Output(1, From), output.PreActivationByWeight);
    }

    [Fact]
    public void The_notes_worked_example_is_the_expanded_gradient_of_w11()
    {
        // ∂L/∂w₁₁ = [(y₁ − t₁)y₁(1 − y₁)u₁₁ + (y₂ − t₂)y₂(1 − y₂)u₁₂] h₁(1 − h₁) x₁, with 0-based canonical indices.
        Expr Y(int k) => Output(2, k);
        var h = Output(1, 0);
        var expected = ((Y(0) - Target(0)) * Y(0) * (1 - Y(0)) * Weight(2, 0, 0) + (Y(1) - Target(1)) * Y(1) * (1 - Y(1)) * Weight(2, 0, 1))
            * h * (1 - h) * Output(0, 0);
        var example = Assert.Single(Notes.WorkedExamples);
        Assert.Equal(1, example.Layer);
        Assert.False(example.Abbreviated);
        Assert.Equal(2, example.Terms.Count);
        Assert.Equal(expected.Expand(), example.Gradient.Expand());
    }

    [Fact]
    public void The_hidden_layer_gets_its_weight_from_differentiating_the_layer_above()
    {
        var hidden = Notes.Layers[0];
        Assert.Equal(Weight(2, Unit, Next), hidden.NextPreActivationByOutput);
        Assert.Equal(Expr.SumOver(Next, Delta(2, Next) * Weight(2, Unit, Next), 0, 1), hidden.LossByOutput.Simplify());
        Assert.Equal(Output(0, From), hidden.PreActivationByWeight);
        Assert.Equal(Expr.Constant(1, 1), hidden.PreActivationByBias);
        Assert.Equal(Delta(1, Unit) * Output(0, From), hidden.WeightGradient);
        Assert.Equal(Delta(1, Unit), hidden.BiasGradient);
    }

    [Fact]
    public void The_general_recursion_passes_deltas_back_through_the_weights()
    {
        var h = Output(GeneralLayer, Unit);
        var expected = Expr.SumOver(Next, Delta(GeneralNextLayer, Next) * Weight(GeneralNextLayer, Unit, Next)) * h * (1 - h);
        Assert.Equal(expected, Notes.GeneralDelta!.Simplify());
    }

    [Fact]
    public void The_chain_output_derivative_is_previous_activation_times_sigma_prime_times_twice_the_error()
    {
        // 3Blue1Brown: ∂C₀/∂w^{(L)} = a^{(L−1)} σ'(z^{(L)}) 2(a^{(L)} − y).
        var chain = Derivation.Derive(SampleNetworks.Chain);
        var output = chain.OutputLayer;
        var aL = Output(3, Unit);
        var z = PreActivation(3, Unit);
        var sigmaPrime = Expr.Sigmoid(z) * (1 - Expr.Sigmoid(z));
        Assert.Equal(sigmaPrime, output.OutputByPreActivation);
        Assert.Equal(2 * (aL - Target(Unit)), output.LossByOutput);
        var expected = Output(2, From) * sigmaPrime * 2 * (aL - Target(Unit));
        Assert.Equal(expected.Substitute(Expr.Sigmoid(z), aL).Simplify(), output.WeightGradientChain.Simplify());
    }

    [Fact]
    public void Sigmoid_with_binary_cross_entropy_simplifies_to_output_minus_target()
    {
        var output = Derivation.Derive(SampleNetworks.Logistic).OutputLayer;
        Assert.Equal(Output(1, Unit) - Target(Unit), output.Delta);
        Assert.Equal(DeltaForm.Simplified, output.DeltaForm);
    }

    [Fact]
    public void Softmax_with_cross_entropy_keeps_the_sum_of_the_targets_so_any_targets_get_their_gradient()
    {
        var output = Derivation.Derive(SampleNetworks.Softmax).OutputLayer;
        var targets = Expr.SumOver(Next, Target(Next), 0, 2);
        Assert.Equal(Output(2, Unit) * targets - Target(Unit), output.Delta);
        Assert.Equal(DeltaForm.SoftmaxCrossEntropy, output.DeltaForm);
        // For targets that sum to 1 it is the output minus the target, as the notes write it.
        Assert.Equal(Output(2, Unit) - Target(Unit), output.Delta.Substitute(targets, Number.One).Simplify());
    }

    [Fact]
    public void Softmax_with_another_loss_keeps_the_jacobian_sum()
    {
        var spec = new NetworkSpec(2, new[] { new LayerSpec(3, ActivationSpec.Softmax) }, LossSpec.HalfSquaredError);
        var output = Derivation.Derive(spec).OutputLayer;
        var jacobian = Output(1, Next) * (Expr.Delta(Next, Unit) - Output(1, Unit));
        Assert.Equal(jacobian.Expand(), output.SoftmaxJacobian!.Expand());
        Assert.Equal(DeltaForm.SoftmaxJacobian, output.DeltaForm);
        Assert.Equal(Expr.SumOver(Next, (Output(1, Next) - Target(Next)) * jacobian, 0, 2), output.Delta);
    }

    [Fact]
    public void Tanh_and_relu_derivatives_are_rewritten_where_the_forward_value_allows()
    {
        var spec = new NetworkSpec(2, new[] { new LayerSpec(2, ActivationSpec.Tanh), new LayerSpec(2, ActivationSpec.ReLU), new LayerSpec(1, ActivationSpec.Identity) }, LossSpec.HalfSquaredError);
        var layers = Derivation.Derive(spec).Layers;
        Assert.Equal(1 - Expr.Pow(Output(1, Unit), 2), layers[0].OutputByPreActivationForward);
        Assert.Equal(Expr.Step(PreActivation(2, Unit)), layers[1].OutputByPreActivationForward);
        Assert.Equal(Expr.Constant(1, 1), layers[2].OutputByPreActivationForward);
    }

    [Fact]
    public void Wide_layers_stay_in_index_form_and_the_worked_example_is_abbreviated()
    {
        var spec = new NetworkSpec(784, new[] { new LayerSpec(128, ActivationSpec.ReLU), new LayerSpec(10, ActivationSpec.Softmax) }, LossSpec.CrossEntropy);
        var derivation = Derivation.Derive(spec);
        var example = Assert.Single(derivation.WorkedExamples);
        Assert.True(example.Abbreviated);
        Assert.All(derivation.Layers, l => Assert.True(l.Delta.Size() < 40, $"δ of layer {l.Number} has {l.Delta.Size()} nodes"));
    }

    [Fact]
    public void Equation_labels_are_unique_and_numbered_in_order()
    {
        Assert.Equal(Notes.EquationLabels.Count, Notes.EquationLabels.Distinct().Count());
        for (var n = 0; n < Notes.EquationLabels.Count; n++)
        {
            Assert.Equal(n + 1, Notes.EquationNumber(Notes.EquationLabels[n]));
        }

        Assert.Equal(8, Notes.EquationNumber(EquationLabels.Delta(2)));
        Assert.Throws<System.Collections.Generic.KeyNotFoundException>(() => Notes.EquationNumber("eq:nothing"));
    }

    [Fact]
    public void A_hundred_layer_network_derives_with_a_formula_count_linear_in_depth()
    {
        var spec = new NetworkSpec(4, Enumerable.Range(0, 100).Select(_ => new LayerSpec(8, ActivationSpec.Tanh)), LossSpec.HalfSquaredError);
        var derivation = Derivation.Derive(spec);
        Assert.Equal(100, derivation.Layers.Count);
        Assert.Equal(99, derivation.WorkedExamples.Count);
        Assert.Equal(2 * 100 + 2 + 1 + 2 + 3 * 99 + 100 + 1 + 1 + 2 * 100, derivation.EquationLabels.Count);
    }

    [Fact]
    public void Logit_forms_of_the_cross_entropies_come_from_the_engine_rules()
    {
        var logistic = Derivation.Derive(SampleNetworks.Logistic);
        var a = PreActivation(1, Next);
        var t = Target(Next);
        Assert.Equal(Expr.SumOver(Next, t * Expr.Softplus(-a) + (1 - t) * Expr.Softplus(a), 0, 0), logistic.StableLoss);

        var softmax = Derivation.Derive(SampleNetworks.Softmax);
        var logY = PreActivation(2, Next) - SoftmaxMax(2) - Expr.Log(SoftmaxSum(2));
        Assert.Equal(Expr.SumOver(Next, -Target(Next) * logY, 0, 2), softmax.StableLoss);

        Assert.Null(Notes.StableLoss);
    }
}
