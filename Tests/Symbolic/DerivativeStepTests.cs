using System;
using System.Collections.Generic;
using System.Linq;
using BackpropGen.Symbolic;
using BackpropGen.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace BackpropGen.Tests.Symbolic;

/// <summary>Differentiation in steps: which rules apply, in what order, and that every step is an equality.</summary>
public class DerivativeStepTests
{
    private static IReadOnlyList<DerivativeStep> Steps(string expression, string variable) =>
        Expr.Parse(expression).DifferentiateWithSteps(variable);

    private static string Rules(IReadOnlyList<DerivativeStep> steps) =>
        string.Join(", ", steps.Select(s => s.Rule + (s.ChainRule ? " (chain)" : "")));

    [Fact]
    public void The_sigmoid_is_derived_from_its_definition_as_in_the_notes()
    {
        var steps = Steps("1 / (1 + exp(-x))", "x");
        Assert.Equal("power (chain), sum, exp (chain), constant factor, variable, simplify, canonical form", Rules(steps));
        Assert.Equal(@"\frac{d}{dx} \left(\frac{1}{1 + e^{-x}}\right)", steps[0].Left.ToLatex());
        Assert.Equal(@"-\frac{\frac{d}{dx} \left(1 + e^{-x}\right)}{\left(1 + e^{-x}\right)^{2}}", steps[0].Right.ToLatex());
        Assert.Equal(@"\frac{e^{-x}}{\left(e^{-x} + 1\right)^{2}}", steps[^2].Right.ToLatex());
        Assert.Equal(@"\sigma\left(x\right) \left(1 - \sigma\left(x\right)\right)", steps[^1].Right.ToLatex());
        Assert.Same(Function.Exp, steps[2].Function);
    }

    [Fact]
    public void The_sigmoid_and_softplus_definitions_derive_their_closed_forms()
    {
        var x = new Symbol("x");
        var sigmoid = Function.Sigmoid.Definition(x)!;
        Assert.Equal(@"\frac{1}{1 + e^{-x}}", sigmoid.ToLatex());
        Assert.Equal(Expr.Sigmoid(x).Differentiate(x), sigmoid.DifferentiateWithSteps(x)[^1].Right);
        var softplus = Function.Softplus.Definition(x)!;
        Assert.Equal(@"\log\left(1 + e^{x}\right)", softplus.ToLatex());
        Assert.Equal("log (chain), sum, exp, simplify, canonical form", Rules(softplus.DifferentiateWithSteps(x)));
        Assert.Equal(Expr.Sigmoid(x), softplus.DifferentiateWithSteps(x)[^1].Right);
        Assert.Null(Function.Exp.Definition(x));
        foreach (var value in new[] { -3.0, -0.5, 0.0, 0.7, 4.0 })
        {
            Assert.Equal(Function.Sigmoid.Evaluate(value), sigmoid.Evaluate(_ => value), 14);
            Assert.Equal(Function.Softplus.Evaluate(value), softplus.Evaluate(_ => value), 14);
        }
    }

    [Fact]
    public void The_cross_entropy_derivative_goes_through_the_log_rule()
    {
        var steps = Steps("-(t * log(y) + (1 - t) * log(1 - y))", "y");
        Assert.Equal("constant factor, sum, constant factor, log, constant factor, log (chain), sum, constant factor, variable, simplify", Rules(steps));
        Assert.Equal(@"\frac{\partial}{\partial y} \left\{-\left[t \log y + \left(1 - t\right) \log\left(1 - y\right)\right]\right\}", steps[0].Left.ToLatex());
        Assert.Equal(@"-\left(\frac{t}{y} - \frac{1 - t}{1 - y}\right)", steps[^2].Right.ToLatex());
        Assert.Equal("(1 - t) / (1 - y) - t / y", steps[^1].Right.ToString());
    }

    [Fact]
    public void The_softsign_uses_the_quotient_rule_and_simplifies_to_one_over_the_square()
    {
        var steps = Steps("x / (1 + abs(x))", "x");
        Assert.Equal("quotient, variable, sum, abs, simplify", Rules(steps));
        Assert.Equal("(1 + abs(x) - x * sign(x)) / (1 + abs(x))^2", steps[^2].Right.ToString());
        Assert.Equal("1 / (abs(x) + 1)^2", steps[^1].Right.ToString());
    }

    [Theory]
    [InlineData("x^2 * sin(x)", "x", "product, power, sin")]
    [InlineData("2^x", "x", "exponential, variable")]
    [InlineData("x^x", "x", "general power (chain), variable, variable, simplify")]
    [InlineData("3 * x + y", "x", "sum, constant factor, variable")]
    [InlineData("y", "x", "constant")]
    [InlineData("tanh(w * x + b)", "w", "tanh (chain), sum, constant factor, variable, simplify")]
    public void Each_rule_is_named(string expression, string variable, string rules) =>
        Assert.Equal(rules, Rules(Steps(expression, variable)));

    public static TheoryData<string, string> Derivations => new()
    {
        { "1 / (1 + exp(-x))", "x" },
        { "-(t * log(y) + (1 - t) * log(1 - y))", "y" },
        { "x / (1 + abs(x))", "x" },
        { "softplus(y - t) + softplus(t - y) - 2 * log(2)", "y" },
        { "1/2 * (y - t)^2", "y" },
        { "x^2 * sin(x) / (1 + x^2)", "x" },
        { "x^x + 2^x + sqrt(x)", "x" },
        { "max(x, y) * sigmoid(w * x + b) + relu(x)", "x" },
        { "tanh(w * x + b)", "w" },
        { "exp(-abs(y - t))", "t" },
    };

    [Theory]
    [MemberData(nameof(Derivations))]
    public void Every_step_is_an_equality_at_random_points_and_the_last_equals_the_derivative(string expression, string variable)
    {
        var e = Expr.Parse(expression);
        var steps = e.DifferentiateWithSteps(variable);
        Assert.Equal(e.Differentiate(variable).Simplify(), steps[^1].Right);
        Assert.Equal(new UnevaluatedDerivative(e, new Symbol(variable)).Simplify(), steps[0].Left.Simplify());
        for (var i = 1; i < steps.Count; i++)
        {
            Assert.Same(steps[i - 1].Right, steps[i].Left);
        }

        var random = new Random(1129);
        for (var n = 0; n < 20; n++)
        {
            // y and t in (0, 1) keep the logs defined; x away from 0 keeps x^x and sqrt(x) real.
            var values = new Dictionary<string, double>
            {
                ["x"] = 0.1 + 2 * random.NextDouble(), ["y"] = 0.05 + 0.9 * random.NextDouble(), ["t"] = random.NextDouble(),
                ["w"] = 4 * random.NextDouble() - 2, ["b"] = 4 * random.NextDouble() - 2,
            };
            foreach (var step in steps)
            {
                var left = step.Left.Evaluate(values);
                var right = step.Right.Evaluate(values);
                Assert.True(Numerics.Close(left, right, 1e-12), $"{step} at {string.Join(", ", values)}: {left} ≠ {right}");
            }
        }
    }

    [Fact]
    public void An_unevaluated_derivative_prints_and_simplifies_to_the_derivative()
    {
        var x = new Symbol("x");
        var d = new UnevaluatedDerivative(Expr.Parse("x^2"), x);
        Assert.Equal(@"\frac{d}{dx} \left(x^{2}\right)", d.ToLatex());
        Assert.Equal(@"\frac{dx}{dx}", new UnevaluatedDerivative(x, x).ToLatex());
        Assert.Equal(@"\frac{\partial}{\partial x} \left(x y\right)", new UnevaluatedDerivative(Expr.Parse("x * y"), x, partial: true).ToLatex());
        Assert.Equal("diff(x^2, x)", d.ToString());
        Assert.Equal("2 * x", d.Simplify().ToString());
        Assert.Equal(6.0, d.Evaluate(_ => 3.0));
        Assert.Throws<NotSupportedException>(() => d.ToCSharp());
    }

    /// <summary>Random trees (fixed seed): each step's sides agree where both are finite, and the last is the derivative.</summary>
    [Property(Arbitrary = new[] { typeof(ExprArbitraries) }, Replay = "20261129,4243", MaxTest = 300)]
    public Property Steps_of_random_trees_are_equalities(ExprAtPoint c)
    {
        var steps = c.Expression.DifferentiateWithSteps("x");
        var values = c.Values;
        var last = steps[^1].Right.Equals(c.Expression.Differentiate("x"));
        var equal = steps.All(step =>
        {
            var left = Numerics.SafeEvaluate(step.Left, values);
            var right = Numerics.SafeEvaluate(step.Right, values);
            return !double.IsFinite(left) || !double.IsFinite(right) || Math.Abs(left) > 1e4
                || Numerics.Close(left, right, 1e-9, Math.Max(Numerics.Scale(step.Left.Simplify(), values), 1));
        });
        return (last && equal).Label($"{c}: {string.Join(" | ", steps)}");
    }
}
