using System;
using System.Collections.Generic;
using System.Linq;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Networks;
using BackpropGen.Tests.Support;

namespace BackpropGen.Tests.Generated;

/// <summary>
/// Generated code at the extremes: weighted inputs of ±1000 and targets of exactly 0 and 1 give finite losses
/// and gradients, equal to the values known in closed form there, and to the textbook formula where that one
/// is accurate.
/// </summary>
public class NumericalStabilityTests
{
    private static readonly ActivationSpec Softplus = ActivationSpec.Softplus;

    /// <summary>One output layer on one input, so a bias sets the weighted input exactly: w = 0, b = a.</summary>
    private static readonly (string Name, NetworkSpec Spec)[] Cases =
    {
        ("sigmoid + binary cross-entropy", new NetworkSpec(1, new[] { new LayerSpec(1, ActivationSpec.Sigmoid) }, LossSpec.BinaryCrossEntropy)),
        ("sigmoid + cross-entropy", new NetworkSpec(1, new[] { new LayerSpec(2, ActivationSpec.Sigmoid) }, LossSpec.CrossEntropy)),
        ("softmax + cross-entropy", new NetworkSpec(1, new[] { new LayerSpec(3, ActivationSpec.Softmax) }, LossSpec.CrossEntropy)),
        ("tanh + half squared error", new NetworkSpec(1, new[] { new LayerSpec(2, ActivationSpec.Tanh) }, LossSpec.HalfSquaredError)),
        ("softplus + squared error", new NetworkSpec(1, new[] { new LayerSpec(2, Softplus) }, LossSpec.SquaredError)),
        ("custom log(1 + exp(x)) + mean squared error", new NetworkSpec(1, new[] { new LayerSpec(2, ActivationSpec.Custom(Expr.Parse("log(1 + exp(x))"), "log(1 + exp(x))")) }, LossSpec.MeanSquaredError)),
        ("sigmoid hidden, softmax output", new NetworkSpec(1, new[] { new LayerSpec(2, ActivationSpec.Sigmoid), new LayerSpec(2, ActivationSpec.Softmax) }, LossSpec.CrossEntropy)),
    };

    private static readonly Lazy<IReadOnlyList<CompiledNetwork>> Networks = new(() =>
        CompiledNetworks.Compile(Cases.SelectMany(c => new[] { (c.Spec, NumericType.Double), (c.Spec, NumericType.Single) }).ToList()));

    public static IEnumerable<object[]> Indices() => Enumerable.Range(0, Cases.Length * 2).Select(n => new object[] { n });

    /// <summary>Every weight 0 and every bias <paramref name="bias"/> (alternating sign by unit), so each weighted input is ±bias.</summary>
    private static double[] Parameters(NetworkSpec spec, double bias)
    {
        var values = new List<double>();
        for (var l = 1; l <= spec.Layers.Count; l++)
        {
            values.AddRange(Enumerable.Repeat(0.0, spec.UnitsOf(l - 1) * spec.UnitsOf(l)));
            values.AddRange(Enumerable.Range(0, spec.UnitsOf(l)).Select(j => j % 2 == 0 ? bias : -bias));
        }

        return values.ToArray();
    }

    [Theory]
    [MemberData(nameof(Indices))]
    public void Loss_and_gradient_stay_finite_at_weighted_inputs_of_plus_minus_1000_and_targets_0_and_1(int index)
    {
        var network = Networks.Value[index];
        var net = network.Create(1);
        foreach (var bias in new[] { 1000.0, -1000.0, 80.0, -80.0 })
        {
            network.SetParameters(net, Parameters(network.Spec, bias));
            foreach (var hot in Enumerable.Range(0, network.Spec.Outputs))
            {
                foreach (var target in new[] { Enumerable.Range(0, network.Spec.Outputs).Select(j => j == hot ? 1.0 : 0.0).ToArray(), new double[network.Spec.Outputs] })
                {
                    if (network.Spec.Layers[^1].Activation.IsSoftmax && target.Sum() == 0)
                    {
                        continue; // softmax with cross-entropy takes distributions as targets
                    }

                    var gradient = new double[network.Spec.ParameterCount];
                    var loss = network.Gradient(net, new[] { 0.5 }, target, gradient);
                    var output = network.Forward(net, new[] { 0.5 });
                    Assert.True(double.IsFinite(loss), $"{network}: loss {loss} at bias {bias}, targets ({string.Join(", ", target)})");
                    Assert.All(gradient, g => Assert.True(double.IsFinite(g), $"{network}: gradient {g} at bias {bias}"));
                    Assert.All(output, y => Assert.True(double.IsFinite(y), $"{network}: output {y} at bias {bias}"));
                }
            }
        }
    }

    [Theory]
    [InlineData(1000.0, 0.0, 1000.0)]
    [InlineData(1000.0, 1.0, 0.0)]
    [InlineData(-1000.0, 0.0, 0.0)]
    [InlineData(-1000.0, 1.0, 1000.0)]
    public void Binary_cross_entropy_at_saturated_logits_takes_its_closed_form_values(double logit, double target, double expected)
    {
        // −[t log σ(a) + (1 − t) log(1 − σ(a))] → a(1 − t) for a → +∞ and −a t for a → −∞, up to e^−|a|.
        foreach (var network in Networks.Value.Take(2))
        {
            var net = network.Create(1);
            network.SetParameters(net, Parameters(network.Spec, logit));
            Assert.Equal(expected, network.Loss(net, new[] { 0.5 }, new[] { target }), 3);
        }
    }

    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(1, 2000.0)]
    public void Softmax_cross_entropy_at_saturated_logits_takes_its_closed_form_values(int hot, double expected)
    {
        // Logits (1000, −1000, 1000): −log y_hot is log 2 ≈ 0.693 for a logit of 1000 and 2000 + log 2 for −1000.
        foreach (var network in Networks.Value.Skip(4).Take(2))
        {
            var net = network.Create(1);
            network.SetParameters(net, Parameters(network.Spec, 1000));
            var target = new double[3];
            target[hot] = 1;
            Assert.Equal(expected + Math.Log(2), network.Loss(net, new[] { 0.5 }, target), 3);
        }
    }

    [Theory]
    [InlineData(-8.0)]
    [InlineData(-3.5)]
    [InlineData(0.0)]
    [InlineData(2.25)]
    [InlineData(8.0)]
    public void Where_the_textbook_formula_is_accurate_the_stable_form_agrees_with_it(double logit)
    {
        // Beyond |a| ≈ 8 the textbook form loses digits in 1 − σ(a) (at a = 20, seven of them); the stable one does not.
        var network = Networks.Value[0];
        var net = network.Create(1);
        network.SetParameters(net, Parameters(network.Spec, logit));
        foreach (var t in new[] { 0.0, 0.3, 1.0 })
        {
            var y = 1.0 / (1.0 + Math.Exp(-logit));
            var textbook = -(t * Math.Log(y) + (1 - t) * Math.Log(1 - y));
            Assert.Equal(textbook, network.Loss(net, new[] { 0.5 }, new[] { t }), 9);
        }
    }
}
