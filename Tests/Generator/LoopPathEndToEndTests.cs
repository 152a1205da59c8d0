using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Networks;
using BackpropGen.Tests.Support;

namespace BackpropGen.Tests.Generator;

/// <summary>
/// Wide and deep networks through the real generator: declared with attributes, generated without diagnostics,
/// compiled with warnings as errors and called from user code in the same compilation. Their size in code does not
/// grow with their width, and their gradients match central finite differences of an independent forward pass at
/// sampled parameters (every parameter of a 784-128-10 network would take minutes).
/// </summary>
[Trait("Category", "Slow")]
public class LoopPathEndToEndTests
{
    /// <summary>
    /// User code that loads given parameters into a new <c>Demo.{name}</c> and calls its gradient and loss with arrays
    /// of double, whatever the network's number type.
    /// </summary>
    private static string Probe(string name, string type) => $$"""
        public static class Probe
        {
            private static {{type}}[] In(double[] values) => System.Array.ConvertAll(values, v => ({{type}})v);

            private static Demo.{{name}} Load(double[] parameters)
            {
                var network = new Demo.{{name}}();
                new System.Span<{{type}}>(In(parameters)).CopyTo(network.Parameters);
                return network;
            }

            public static int[] Counts() => new[] { Demo.{{name}}.InputCount, Demo.{{name}}.OutputCount, Demo.{{name}}.ParameterCount, new Demo.{{name}}().Parameters.Length };

            public static double Gradient(double[] parameters, double[] input, double[] target, double[] gradient)
            {
                var result = new {{type}}[gradient.Length];
                var loss = Load(parameters).Gradient(In(input), In(target), result);
                for (int k = 0; k < result.Length; k++)
                {
                    gradient[k] = result[k];
                }

                return loss;
            }

            public static double Loss(double[] parameters, double[] input, double[] target) => Load(parameters).Loss(In(input), In(target));
        }
        """;

    /// <summary>The generator's run, its one generated file, and the probe of the compiled network.</summary>
    private static (GeneratorRun Run, string Source, Type Probe) Generate(string declaration, string name, NumericType precision)
    {
        var run = GeneratorHarness.Run("using BackpropGen;\nnamespace Demo;\n" + declaration, Probe(name, precision == NumericType.Single ? "float" : "double"));
        Assert.Empty(run.Diagnostics);
        Assert.All(run.RunResult.Results, r => Assert.Null(r.Exception));
        var source = Assert.Single(run.GeneratedSources).Value;
        return (run, source, run.EmitAndLoad().GetType("Probe")!);
    }

    private static T Call<T>(Type probe, string method, params object[] arguments)
    {
        try
        {
            return (T)probe.GetMethod(method)!.Invoke(null, arguments)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }

    /// <summary>Values the number type holds exactly, so that the reference computes at the network's own point.</summary>
    private static double Representable(double value, NumericType precision) => precision == NumericType.Single ? (float)value : value;

    /// <summary>
    /// Checks the compiled network's gradient at <paramref name="parameters"/> against central differences of
    /// <see cref="NetworkEvaluator.Loss"/> at the flat indices <paramref name="sample"/>; returns the gradient.
    /// </summary>
    private static double[] AssertGradientMatchesFiniteDifferences(
        Type probe, NetworkSpec spec, NumericType precision, double[] parameters, double[] input, double[] target, IEnumerable<int> sample)
    {
        var gradient = new double[spec.ParameterCount];
        var loss = Call<double>(probe, "Gradient", parameters, input, target, gradient);
        var tolerance = precision == NumericType.Single ? 2e-3 : 1e-6;
        var symbols = DocumentedLayout.ToSymbols(spec, parameters, input, target);

        var expectedLoss = NetworkEvaluator.Loss(spec, symbols);
        Assert.True(Math.Abs(expectedLoss - loss) <= tolerance * (1 + Math.Abs(expectedLoss)), $"loss {loss:R}, the forward pass gives {expectedLoss:R}");
        Assert.Equal(loss, Call<double>(probe, "Loss", parameters, input, target), 12);
        foreach (var k in sample)
        {
            var parameter = DocumentedLayout.ParameterAt(spec, k);
            var expected = NetworkEvaluator.FiniteDifference(spec, symbols, parameter, 1e-6);
            Assert.True(Math.Abs(expected - gradient[k]) <= tolerance * (1 + Math.Abs(expected)),
                $"∂L/∂{parameter} (p[{k}]) is {gradient[k]:R}, finite differences give {expected:R}");
        }

        return gradient;
    }

    /// <summary><paramref name="count"/> distinct flat indices of layer <paramref name="layer"/>'s weights, then <paramref name="biases"/> of its biases.</summary>
    private static IEnumerable<int> SampleOfLayer(NetworkSpec spec, int layer, int count, int biases, Random random)
    {
        var start = DocumentedLayout.LayerStart(spec, layer);
        var weights = spec.UnitsOf(layer - 1) * spec.UnitsOf(layer);
        var weightSample = Enumerable.Range(0, count).Select(_ => start + random.Next(weights));
        var biasSample = Enumerable.Range(0, biases).Select(_ => start + weights + random.Next(spec.UnitsOf(layer)));
        return weightSample.Concat(biasSample).Distinct();
    }

    [Theory]
    [InlineData("Double")]
    [InlineData("Single")]
    public void A_784_128_10_network_generates_in_under_2000_lines_and_its_gradient_matches_finite_differences(string precisionName)
    {
        var precision = precisionName == "Single" ? NumericType.Single : NumericType.Double;
        var (_, source, probe) = Generate(
            $"[Network(784, Loss = Loss.CrossEntropy, Precision = Precision.{precisionName})]\n[Dense(128, Activation.Sigmoid)]\n[Dense(10, Activation.Softmax)]\npublic partial class Mnist {{ }}",
            "Mnist",
            precision);
        var spec = new NetworkSpec(784, new[] { new LayerSpec(128, ActivationSpec.Sigmoid), new LayerSpec(10, ActivationSpec.Softmax) }, LossSpec.CrossEntropy);

        var lines = source.Split('\n').Length;
        Assert.True(lines < 2000, $"the generated file has {lines} lines");
        Assert.Equal(new[] { 784, 10, 784 * 128 + 128 + 128 * 10 + 10, 101770 }, Call<int[]>(probe, "Counts"));

        // Xavier-sized weights keep the sigmoids off their flat ends; random biases keep them off zero.
        var random = new Random(784);
        var parameters = new double[spec.ParameterCount];
        for (var layer = 1; layer <= 2; layer++)
        {
            var start = DocumentedLayout.LayerStart(spec, layer);
            int inputs = spec.UnitsOf(layer - 1), units = spec.UnitsOf(layer);
            var limit = Math.Sqrt(6.0 / (inputs + units));
            for (var k = 0; k < inputs * units; k++)
            {
                parameters[start + k] = Representable((random.NextDouble() * 2 - 1) * limit, precision);
            }

            for (var j = 0; j < units; j++)
            {
                parameters[start + inputs * units + j] = Representable(random.NextDouble() - 0.5, precision);
            }
        }

        var input = Enumerable.Range(0, 784).Select(_ => Representable(random.NextDouble(), precision)).ToArray();
        var target = new double[10];
        target[random.Next(10)] = 1;
        var sample = SampleOfLayer(spec, 1, 15, 5, random).Concat(SampleOfLayer(spec, 2, 15, 5, random)).ToList();

        Assert.True(sample.Count >= 35, $"{sample.Count} distinct parameters sampled");
        AssertGradientMatchesFiniteDifferences(probe, spec, precision, parameters, input, target, sample);
    }

    /// <summary>100 layers of 8 units, tanh and identity in turn, unrolled (the default threshold) or every one a loop.</summary>
    [Theory]
    [InlineData("", "Double")]
    [InlineData(", MaxUnrolledWeights = 0", "Double")]
    [InlineData(", MaxUnrolledWeights = 0", "Single")]
    public void A_network_of_100_layers_generates_and_its_gradient_matches_finite_differences(string threshold, string precisionName)
    {
        var precision = precisionName == "Single" ? NumericType.Single : NumericType.Double;
        var activations = Enumerable.Range(1, 100).Select(l => l % 2 == 1 ? "Tanh" : "Identity").ToList();
        var (_, source, probe) = Generate(
            $"[Network(8, Loss = Loss.HalfSquaredError, Precision = Precision.{precisionName}{threshold})]\n"
                + string.Concat(activations.Select(a => $"[Dense(8, Activation.{a})]\n"))
                + "public partial class Deep { }",
            "Deep",
            precision);
        var spec = new NetworkSpec(8, activations.Select(a => new LayerSpec(8, a == "Tanh" ? ActivationSpec.Tanh : ActivationSpec.Identity)), LossSpec.HalfSquaredError);
        Assert.Equal(threshold.Length > 0, source.Contains("void __ForwardBlock(", StringComparison.Ordinal));
        Assert.Equal(new[] { 8, 8, 7200, 7200 }, Call<int[]>(probe, "Counts"));

        // Weights near the identity carry the signal through 100 layers: W = I + noise, small biases.
        var random = new Random(100);
        var parameters = new double[spec.ParameterCount];
        for (var layer = 1; layer <= 100; layer++)
        {
            var start = DocumentedLayout.LayerStart(spec, layer);
            for (var i = 0; i < 8; i++)
            {
                for (var j = 0; j < 8; j++)
                {
                    parameters[start + i * 8 + j] = Representable((i == j ? 1 : 0) + (random.NextDouble() - 0.5) * 0.2, precision);
                }
            }

            for (var j = 0; j < 8; j++)
            {
                parameters[start + 64 + j] = Representable((random.NextDouble() - 0.5) * 0.1, precision);
            }
        }

        var input = Enumerable.Range(0, 8).Select(_ => Representable(random.NextDouble() * 2 - 1, precision)).ToArray();
        var target = Enumerable.Range(0, 8).Select(_ => Representable(random.NextDouble() * 2 - 1, precision)).ToArray();
        var first = SampleOfLayer(spec, 1, 6, 2, random).ToList();
        var sample = first
            .Concat(new[] { 2, 50, 51, 99, 100 }.SelectMany(l => SampleOfLayer(spec, l, 4, 2, random)))
            .Concat(Enumerable.Range(0, 10).Select(_ => random.Next(spec.ParameterCount)))
            .Distinct()
            .ToList();

        var gradient = AssertGradientMatchesFiniteDifferences(probe, spec, precision, parameters, input, target, sample);

        // The check is not vacuous: the first layer's gradient is far above the finite-difference tolerance.
        Assert.True(first.Max(k => Math.Abs(gradient[k])) > 1e-2, $"the first layer's sampled gradient is at most {first.Max(k => Math.Abs(gradient[k])):R}");
    }

    /// <summary>
    /// Five 64-unit layers on 64 inputs, every one of 4096 weights, within MaxUnrolledWeights = 4096: the first three
    /// (12480 parameters) are unrolled, the fourth and fifth would take the unrolled code past 16384 parameters.
    /// </summary>
    private const string BudgetDeclaration =
        "[Network(64, MaxUnrolledWeights = 4096)]\n[Dense(64, Activation.Tanh)]\n[Dense(64, Activation.Tanh)]\n[Dense(64, Activation.Tanh)]\n"
        + "[Dense(64, Activation.Tanh)]\n[Dense(64, Activation.Identity)]\npublic partial class Budget { }";

    [Fact]
    public void Layers_past_the_unrolled_parameter_budget_are_generated_as_loops_and_their_gradient_matches_finite_differences()
    {
        var (_, source, probe) = Generate(BudgetDeclaration, "Budget", NumericType.Double);
        var spec = new NetworkSpec(64, Enumerable.Repeat(new LayerSpec(64, ActivationSpec.Tanh), 4).Append(new LayerSpec(64, ActivationSpec.Identity)), LossSpec.HalfSquaredError);
        Assert.Contains("void __ForwardBlock(", source);
        Assert.Equal(new[] { 64, 64, 5 * 65 * 64, 5 * 65 * 64 }, Call<int[]>(probe, "Counts"));

        var random = new Random(64);
        var point = NetworkEvaluator.RandomPoint(spec, random);
        // A quarter of RandomPoint's weights and biases keeps the 64-input tanh units off their flat ends.
        var parameters = Enumerable.Range(0, spec.ParameterCount).Select(k => point[DocumentedLayout.ParameterAt(spec, k)] * 0.25).ToArray();
        var input = Enumerable.Range(0, 64).Select(i => point[NetworkSymbols.Output(0, i)]).ToArray();
        var target = Enumerable.Range(0, 64).Select(j => point[NetworkSymbols.Target(j)]).ToArray();
        var sample = Enumerable.Range(1, 5).SelectMany(l => SampleOfLayer(spec, l, 8, 2, random)).ToList();

        AssertGradientMatchesFiniteDifferences(probe, spec, NumericType.Double, parameters, input, target, sample);
    }

    [Fact]
    public void The_remarks_do_not_say_that_layers_made_loops_by_the_budget_are_wider_than_the_threshold()
    {
        var run = GeneratorHarness.Run("using BackpropGen;\nnamespace Demo;\n" + BudgetDeclaration);
        var source = Assert.Single(run.GeneratedSources).Value;

        // Every layer has exactly 4096 weights, none more than MaxUnrolledWeights; layers 4 and 5 are loops all the same.
        Assert.Contains("void __ForwardBlock(", source);
        Assert.DoesNotContain("more than 4096 weights", source);
    }
}
