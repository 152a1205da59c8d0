using System.Collections.Generic;
using BackpropGen.Symbolic;

namespace BackpropGen.Tests.Symbolic;

/// <summary>One fact per simplification rule.</summary>
public class SimplificationTests
{
    private static void AssertSimplifies(string expression, string expected) =>
        Assert.Equal(Expr.Parse(expected).Simplify().ToString(), Expr.Parse(expression).Simplify().ToString());

    [Theory]
    [InlineData("x * 1", "x")]
    [InlineData("x + 0", "x")]
    [InlineData("0 * x", "0")]
    [InlineData("x ^ 1", "x")]
    [InlineData("x ^ 0", "1")]
    [InlineData("1 ^ x", "1")]
    [InlineData("-(-x)", "x")]
    [InlineData("x - x", "0")]
    [InlineData("x / 1", "x")]
    [InlineData("x / x", "1")]
    public void Identities(string expression, string expected)
    {
        var simplified = Expr.Parse(expression).Simplify();
        Assert.Equal(Expr.Parse(expected).Simplify(), simplified);
        Assert.Equal(expected, simplified.ToString());
    }

    [Theory]
    [InlineData("2 + 3 * 4", "14")]
    [InlineData("1/2 + 1/3", "5/6")]
    [InlineData("2 ^ 10", "1024")]
    [InlineData("2 ^ -2", "1/4")]
    [InlineData("4 ^ (1/2)", "2")]
    [InlineData("(9/4) ^ (-1/2)", "2/3")]
    [InlineData("0.1 + 0.2", "3/10")]
    [InlineData("exp(0) + log(1) + sin(0) + cos(0) + tanh(0)", "2")]
    [InlineData("sigmoid(0)", "1/2")]
    [InlineData("relu(-3) + relu(2) + abs(-5) + step(0) + step(1) + sign(-4)", "7")]
    [InlineData("max(1, 2) * min(1, 2)", "2")]
    [InlineData("sqrt(16/9)", "4/3")]
    public void Constants_fold_exactly(string expression, string expected) => AssertSimplifies(expression, expected);

    [Theory]
    [InlineData("exp(1)")]
    [InlineData("log(2)")]
    [InlineData("sqrt(2)")]
    [InlineData("2^(1/3)")]
    public void Irrational_constants_stay_symbolic(string expression) =>
        Assert.Equal(expression, Expr.Parse(expression).Simplify().ToString());

    [Theory]
    [InlineData("2*x + 3*x", "5 * x")]
    [InlineData("x + y - x", "y")]
    [InlineData("x * y + y * x", "2 * x * y")]
    [InlineData("x - (x - y)", "y")]
    [InlineData("(y - t) - (y - t)", "0")]
    public void Like_terms_collect(string expression, string expected) => AssertSimplifies(expression, expected);

    [Theory]
    [InlineData("x * x", "x^2")]
    [InlineData("x * x^2 * x^-1", "x^2")]
    [InlineData("x^a * x^b", "x^(a + b)")]
    [InlineData("sigmoid(a) * sigmoid(a)", "sigmoid(a)^2")]
    [InlineData("(x^2)^3", "x^6")]
    [InlineData("(2 * x)^2", "4 * x^2")]
    [InlineData("sqrt(x)^2", "x")]
    public void Equal_bases_merge(string expression, string expected) => AssertSimplifies(expression, expected);

    [Fact]
    public void Sums_and_products_flatten()
    {
        var nested = new Sum(new Symbol("a"), new Sum(new Symbol("b"), new Sum(new Symbol("c"), new Symbol("d"))));
        Assert.Equal(4, Assert.IsType<Sum>(nested.Simplify()).Terms.Count);
        var product = new Product(new Symbol("a"), new Product(new Symbol("b"), new Product(new Symbol("c"), new Symbol("d"))));
        Assert.Equal(4, Assert.IsType<Product>(product.Simplify()).Factors.Count);
    }

    [Fact]
    public void The_canonical_order_does_not_depend_on_the_written_order()
    {
        Assert.Equal(Expr.Parse("y + x * z + 3").Simplify(), Expr.Parse("3 + z * x + y").Simplify());
        Assert.Equal(Expr.Parse("t * sigmoid(a) * y").Simplify(), Expr.Parse("y * sigmoid(a) * t").Simplify());
    }

    [Theory]
    [InlineData("log(exp(x))", "x")]
    [InlineData("exp(log(x))", "x")]
    [InlineData("abs(abs(x))", "abs(x)")]
    [InlineData("abs(-2 * x)", "abs(2 * x)")]
    [InlineData("log(1 + exp(x))", "softplus(x)")]
    [InlineData("log(sigmoid(x))", "-softplus(-x)")]
    [InlineData("log(1 - sigmoid(x))", "-softplus(x)")]
    [InlineData("1 / (1 + exp(-x))", "sigmoid(x)")]
    public void Inverse_pairs_cancel(string expression, string expected) => AssertSimplifies(expression, expected);

    [Fact]
    public void A_negated_sum_is_distributed() => AssertSimplifies("-(y - t)", "t - y");

    [Fact]
    public void Simplify_is_idempotent_and_returns_the_same_node()
    {
        var once = Expr.Parse("x * (1 - x) + 2 * x * y - sigmoid(x)^2").Simplify();
        Assert.Same(once, once.Simplify());
    }

    [Fact]
    public void Huge_powers_are_not_folded_past_the_size_bound()
    {
        var e = Expr.Parse("(3/2) ^ 100000").Simplify();
        Assert.IsType<Power>(e);
        var small = Expr.Parse("2 ^ 100").Simplify();
        Assert.Equal("1267650600228229401496703205376", small.ToString());
    }

    [Fact]
    public void Substitute_rewrites_every_occurrence_and_keeps_the_shape()
    {
        var a = new Symbol("a");
        var y = new Symbol("y");
        var e = new Product(Expr.Sigmoid(a), new Sum(1, new Product(-1, Expr.Sigmoid(a))));
        Assert.Equal(new Product(y, new Sum(1, new Product(-1, y))), e.Substitute(Expr.Sigmoid(a), y));
    }

    [Fact]
    public void Kronecker_deltas_reduce()
    {
        Assert.Equal(Expr.Constant(1, 1), Expr.Delta("i", "i"));
        Assert.Equal(Expr.Constant(0, 1), Expr.Delta(1, 2));
        Assert.Equal(Expr.Delta("i", "j"), Expr.Delta("j", "i"));
        Assert.Equal(1.0, Expr.Delta("i", 2).SubstituteIndex("i", 2).Simplify().Evaluate(_ => 0));
    }

    [Fact]
    public void Indexed_sums_collapse_pull_out_constants_and_count()
    {
        var xk = new Symbol("x", "k");
        var c = new Symbol("c");
        Assert.Equal(new Symbol("x", "i"), Expr.SumOver("k", xk * Expr.Delta("k", "i")));
        Assert.Equal(Expr.Multiply(c, Expr.SumOver("k", xk)), Expr.SumOver("k", c * xk));
        Assert.Equal(Expr.Multiply(3, c), Expr.SumOver("k", c, 1, 3));
        Assert.Equal(Expr.Constant(0, 1), Expr.SumOver("k", xk * Expr.Delta("k", 5), 1, 3));
    }

    [Fact]
    public void Evaluate_sums_over_bound_indices()
    {
        var sum = Expr.SumOver("k", new Symbol("x", "k") * new Symbol("w", "k"), 1, 3);
        var values = new Dictionary<string, double>
        {
            ["x_{1}"] = 1, ["x_{2}"] = 2, ["x_{3}"] = 3,
            ["w_{1}"] = 10, ["w_{2}"] = 20, ["w_{3}"] = 30,
        };
        Assert.Equal(140.0, sum.Evaluate(values));
    }

    [Fact]
    public void Evaluate_names_the_missing_symbol()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => Expr.Parse("x + q").Evaluate(new Dictionary<string, double> { ["x"] = 1 }));
        Assert.Equal("no value given for the symbol 'q'", error.Message);
    }
}
