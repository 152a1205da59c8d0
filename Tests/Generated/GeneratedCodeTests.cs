using System;
using System.Collections.Generic;
using System.Linq;
using BackpropGen.Generator.Documents;
using BackpropGen.Generator.Emit;
using BackpropGen.Generator.Model;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Networks;
using BackpropGen.Tests.Networks;
using BackpropGen.Tests.Support;

namespace BackpropGen.Tests.Generated;

/// <summary>
/// The generated code, compiled and run: its gradients match central finite differences of an independent
/// forward pass, for every activation and loss in both precisions; its parameter layout is the documented
/// one; batches are means; training steps are fused updates; nothing allocates.
/// </summary>
public class GeneratedCodeTests
{
    private static readonly Lazy<IReadOnlyList<CompiledNetwork>> Networks = new(() => CompiledNetworks.Compile(Specs()));

    /// <summary>The sample networks and 24 more covering every activation and loss, each in double and float.</summary>
    private static IReadOnlyList<(NetworkSpec, NumericType)> Specs()
    {
        var specs = SampleNetworks.All.Values.ToList();
        var hidden = RandomNetworks.HiddenActivations;
        var losses = RandomNetworks.Losses;
        var random = new Random(2024);
        for (var n = 0; n < 24; n++)
        {
            var loss = losses[n % losses.Count];
            var depth = 1 + n % 3;
            var layers = Enumerable.Range(0, depth).Select(d => new LayerSpec(1 + random.Next(5), hidden[(n + d) % hidden.Count])).ToList();
            var last = layers[depth - 1];
            var softmax = n % 4 < 2;
            var output = loss.Kind switch
            {
                LossKind.CrossEntropy => softmax ? ActivationSpec.Softmax : ActivationSpec.Sigmoid,
                LossKind.BinaryCrossEntropy => ActivationSpec.Sigmoid,
                _ when softmax => ActivationSpec.Softmax,
                _ => last.Activation,
            };
            layers[depth - 1] = new LayerSpec(output.IsSoftmax ? Math.Max(2, last.Units) : last.Units, output);
            specs.Add(new NetworkSpec(1 + random.Next(4), layers, loss, name: "Random" + n));
        }

        return specs.SelectMany(s => new[] { (s, NumericType.Double), (s, NumericType.Single) }).ToList();
    }

    public static IEnumerable<object[]> Indices() => Enumerable.Range(0, Specs().Count).Select(n => new object[] { n });

    private static double Tolerance(CompiledNetwork network) => network.Precision == NumericType.Single ? 2e-3 : 1e-6;

    /// <summary>
    /// Random weights and biases in the documented layout. Checks run there, not at the initialisation, whose zero
    /// biases can put a ReLU-like unit exactly on its kink, where a finite difference straddles two slopes.
    /// </summary>
    private static double[] RandomParameters(CompiledNetwork network, Random random)
    {
        var point = NetworkEvaluator.RandomPoint(network.Spec, random);
        return Enumerable.Range(0, network.Spec.ParameterCount).Select(k => point[network.ParameterAt(k)]).ToArray();
    }

    private static (double[] Input, double[] Target) Example(CompiledNetwork network, Random random)
    {
        var point = NetworkEvaluator.RandomPoint(network.Spec, random);
        var input = Enumerable.Range(0, network.Spec.Inputs).Select(i => point[NetworkSymbols.Output(0, i)]).ToArray();
        var target = Enumerable.Range(0, network.Spec.Outputs).Select(j => point[NetworkSymbols.Target(j)]).ToArray();
        return (input, target);
    }

    [Theory]
    [MemberData(nameof(Indices))]
    public void Gradient_matches_finite_differences_of_an_independent_forward_pass(int index)
    {
        var network = Networks.Value[index];
        var random = new Random(index);
        var net = network.Create(index);
        for (var trial = 0; trial < 3; trial++)
        {
            network.SetParameters(net, RandomParameters(network, random));
            var (input, target) = Example(network, random);
            var parameters = network.Parameters(net);
            var symbols = network.ToSymbols(parameters, input, target);
            var gradient = new double[parameters.Length];
            var loss = network.Gradient(net, input, target, gradient);

            var tolerance = Tolerance(network);
            var expectedLoss = NetworkEvaluator.Loss(network.Spec, symbols);
            Assert.True(Math.Abs(expectedLoss - loss) <= tolerance * (1 + Math.Abs(expectedLoss)), $"{network}: loss {loss} against {expectedLoss}");
            Assert.Equal(loss, network.Loss(net, input, target), 12);
            for (var k = 0; k < parameters.Length; k++)
            {
                var expected = NetworkEvaluator.FiniteDifference(network.Spec, symbols, network.ParameterAt(k), 1e-6);
                Assert.True(Math.Abs(expected - gradient[k]) <= tolerance * (1 + Math.Abs(expected)),
                    $"{network}: ∂L/∂{network.ParameterAt(k)} (p[{k}]) is {gradient[k]:R}, finite differences give {expected:R}");
            }

            var output = network.Forward(net, input);
            var reference = ForwardReference(network, symbols);
            for (var j = 0; j < output.Length; j++)
            {
                Assert.True(Math.Abs(reference[j] - output[j]) <= tolerance * (1 + Math.Abs(reference[j])), $"{network}: output {j}");
            }
        }
    }

    /// <summary>The outputs by the independent forward pass, read off as the loss's derivative would not be: directly.</summary>
    private static double[] ForwardReference(CompiledNetwork network, IReadOnlyDictionary<Symbol, double> symbols)
    {
        var spec = network.Spec;
        var identity = new NetworkSpec(spec.Inputs, spec.Layers, LossSpec.Custom(Expr.Parse("y * t"), "y * t"));
        return Enumerable.Range(0, spec.Outputs).Select(j =>
        {
            var oneHot = new Dictionary<Symbol, double>(symbols);
            for (var k = 0; k < spec.Outputs; k++)
            {
                oneHot[NetworkSymbols.Target(k)] = k == j ? 1 : 0;
            }

            return NetworkEvaluator.Loss(identity, oneHot);
        }).ToArray();
    }

    [Theory]
    [MemberData(nameof(Indices))]
    public void Batch_gradient_is_the_mean_of_the_examples_gradients(int index)
    {
        var network = Networks.Value[index];
        var random = new Random(100 + index);
        var net = network.Create(3);
        network.SetParameters(net, RandomParameters(network, random));
        var examples = Enumerable.Range(0, 4).Select(_ => Example(network, random)).ToList();
        var count = network.Parameters(net).Length;
        var mean = new double[count];
        var meanLoss = 0.0;
        foreach (var (input, target) in examples)
        {
            var gradient = new double[count];
            meanLoss += network.Gradient(net, input, target, gradient) / examples.Count;
            for (var k = 0; k < count; k++)
            {
                mean[k] += gradient[k] / examples.Count;
            }
        }

        var batch = new double[count];
        var loss = network.BatchGradient(net, examples.SelectMany(e => e.Input).ToArray(), examples.SelectMany(e => e.Target).ToArray(), batch);
        var tolerance = Tolerance(network);
        Assert.True(Math.Abs(meanLoss - loss) <= tolerance * (1 + Math.Abs(meanLoss)));
        for (var k = 0; k < count; k++)
        {
            Assert.True(Math.Abs(mean[k] - batch[k]) <= tolerance * (1 + Math.Abs(mean[k])), $"{network}: batch gradient {k}");
        }
    }

    [Theory]
    [MemberData(nameof(Indices))]
    public void Train_step_is_the_fused_update_and_returns_the_loss_before_it(int index)
    {
        var network = Networks.Value[index];
        var (input, target) = Example(network, new Random(200 + index));
        var net = network.Create(5);
        var before = network.Parameters(net);
        var gradient = new double[before.Length];
        var loss = network.Gradient(net, input, target, gradient);
        const double rate = 0.1;

        Assert.Equal(loss, network.TrainStep(net, input, target, rate), 10);
        var after = network.Parameters(net);
        var tolerance = Tolerance(network);
        for (var k = 0; k < before.Length; k++)
        {
            var expected = before[k] - rate * gradient[k];
            Assert.True(Math.Abs(expected - after[k]) <= tolerance * (1 + Math.Abs(expected)), $"{network}: parameter {k} after the step");
        }

        var batchNet = network.Create(5);
        var batchGradient = new double[before.Length];
        var batchLoss = network.BatchGradient(batchNet, input, target, batchGradient);
        Assert.Equal(batchLoss, network.TrainBatch(batchNet, input, target, rate), 10);
        Assert.Equal(after, network.Parameters(batchNet), new ToleranceComparer(tolerance));
    }

    [Theory]
    [MemberData(nameof(Indices))]
    public void No_call_allocates(int index)
    {
        var network = Networks.Value[index];
        var net = network.Create(1);
        var (input, target) = Example(network, new Random(index));
        var inputs = input.Concat(input).Concat(input).ToArray();
        var targets = target.Concat(target).Concat(target).ToArray();
        Assert.Equal(0, network.AllocatedBytes(net, input, target, inputs, targets, 1000));
    }

    [Fact]
    public void Training_lowers_the_loss_of_the_notes_network_on_a_small_task()
    {
        var network = Networks.Value[0];
        var net = network.CreateDefault();
        var inputs = new[] { new[] { 0.0, 0.0 }, new[] { 0.0, 1.0 }, new[] { 1.0, 0.0 }, new[] { 1.0, 1.0 } };
        var targets = new[] { new[] { 0.1, 0.9 }, new[] { 0.9, 0.1 }, new[] { 0.9, 0.1 }, new[] { 0.1, 0.9 } };
        double Total() => inputs.Select((x, n) => network.Loss(net, x, targets[n])).Sum();
        var initial = Total();
        for (var epoch = 0; epoch < 3000; epoch++)
        {
            for (var n = 0; n < inputs.Length; n++)
            {
                network.TrainStep(net, inputs[n], targets[n], 2.0);
            }
        }

        Assert.True(Total() < initial / 10, $"loss went from {initial} to {Total()}");
    }

    [Fact]
    public void Wrong_sizes_throw_an_argument_exception_naming_the_expected_length()
    {
        var network = Networks.Value[0];
        var net = network.Create(1);
        var error = Assert.Throws<ArgumentException>(() => network.Loss(net, new double[3], new double[2]));
        Assert.Equal("input", error.ParamName);
        Assert.Contains("expects 2 values in 'input' but got 3", error.Message);
        error = Assert.Throws<ArgumentException>(() => network.Gradient(net, new double[2], new double[2], new double[16]));
        Assert.Contains("expects 17 values in 'gradient' but got 16", error.Message);
        error = Assert.Throws<ArgumentException>(() => network.BatchGradient(net, new double[5], new double[4], new double[17]));
        Assert.Contains("whole rows of 2 inputs", error.Message);
        error = Assert.Throws<ArgumentException>(() => network.BatchGradient(net, new double[4], new double[2], new double[17]));
        Assert.Contains("expects 4 targets for 2 examples but got 2", error.Message);
        error = Assert.Throws<ArgumentException>(() => network.TrainBatch(net, Array.Empty<double>(), Array.Empty<double>(), 0.1));
        Assert.Contains("at least one", error.Message);
    }

    [Fact]
    public void Initialisation_is_deterministic_within_the_fan_limits_with_zero_biases()
    {
        var network = Networks.Value[0];
        Assert.Equal(new[] { 2, 2, 17 }, network.Counts());
        Assert.Equal(network.Parameters(network.Create(1)), network.Parameters(network.CreateDefault()));
        Assert.Equal(network.Parameters(network.Create(42)), network.Parameters(network.Create(42)));
        Assert.NotEqual(network.Parameters(network.Create(42)), network.Parameters(network.Create(43)));
        var parameters = network.Parameters(network.Create(7));
        Assert.All(parameters.Take(6), w => Assert.InRange(Math.Abs(w), 1e-12, Math.Sqrt(6.0 / 5)));
        Assert.All(parameters.Skip(6).Take(3), b => Assert.Equal(0.0, b));
        Assert.All(parameters.Skip(9).Take(6), w => Assert.InRange(Math.Abs(w), 1e-12, Math.Sqrt(6.0 / 5)));
    }

    [Fact]
    public void Each_statement_of_the_notes_network_cites_its_equation_in_the_documents_letters()
    {
        var source = GeneratorHarness.Run("using BackpropGen;\n" + Declarations().First(d => (string)d[0] == "Notes")[1]).GeneratedSources.Values.Single();
        var derivation = Derivation.Derive(SampleNetworks.Notes);
        var delta = derivation.EquationNumber(EquationLabels.Delta(2));
        var hidden = derivation.EquationNumber(EquationLabels.Delta(1));
        Assert.Contains($"double delta2_0 = h2_0 * (h2_0 - t0) * (1.0 - h2_0); // δ₁⁽²⁾ = (y₁ − t₁) y₁ (1 − y₁)   (eq. {delta})", source);
        Assert.Contains($"// δ₃⁽¹⁾ = (δ₁⁽²⁾ u₃₁ + δ₂⁽²⁾ u₃₂) h₃ (1 − h₃)   (eq. {hidden})", source);
        Assert.Contains($"// u₁₁ ← u₁₁ − η ∂L/∂u₁₁   (eq. {derivation.EquationNumber(EquationLabels.WeightUpdate(2))})", source);
        // The notes count from 1: no comment of this network shows a 0-based index.
        Assert.DoesNotContain("₀", source);
    }

    [Fact]
    public void The_class_carries_its_derivation_document()
    {
        var network = Networks.Value[0];
        Assert.StartsWith(@"\documentclass", network.Latex());
        Assert.Contains(@"\end{document}", network.Latex());
    }

    /// <summary>The sample networks as users declare them, and two with loop layers (one all loops, one mixed).</summary>
    public static TheoryData<string, string> Declarations() => new()
    {
        { "Notes", "[Network(inputs: 2, Loss = Loss.HalfSquaredError, Notation = Notation.Notes)]\n[Dense(3, Activation.Sigmoid)]\n[Dense(2, Activation.Sigmoid)]\npublic partial class NotesNet { }" },
        { "Chain", "[Network(1, Loss = Loss.SquaredError, Notation = Notation.Layered)]\n[Dense(1, Activation.Sigmoid)]\n[Dense(1, Activation.Sigmoid)]\n[Dense(1, Activation.Sigmoid)]\npublic partial class ChainNet { }" },
        { "Logistic", "[Network(3, Loss = Loss.BinaryCrossEntropy, Notation = Notation.Vectorized, Precision = Precision.Single)]\n[Dense(1, Activation.Sigmoid)]\npublic partial class LogisticRegression { }" },
        { "Softmax", "[Network(4, Loss = Loss.CrossEntropy)]\n[Dense(5, Activation.Tanh)]\n[Dense(3, Activation.Softmax)]\npublic partial class SoftmaxNet { }" },
        { "SoftmaxAdam", "[Network(4, Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, L2 = 1e-4)]\n[Dense(5, Activation.Tanh)]\n[Dense(3, Activation.Softmax)]\npublic partial class SoftmaxNet { }" },
        { "Custom", "[Network(2, LossExpression = \"softplus(y - t) + softplus(t - y)\")]\n[Dense(3, \"x / (1 + abs(x))\")]\n[Dense(1, Activation.Identity)]\npublic partial class CustomNet { }" },
        { "Wide", "[Network(784, Loss = Loss.CrossEntropy, Precision = Precision.Single)]\n[Dense(128, Activation.Sigmoid)]\n[Dense(10, Activation.Softmax)]\npublic partial class WideNet { }" },
        { "Mixed", "[Network(30, Loss = Loss.MeanSquaredError, MaxUnrolledWeights = 100)]\n[Dense(20, Activation.ReLU)]\n[Dense(3, Activation.Softmax)]\npublic partial class MixedNet { }" },
    };

    [Theory]
    [MemberData(nameof(Declarations))]
    public void Generated_source_matches_its_snapshot(string name, string declaration)
    {
        var run = GeneratorHarness.Run("using BackpropGen;\nnamespace Samples;\n" + declaration);
        Assert.Empty(run.Diagnostics);
        var source = Assert.Single(run.GeneratedSources).Value;

        // The document itself is snapshotted by the document tests (the same derivation); here it is elided.
        var code = System.Text.RegularExpressions.Regex.Replace(source, "private const string __Latex = @\"(?:[^\"]|\"\")*\";", "private const string __Latex = @\"(the derivation document)\";");
        Assert.NotEqual(source, code);
        var spec = SampleNetworks.All.TryGetValue(name, out var sample) ? sample : name == "SoftmaxAdam" ? SampleNetworks.SoftmaxAdam : SampleNetworks.Looped[name];
        Assert.Contains(DerivationDocument.Render(Derivation.Derive(spec)).Replace("\"", "\"\""), source);
        Snapshot.Verify(code, "cs", name);
    }

    private sealed class ToleranceComparer : IEqualityComparer<double>
    {
        private readonly double _tolerance;

        public ToleranceComparer(double tolerance) => _tolerance = tolerance;

        public bool Equals(double x, double y) => Math.Abs(x - y) <= _tolerance * (1 + Math.Abs(x));

        public int GetHashCode(double obj) => 0;
    }
}
