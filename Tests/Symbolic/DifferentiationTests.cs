using BackpropGen.Symbolic;

namespace BackpropGen.Tests.Symbolic;

/// <summary>One fact per derivative rule, stated as an equality of simplified expressions.</summary>
public class DifferentiationTests
{
    private static readonly Symbol X = new("x");
    private static readonly Symbol Y = new("y");

    private static void AssertDerivative(string expression, string expected, string variable = "x") =>
        Assert.Equal(Expr.Parse(expected).Simplify(), Expr.Parse(expression).Differentiate(variable));

    [Theory]
    [InlineData("exp(x)", "exp(x)")]
    [InlineData("log(x)", "1 / x")]
    [InlineData("sqrt(x)", "1 / (2 * sqrt(x))")]
    [InlineData("abs(x)", "sign(x)")]
    [InlineData("sin(x)", "cos(x)")]
    [InlineData("cos(x)", "-sin(x)")]
    [InlineData("tanh(x)", "1 - tanh(x)^2")]
    [InlineData("sigmoid(x)", "sigmoid(x) * (1 - sigmoid(x))")]
    [InlineData("relu(x)", "step(x)")]
    [InlineData("softplus(x)", "sigmoid(x)")]
    [InlineData("step(x)", "0")]
    [InlineData("sign(x)", "0")]
    [InlineData("max(x, y)", "step(x - y)")]
    [InlineData("min(x, y)", "step(y - x)")]
    [InlineData("max(y, x)", "1 - step(y - x)")]
    public void Each_function_has_its_closed_form_derivative(string expression, string expected) =>
        AssertDerivative(expression, expected);

    [Fact]
    public void Relu_derivative_at_zero_is_zero() =>
        Assert.Equal(0.0, Expr.Parse("relu(x)").Differentiate("x").Evaluate(s => 0.0));

    [Theory]
    [InlineData("x * y", "y")]
    [InlineData("x * sin(x)", "sin(x) + x * cos(x)")]
    [InlineData("exp(x) * log(x)", "exp(x) * log(x) + exp(x) / x")]
    public void Product_rule(string expression, string expected) => AssertDerivative(expression, expected);

    [Fact]
    public void The_softsign_derivative_is_one_over_the_squared_denominator()
    {
        var derivative = Expr.Parse("x / (1 + abs(x))").Differentiate(X).Simplify();
        Assert.Equal("1 / (abs(x) + 1)^2", derivative.ToString());
        Assert.Equal(@"\frac{1}{\left(\left|x\right| + 1\right)^{2}}", derivative.ToLatex());
        Assert.Equal("1.0 / Math.Pow(Math.Abs(x) + 1.0, 2.0)", derivative.ToCSharp());
    }

    [Fact]
    public void The_smooth_absolute_loss_has_one_sigmoid_in_its_derivative() =>
        Assert.Equal("1 - 2 * sigmoid(t - y)", Expr.Parse("softplus(y - t) + softplus(t - y)").Differentiate(Y).ToString());

    [Theory]
    [InlineData("1 / x", "-1 / x^2")]
    [InlineData("x / (1 + x)", "1 / (1 + x)^2")]
    [InlineData("sin(x) / x", "cos(x) / x - sin(x) / x^2")]
    public void Quotient_rule(string expression, string expected) => AssertDerivative(expression, expected);

    [Theory]
    [InlineData("exp(2 * x)", "2 * exp(2 * x)")]
    [InlineData("sigmoid(3 * x + y)", "3 * sigmoid(3 * x + y) * (1 - sigmoid(3 * x + y))")]
    [InlineData("log(sin(x))", "cos(x) / sin(x)")]
    [InlineData("tanh(x^2)", "2 * x * (1 - tanh(x^2)^2)")]
    public void Chain_rule(string expression, string expected) => AssertDerivative(expression, expected);

    [Theory]
    [InlineData("x^3", "3 * x^2")]
    [InlineData("x^-2", "-2 * x^-3")]
    [InlineData("x^(1/2)", "1/2 * x^(-1/2)")]
    [InlineData("2^x", "2^x * log(2)")]
    [InlineData("x^x", "x^x * (log(x) + 1)")]
    [InlineData("1/2 * (y - x)^2", "x - y")]
    public void Power_rules(string expression, string expected) => AssertDerivative(expression, expected);

    [Fact]
    public void Constants_and_other_variables_differentiate_to_zero()
    {
        AssertDerivative("y", "0");
        AssertDerivative("7", "0");
        AssertDerivative("exp(y) * t", "0");
    }

    [Fact]
    public void The_half_squared_error_differentiates_to_the_error() =>
        Assert.Equal(Expr.Parse("y - t").Simplify(), Expr.Parse("1/2 * (y - t)^2").Differentiate("y"));

    [Fact]
    public void Sigmoid_derivative_rewritten_in_forward_values_is_y_times_one_minus_y()
    {
        var a = new Symbol("a");
        var derivative = Expr.Sigmoid(a).Differentiate(a).Substitute(Expr.Sigmoid(a), Y).Simplify();
        Assert.Equal(Expr.Multiply(Y, Expr.Subtract(1, Y)), derivative);
        Assert.Equal(@"y \left(1 - y\right)", derivative.ToLatex());
    }

    [Fact]
    public void Tanh_derivative_rewritten_in_forward_values_is_one_minus_h_squared()
    {
        var a = new Symbol("a");
        var h = new Symbol("h");
        var derivative = Expr.Tanh(a).Differentiate(a).Substitute(Expr.Tanh(a), h).Simplify();
        Assert.Equal(Expr.Subtract(1, Expr.Pow(h, 2)), derivative);
    }

    [Fact]
    public void An_indexed_weight_picks_its_input_out_of_the_layer_sum()
    {
        // a_j = Σ_k x_k w_kj + b_j, so ∂a_j/∂w_ij = x_i through δ_ki.
        var layer = Expr.SumOver("k", new Symbol("x", "k") * new Symbol("w", "k", "j")) + new Symbol("b", "j");
        Assert.Equal(new Symbol("x", "i"), layer.Differentiate(new Symbol("w", "i", "j")));
    }

    [Fact]
    public void A_weight_into_another_unit_leaves_a_kronecker_delta()
    {
        var layer = Expr.SumOver("k", new Symbol("x", "k") * new Symbol("w", "k", "j"));
        Assert.Equal(Expr.Multiply(Expr.Delta("j", "m"), new Symbol("x", "i")), layer.Differentiate(new Symbol("w", "i", "m")));
    }

    [Fact]
    public void The_previous_layer_output_picks_its_weight_out_of_the_sum()
    {
        // ∂a_k/∂h_j of a_k = Σ_i h_i u_ik is u_jk (the notes' hidden-layer step).
        var next = Expr.SumOver("i", new Symbol("h", "i") * new Symbol("u", "i", "k"));
        Assert.Equal(new Symbol("u", "j", "k"), next.Differentiate(new Symbol("h", "j")));
    }

    [Fact]
    public void A_concrete_weight_in_a_bounded_sum()
    {
        var sum = Expr.SumOver("k", new Symbol("x", "k") * new Symbol("w", "k"), 1, 3);
        Assert.Equal(new Symbol("x", 2), sum.Differentiate(new Symbol("w", 2)));
        Assert.Equal(Expr.Constant(0, 1), sum.Differentiate(new Symbol("w", 7)));
    }

    [Fact]
    public void A_bound_index_named_like_the_variables_index_is_renamed_not_captured()
    {
        // Σ_i x_i w_i differentiated by w_i (the free i) is x_i, not the sum.
        var sum = Expr.SumOver("i", new Symbol("x", "i") * new Symbol("w", "i"));
        Assert.Equal(new Symbol("x", "i"), sum.Differentiate(new Symbol("w", "i")));
    }

    [Fact]
    public void Differentiate_returns_the_simplified_form()
    {
        var d = Expr.Parse("x * x + 0 * y").Differentiate("x");
        Assert.Equal(Expr.Multiply(2, X), d);
        Assert.Same(d, d.Simplify());
    }
}
