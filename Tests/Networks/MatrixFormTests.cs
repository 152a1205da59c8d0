using System;
using System.Linq;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Matrices;
using BackpropGen.Symbolic.Networks;
using BackpropGen.Tests.Support;

namespace BackpropGen.Tests.Networks;

/// <summary>The Coursera matrix form, built per layer of a network from its derivation and printed by the printers.</summary>
public class MatrixFormTests
{
    /// <summary>3 inputs, then tanh 4, ReLU 3 and sigmoid 2 units, half the squared error.</summary>
    private static readonly NetworkSpec ThreeLayers = new(3,
        new[] { new LayerSpec(4, ActivationSpec.Tanh), new LayerSpec(3, ActivationSpec.ReLU), new LayerSpec(2, ActivationSpec.Sigmoid) },
        LossSpec.HalfSquaredError, NotationStyle.Vectorized, "ThreeLayers");

    private static string[] Latex(MatrixLayer layer) => layer.Equations.Select(Latex).ToArray();

    private static string Latex(MatrixEquation e) => e.Left.ToLatex() + " = " + e.Right.ToLatex();

    [Fact]
    public void The_general_equations_are_written_in_l_and_L_with_widths_that_have_no_value()
    {
        var general = MatrixForm.General(Derivation.Derive(ThreeLayers))!;
        Assert.Equal(new[]
        {
            @"\mathrm{dZ}^{[L]} = \mathrm{dA}^{[L]} * g^{[L]\prime}\left(Z^{[L]}\right)",
            @"\mathrm{dA}^{[L]} = A^{[L]} - Y",
            @"g^{[L]\prime}\left(Z^{[L]}\right) = A^{[L]} * \left(1 - A^{[L]}\right)",
        }, general.Output.Select(Latex));
        Assert.Equal(@"\mathrm{dZ}^{[l]} = W^{[l+1]T} \mathrm{dZ}^{[l+1]} * g^{[l]\prime}\left(Z^{[l]}\right)", Latex(general.Hidden!));
        Assert.Equal(new[]
        {
            @"\mathrm{dW}^{[l]} = \frac{1}{m} \mathrm{dZ}^{[l]} A^{[l-1]T}",
            @"\mathrm{db}^{[l]} = \frac{1}{m} \sum_{i=1}^{m} \mathrm{dZ}^{[l](i)}",
        }, general.Gradients.Select(Latex));
        Assert.Equal("n^[l] × n^[l-1]", general.Gradients[0].Left.Shape.ToString());
        Assert.Null(general.Gradients[0].Left.Shape.Rows.Value);
    }

    [Fact]
    public void Each_layer_of_a_network_is_the_general_form_at_its_number()
    {
        var derivation = Derivation.Derive(ThreeLayers);
        var form = MatrixForm.For(derivation)!;

        // Layer 2 of 3 is hidden: the recursion and the gradients at l = 2 (its g′ written out comes between them).
        var second = MatrixForm.General(derivation, 2, 3)!;
        Assert.Equal(Latex(form.Layers[1])[0], Latex(second.Hidden!));
        Assert.Equal(Latex(form.Layers[1]).Skip(2), second.Gradients.Select(Latex));
        Assert.Equal(form.Layers[1].WeightMatrices[1].Shape, second.Gradients[0].Left.Shape);

        // Layer 3 of 3 is the last: l = L, no recursion, the output layer's equations.
        var third = MatrixForm.General(derivation, 3, 3)!;
        Assert.Null(third.Hidden);
        Assert.Equal(Latex(form.Layers[0]), third.Output.Concat(third.Gradients).Select(Latex));
    }

    [Fact]
    public void Logistic_regression_is_the_general_form_at_l_equals_L_equals_1()
    {
        var derivation = Derivation.Derive(SampleNetworks.Logistic);
        var instance = MatrixForm.General(derivation, 1, 1)!;
        Assert.Null(instance.Hidden);
        Assert.Equal(Latex(MatrixForm.For(derivation)!.Layers[0]), instance.Output.Concat(instance.Gradients).Select(Latex));
        Assert.Equal(@"\mathrm{dW}^{[1]} = \frac{1}{m} \mathrm{dZ}^{[1]} X^{T}", Latex(instance.Gradients[0]));
    }

    [Fact]
    public void A_three_layer_network_has_each_layers_equations_with_its_own_derivative()
    {
        var form = MatrixForm.For(Derivation.Derive(ThreeLayers))!;
        Assert.Equal(new[] { 3, 2, 1 }, form.Layers.Select(l => l.Number));
        Assert.Equal(new[]
        {
            @"\mathrm{dZ}^{[3]} = \mathrm{dA}^{[3]} * g^{[3]\prime}\left(Z^{[3]}\right)",
            @"\mathrm{dA}^{[3]} = A^{[3]} - Y",
            @"g^{[3]\prime}\left(Z^{[3]}\right) = A^{[3]} * \left(1 - A^{[3]}\right)",
            @"\mathrm{dW}^{[3]} = \frac{1}{m} \mathrm{dZ}^{[3]} A^{[2]T}",
            @"\mathrm{db}^{[3]} = \frac{1}{m} \sum_{i=1}^{m} \mathrm{dZ}^{[3](i)}",
        }, Latex(form.Layers[0]));
        Assert.Equal(@"\mathrm{dZ}^{[2]} = W^{[3]T} \mathrm{dZ}^{[3]} * g^{[2]\prime}\left(Z^{[2]}\right)", Latex(form.Layers[1])[0]);
        Assert.Equal(@"g^{[2]\prime}\left(Z^{[2]}\right) = \operatorname{step}\left(Z^{[2]}\right)", Latex(form.Layers[1])[1]);
        Assert.Equal(@"g^{[1]\prime}\left(Z^{[1]}\right) = 1 - \left(A^{[1]}\right)^{2}", Latex(form.Layers[2])[1]);
        Assert.Equal(@"\mathrm{dW}^{[1]} = \frac{1}{m} \mathrm{dZ}^{[1]} X^{T}", Latex(form.Layers[2])[2]);
        Assert.Equal("dZ^[2] = W^[3]ᵀ dZ^[3] ∗ g^[2]′(Z^[2])", form.Layers[1].Equations[0].ToString());
    }

    [Fact]
    public void Every_shape_comes_from_the_layer_sizes()
    {
        var form = MatrixForm.For(Derivation.Derive(ThreeLayers))!;
        var second = form.Layers[1];
        Assert.Equal("n^[2] × n^[1]", second.WeightMatrices[1].Shape.ToString());
        Assert.Equal((3, 4), (second.WeightMatrices[1].Shape.Rows.Value, second.WeightMatrices[1].Shape.Columns.Value));
        Assert.Equal((3, 1), (second.BiasMatrices[1].Shape.Rows.Value, second.BiasMatrices[1].Shape.Columns.Value));
        Assert.All(second.ExampleMatrices, m => Assert.Equal(Dimension.Examples, m.Shape.Columns));
        Assert.All(form.Layers.SelectMany(l => l.Equations), e => Assert.Equal(e.Left.Shape, e.Right.Shape));
    }

    [Fact]
    public void A_wrong_dimension_cannot_be_built()
    {
        var form = MatrixForm.For(Derivation.Derive(ThreeLayers))!;
        var (third, second) = (form.Layers[0], form.Layers[1]);
        var dz2 = second.ExampleMatrices[2];
        var a2 = second.ExampleMatrices[1];

        // dW^{[2]} = (1/m) dZ^{[2]} A^{[2]T} is 3 × 3, not the 3 × 4 of W^{[2]}.
        var wrong = new Scaled(Expr.Divide(1, new Symbol("m")), new MatrixProduct(dz2, a2.T));
        Assert.Throws<ArgumentException>(() => new MatrixEquation(second.WeightMatrices[1], wrong));

        // W^{[3]} dZ^{[3]} without the transpose: 2 × 3 times 2 × m.
        Assert.Throws<ArgumentException>(() => new MatrixProduct(third.WeightMatrices[0], third.ExampleMatrices[2]));

        // A Hadamard product of a layer's dZ with the layer below's g′.
        Assert.Throws<ArgumentException>(() => new Hadamard(third.ExampleMatrices[2], second.ExampleMatrices[0]));

        // The sum over the examples of a matrix whose columns are not examples.
        Assert.Throws<ArgumentException>(() => new ExampleSum(third.WeightMatrices[0]));
    }

    [Fact]
    public void The_output_minus_the_label_is_dz_where_the_engine_finds_it()
    {
        var logistic = MatrixForm.For(Derivation.Derive(SampleNetworks.Logistic))!;
        Assert.Equal(@"\mathrm{dZ}^{[1]} = A^{[1]} - Y", Latex(logistic.Layers[0])[0]);
        Assert.False(logistic.LabelsSumToOne);

        var softmax = new NetworkSpec(4, new[] { new LayerSpec(5, ActivationSpec.Tanh), new LayerSpec(3, ActivationSpec.Softmax) },
            LossSpec.CrossEntropy, NotationStyle.Vectorized, "Softmax");
        var form = MatrixForm.For(Derivation.Derive(softmax))!;
        Assert.Equal(@"\mathrm{dZ}^{[2]} = A^{[2]} - Y", Latex(form.Layers[0])[0]);
        Assert.True(form.LabelsSumToOne);

        var softmaxSquared = new NetworkSpec(2, new[] { new LayerSpec(3, ActivationSpec.Softmax) }, LossSpec.HalfSquaredError, NotationStyle.Vectorized, "SoftmaxSquared");
        Assert.Null(MatrixForm.For(Derivation.Derive(softmaxSquared)));
    }
}
