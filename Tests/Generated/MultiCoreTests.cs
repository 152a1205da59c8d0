using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using BackpropGen.Generator.Documents;
using BackpropGen.Generator.Emit;
using BackpropGen.Generator.Model;
using BackpropGen.Generator.Parsing;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Networks;
using BackpropGen.Tests.EndToEnd;
using BackpropGen.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace BackpropGen.Tests.Generated;

/// <summary>
/// Batches on several cores: a batch split into slots gives the gradient of the unsplit batch to rounding and matches
/// central differences; its bits do not depend on <c>MaxDegreeOfParallelism</c>, on calls from several threads at once or on
/// the number of processors of the process; a batch's outputs are those of the unsplit batch bit for bit; wrong spans are
/// refused before any slot starts, and the calling thread allocates nothing.
/// </summary>
public class MultiCoreTests
{
    private const VectorSupport Everything = VectorSupport.Vectors | VectorSupport.VectorMath | VectorSupport.BatchSlots;

    /// <summary>A network, how it is emitted and the batch sizes around its slot boundaries.</summary>
    private sealed record Case(NetworkSpec Spec, int MaxUnrolledWeights, VectorSupport Vectors, int[] Counts);

    /// <summary>
    /// With a least slot work of 1 and a least gradient slot of 1 example, a slot is at least one block of the loop form (32
    /// examples here, 3 in double and 7 in float beside the 1030-unit layer) or one example of the unrolled form: 2 slots from 2
    /// of them, 4 from 16. A batch that is not whole blocks ends in a short block.
    /// </summary>
    private static readonly IReadOnlyDictionary<string, Case> Cases = new Dictionary<string, Case>
    {
        ["loops, sigmoid and softmax"] = new(Spec(6, new[] { new LayerSpec(10, ActivationSpec.Sigmoid), new LayerSpec(5, ActivationSpec.Softmax) }, LossSpec.CrossEntropy), 0, Everything, new[] { 63, 64, 65, 96, 129, 511, 512, 513 }),
        ["loops without SIMD or the runtime's slots"] = new(Spec(5, new[] { new LayerSpec(9, ActivationSpec.Tanh), new LayerSpec(3, ActivationSpec.Identity) }, LossSpec.HalfSquaredError), 0, VectorSupport.None, new[] { 64, 100, 129, 520 }),
        ["loops, blocks of a few examples"] = new(Spec(2, new[] { new LayerSpec(1030, ActivationSpec.Tanh), new LayerSpec(2, ActivationSpec.Sigmoid) }, LossSpec.BinaryCrossEntropy), 256, Everything, new[] { 5, 6, 7, 13, 14, 15, 47, 48, 112, 113 }),
        ["unrolled"] = new(Spec(4, new[] { new LayerSpec(8, ActivationSpec.Tanh), new LayerSpec(3, ActivationSpec.Softmax) }, LossSpec.CrossEntropy), 128, Everything, new[] { 1, 2, 3, 4, 5, 15, 16, 17, 33 }),
        ["mixed"] = new(Spec(30, new[] { new LayerSpec(20, ActivationSpec.Sigmoid), new LayerSpec(2, ActivationSpec.Sigmoid) }, LossSpec.SquaredError), 100, Everything, new[] { 64, 65, 160, 512 }),
    };

    private static readonly Lazy<IReadOnlyDictionary<(string, NumericType, bool), CompiledNetwork>> Networks = new(Compile);

    private static NetworkSpec Spec(int inputs, LayerSpec[] layers, LossSpec loss) => new(inputs, layers, loss, name: "CoreNet");

    /// <summary>Each case in both precisions, split into the smallest slots (true) and with the default thresholds (false), in one assembly.</summary>
    private static IReadOnlyDictionary<(string, NumericType, bool), CompiledNetwork> Compile()
    {
        var keys = (from name in Cases.Keys
                    from precision in new[] { NumericType.Double, NumericType.Single }
                    from split in new[] { true, false }
                    select (name, precision, split)).ToList();
        var compiled = CompiledNetworks.Compile(keys.Select(k => (Cases[k.name].Spec, Options(Cases[k.name], k.precision, k.split))).ToList());
        return keys.Select((k, i) => (k, i)).ToDictionary(p => p.k, p => compiled[p.i]);
    }

    private static EmitOptions Options(Case network, NumericType precision, bool split) => split
        ? new EmitOptions(precision, network.MaxUnrolledWeights, network.Vectors, minSlotWork: 1, minSlotRows: 1)
        : new EmitOptions(precision, network.MaxUnrolledWeights, network.Vectors);

    public static TheoryData<string, string> CasesInBothPrecisions()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in Cases.Keys)
        {
            data.Add(name, "double");
            data.Add(name, "float");
        }

        return data;
    }

    private static NumericType Precision(string precision) => precision == "float" ? NumericType.Single : NumericType.Double;

    /// <summary>n rows of inputs in [−1, 1) and targets a network of this kind can reach: one-hot after a softmax, in (0.1, 0.9) otherwise.</summary>
    private static (double[] Inputs, double[] Targets) Batch(NetworkSpec spec, int n, int seed)
    {
        var random = new Random(seed);
        var inputs = Enumerable.Range(0, n * spec.Inputs).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var targets = new double[n * spec.Outputs];
        var softmax = spec.Layers[^1].Kind is SoftmaxLayer;
        for (var e = 0; e < n; e++)
        {
            for (var j = 0; j < spec.Outputs; j++)
            {
                targets[e * spec.Outputs + j] = softmax ? 0 : 0.1 + 0.8 * random.NextDouble();
            }

            if (softmax)
            {
                targets[e * spec.Outputs + random.Next(spec.Outputs)] = 1;
            }
        }

        return (inputs, targets);
    }

    /// <summary>The bits of a result, for exact comparison.</summary>
    private static long[] Bits(double loss, double[] values) => values.Prepend(loss).Select(BitConverter.DoubleToInt64Bits).ToArray();

    [Theory]
    [MemberData(nameof(CasesInBothPrecisions))]
    public void A_split_batch_has_the_unsplit_batchs_mean_loss_and_gradient_to_rounding(string name, string precision)
    {
        var split = Networks.Value[(name, Precision(precision), true)];
        var whole = Networks.Value[(name, Precision(precision), false)];
        var tolerance = precision == "float" ? 2e-5 : 1e-12;
        foreach (var n in Cases[name].Counts)
        {
            var (inputs, targets) = Batch(split.Spec, n, n);
            var splitNet = split.Create(7);
            var wholeNet = whole.Create(7);
            var splitGradient = new double[split.Spec.ParameterCount];
            var wholeGradient = new double[split.Spec.ParameterCount];
            var splitLoss = split.BatchGradient(splitNet, inputs, targets, splitGradient);
            var wholeLoss = whole.BatchGradient(wholeNet, inputs, targets, wholeGradient);

            Assert.True(Math.Abs(splitLoss - wholeLoss) <= tolerance * Math.Max(1, Math.Abs(wholeLoss)), $"n = {n}: mean loss {splitLoss:R} split, {wholeLoss:R} whole");
            var scale = wholeGradient.Max(Math.Abs);
            for (var k = 0; k < wholeGradient.Length; k++)
            {
                Assert.True(Math.Abs(splitGradient[k] - wholeGradient[k]) <= tolerance * Math.Max(1, scale), $"n = {n}: ∂J/∂θ[{k}] is {splitGradient[k]:R} split, {wholeGradient[k]:R} whole");
            }
        }
    }

    [Theory]
    [MemberData(nameof(CasesInBothPrecisions))]
    public void A_split_batch_has_the_same_bits_with_every_degree_of_parallelism_and_from_several_threads_at_once(string name, string precision)
    {
        var network = Networks.Value[(name, Precision(precision), true)];
        foreach (var n in Cases[name].Counts)
        {
            var (inputs, targets) = Batch(network.Spec, n, n);
            var net = network.Create(3);
            var expected = Result(network, net, inputs, targets, n);
            foreach (var degree in new[] { 2, 3, 4, -1 })
            {
                network.SetMaxDegreeOfParallelism(net, degree);
                Assert.Equal(expected, Result(network, net, inputs, targets, n));
            }

            var concurrent = new long[4][];
            Parallel.For(0, concurrent.Length, new ParallelOptions { MaxDegreeOfParallelism = concurrent.Length }, i => concurrent[i] = Result(network, net, inputs, targets, n));
            Assert.All(concurrent, bits => Assert.Equal(expected, bits));
        }

        static long[] Result(CompiledNetwork network, object net, double[] inputs, double[] targets, int n)
        {
            var gradient = new double[network.Spec.ParameterCount];
            var loss = network.BatchGradient(net, inputs, targets, gradient);
            return Bits(loss, gradient.Concat(network.ForwardBatch(net, inputs, n)).ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(CasesInBothPrecisions))]
    public void Training_on_a_split_batch_takes_the_same_step_with_one_core_and_with_all(string name, string precision)
    {
        var network = Networks.Value[(name, Precision(precision), true)];
        var n = Cases[name].Counts[^1];
        var (inputs, targets) = Batch(network.Spec, n, 5);
        long[] Train(int degree)
        {
            var net = network.Create(11);
            network.SetMaxDegreeOfParallelism(net, degree);
            var first = network.TrainBatch(net, inputs, targets, 0.1);
            var second = network.TrainBatch(net, inputs, targets, 0.1);
            return Bits(first, network.Parameters(net).Prepend(second).ToArray());
        }

        Assert.Equal(Train(1), Train(-1));
    }

    [Theory]
    [MemberData(nameof(CasesInBothPrecisions))]
    public void A_split_batchs_outputs_are_the_unsplit_batchs_bit_for_bit(string name, string precision)
    {
        var split = Networks.Value[(name, Precision(precision), true)];
        var whole = Networks.Value[(name, Precision(precision), false)];
        foreach (var n in Cases[name].Counts.Select(c => c * 3))
        {
            var (inputs, _) = Batch(split.Spec, n, n);
            Assert.Equal(whole.ForwardBatch(whole.Create(2), inputs, n), split.ForwardBatch(split.Create(2), inputs, n));
        }
    }

    [Theory]
    [InlineData("loops, sigmoid and softmax")]
    [InlineData("unrolled")]
    [InlineData("mixed")]
    public void A_split_batchs_gradient_matches_central_differences_of_its_mean_loss(string name)
    {
        var network = Networks.Value[(name, NumericType.Double, true)];
        var n = Cases[name].Counts[^1];
        var (inputs, targets) = Batch(network.Spec, n, 9);
        var net = network.Create(4);
        var gradient = new double[network.Spec.ParameterCount];
        network.BatchGradient(net, inputs, targets, gradient);
        var parameters = network.Parameters(net);
        var random = new Random(n);
        foreach (var k in Enumerable.Range(0, 25).Select(_ => random.Next(parameters.Length)).Distinct())
        {
            double MeanLoss(double value)
            {
                var shifted = (double[])parameters.Clone();
                shifted[k] = value;
                var probe = network.Create(4);
                network.SetParameters(probe, shifted);
                return network.BatchGradient(probe, inputs, targets, new double[parameters.Length]);
            }

            const double h = 1e-5;
            var numeric = (MeanLoss(parameters[k] + h) - MeanLoss(parameters[k] - h)) / (2 * h);
            Assert.True(Math.Abs(numeric - gradient[k]) <= 1e-7 * (1 + Math.Abs(numeric)), $"∂J/∂θ[{k}] is {gradient[k]:R}, central differences give {numeric:R}");
        }
    }

    [Theory]
    [InlineData("loops, sigmoid and softmax")]
    [InlineData("unrolled")]
    public void Wrong_spans_of_a_large_batch_are_refused_as_on_one_core_and_the_next_call_still_works(string name)
    {
        var network = Networks.Value[(name, NumericType.Double, true)];
        var n = Cases[name].Counts[^1];
        var (inputs, targets) = Batch(network.Spec, n, 1);
        var net = network.Create(1);
        var gradient = new double[network.Spec.ParameterCount];
        var expected = network.BatchGradient(net, inputs, targets, gradient);

        foreach (var degree in new[] { 1, -1 })
        {
            network.SetMaxDegreeOfParallelism(net, degree);
            Assert.Equal("targets", Assert.Throws<ArgumentException>(() => network.BatchGradient(net, inputs, targets[..^1], gradient)).ParamName);
            Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => network.BatchGradient(net, inputs, targets, new double[gradient.Length + 1])).ParamName);
            Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => network.TrainBatch(net, inputs[..^1], targets, 0.1)).ParamName);
            Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => network.ForwardBatch(net, inputs[..^1], n)).ParamName);

            var again = new double[gradient.Length];
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(network.BatchGradient(net, inputs, targets, again)));
            Assert.Equal(gradient, again);
        }
    }

    [Fact]
    public void MaxDegreeOfParallelism_is_every_core_by_default_and_refuses_zero_and_less_than_minus_one()
    {
        var network = Networks.Value[("unrolled", NumericType.Double, true)];
        var net = network.Create(1);
        Assert.Equal(-1, network.MaxDegreeOfParallelism(net));
        network.SetMaxDegreeOfParallelism(net, 1);
        Assert.Equal(1, network.MaxDegreeOfParallelism(net));
        Assert.Throws<ArgumentOutOfRangeException>(() => network.SetMaxDegreeOfParallelism(net, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => network.SetMaxDegreeOfParallelism(net, -2));
        Assert.Equal(1, network.MaxDegreeOfParallelism(net));
    }

    /// <summary>
    /// The runtime's slots are queued to the pool as a preallocated object and their buffers kept per thread, and without the
    /// runtime a slot's gradient is kept per thread: after the first split batch, nothing is allocated per call.
    /// </summary>
    [Theory]
    [MemberData(nameof(CasesInBothPrecisions))]
    public void The_calling_thread_allocates_nothing_on_a_split_batch(string name, string precision)
    {
        const int Calls = 20;
        var network = Networks.Value[(name, Precision(precision), true)];
        var n = Cases[name].Counts[^1];
        var (inputs, targets) = Batch(network.Spec, n, 1);
        Assert.Equal(0, network.BatchAllocatedBytes(network.Create(1), inputs, targets, Calls));
    }

    [Fact]
    public void The_thresholds_follow_the_work_of_an_example_and_keep_small_batches_in_one_slot()
    {
        var mnist = Spec(784, new[] { new LayerSpec(128, ActivationSpec.Sigmoid), new LayerSpec(10, ActivationSpec.Softmax) }, LossSpec.CrossEntropy);
        var loops = Emit(mnist, EmitOptions.Default(NumericType.Double));
        Assert.Contains($"private const int __SlotExamples = {Blocks(Math.Max(EmitOptions.DefaultMinSlotRows, Ceiling(EmitOptions.DefaultMinSlotWork, mnist.ParameterCount)))};", loops);
        Assert.Contains($"private const int __ForwardSlotExamples = {Blocks(Ceiling(3 * EmitOptions.DefaultMinSlotWork, mnist.ParameterCount))};", loops);

        // Unrolled statements cost about ten times a loop's SIMD work per parameter; a slot of lanes code is whole vectors of the widest lane (8 doubles).
        var notes = Spec(2, new[] { new LayerSpec(3, ActivationSpec.Sigmoid), new LayerSpec(2, ActivationSpec.Sigmoid) }, LossSpec.HalfSquaredError);
        var unrolled = Emit(notes, EmitOptions.Default(NumericType.Double));
        Assert.Contains($"private const int __SlotExamples = {Lanes(Math.Max(EmitOptions.DefaultMinSlotRows, Ceiling(EmitOptions.DefaultMinSlotWork, 10 * notes.ParameterCount)))};", unrolled);
        var scalar = Emit(notes, new EmitOptions(NumericType.Double, NetworkLimits.DefaultMaxUnrolledWeights, EmitOptions.Default(NumericType.Double).Vectors & ~VectorSupport.Lanes));
        Assert.Contains($"private const int __SlotExamples = {Math.Max(EmitOptions.DefaultMinSlotRows, Ceiling(EmitOptions.DefaultMinSlotWork, 10 * notes.ParameterCount))};", scalar);
        Assert.Contains("if (slots == 1)", unrolled);

        static long Ceiling(long value, long divisor) => (value + divisor - 1) / divisor;
        static long Blocks(long examples) => (examples + 31) / 32 * 32;
        static long Lanes(long examples) => (examples + 7) / 8 * 8;
    }

    private static string Emit(NetworkSpec spec, EmitOptions options)
    {
        var derivation = Derivation.Derive(spec);
        return NetworkEmitter.Emit(new NetworkTarget("Compiled", Array.Empty<string>(), "Net", "internal"), derivation, options, DerivationDocument.Render(derivation));
    }

    /// <summary>
    /// A program that prints its processor count, then a digest of the bits of every batch result of a loop network (784-64-10,
    /// default thresholds, both precisions) and an unrolled one split into the smallest slots, at sizes around their slot
    /// boundaries; run with <c>DOTNET_PROCESSOR_COUNT</c> = 1 and = 2, the digests agree.
    /// </summary>
    [Fact]
    [Trait("Category", "Slow")]
    public void A_batch_has_the_same_bits_in_a_process_with_one_processor_and_in_one_with_two()
    {
        var networks = new (NetworkSpec Spec, EmitOptions Options, int[] Counts)[]
        {
            (Spec(784, new[] { new LayerSpec(64, ActivationSpec.Sigmoid), new LayerSpec(10, ActivationSpec.Softmax) }, LossSpec.CrossEntropy), new EmitOptions(NumericType.Double, NetworkLimits.DefaultMaxUnrolledWeights, Everything), new[] { 127, 191, 192, 300, 1535, 1536 }),
            (Spec(784, new[] { new LayerSpec(64, ActivationSpec.Sigmoid), new LayerSpec(10, ActivationSpec.Softmax) }, LossSpec.CrossEntropy), new EmitOptions(NumericType.Single, NetworkLimits.DefaultMaxUnrolledWeights, Everything), new[] { 128, 300, 1600 }),
            (Cases["unrolled"].Spec, new EmitOptions(NumericType.Double, 128, Everything, minSlotWork: 1, minSlotRows: 1), new[] { 1, 2, 3, 15, 16, 33, 1000 }),
        };

        var folder = Directory.CreateTempSubdirectory("backpropgen-cores-");
        try
        {
            var program = Path.Combine(folder.FullName, "Cores.dll");
            CompileProgram(networks, program);
            var runs = new[] { 1, 2 }.Select(processors => ProcessRunner.Run(
                ProcessRunner.Dotnet,
                new[] { "exec", program },
                folder.FullName,
                TimeSpan.FromMinutes(2),
                new Dictionary<string, string> { ["DOTNET_PROCESSOR_COUNT"] = processors.ToString(System.Globalization.CultureInfo.InvariantCulture) })).ToList();

            Assert.All(runs, run => Assert.True(run.ExitCode == 0, run.ToString()));
            var lines = runs.Select(run => run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToList();
            Assert.Equal("processors 1", lines[0][0]);
            Assert.Equal("processors 2", lines[1][0]);
            Assert.Equal(networks.Sum(n => n.Counts.Length), lines[0].Length - 1);
            Assert.Equal(lines[0].Skip(1), lines[1].Skip(1));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static void CompileProgram((NetworkSpec Spec, EmitOptions Options, int[] Counts)[] networks, string path)
    {
        var source = new System.Text.StringBuilder();
        var main = new System.Text.StringBuilder();
        for (var i = 0; i < networks.Length; i++)
        {
            var (spec, options, counts) = networks[i];
            var name = "Net" + i;
            var type = options.Precision == NumericType.Single ? "float" : "double";
            var derivation = Derivation.Derive(spec);
            source.Append(NetworkEmitter.Emit(new NetworkTarget("Cores", Array.Empty<string>(), name, "internal"), derivation, options, DerivationDocument.Render(derivation)));
            foreach (var n in counts)
            {
                main.Append($"        Digest.Print(\"{name} n = {n}\", Run{name}({n}));\n");
            }

            source.Append($$"""

                namespace Cores
                {
                    internal static partial class Program
                    {
                        private static ulong Run{{name}}(int n)
                        {
                            var net = new {{name}}(5);
                            var random = new global::System.Random(n);
                            var inputs = new {{type}}[n * {{name}}.InputCount];
                            var targets = new {{type}}[n * {{name}}.OutputCount];
                            for (int k = 0; k < inputs.Length; k++) inputs[k] = ({{type}})(random.NextDouble() * 2 - 1);
                            for (int e = 0; e < n; e++) targets[e * {{name}}.OutputCount + random.Next({{name}}.OutputCount)] = 1;
                            var gradient = new {{type}}[{{name}}.ParameterCount];
                            var outputs = new {{type}}[n * {{name}}.OutputCount];
                            ulong digest = Digest.Add(14695981039346656037UL, net.BatchGradient(inputs, targets, gradient));
                            digest = Digest.Add(digest, gradient);
                            net.ForwardBatch(inputs, outputs);
                            digest = Digest.Add(digest, outputs);
                            digest = Digest.Add(digest, net.TrainBatch(inputs, targets, ({{type}})0.1));
                            digest = Digest.Add(digest, net.TrainBatch(inputs, targets, ({{type}})0.1));
                            return Digest.Add(digest, net.Parameters.ToArray());
                        }
                    }
                }

                """);
        }

        source.Append($$"""

            namespace Cores
            {
                internal static partial class Program
                {
                    public static void Main()
                    {
                        global::System.Console.WriteLine("processors " + global::System.Environment.ProcessorCount);
            {{main}}
                    }
                }

                internal static class Digest
                {
                    public static void Print(string label, ulong digest) => global::System.Console.WriteLine(label + ": " + digest.ToString("x16"));

                    public static ulong Add(ulong digest, double value) => (digest ^ (ulong)global::System.BitConverter.DoubleToInt64Bits(value)) * 1099511628211UL;

                    public static ulong Add(ulong digest, double[] values)
                    {
                        foreach (double value in values) digest = Add(digest, value);
                        return digest;
                    }

                    public static ulong Add(ulong digest, float[] values)
                    {
                        foreach (float value in values) digest = Add(digest, (double)value);
                        return digest;
                    }
                }
            }

            """);

        var compilation = CSharpCompilation.Create(
            "Cores",
            new[] { CSharpSyntaxTree.ParseText(source.ToString(), new CSharpParseOptions(LanguageVersion.Latest)) },
            InMemoryCompiler.FrameworkReferences,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, optimizationLevel: OptimizationLevel.Release, generalDiagnosticOption: ReportDiagnostic.Error));
        var result = compilation.Emit(path);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));

        // The networks' __Workers derive from the runtime library's BatchSlots: the program loads it from beside itself.
        var runtime = typeof(global::BackpropGen.Runtime.BatchSlots<>).Assembly.Location;
        File.Copy(runtime, Path.Combine(Path.GetDirectoryName(path)!, Path.GetFileName(runtime)));
        var version = Environment.Version;
        File.WriteAllText(
            Path.ChangeExtension(path, ".runtimeconfig.json"),
            "{\"runtimeOptions\":{\"tfm\":\"net" + version.Major + "." + version.Minor + "\",\"framework\":{\"name\":\"Microsoft.NETCore.App\",\"version\":\"" + version + "\"}}}");
    }
}
