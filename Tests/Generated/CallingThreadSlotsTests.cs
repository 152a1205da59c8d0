using System;
using System.IO;
using System.Linq;
using BackpropGen.Generator.Model;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Networks;
using BackpropGen.Tests.Support;
using Microsoft.CodeAnalysis;

namespace BackpropGen.Tests.Generated;

/// <summary>
/// A compilation without the runtime library's <c>BatchSlots</c> (none of the runtime at all, or its netstandard2.0 build):
/// the network still compiles, keeps <c>MaxDegreeOfParallelism</c>, and computes a split batch's slots one after another on
/// the calling thread, with the bits the runtime's slots give on several cores.
/// </summary>
public class CallingThreadSlotsTests
{
    /// <summary>Unrolled in SIMD lanes, loops, and both mixed; each split into the smallest slots.</summary>
    private static readonly (NetworkSpec Spec, int MaxUnrolledWeights, int[] Counts)[] Networks =
    {
        // 4-8-3 in lanes: 2 slots from 2 vectors of the widest lane, 4 from 16; the counts leave a partial vector in the last slot.
        (new NetworkSpec(4, new[] { new LayerSpec(8, ActivationSpec.Tanh), new LayerSpec(3, ActivationSpec.Softmax) }, LossSpec.CrossEntropy, name: "SlotNet"), 128, new[] { 17, 33, 1003 }),
        // 6-10-5 in loops: slots of whole blocks of 32, the last block partial.
        (new NetworkSpec(6, new[] { new LayerSpec(10, ActivationSpec.Sigmoid), new LayerSpec(5, ActivationSpec.Softmax) }, LossSpec.CrossEntropy, name: "SlotNet"), 0, new[] { 64, 513, 4001 }),
        // 30-20-2, the first layer a loop.
        (new NetworkSpec(30, new[] { new LayerSpec(20, ActivationSpec.Sigmoid), new LayerSpec(2, ActivationSpec.Sigmoid) }, LossSpec.SquaredError, name: "SlotNet"), 100, new[] { 65, 1201 }),
    };

    [Theory]
    [InlineData(NumericType.Double)]
    [InlineData(NumericType.Single)]
    public void Without_BatchSlots_a_split_batch_runs_on_the_calling_thread_with_the_bits_of_the_runtimes_slots(NumericType precision)
    {
        var every = EmitOptions.Default(precision).Vectors;
        var compiled = CompiledNetworks.Compile(Networks
            .SelectMany(n => new[] { every, every & ~VectorSupport.BatchSlots }.Select(vectors => (n.Spec, new EmitOptions(precision, n.MaxUnrolledWeights, vectors, minSlotWork: 1, minSlotRows: 1))))
            .ToList());
        for (var i = 0; i < Networks.Length; i++)
        {
            var (slots, callingThread) = (compiled[2 * i], compiled[2 * i + 1]);
            Assert.Contains("global::BackpropGen.Runtime.BatchSlots<", slots.Source, StringComparison.Ordinal);
            Assert.DoesNotContain("global::BackpropGen.Runtime.BatchSlots<", callingThread.Source, StringComparison.Ordinal);
            Assert.Contains("__AccumulateSlots(inputs, targets, gradient, count, slots)", callingThread.Source, StringComparison.Ordinal);

            foreach (var n in Networks[i].Counts)
            {
                var (inputs, targets) = Batch(Networks[i].Spec, n);
                var expected = Results(slots, inputs, targets, n, degree: -1);
                Assert.Equal(expected, Results(slots, inputs, targets, n, degree: 1));
                Assert.Equal(expected, Results(callingThread, inputs, targets, n, degree: -1));
                Assert.Equal(expected, Results(callingThread, inputs, targets, n, degree: 2));
            }

            var net = callingThread.Create(1);
            Assert.Equal(-1, callingThread.MaxDegreeOfParallelism(net));
            callingThread.SetMaxDegreeOfParallelism(net, 3);
            Assert.Equal(3, callingThread.MaxDegreeOfParallelism(net));
            Assert.Throws<ArgumentOutOfRangeException>(() => callingThread.SetMaxDegreeOfParallelism(net, 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => callingThread.SetMaxDegreeOfParallelism(net, -2));
        }
    }

    /// <summary>
    /// The generator on a compilation that references the runtime's netstandard2.0 build (as a project before .NET 8 does):
    /// <c>Save</c>, <c>Load</c> and the ONNX methods are there, <c>BatchSlots</c> is not; the networks compile, and a batch
    /// of 4 slots at the default thresholds gives the bits of the same network compiled against the .NET 8 build.
    /// </summary>
    [Fact]
    public void A_compilation_against_the_runtimes_netstandard_build_compiles_and_gives_the_net8_builds_bits()
    {
        const string Source = """
            using BackpropGen;

            [Network(2)]
            [Dense(3, Activation.Sigmoid)]
            [Dense(2, Activation.Sigmoid)]
            public partial class LanesNet { }

            [Network(6, Loss = Loss.CrossEntropy, Precision = Precision.Single, MaxUnrolledWeights = 0)]
            [Dense(10, Activation.Sigmoid)]
            [Dense(5, Activation.Softmax)]
            public partial class LoopNet { }

            public static class Probe
            {
                public static double[] Lanes(int n)
                {
                    LanesNet net = new LanesNet(3);
                    double[] inputs = new double[n * LanesNet.InputCount], targets = new double[n * LanesNet.OutputCount];
                    for (int k = 0; k < inputs.Length; k++) inputs[k] = global::System.Math.Sin(k);
                    for (int k = 0; k < targets.Length; k++) targets[k] = 0.5 + 0.4 * global::System.Math.Cos(k);
                    double[] gradient = new double[LanesNet.ParameterCount], outputs = new double[n * LanesNet.OutputCount];
                    double loss = net.BatchGradient(inputs, targets, gradient);
                    net.ForwardBatch(inputs, outputs);
                    double trained = net.TrainBatch(inputs, targets, 0.1);
                    return new[] { loss, trained }.Concat(gradient).Concat(outputs).Concat(net.Parameters.ToArray()).ToArray();
                }

                public static double[] Loop(int n)
                {
                    LoopNet net = new LoopNet(3);
                    float[] inputs = new float[n * LoopNet.InputCount], targets = new float[n * LoopNet.OutputCount];
                    for (int k = 0; k < inputs.Length; k++) inputs[k] = (float)global::System.Math.Sin(k);
                    for (int e = 0; e < n; e++) targets[e * LoopNet.OutputCount + e % LoopNet.OutputCount] = 1;
                    float[] gradient = new float[LoopNet.ParameterCount], outputs = new float[n * LoopNet.OutputCount];
                    float loss = net.BatchGradient(inputs, targets, gradient);
                    net.ForwardBatch(inputs, outputs);
                    float trained = net.TrainBatch(inputs, targets, 0.1f);
                    return new[] { loss, trained }.Concat(gradient).Concat(outputs).Concat(net.Parameters.ToArray()).Select(v => (double)v).ToArray();
                }
            }
            """;
        var netStandard = Path.Combine(AppContext.BaseDirectory, "netstandard2.0", "BackpropGen.dll");
        Assert.True(File.Exists(netStandard), $"the runtime's netstandard2.0 build is not at {netStandard}");

        var modern = GeneratorHarness.CreateCompilation("using System.Linq;\n" + Source);
        var runtime = modern.References.Single(r => Path.GetFileName(r.Display) == "BackpropGen.dll");
        var old = modern.ReplaceReference(runtime, MetadataReference.CreateFromFile(netStandard));
        Assert.Equal(VectorSupport.BatchSlots | VectorSupport.Runtime, EmitOptions.Detect(modern) & (VectorSupport.BatchSlots | VectorSupport.Runtime));
        Assert.Equal(VectorSupport.Runtime, EmitOptions.Detect(old) & (VectorSupport.BatchSlots | VectorSupport.Runtime));

        var modernRun = GeneratorHarness.Run(modern);
        var oldRun = GeneratorHarness.Run(old);
        Assert.Empty(modernRun.Diagnostics);
        Assert.Empty(oldRun.Diagnostics);
        Assert.All(oldRun.GeneratedSources.Values, source => Assert.DoesNotContain("global::BackpropGen.Runtime.BatchSlots<", source, StringComparison.Ordinal));
        Assert.All(oldRun.GeneratedSources.Values, source => Assert.Contains("public void Save(", source, StringComparison.Ordinal));

        var modernProbe = modernRun.EmitAndLoad().GetType("Probe")!;
        var oldProbe = oldRun.EmitAndLoad().GetType("Probe")!;
        foreach (var (method, n) in new[] { ("Lanes", 30000), ("Lanes", 4000) })
        {
            var expected = Bits((double[])modernProbe.GetMethod(method)!.Invoke(null, new object[] { n })!);
            Assert.Equal(expected, Bits((double[])oldProbe.GetMethod(method)!.Invoke(null, new object[] { n })!));
        }

        // The loop form's products run in the runtime's kernels where the net8.0 build has them and in the network's own
        // Vector<T> kernels against the netstandard2.0 build: the same sums in another rounding, so they agree to rounding.
        Assert.Contains("DenseKernels.MultiplyAdd<float>(", modernRun.GeneratedSources.Single(s => s.Key.Contains("LoopNet", StringComparison.Ordinal)).Value, StringComparison.Ordinal);
        Assert.All(oldRun.GeneratedSources.Values, source => Assert.DoesNotContain("DenseKernels", source, StringComparison.Ordinal));
        var modernLoop = (double[])modernProbe.GetMethod("Loop")!.Invoke(null, new object[] { 40000 })!;
        var oldLoop = (double[])oldProbe.GetMethod("Loop")!.Invoke(null, new object[] { 40000 })!;
        Assert.Equal(modernLoop.Length, oldLoop.Length);
        for (var q = 0; q < modernLoop.Length; q++)
        {
            Assert.True(Math.Abs(modernLoop[q] - oldLoop[q]) <= 1e-4 * Math.Max(1, Math.Abs(modernLoop[q])), $"Loop result {q}: {oldLoop[q]:R} against the net8.0 build's {modernLoop[q]:R}");
        }
    }

    /// <summary>The bits of every result of a batch: loss and gradient, outputs, and two training steps' losses and parameters.</summary>
    private static long[] Results(CompiledNetwork network, double[] inputs, double[] targets, int n, int degree)
    {
        var net = network.Create(5);
        network.SetMaxDegreeOfParallelism(net, degree);
        var gradient = new double[network.Spec.ParameterCount];
        var loss = network.BatchGradient(net, inputs, targets, gradient);
        var outputs = network.ForwardBatch(net, inputs, n);
        var first = network.TrainBatch(net, inputs, targets, 0.1);
        var second = network.TrainBatch(net, inputs, targets, 0.1);
        return Bits(new[] { loss, first, second }.Concat(gradient).Concat(outputs).Concat(network.Parameters(net)).ToArray());
    }

    private static long[] Bits(double[] values) => values.Select(BitConverter.DoubleToInt64Bits).ToArray();

    /// <summary>n rows of inputs in [−1, 1) and one-hot targets after a softmax, targets in (0.1, 0.9) otherwise.</summary>
    private static (double[] Inputs, double[] Targets) Batch(NetworkSpec spec, int n)
    {
        var random = new Random(n);
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
}
