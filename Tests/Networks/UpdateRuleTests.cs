using System.Collections.Generic;
using System.Linq;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Matrices;
using BackpropGen.Symbolic.Networks;
using static BackpropGen.Symbolic.Networks.NetworkSymbols;

namespace BackpropGen.Tests.Networks;

/// <summary>Update rules are equations over θ, g, η and state, instantiated per parameter.</summary>
public class UpdateRuleTests
{
    [Fact]
    public void Gradient_descent_is_one_assignment_of_theta_with_no_state()
    {
        var rule = UpdateRule.StochasticGradientDescent;
        var only = Assert.Single(rule.Equations);
        Assert.Equal(Parameter, only.Target);
        Assert.Empty(rule.State);
        Assert.True(rule.IsPlainStep);
        Assert.Equal(Expr.Subtract(Parameter, LearningRate * Gradient).Simplify(), only.Value.Simplify());
    }

    [Fact]
    public void An_instantiated_update_computes_theta_minus_eta_times_the_gradient_of_that_parameter()
    {
        var weight = Weight(2, 0, 1);
        var gradient = Delta(2, 1) * Output(1, 0);
        var update = UpdateRule.StochasticGradientDescent.Equations[0].Instantiate(weight, gradient);
        Assert.Equal(weight, update.Target);
        var values = new Dictionary<Symbol, double> { [weight] = 0.75, [Delta(2, 1)] = -0.5, [Output(1, 0)] = 0.25, [LearningRate] = 0.1 };
        Assert.Equal(0.75 - 0.1 * (-0.5 * 0.25), update.Value.Evaluate(s => values[s]), 15);
        // Written as the notes write it, one flat product −η δ h, not −η (δ h).
        var step = Assert.IsType<Sum>(update.Value).Terms.OfType<Product>().Single();
        Assert.DoesNotContain(step.Factors, f => f is Product);
    }

    [Fact]
    public void Gradient_descent_lifts_to_whole_vectors_and_a_rule_with_state_does_not()
    {
        var u = new MatrixSymbol("u", null, new Shape(Dimension.Units(1, 3), Dimension.Units(2, 2)), bold: true);
        var gradient = new MatrixGradient(new Symbol("L"), u);
        var step = UpdateRule.StochasticGradientDescent.VectorStep(u, gradient)!.Value;
        Assert.Same(u, step.Target);
        Assert.Equal(@"\mathbf{u} - \eta \nabla_{\mathbf{u}} L\left(\mathbf{u}\right)", step.Value.ToLatex());
        Assert.Equal(u.Shape, step.Value.Shape);
        foreach (var optimizer in new[] { OptimizerKind.Momentum, OptimizerKind.Adam, OptimizerKind.RMSProp })
        {
            Assert.Null(UpdateRule.For(new TrainingSpec(optimizer)).VectorStep(u, gradient));
        }
    }
}
