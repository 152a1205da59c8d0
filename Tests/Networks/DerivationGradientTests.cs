using System;
using System.Collections.Generic;
using System.Linq;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Networks;
using BackpropGen.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static BackpropGen.Symbolic.Networks.NetworkSymbols;

namespace BackpropGen.Tests.Networks;

/// <summary>
/// The derivation is proven, not trusted: its formulas, evaluated at random parameters, give the same
/// gradient as central finite differences of an independent forward pass.
/// </summary>
public class DerivationGradientTests
{
    private static void AssertClose(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-6 + 1e-5 * Math.Abs(expected),
            $"{what}: finite difference {expected:R}, derivation {actual:R}");

    private static void AssertGradientMatches(NetworkSpec spec, int seed)
    {
        var derivation = Derivation.Derive(spec);
        var point = NetworkEvaluator.RandomPoint(spec, new Random(seed));
        var result = NetworkEvaluator.Backpropagate(derivation, point);

        AssertClose(NetworkEvaluator.Loss(spec, point), result.Loss, $"{spec} loss");
        if (derivation.StableLoss is { } stable)
        {
            // The loss as the code computes it, from the weighted inputs, is the same loss.
            var l = spec.Layers.Count;
            var a = Enumerable.Range(0, spec.Outputs).Select(k => result.ValueOf(PreActivation(l, k))).ToArray();
            var max = a.Max();
            var values = new Dictionary<Symbol, double>(result.Values)
            {
                [SoftmaxMax(l)] = max,
                [SoftmaxSum(l)] = a.Sum(v => Math.Exp(v - max)),
            };
            AssertClose(result.Loss, stable.Evaluate(s => values[s]), $"{spec} stable loss");
        }

        Assert.Equal(spec.ParameterCount, result.Gradient.Count);
        foreach (var (parameter, value) in result.Gradient)
        {
            AssertClose(NetworkEvaluator.FiniteDifference(spec, point, parameter), value, $"{spec} ∂L/∂{parameter}");
        }

        // The document's chain-rule forms and worked examples compute the same numbers.
        foreach (var layer in derivation.Layers)
        {
            for (var j = 0; j < layer.Units; j++)
            {
                for (var i = 0; i < layer.Inputs; i++)
                {
                    var chain = layer.WeightGradientChain.SubstituteIndex(Unit, j).SubstituteIndex(From, i).ExpandSums();
                    AssertClose(result.Gradient[Weight(layer.Number, i, j)], chain.Evaluate(result.ValueOf), $"{spec} chain form of ∂L/∂w({layer.Number},{i},{j})");
                }
            }
        }

        foreach (var example in derivation.WorkedExamples)
        {
            AssertClose(NetworkEvaluator.FiniteDifference(spec, point, Weight(example.Layer, 0, 0)),
                example.Gradient.ExpandSums().Evaluate(result.ValueOf), $"{spec} worked example of layer {example.Layer}");
        }
    }

    [Theory]
    [MemberData(nameof(SampleNetworks.Names), MemberType = typeof(SampleNetworks))]
    public void Every_sample_network_matches_finite_differences_at_random_points(string name)
    {
        for (var seed = 0; seed < 20; seed++)
        {
            AssertGradientMatches(SampleNetworks.All[name], seed);
        }
    }

    [Property(MaxTest = 60, Arbitrary = new[] { typeof(RandomNetworks) })]
    public void Random_architectures_match_finite_differences(NetworkSpec spec, int seed) => AssertGradientMatches(spec, seed);

    [Fact]
    public void A_network_with_every_activation_and_loss_matches_finite_differences()
    {
        var activations = new[] { ActivationSpec.Identity, ActivationSpec.Sigmoid, ActivationSpec.Tanh, ActivationSpec.ReLU, ActivationSpec.LeakyReLU, ActivationSpec.Softplus };
        var losses = new[] { LossSpec.HalfSquaredError, LossSpec.SquaredError, LossSpec.MeanSquaredError, LossSpec.BinaryCrossEntropy, LossSpec.CrossEntropy };
        foreach (var loss in losses)
        {
            var output = loss.Kind == LossKind.CrossEntropy ? ActivationSpec.Softmax : ActivationSpec.Sigmoid;
            var spec = new NetworkSpec(3, activations.Select(a => new LayerSpec(3, a)).Append(new LayerSpec(2, output)), loss);
            AssertGradientMatches(spec, 7);
        }
    }
}

/// <summary>Random dense networks: 1–4 inputs, 1–3 layers of 1–5 units, every activation and loss where it is defined.</summary>
public static class RandomNetworks
{
    public static IReadOnlyList<ActivationSpec> HiddenActivations => Hidden;

    public static IReadOnlyList<LossSpec> Losses => LossList;

    private static readonly ActivationSpec[] Hidden =
    {
        ActivationSpec.Identity, ActivationSpec.Sigmoid, ActivationSpec.Tanh, ActivationSpec.ReLU, ActivationSpec.LeakyReLU,
        ActivationSpec.Softplus, ActivationSpec.Custom(Expr.Parse("x / (1 + abs(x))"), "x / (1 + abs(x))"),
        ActivationSpec.Custom(Expr.Parse("x * sigmoid(x)"), "x * sigmoid(x)"),
    };

    private static readonly LossSpec[] LossList =
    {
        LossSpec.HalfSquaredError, LossSpec.SquaredError, LossSpec.MeanSquaredError, LossSpec.BinaryCrossEntropy, LossSpec.CrossEntropy,
        LossSpec.Custom(Expr.Parse("softplus(y - t) + softplus(t - y)"), "softplus(y - t) + softplus(t - y)"),
    };

    public static Arbitrary<NetworkSpec> Networks() => Arb.From(
        from inputs in Gen.Choose(1, 4)
        from depth in Gen.Choose(1, 3)
        from widths in Gen.ArrayOf(Gen.Choose(1, 5), depth)
        from hidden in Gen.ArrayOf(Gen.Elements(Hidden), depth)
        from loss in Gen.Elements(LossList)
        from softmax in Gen.Elements(true, false)
        select Build(inputs, widths, hidden, loss, softmax));

    private static NetworkSpec Build(int inputs, int[] widths, ActivationSpec[] activations, LossSpec loss, bool softmax)
    {
        var last = activations.Length - 1;
        activations[last] = loss.Kind switch
        {
            LossKind.CrossEntropy => softmax ? ActivationSpec.Softmax : ActivationSpec.Sigmoid,
            LossKind.BinaryCrossEntropy => ActivationSpec.Sigmoid,
            _ when softmax => ActivationSpec.Softmax,
            _ => activations[last],
        };
        return new NetworkSpec(inputs, widths.Select((w, i) => new LayerSpec(w, activations[i])), loss);
    }
}
