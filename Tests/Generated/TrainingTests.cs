using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using BackpropGen.Generator.Model;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Networks;
using BackpropGen.Tests.Runtime;
using BackpropGen.Tests.Support;

namespace BackpropGen.Tests.Generated;

/// <summary>
/// The training contract: each optimizer's steps against an independent implementation of PyTorch's update formulas
/// over finite-difference gradients of the objective, the L2 penalty and the weight decay, ResetOptimizer, batch
/// inference, the gradient check, save and load, ONNX through ONNX Runtime, and one instance read from four threads.
/// </summary>
public class TrainingTests
{
    private static readonly LayerSpec[] Layers = { new(4, ActivationSpec.Tanh), new(3, ActivationSpec.Sigmoid) };

    private static NetworkSpec Spec(TrainingSpec training, IReadOnlyList<LayerSpec>? layers = null, LossSpec? loss = null, int inputs = 3) =>
        new(inputs, layers ?? Layers, loss ?? LossSpec.HalfSquaredError, training: training);

    /// <summary>Each optimizer with its defaults and with other values, L2 and decay mixed in.</summary>
    public static TheoryData<string> Optimizers() => new(OptimizerCases.Keys);

    private static readonly IReadOnlyDictionary<string, TrainingSpec> OptimizerCases = new Dictionary<string, TrainingSpec>
    {
        ["SGD"] = new(OptimizerKind.StochasticGradientDescent),
        ["SGD, L2 and decay"] = new(OptimizerKind.StochasticGradientDescent, l2: 0.01, weightDecay: 0.1),
        ["Momentum"] = new(OptimizerKind.Momentum),
        ["Momentum 0.5, L2"] = new(OptimizerKind.Momentum, momentum: 0.5, l2: 0.02),
        ["Nesterov"] = new(OptimizerKind.Nesterov),
        ["Nesterov 0.7, decay"] = new(OptimizerKind.Nesterov, momentum: 0.7, weightDecay: 0.05),
        ["Adam"] = new(OptimizerKind.Adam),
        ["Adam 0.8/0.99/1e-6, L2"] = new(OptimizerKind.Adam, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, l2: 0.01),
        ["AdamW"] = new(OptimizerKind.AdamW),
        ["AdamW decay 0.1"] = new(OptimizerKind.AdamW, weightDecay: 0.1),
        ["RMSProp"] = new(OptimizerKind.RMSProp),
        ["RMSProp 0.9/1e-4, L2"] = new(OptimizerKind.RMSProp, rho: 0.9, epsilon: 1e-4, l2: 0.005),
    };

    private static readonly Dictionary<(string, NumericType, int), CompiledNetwork> Compiled = new();

    private static CompiledNetwork Compile(string name, NumericType precision, int maxUnrolled = 128)
    {
        lock (Compiled)
        {
            if (!Compiled.TryGetValue((name, precision, maxUnrolled), out var network))
            {
                // Every case of this precision and threshold in one compilation.
                var names = OptimizerCases.Keys.ToList();
                var all = CompiledNetworks.Compile(names.Select(n => (Spec(OptimizerCases[n]), new EmitOptions(precision, maxUnrolled, EmitOptions.Default(precision).Vectors))).ToList());
                for (var i = 0; i < names.Count; i++)
                {
                    Compiled[(names[i], precision, maxUnrolled)] = all[i];
                }

                network = Compiled[(name, precision, maxUnrolled)];
            }

            return network;
        }
    }

    /// <summary>PyTorch's update of every parameter, written out, with its state, as the reference.</summary>
    private sealed class ReferenceOptimizer
    {
        private readonly TrainingSpec _training;
        private readonly double[] _m;
        private readonly double[] _v;
        private int _t;

        public ReferenceOptimizer(TrainingSpec training, int count)
        {
            _training = training;
            _m = new double[count];
            _v = new double[count];
        }

        public void Step(double[] theta, double[] g, double lr)
        {
            _t++;
            var o = _training;
            for (var k = 0; k < theta.Length; k++)
            {
                theta[k] *= 1 - lr * o.WeightDecay;
                switch (o.Optimizer)
                {
                    case OptimizerKind.StochasticGradientDescent:
                        theta[k] -= lr * g[k];
                        break;
                    case OptimizerKind.Momentum:
                        _v[k] = o.Momentum * _v[k] + g[k];
                        theta[k] -= lr * _v[k];
                        break;
                    case OptimizerKind.Nesterov:
                        _v[k] = o.Momentum * _v[k] + g[k];
                        theta[k] -= lr * (g[k] + o.Momentum * _v[k]);
                        break;
                    case OptimizerKind.Adam:
                    case OptimizerKind.AdamW:
                        _m[k] = o.Beta1 * _m[k] + (1 - o.Beta1) * g[k];
                        _v[k] = o.Beta2 * _v[k] + (1 - o.Beta2) * g[k] * g[k];
                        var mHat = _m[k] / (1 - Math.Pow(o.Beta1, _t));
                        var vHat = _v[k] / (1 - Math.Pow(o.Beta2, _t));
                        theta[k] -= lr * mHat / (Math.Sqrt(vHat) + o.Epsilon);
                        break;
                    case OptimizerKind.RMSProp:
                        _v[k] = o.Rho * _v[k] + (1 - o.Rho) * g[k] * g[k];
                        theta[k] -= lr * g[k] / (Math.Sqrt(_v[k]) + o.Epsilon);
                        break;
                }
            }
        }
    }

    /// <summary>Central differences of the mean objective over the examples, evaluated by <paramref name="oracle"/> at <paramref name="theta"/>.</summary>
    private static double[] NumericGradient(CompiledNetwork network, object oracle, double[] theta, double[][] inputs, double[][] targets)
    {
        var gradient = new double[theta.Length];
        var work = (double[])theta.Clone();
        double Objective()
        {
            network.SetParameters(oracle, work);
            return inputs.Select((x, e) => network.Loss(oracle, x, targets[e])).Average();
        }

        for (var k = 0; k < theta.Length; k++)
        {
            var h = 1e-6;
            work[k] = theta[k] + h;
            var plus = Objective();
            work[k] = theta[k] - h;
            var minus = Objective();
            work[k] = theta[k];
            gradient[k] = (plus - minus) / (2 * h);
        }

        return gradient;
    }

    private static (double[][] Inputs, double[][] Targets) Examples(int count, int seed)
    {
        var random = new Random(seed);
        var inputs = Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, 3).Select(_ => random.NextDouble() * 2 - 1).ToArray()).ToArray();
        var targets = Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, 3).Select(_ => random.NextDouble()).ToArray()).ToArray();
        return (inputs, targets);
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Each_optimizers_train_steps_match_pytorchs_formulas_over_finite_difference_gradients(string name)
    {
        var training = OptimizerCases[name];
        var network = Compile(name, NumericType.Double);
        var net = network.Create(5);
        var oracle = network.Create(5);
        var theta = network.Parameters(net);
        var reference = new ReferenceOptimizer(training, theta.Length);
        var (inputs, targets) = Examples(4, 11);
        const double Rate = 0.05;
        for (var step = 0; step < 4; step++)
        {
            var x = inputs[step];
            var t = targets[step];
            var before = NumericGradient(network, oracle, theta, new[] { x }, new[] { t });
            network.SetParameters(oracle, theta);
            var expectedLoss = network.Loss(oracle, x, t);
            var loss = network.TrainStep(net, x, t, Rate);
            Assert.Equal(expectedLoss, loss, 1e-8);
            reference.Step(theta, before, Rate);
            AssertClose(theta, network.Parameters(net), 1e-7, $"{name}, step {step + 1}");
        }
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Each_optimizers_batch_steps_match_pytorchs_formulas_over_the_mean_gradient(string name)
    {
        var training = OptimizerCases[name];
        foreach (var unrolled in new[] { 128, 0 })
        {
            var network = Compile(name, NumericType.Double, unrolled);
            var net = network.Create(9);
            var oracle = network.Create(9);
            var theta = network.Parameters(net);
            var reference = new ReferenceOptimizer(training, theta.Length);
            var (inputs, targets) = Examples(5, 3);
            for (var step = 0; step < 3; step++)
            {
                var gradient = NumericGradient(network, oracle, theta, inputs, targets);
                network.SetParameters(oracle, theta);
                var expected = inputs.Select((x, e) => network.Loss(oracle, x, targets[e])).Average();
                var loss = network.TrainBatch(net, inputs.SelectMany(x => x).ToArray(), targets.SelectMany(t => t).ToArray(), 0.1);
                Assert.Equal(expected, loss, 1e-8);
                reference.Step(theta, gradient, 0.1);
                AssertClose(theta, network.Parameters(net), 1e-7, $"{name}, MaxUnrolledWeights {unrolled}, step {step + 1}");
            }
        }
    }

    [Theory]
    [InlineData("Adam 0.8/0.99/1e-6, L2")]
    [InlineData("Nesterov 0.7, decay")]
    [InlineData("RMSProp 0.9/1e-4, L2")]
    public void Float_networks_take_the_same_steps_to_float_precision(string name)
    {
        var single = Compile(name, NumericType.Single);
        var reference = Compile(name, NumericType.Double);
        var a = single.Create(2);
        var b = reference.Create(2);
        reference.SetParameters(b, single.Parameters(a));
        var (inputs, targets) = Examples(3, 5);
        for (var step = 0; step < 3; step++)
        {
            single.TrainStep(a, inputs[step], targets[step], 0.05);
            reference.TrainStep(b, inputs[step], targets[step], 0.05);
        }

        AssertClose(reference.Parameters(b), single.Parameters(a), 1e-4, name);
    }

    [Theory]
    [InlineData("Adam")]
    [InlineData("Momentum")]
    [InlineData("RMSProp")]
    public void ResetOptimizer_makes_the_next_step_a_first_step(string name)
    {
        var network = Compile(name, NumericType.Double);
        var trained = network.Create(4);
        var (inputs, targets) = Examples(4, 8);
        for (var step = 0; step < 3; step++)
        {
            network.TrainStep(trained, inputs[step], targets[step], 0.05);
        }

        network.ResetOptimizer(trained);
        var fresh = network.Create(1);
        network.SetParameters(fresh, network.Parameters(trained));
        network.TrainStep(trained, inputs[3], targets[3], 0.05);
        network.TrainStep(fresh, inputs[3], targets[3], 0.05);
        Assert.Equal(network.Parameters(fresh), network.Parameters(trained));
    }

    [Fact]
    public void L2_adds_half_lambda_times_the_squared_weights_to_the_loss_and_lambda_w_to_the_weights_gradients_only()
    {
        var plain = Compile("SGD", NumericType.Double);
        var penalised = Compile("Momentum 0.5, L2", NumericType.Double);
        var a = plain.Create(3);
        var b = penalised.Create(3);
        var theta = plain.Parameters(a);
        penalised.SetParameters(b, theta);
        var (inputs, targets) = Examples(1, 2);
        var ga = new double[theta.Length];
        var gb = new double[theta.Length];
        var la = plain.Gradient(a, inputs[0], targets[0], ga);
        var lb = penalised.Gradient(b, inputs[0], targets[0], gb);
        var layout = penalised.Spec.Layout;
        var squares = 0.0;
        for (var k = 0; k < theta.Length; k++)
        {
            var weight = Enumerable.Range(1, 2).Any(l => k >= layout.WeightStart(l) && k < layout.BiasStart(l));
            Assert.Equal(ga[k] + (weight ? 0.02 * theta[k] : 0), gb[k], 12);
            squares += weight ? theta[k] * theta[k] : 0;
        }

        Assert.Equal(la + 0.01 * squares, lb, 12);
        var batch = new double[theta.Length];
        var mean = penalised.BatchGradient(b, inputs[0], targets[0], batch);
        Assert.Equal(lb, mean, 12);
        AssertClose(gb, batch, 1e-12, "batch of one");
    }

    [Theory]
    [InlineData(128, NumericType.Double)]
    [InlineData(0, NumericType.Double)]
    [InlineData(128, NumericType.Single)]
    [InlineData(0, NumericType.Single)]
    public void ForwardBatch_equals_Forward_row_by_row_across_block_edges(int maxUnrolled, NumericType precision)
    {
        var network = Compile("Adam", precision, maxUnrolled);
        var net = network.Create(6);
        var random = new Random(1);
        foreach (var rows in new[] { 0, 1, 31, 32, 33, 70 })
        {
            var inputs = Enumerable.Range(0, rows * 3).Select(_ => random.NextDouble() * 4 - 2).ToArray();
            var outputs = network.ForwardBatch(net, inputs, rows);
            Assert.Equal(rows * 3, outputs.Length);
            for (var e = 0; e < rows; e++)
            {
                var single = network.Forward(net, inputs.Skip(e * 3).Take(3).ToArray());
                var row = outputs.Skip(e * 3).Take(3).ToArray();
                // The loop form's sigmoid takes a SIMD exp over whole vectors of a block and the scalar exp on the tail, and
                // the unrolled form runs whole SIMD vectors of examples in lanes with a vector exp and the rest as scalars,
                // so an example's outputs may differ in the last bits with its place in the batch.
                AssertClose(single, row, precision == NumericType.Double ? 1e-15 : 1e-6, $"{rows} rows, row {e}");
            }
        }
    }

    [Theory]
    [InlineData("SGD", NumericType.Double, 1e-6)]
    [InlineData("Adam 0.8/0.99/1e-6, L2", NumericType.Double, 1e-6)]
    [InlineData("RMSProp 0.9/1e-4, L2", NumericType.Single, 1e-2)]
    public void CheckGradient_finds_the_analytic_gradient_right(string name, NumericType precision, double bound)
    {
        foreach (var unrolled in new[] { 128, 0 })
        {
            var network = Compile(name, precision, unrolled);
            var net = network.Create(7);
            var (inputs, targets) = Examples(3, 4);
            for (var e = 0; e < 3; e++)
            {
                var error = network.CheckGradient(net, inputs[e], targets[e]);
                Assert.InRange(error, 0, bound);
            }
        }
    }

    [Fact]
    public void CheckGradient_reports_a_loss_that_is_not_a_number()
    {
        var network = Compile("SGD", NumericType.Double);
        var net = network.Create(7);
        Assert.True(double.IsNaN(network.CheckGradient(net, new[] { 0.1, 0.2, 0.3 }, new[] { double.NaN, 0, 0 })));
    }

    [Theory]
    [InlineData(NumericType.Double)]
    [InlineData(NumericType.Single)]
    public void Save_and_Load_restore_the_parameters_and_refuse_another_network(NumericType precision)
    {
        var network = Compile("Adam", precision);
        var source = network.Create(1);
        var target = network.Create(2);
        network.Load(target, network.Save(source));
        Assert.Equal(network.Parameters(source), network.Parameters(target));

        var other = Compile("Adam", precision == NumericType.Double ? NumericType.Single : NumericType.Double);
        var before = network.Parameters(target);
        var foreign = other.Save(other.Create(3));
        var error = Assert.Throws<InvalidDataException>(() => network.Load(target, foreign));
        Assert.Contains(precision == NumericType.Double ? "float" : "double", error.Message);
        Assert.Equal(before, network.Parameters(target));

        var truncated = network.Save(source).Take(30).ToArray();
        Assert.Throws<InvalidDataException>(() => network.Load(target, truncated));
        Assert.Throws<InvalidDataException>(() => network.Load(target, Array.Empty<byte>()));
        Assert.Equal(before, network.Parameters(target));
    }

    [Theory]
    [InlineData(128, NumericType.Double)]
    [InlineData(0, NumericType.Double)]
    [InlineData(128, NumericType.Single)]
    public void The_ONNX_export_runs_in_ONNX_Runtime_like_ForwardBatch_and_imports_bit_for_bit(int maxUnrolled, NumericType precision)
    {
        var network = Compile("AdamW", precision, maxUnrolled);
        var net = network.Create(12);
        var model = network.ExportOnnx(net);
        var random = new Random(4);
        var inputs = Enumerable.Range(0, 5 * 3).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var expected = network.ForwardBatch(net, inputs, 5);
        var actual = precision == NumericType.Double
            ? OnnxRunner.Run(model, inputs, 5, 3)
            : OnnxRunner.Run(model, inputs.Select(v => (float)v).ToArray(), 5, 3);
        AssertClose(expected, actual, precision == NumericType.Double ? 1e-9 : 1e-5, "ONNX Runtime against ForwardBatch");

        var copy = network.Create(99);
        network.ImportOnnx(copy, model);
        Assert.Equal(network.Parameters(net), network.Parameters(copy));
    }

    /// <summary>Every built-in activation and a custom one, each network in both precisions and both forms.</summary>
    [Theory]
    [InlineData(NumericType.Double)]
    [InlineData(NumericType.Single)]
    public void Every_activation_exports_to_ONNX_as_ForwardBatch_computes_it(NumericType precision)
    {
        var activations = new[]
        {
            ActivationSpec.Identity, ActivationSpec.Sigmoid, ActivationSpec.Tanh, ActivationSpec.ReLU, ActivationSpec.LeakyReLU, ActivationSpec.Softplus,
            ActivationSpec.Custom(Expr.Parse("x / (1 + abs(x))"), "x / (1 + abs(x))"),
            ActivationSpec.Custom(Expr.Parse("max(x, 0.1 * x) + exp(-x^2) * sin(x)"), "max(x, 0.1 * x) + exp(-x^2) * sin(x)"),
        };
        var specs = new List<(NetworkSpec, EmitOptions)>();
        foreach (var activation in activations)
        {
            foreach (var unrolled in new[] { 128, 0 })
            {
                var layers = new[] { new LayerSpec(6, activation), new LayerSpec(3, activation == ActivationSpec.Identity ? ActivationSpec.Softmax : activation) };
                specs.Add((new NetworkSpec(3, layers, LossSpec.HalfSquaredError), new EmitOptions(precision, unrolled, EmitOptions.Default(precision).Vectors)));
            }
        }

        var random = new Random(3);
        var inputs = Enumerable.Range(0, 7 * 3).Select(_ => random.NextDouble() * 6 - 3).ToArray();
        foreach (var network in CompiledNetworks.Compile(specs))
        {
            var net = network.Create(4);
            var model = network.ExportOnnx(net);
            var expected = network.ForwardBatch(net, inputs, 7);
            var actual = precision == NumericType.Double
                ? OnnxRunner.Run(model, inputs, 7, 3)
                : OnnxRunner.Run(model, inputs.Select(v => (float)v).ToArray(), 7, 3);
            AssertClose(expected, actual, precision == NumericType.Double ? 1e-9 : 1e-5, network.ToString());
            var copy = network.Create(5);
            network.ImportOnnx(copy, model);
            Assert.Equal(network.Parameters(net), network.Parameters(copy));
        }
    }

    [Fact]
    public void Four_threads_on_one_loop_form_instance_get_the_single_threaded_gradients()
    {
        var network = Compile("Adam", NumericType.Double, 0);
        var net = network.Create(8);
        var (inputs, targets) = Examples(40, 6);
        var expected = inputs.Select((x, e) =>
        {
            var g = new double[network.Counts()[2]];
            network.Gradient(net, x, targets[e], g);
            return g;
        }).ToArray();

        var wrong = 0;
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            var g = new double[network.Counts()[2]];
            for (var round = 0; round < 50; round++)
            {
                for (var e = 0; e < inputs.Length; e++)
                {
                    network.Gradient(net, inputs[e], targets[e], g);
                    if (!g.SequenceEqual(expected[e]))
                    {
                        System.Threading.Interlocked.Increment(ref wrong);
                    }

                    var outputs = network.ForwardBatch(net, inputs[e], 1);
                    if (!outputs.SequenceEqual(network.Forward(net, inputs[e])))
                    {
                        System.Threading.Interlocked.Increment(ref wrong);
                    }
                }
            }
        });
        Assert.Equal(0, wrong);
    }

    [Theory]
    [InlineData(128)]
    [InlineData(0)]
    public void Training_with_Adam_and_L2_allocates_nothing_per_call(int maxUnrolled)
    {
        var network = Compile("Adam 0.8/0.99/1e-6, L2", NumericType.Double, maxUnrolled);
        var net = network.Create(1);
        var (inputs, targets) = Examples(4, 1);
        var bytes = network.AllocatedBytes(net, inputs[0], targets[0], inputs.SelectMany(x => x).ToArray(), targets.SelectMany(t => t).ToArray(), 200);
        Assert.Equal(0, bytes);
    }

    private static void AssertClose(double[] expected, double[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var k = 0; k < expected.Length; k++)
        {
            var scale = Math.Max(1, Math.Abs(expected[k]));
            Assert.True(Math.Abs(expected[k] - actual[k]) <= tolerance * scale, $"{what}: parameter {k} is {actual[k]:R}, expected {expected[k]:R}");
        }
    }
}
