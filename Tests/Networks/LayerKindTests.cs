using System.Linq;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Networks;
using static BackpropGen.Symbolic.Networks.NetworkSymbols;

namespace BackpropGen.Tests.Networks;

/// <summary>A layer's kind derives its output and δ; the deriver only asks it.</summary>
public class LayerKindTests
{
    [Fact]
    public void The_activation_decides_the_kind_and_the_initialization()
    {
        Assert.IsType<SoftmaxLayer>(LayerKind.Of(ActivationSpec.Softmax));
        Assert.True(LayerKind.Of(ActivationSpec.Softmax).OutputOnly);
        Assert.Null(LayerKind.Of(ActivationSpec.Softmax).Formula);
        var sigmoid = Assert.IsType<ElementwiseLayer>(LayerKind.Of(ActivationSpec.Sigmoid));
        Assert.False(sigmoid.OutputOnly);
        Assert.Equal(Initialization.Xavier, sigmoid.Initialization);
        Assert.Equal(Initialization.He, LayerKind.Of(ActivationSpec.ReLU).Initialization);
        Assert.Equal(Initialization.He, LayerKind.Of(ActivationSpec.LeakyReLU).Initialization);
        Assert.Equal(new[] { 2 }, sigmoid.Reads(3));
    }

    [Fact]
    public void A_softmax_layer_has_a_full_jacobian_and_an_elementwise_one_a_diagonal_derivative()
    {
        var softmax = Derivation.Derive(new NetworkSpec(2, new[] { new LayerSpec(3, ActivationSpec.Tanh), new LayerSpec(3, ActivationSpec.Softmax) }, LossSpec.SquaredError));
        var output = softmax.OutputLayer;
        Assert.IsType<SoftmaxLayer>(output.Kind);
        Assert.Equal(DeltaForm.SoftmaxJacobian, output.DeltaForm);
        Assert.NotNull(output.SoftmaxJacobian);
        Assert.Null(output.OutputByPreActivation);
        var hidden = softmax.Layers[0];
        Assert.Null(hidden.SoftmaxJacobian);
        Assert.Equal(1 - Expr.Pow(Output(1, Unit), 2), hidden.OutputByPreActivationForward);
    }

    [Fact]
    public void The_stable_loss_is_asked_of_the_output_kind_and_absent_where_no_safer_form_exists()
    {
        var logistic = Derivation.Derive(new NetworkSpec(2, new[] { new LayerSpec(1, ActivationSpec.Sigmoid) }, LossSpec.BinaryCrossEntropy));
        Assert.NotNull(logistic.StableLoss);
        Assert.DoesNotContain(logistic.StableLoss!.Symbols(), s => TagOf(s)?.Role == SymbolRole.Output);
        var identity = Derivation.Derive(new NetworkSpec(2, new[] { new LayerSpec(1, ActivationSpec.Identity) }, LossSpec.BinaryCrossEntropy));
        Assert.Null(identity.StableLoss);
        var squared = Derivation.Derive(new NetworkSpec(2, new[] { new LayerSpec(1, ActivationSpec.Sigmoid) }, LossSpec.SquaredError));
        Assert.Null(squared.StableLoss);
    }
}
