using System;
using System.Collections.Generic;
using System.Linq;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Networks;
using static BackpropGen.Symbolic.Networks.NetworkSymbols;

namespace BackpropGen.Tests.Networks;

/// <summary>The loop form's sums, taken out by the derivation, compute the same δ and loss.</summary>
public class SumLoweringTests
{
    /// <summary>A value for every symbol, fixed by its text, so both sides see the same point.</summary>
    private static double ValueOf(Symbol s) => 0.1 + (Math.Abs(s.ToString().GetHashCode(StringComparison.Ordinal)) % 1000) / 1250.0;

    private static double Evaluate(Expr e, IReadOnlyDictionary<string, double> accumulators) =>
        e.Evaluate(s => accumulators.TryGetValue(s.Name, out var v) && s.Tag is null ? v : ValueOf(s));

    private static bool HasKronecker(Expr e) => e is KroneckerDelta || e.Children.Any(HasKronecker);

    [Theory]
    [InlineData("squared")]
    [InlineData("cross-entropy")]
    public void A_softmax_delta_lowered_to_accumulators_equals_the_delta(string loss)
    {
        var spec = new NetworkSpec(2, new[] { new LayerSpec(4, ActivationSpec.Softmax) }, loss == "squared" ? LossSpec.SquaredError : LossSpec.CrossEntropy);
        var output = Derivation.Derive(spec).OutputLayer;
        var lowered = output.LoopDelta;
        // The Kronecker δ of the Jacobian is taken out of every sum, so no sum is units² work.
        Assert.All(lowered.PerUnit.Concat(lowered.PerExample), a => Assert.False(HasKronecker(a.Sum), a.Sum.ToString()));
        Assert.True(HasKronecker(output.Delta) || loss != "squared");
        for (var j = 0; j < 4; j++)
        {
            var values = lowered.PerExample.Concat(lowered.PerUnit)
                .ToDictionary(a => a.Name.Name, a => Evaluate(a.Sum.SubstituteIndex(Unit, j), new Dictionary<string, double>()));
            Assert.Equal(Evaluate(output.Delta.SubstituteIndex(Unit, j), values), Evaluate(lowered.Value.SubstituteIndex(Unit, j), values), 12);
        }
    }

    [Fact]
    public void The_loss_is_lowered_once_per_example_and_a_hidden_delta_has_its_backpropagated_factor()
    {
        var derivation = Derivation.Derive(new NetworkSpec(3, new[] { new LayerSpec(5, ActivationSpec.Sigmoid), new LayerSpec(3, ActivationSpec.Softmax) }, LossSpec.CrossEntropy));
        var loss = derivation.LoopLoss;
        Assert.Empty(loss.PerUnit);
        var values = loss.PerExample.ToDictionary(a => a.Name.Name, a => Evaluate(a.Sum, new Dictionary<string, double>()));
        Assert.Equal(Evaluate(derivation.StableLoss!, values), Evaluate(loss.Value, values), 12);
        var hidden = derivation.Layers[0];
        Assert.Equal(Output(1, Unit) * (1 - Output(1, Unit)) * Delta(1, Unit), hidden.BackpropagatedFactor);
        Assert.Null(derivation.OutputLayer.BackpropagatedFactor);
    }
}
