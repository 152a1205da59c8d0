using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.Intrinsics;
using BackpropGen.Generator.Model;
using BackpropGen.Runtime;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Networks;
using BackpropGen.Tests.Support;

namespace BackpropGen.Tests.Generated;

/// <summary>
/// Examples in SIMD lanes (unrolled networks, <see cref="VectorSupport.Lanes"/>): for every batch size from 0 to two
/// 512-bit vectors and a tail, <c>BatchGradient</c>, <c>TrainBatch</c> and <c>ForwardBatch</c> agree with the scalar code
/// of the same network to rounding, and the batch gradient matches central differences of the mean loss; the vector
/// exponential is within 2 ulp of <see cref="Math.Exp"/> and <see cref="MathF.Exp"/> from underflow to overflow; every
/// function of the expression language compiles in lanes; a compilation without the vector APIs gets no lanes.
/// </summary>
[Trait("Category", "Slow")]
public class LanesTests
{
    private const VectorSupport Scalar = VectorSupport.Vectors | VectorSupport.VectorMath | VectorSupport.Runtime;

    private const VectorSupport WithLanes = Scalar | VectorSupport.Lanes;

    /// <summary>Batch sizes 0 … 2W + 3 for the widest float lanes (W = 16): full vectors of both widths and every tail.</summary>
    private static readonly int[] BatchSizes = Enumerable.Range(0, 36).ToArray();

    /// <summary>A custom activation and loss that use every function of the expression language.</summary>
    private static readonly NetworkSpec EveryFunction = new(3,
        new[]
        {
            new LayerSpec(4, ActivationSpec.Custom(Expr.Parse(EveryFunctionActivation), EveryFunctionActivation)),
            new LayerSpec(2, ActivationSpec.Softplus),
        },
        LossSpec.Custom(Expr.Parse(EveryFunctionLoss), EveryFunctionLoss),
        NotationStyle.Notes, "EveryFunction");

    private const string EveryFunctionActivation = "tanh(x) + 0.1 * sin(x) + 0.1 * cos(x) + 0.05 * relu(x) + 0.01 * abs(x) + 0.1 * (1 + x^2)^0.75 + 0.01 * max(x, 0.5 * x) + 0.01 * min(x, 2 * x) + 0.1 * sigmoid(x) + 0.01 * exp(-x^2)";

    private const string EveryFunctionLoss = "log(1 + (y - t)^2) + sqrt(1 + (y - t)^2) - 1 + (y - t)^4";

    private static readonly IReadOnlyDictionary<string, NetworkSpec> Networks = new Dictionary<string, NetworkSpec>
    {
        ["Notes"] = SampleNetworks.Notes,
        ["Softmax"] = SampleNetworks.Softmax,
        ["Custom"] = SampleNetworks.Custom,
        ["Logistic"] = SampleNetworks.Logistic,
        ["Every function"] = EveryFunction,
        [WithRuntimeLaneMath] = EveryFunction,
    };

    /// <summary>The case whose lanes call the runtime's <c>LaneMath</c> rather than functions written into the network.</summary>
    private const string WithRuntimeLaneMath = "Every function, the runtime's LaneMath";

    private static readonly Lazy<IReadOnlyDictionary<(string, NumericType, bool), CompiledNetwork>> Compiled = new(() =>
    {
        var keys = (from name in Networks.Keys
                    from precision in new[] { NumericType.Double, NumericType.Single }
                    from lanes in new[] { true, false }
                    select (name, precision, lanes)).ToList();
        var compiled = CompiledNetworks.Compile(keys.Select(k => (Networks[k.name], new EmitOptions(k.precision, 128, !k.lanes ? Scalar : k.name == WithRuntimeLaneMath ? WithLanes | VectorSupport.LaneMath : WithLanes))).ToList());
        return keys.Select((k, n) => (k, compiled[n])).ToDictionary(p => p.k, p => p.Item2);
    });

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in Networks.Keys)
        {
            data.Add(name, "double");
            data.Add(name, "float");
        }

        return data;
    }

    private static CompiledNetwork Network(string name, string precision, bool lanes) =>
        Compiled.Value[(name, precision == "float" ? NumericType.Single : NumericType.Double, lanes)];

    private static double Tolerance(CompiledNetwork network) => network.Precision == NumericType.Single ? 1e-5 : 1e-12;

    private static void AssertClose(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Max(1, Math.Max(Math.Abs(expected), Math.Abs(actual))), $"{what}: {actual:R}, expected {expected:R}");

    private static (double[] Inputs, double[] Targets) Batch(CompiledNetwork network, int count, int seed)
    {
        var random = new Random(seed);
        var precision = network.Precision;
        double Round(double v) => precision == NumericType.Single ? (float)v : v;
        var inputs = Enumerable.Range(0, count * network.Spec.Inputs).Select(_ => Round(random.NextDouble() * 4 - 2)).ToArray();
        var targets = Enumerable.Range(0, count * network.Spec.Outputs).Select(_ => Round(0.1 + 0.8 * random.NextDouble())).ToArray();
        return (inputs, targets);
    }

    private static double[] Parameters(CompiledNetwork network, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, network.Spec.ParameterCount).Select(_ => random.NextDouble() * 2 - 1).Select(v => network.Precision == NumericType.Single ? (float)v : v).ToArray();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Lanes_agree_with_the_scalar_code_for_every_batch_size(string name, string precision)
    {
        var lanes = Network(name, precision, lanes: true);
        var scalar = Network(name, precision, lanes: false);
        Assert.Contains("__Lanes256<TPass>(", lanes.Source);
        Assert.DoesNotContain("System.Runtime.Intrinsics", scalar.Source);
        var parameters = Parameters(lanes, name.Length);
        var tolerance = Tolerance(lanes);
        foreach (var count in BatchSizes)
        {
            var (inputs, targets) = Batch(lanes, count, count);
            var (netLanes, netScalar) = (lanes.Create(1), scalar.Create(1));
            lanes.SetParameters(netLanes, parameters);
            scalar.SetParameters(netScalar, parameters);

            var (outputsLanes, outputsScalar) = (lanes.ForwardBatch(netLanes, inputs, count), scalar.ForwardBatch(netScalar, inputs, count));
            for (var k = 0; k < outputsScalar.Length; k++)
            {
                AssertClose(outputsScalar[k], outputsLanes[k], tolerance, $"{count} examples, output {k}");
            }

            if (count == 0)
            {
                continue;
            }

            var (gradientLanes, gradientScalar) = (new double[parameters.Length], new double[parameters.Length]);
            AssertClose(scalar.BatchGradient(netScalar, inputs, targets, gradientScalar), lanes.BatchGradient(netLanes, inputs, targets, gradientLanes), tolerance, $"{count} examples, loss");
            for (var k = 0; k < parameters.Length; k++)
            {
                AssertClose(gradientScalar[k], gradientLanes[k], tolerance, $"{count} examples, ∂L/∂θ{k}");
            }

            AssertClose(scalar.TrainBatch(netScalar, inputs, targets, 0.1), lanes.TrainBatch(netLanes, inputs, targets, 0.1), tolerance, $"{count} examples, TrainBatch loss");
            var (afterLanes, afterScalar) = (lanes.Parameters(netLanes), scalar.Parameters(netScalar));
            for (var k = 0; k < parameters.Length; k++)
            {
                AssertClose(afterScalar[k], afterLanes[k], tolerance, $"{count} examples, θ{k} after TrainBatch");
            }
        }
    }

    /// <summary>
    /// The runtime's <c>LaneMath</c> computes what the functions written into a network compute, bit for bit: the same
    /// exponential, the same scalar methods lane by lane. (Its logarithm replaces the vector class's <c>Log</c>, which the
    /// network without it calls, so the network here takes no logarithm; <c>LaneMathTests</c> checks the logarithm.)
    /// </summary>
    [Theory]
    [InlineData("double")]
    [InlineData("float")]
    public void The_runtime_lane_functions_give_the_bits_of_the_network_own(string precision)
    {
        var type = precision == "float" ? NumericType.Single : NumericType.Double;
        const string activation = "tanh(x) + 0.1 * sin(x) + 0.1 * cos(x) + 0.1 * (1 + x^2)^0.75 + 0.1 * sigmoid(x) + 0.01 * exp(-x^2)";
        var spec = new NetworkSpec(3, new[] { new LayerSpec(4, ActivationSpec.Custom(Expr.Parse(activation), activation)), new LayerSpec(2, ActivationSpec.Sigmoid) }, LossSpec.HalfSquaredError, NotationStyle.Notes, "NoLogarithm");
        var pair = CompiledNetworks.Compile(new[] { (spec, new EmitOptions(type, 128, WithLanes)), (spec, new EmitOptions(type, 128, WithLanes | VectorSupport.LaneMath)) });
        var (own, runtime) = (pair[0], pair[1]);
        Assert.Contains("__Exp(", own.Source);
        Assert.DoesNotContain("global::BackpropGen.Runtime.LaneMath.", own.Source);
        Assert.DoesNotContain("__Exp(", runtime.Source);
        foreach (var function in new[] { "Exp", "Tanh", "Sin", "Cos", "Pow" })
        {
            Assert.Contains($"global::BackpropGen.Runtime.LaneMath.{function}(", runtime.Source);
        }

        Assert.Contains("global::BackpropGen.Runtime.LaneMath.Log(", Network(WithRuntimeLaneMath, precision, lanes: true).Source);
        var parameters = Parameters(own, 7);
        const int count = 37;
        var (inputs, targets) = Batch(own, count, 3);
        var (netOwn, netRuntime) = (own.Create(1), runtime.Create(1));
        own.SetParameters(netOwn, parameters);
        runtime.SetParameters(netRuntime, parameters);
        Assert.Equal(own.ForwardBatch(netOwn, inputs, count), runtime.ForwardBatch(netRuntime, inputs, count));
        var (gradientOwn, gradientRuntime) = (new double[parameters.Length], new double[parameters.Length]);
        Assert.Equal(own.BatchGradient(netOwn, inputs, targets, gradientOwn), runtime.BatchGradient(netRuntime, inputs, targets, gradientRuntime));
        Assert.Equal(gradientOwn, gradientRuntime);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_lanes_batch_gradient_matches_central_differences_of_the_mean_loss(string name, string precision)
    {
        var network = Network(name, precision, lanes: true);
        var single = network.Precision == NumericType.Single;
        var parameters = Parameters(network, 3);
        foreach (var count in new[] { 1, 7, 21, 35 })
        {
            var (inputs, targets) = Batch(network, count, 100 + count);
            var net = network.Create(1);
            network.SetParameters(net, parameters);
            var gradient = new double[parameters.Length];
            network.BatchGradient(net, inputs, targets, gradient);
            for (var k = 0; k < parameters.Length; k++)
            {
                // The mean loss in double from the scalar Loss of each example, at θ ± h.
                double MeanLoss(double value)
                {
                    var shifted = (double[])parameters.Clone();
                    shifted[k] = value;
                    network.SetParameters(net, shifted);
                    var sum = 0.0;
                    for (var e = 0; e < count; e++)
                    {
                        sum += network.Loss(net, inputs.Skip(e * network.Spec.Inputs).Take(network.Spec.Inputs).ToArray(), targets.Skip(e * network.Spec.Outputs).Take(network.Spec.Outputs).ToArray());
                    }

                    return sum / count;
                }

                var h = single ? 1e-2 : 1e-5;
                var numeric = (MeanLoss(parameters[k] + h) - MeanLoss(parameters[k] - h)) / (2 * h);
                AssertClose(numeric, gradient[k], single ? 2e-3 : 1e-6, $"{count} examples, ∂L/∂θ{k}");
            }
        }
    }

    public static TheoryData<int, string, bool> ExpWidths()
    {
        var data = new TheoryData<int, string, bool>();
        foreach (var runtime in new[] { false, true })
        {
            data.Add(512, "double", runtime);
            data.Add(256, "double", runtime);
            data.Add(512, "float", runtime);
            data.Add(256, "float", runtime);
        }

        return data;
    }

    /// <summary>
    /// The generated <c>__Exp</c>, or the runtime's <see cref="LaneMath.Exp(Vector512{double})"/> and its overloads, against <see cref="Math.Exp"/> (<see cref="MathF.Exp"/> in float) on 200 001 points of
    /// [−750, 750] and the edges: relative error at most 2 ulp (2⁻⁵¹ in double, 2⁻²² in float) where e^x is a normal
    /// number, at most one unit of the last place of the subnormals below it, ∞ past overflow, 0 past underflow, NaN for NaN.
    /// </summary>
    [Theory]
    [MemberData(nameof(ExpWidths))]
    public void The_vector_exponential_is_within_2_ulp_of_the_scalar_one_from_underflow_to_overflow(int bits, string precision, bool runtime)
    {
        var network = runtime ? null : Network("Notes", precision, lanes: true);
        var single = precision == "float";
        var arguments = Enumerable.Range(-100000, 200001).Select(k => k * 0.0075)
            .Concat(new[] { 0.0, -0.0, 1e-300, -1e-300, 88.72, 88.73, -87.33, -103.9, -104.0, 709.78, 709.79, -708.4, -745.1, -745.2, double.PositiveInfinity, double.NegativeInfinity, double.MaxValue, double.MinValue });
        var values = arguments.Select(x => single ? (float)x : x).ToArray();
        var results = Evaluate(network, bits, single, values);
        var worst = 0.0;
        for (var k = 0; k < values.Length; k++)
        {
            var x = values[k];
            var expected = single ? MathF.Exp((float)x) : Math.Exp(x);
            var actual = results[k];
            if (double.IsInfinity(expected) || expected == 0)
            {
                Assert.True(expected == actual, $"e^{x:R} = {actual:R}, expected {expected:R}");
                continue;
            }

            var smallestNormal = single ? 1.1754943508222875e-38 : 2.2250738585072014e-308;
            var error = Math.Abs(actual - expected);
            if (expected < smallestNormal)
            {
                Assert.True(error <= (single ? float.Epsilon : double.Epsilon), $"e^{x:R} = {actual:R}, expected {expected:R} (subnormal)");
                continue;
            }

            var relative = error / expected;
            worst = Math.Max(worst, relative);
            Assert.True(relative <= (single ? Math.Pow(2, -22) : Math.Pow(2, -51)), $"e^{x:R} = {actual:R}, expected {expected:R}: relative error {relative:E2}");
        }

        Assert.True(double.IsNaN(Evaluate(network, bits, single, new[] { double.NaN })[0]));
        Assert.True(worst > 0, "the polynomial rounds somewhere, or the test compared the scalar exponential with itself");
    }

    /// <summary>The generated <c>__Exp</c> of <paramref name="bits"/> bits on <paramref name="values"/>, a vector at a time; the runtime's without a network.</summary>
    private static double[] Evaluate(CompiledNetwork? network, int bits, bool single, double[] values)
    {
        var element = single ? typeof(float) : typeof(double);
        var vector = (bits == 512 ? typeof(Vector512<>) : typeof(Vector256<>)).MakeGenericType(element);
        var exp = network is null
            ? typeof(LaneMath).GetMethod(nameof(LaneMath.Exp), new[] { vector })!
            : network.Class.GetMethod("__Exp", BindingFlags.NonPublic | BindingFlags.Static, new[] { vector })!;
        var width = bits / (single ? 32 : 64);
        var results = new List<double>();
        for (var start = 0; start < values.Length; start += width)
        {
            var lanes = Enumerable.Range(start, width).Select(k => k < values.Length ? values[k] : 0.0).ToArray();
            object input = (bits, single) switch
            {
                (512, true) => Vector512.Create(lanes.Select(v => (float)v).ToArray()),
                (512, false) => Vector512.Create(lanes),
                (_, true) => Vector256.Create(lanes.Select(v => (float)v).ToArray()),
                _ => Vector256.Create(lanes),
            };
            var output = exp.Invoke(null, new[] { input })!;
            for (var k = 0; k < width && start + k < values.Length; k++)
            {
                results.Add(output switch
                {
                    Vector512<float> v => v[k],
                    Vector512<double> v => v[k],
                    Vector256<float> v => v[k],
                    Vector256<double> v => v[k],
                    _ => throw new InvalidOperationException(),
                });
            }
        }

        return results.ToArray();
    }

    [Theory]
    [InlineData("double")]
    [InlineData("float")]
    public void Without_the_vector_APIs_a_network_compiles_without_lanes(string precision)
    {
        var type = precision == "float" ? NumericType.Single : NumericType.Double;
        var forms = new[] { VectorSupport.None, VectorSupport.Vectors, VectorSupport.Vectors | VectorSupport.VectorMath };
        var compiled = CompiledNetworks.Compile(forms.Select(f => (EveryFunction, new EmitOptions(type, 128, f))).ToList());
        foreach (var network in compiled)
        {
            Assert.DoesNotContain("System.Runtime.Intrinsics", network.Source);
            Assert.DoesNotContain("Lanes", network.Source);
            var (inputs, targets) = Batch(network, 5, 1);
            Assert.True(double.IsFinite(network.BatchGradient(network.Create(1), inputs, targets, new double[network.Spec.ParameterCount])));
        }
    }

    [Fact]
    public void Small_networks_get_512_and_256_bit_lanes_and_larger_ones_256_bit_lanes()
    {
        Assert.Contains("__Lanes512<TPass>(", Network("Notes", "double", lanes: true).Source);
        var large = new NetworkSpec(8, new[] { new LayerSpec(16, ActivationSpec.Sigmoid), new LayerSpec(4, ActivationSpec.Sigmoid) }, LossSpec.HalfSquaredError, NotationStyle.Notes, "Large");
        var source = Assert.Single(CompiledNetworks.Compile(new[] { (large, new EmitOptions(NumericType.Double, 128, WithLanes)) })).Source;
        Assert.Contains("__Lanes256<TPass>(", source);
        Assert.DoesNotContain("Vector512", source);
    }
}
