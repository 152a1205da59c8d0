using System.Collections.Generic;
using System.Linq;
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

    [Theory]
    [InlineData("abs(y - t)", "abs(t - y)")]
    [InlineData("abs(y - t) + abs(t - y)", "2 * abs(t - y)")]
    [InlineData("abs(-x)", "abs(x)")]
    [InlineData("cos(y - t) - cos(t - y)", "0")]
    [InlineData("exp(-abs(y - t)) + exp(-abs(t - y))", "2 * exp(-abs(t - y))")]
    public void Even_functions_take_the_argument_of_canonical_sign(string expression, string expected)
    {
        AssertSimplifies(expression, expected);
        Assert.Equal(expected, Expr.Parse(expression).Simplify().ToString());
    }

    [Theory]
    [InlineData("sin(-x)", "-sin(x)")]
    [InlineData("tanh(-x)", "-tanh(x)")]
    [InlineData("sign(-x)", "-sign(x)")]
    [InlineData("tanh(y - t) + tanh(t - y)", "0")]
    [InlineData("sign(y - t) - sign(t - y)", "-2 * sign(t - y)")]
    public void Odd_functions_take_the_sign_out(string expression, string expected)
    {
        AssertSimplifies(expression, expected);
        Assert.Equal(expected, Expr.Parse(expression).Simplify().ToString());
    }

    [Theory]
    [InlineData("sigmoid(y - t) - sigmoid(t - y)", "1 - 2 * sigmoid(t - y)")]
    [InlineData("sigmoid(x) + sigmoid(-x)", "1")]
    [InlineData("softplus(y - t) + softplus(t - y)", "y - t + 2 * softplus(t - y)")]
    [InlineData("softplus(x) - softplus(-x)", "x")]
    public void Sigmoid_and_softplus_collect_with_their_reflection(string expression, string expected) =>
        Assert.Equal(expected, Expr.Parse(expression).Simplify().ToString());

    /// <summary>
    /// σ(−u) alone keeps its precise form; relu(−u) = relu(u) − u would change the derivative at 0, step(−u) = 1 − step(u)
    /// is false at 0, sign(u)² = 1 is false at 0, and swapping max's arguments changes which one gets the derivative at a tie.
    /// </summary>
    [Theory]
    [InlineData("sigmoid(-x)", "sigmoid(-x)")]
    [InlineData("softplus(-x)", "softplus(-x)")]
    [InlineData("relu(-x) + relu(x)", "relu(x) + relu(-x)")]
    [InlineData("step(-x) + step(x)", "step(x) + step(-x)")]
    [InlineData("sign(x) * sign(x) * x^2", "x^2 * sign(x)^2")]
    [InlineData("max(x, y) + max(y, x)", "max(x, y) + max(y, x)")]
    public void Forms_without_a_partner_or_false_at_zero_stay(string expression, string expected) =>
        Assert.Equal(expected, Expr.Parse(expression).Simplify().ToString());

    [Theory]
    [InlineData("x * sign(x)", "abs(x)")]
    [InlineData("sign(x) * abs(x)", "x")]
    [InlineData("(y - t) * sign(t - y)", "-abs(t - y)")]
    [InlineData("2 * y * x * sign(x)", "2 * y * abs(x)")]
    [InlineData("sign(x)^2", "sign(x)^2")]
    public void Sign_absorbs_its_argument(string expression, string expected) =>
        Assert.Equal(expected, Expr.Parse(expression).Simplify().ToString());

    [Theory]
    [InlineData("1 / (1 + x) - x / (1 + x)^2", "1 / (x + 1)^2")]
    [InlineData("1 / (abs(x) + 1) - abs(x) / (abs(x) + 1)^2", "1 / (abs(x) + 1)^2")]
    [InlineData("t / (1 - y) + (1 - t) / (1 - y)", "1 / (1 - y)")]
    [InlineData("(1 - t) / (1 - y) - t / (1 - y)", "(1 - t) / (1 - y) - t / (1 - y)")]
    [InlineData("(1 - t) / (1 - y) - t / y", "(1 - t) / (1 - y) - t / y")]
    [InlineData("cos(x) / x - sin(x) / x^2", "cos(x) / x - sin(x) / x^2")]
    public void Terms_combine_over_a_shared_denominator_only_when_it_cancels(string expression, string expected) =>
        Assert.Equal(expected, Expr.Parse(expression).Simplify().ToString());

    [Theory]
    [InlineData("x * sign(x)")]
    [InlineData("sign(x) * abs(x)")]
    [InlineData("sign(-x) + sin(-x) + tanh(-x) + abs(-x) + cos(-x)")]
    [InlineData("sigmoid(x - y) + sigmoid(y - x) + softplus(x - y) + softplus(y - x)")]
    [InlineData("1 / (1 + abs(x)) - abs(x) / (1 + abs(x))^2")]
    public void Every_new_rule_holds_at_zero_and_around_it(string expression)
    {
        var written = Expr.Parse(expression);
        var simplified = written.Simplify();
        foreach (var x in new[] { -2.0, -0.5, 0.0, 0.5, 2.0 })
        {
            foreach (var y in new[] { -1.0, 0.0, 1.5 })
            {
                var values = new Dictionary<string, double> { ["x"] = x, ["y"] = y };
                Assert.Equal(written.Evaluate(values), simplified.Evaluate(values), 12);
            }
        }
    }

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

    /// <summary>
    /// A symbol evaluated at a bound index keeps the symbol at each value; values past what it keeps, nested sums that
    /// bind two indices and an index the sum leaves free evaluate the same.
    /// </summary>
    [Fact]
    public void Evaluate_sums_over_many_values_nested_sums_and_free_indices()
    {
        static double ValueOf(Symbol s) => s.Indices.Aggregate(s.Name == "x" ? 1.0 : 1000.0, (value, index) => value * (index.IsConcrete ? index.Value + 1 : 7));
        var x = new Symbol("x", "k");
        var wide = Expr.SumOver("k", x, 0, 299);
        for (var repeat = 0; repeat < 2; repeat++)
        {
            Assert.Equal(Enumerable.Range(1, 300).Sum(v => (double)v), wide.Evaluate(ValueOf));
        }

        var nested = Expr.SumOver("i", Expr.SumOver("k", new Symbol("x", "i", "k"), 0, 2), 0, 1);
        Assert.Equal((1 + 2) * (1 + 2 + 3.0), nested.Evaluate(ValueOf));

        // j is not bound: w_{jk} is evaluated with j as it is (7 here) and k at each value.
        var free = Expr.SumOver("k", new Symbol("w", "j", "k"), 0, 2);
        Assert.Equal(1000.0 * 7 * (1 + 2 + 3), free.Evaluate(ValueOf));
    }

    [Fact]
    public void Evaluate_names_the_missing_symbol()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => Expr.Parse("x + q").Evaluate(new Dictionary<string, double> { ["x"] = 1 }));
        Assert.Equal("no value given for the symbol 'q'", error.Message);
    }
}
