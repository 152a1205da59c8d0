using System;
using System.Collections.Generic;
using System.Linq;
using BackpropGen.Generator.Model;
using BackpropGen.Generator.Parsing;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Networks;
using BackpropGen.Tests.Support;

namespace BackpropGen.Tests.Generated;

/// <summary>
/// The loop form of wide layers, compiled and run: a network with a layer over its <c>MaxUnrolledWeights</c> keeps
/// every value in block buffers and runs its layers as loops (SIMD, or scalar where the framework has no SIMD), its
/// narrower layers as unrolled statements per example. Its gradients match central finite differences of an
/// independent forward pass for every activation and loss in both precisions, all-loop and mixed; it agrees with
/// the unrolled form of the same network to rounding on every method and across the 32-example block; batches are
/// means, training steps are descent steps, nothing allocates and wrong lengths are refused.
/// </summary>
[Trait("Category", "Slow")]
public class LoopPathTests
{
    private const VectorSupport AllSimd = VectorSupport.Vectors | VectorSupport.VectorMath;

    /// <summary>Batch sizes around the block of 32 examples the loop form computes together.</summary>
    private static readonly int[] BatchSizes = { 1, 5, 32, 33, 70 };

    private static readonly ActivationSpec Softsign = ActivationSpec.Custom(Expr.Parse("x/(1+abs(x))"), "x/(1+abs(x))");

    private static readonly ActivationSpec Swish = ActivationSpec.Custom(Expr.Parse("x * sigmoid(x)"), "x * sigmoid(x)");

    private static readonly LossSpec PseudoHuber = LossSpec.Custom(Expr.Parse("sqrt(1 + (y - t)^2) - 1"), "sqrt(1 + (y - t)^2) - 1");

    private static readonly LossSpec WeightedSquares = LossSpec.Custom(Expr.Parse("(1 + t^2) * (y - t)^2"), "(1 + t^2) * (y - t)^2");

    /// <summary>
    /// A network, the <c>MaxUnrolledWeights</c> it is declared with, and which of its layers that makes loops, worked
    /// out by hand from inputs × units: L for a loop, U for unrolled. Widths are not multiples of the SIMD width, so
    /// every loop has a scalar tail.
    /// </summary>
    private sealed record Case(NetworkSpec Spec, int MaxUnrolledWeights, string Forms);

    private static readonly IReadOnlyDictionary<string, Case> Cases = new Dictionary<string, Case>
    {
        // Every layer a loop: each activation, then each loss.
        ["Identity, half squared error"] = AllLoops(5, new[] { Layer(9, ActivationSpec.Identity), Layer(3, ActivationSpec.Identity) }, LossSpec.HalfSquaredError),
        ["Sigmoid, squared error"] = AllLoops(6, new[] { Layer(11, ActivationSpec.Sigmoid), Layer(4, ActivationSpec.Sigmoid) }, LossSpec.SquaredError),
        ["Tanh, mean squared error"] = AllLoops(7, new[] { Layer(10, ActivationSpec.Tanh), Layer(3, ActivationSpec.Tanh) }, LossSpec.MeanSquaredError),
        ["ReLU, half squared error"] = AllLoops(5, new[] { Layer(13, ActivationSpec.ReLU), Layer(2, ActivationSpec.Identity) }, LossSpec.HalfSquaredError),
        ["LeakyReLU, squared error"] = AllLoops(4, new[] { Layer(9, ActivationSpec.LeakyReLU), Layer(3, ActivationSpec.LeakyReLU) }, LossSpec.SquaredError),
        ["Softplus, mean squared error"] = AllLoops(5, new[] { Layer(8, ActivationSpec.Softplus), Layer(2, ActivationSpec.Softplus) }, LossSpec.MeanSquaredError),
        ["Custom activations, custom loss"] = AllLoops(4, new[] { Layer(9, Softsign), Layer(2, Swish) }, PseudoHuber),
        ["Sigmoid output, binary cross-entropy"] = AllLoops(6, new[] { Layer(9, ActivationSpec.Tanh), Layer(3, ActivationSpec.Sigmoid) }, LossSpec.BinaryCrossEntropy),
        ["Sigmoid output, cross-entropy"] = AllLoops(5, new[] { Layer(7, ActivationSpec.Softplus), Layer(3, ActivationSpec.Sigmoid) }, LossSpec.CrossEntropy),
        ["Softmax output, cross-entropy"] = AllLoops(6, new[] { Layer(10, ActivationSpec.Sigmoid), Layer(5, ActivationSpec.Softmax) }, LossSpec.CrossEntropy),
        ["Softmax output, mean squared error"] = AllLoops(5, new[] { Layer(8, ActivationSpec.Tanh), Layer(4, ActivationSpec.Softmax) }, LossSpec.MeanSquaredError),
        ["Softmax output, binary cross-entropy"] = AllLoops(5, new[] { Layer(8, ActivationSpec.ReLU), Layer(4, ActivationSpec.Softmax) }, LossSpec.BinaryCrossEntropy),
        ["Softmax output, custom loss"] = AllLoops(4, new[] { Layer(6, ActivationSpec.Identity), Layer(3, ActivationSpec.Softmax) }, WeightedSquares),
        ["Three loop layers, SIMD-wide"] = AllLoops(6, new[] { Layer(19, ActivationSpec.Tanh), Layer(17, ActivationSpec.Sigmoid), Layer(4, ActivationSpec.Softmax) }, LossSpec.CrossEntropy),

        // Loops beside unrolled layers.
        ["30-20-2, wide to narrow"] = new(Spec(30, new[] { Layer(20, ActivationSpec.Sigmoid), Layer(2, ActivationSpec.Softmax) }, LossSpec.CrossEntropy), 100, "LU"),
        ["3-2-40-2, narrow to wide"] = new(Spec(3, new[] { Layer(2, ActivationSpec.Tanh), Layer(40, ActivationSpec.ReLU), Layer(2, ActivationSpec.Identity) }, LossSpec.HalfSquaredError), 50, "ULL"),
        ["Unrolled, loop, unrolled"] = new(Spec(2, new[] { Layer(3, ActivationSpec.Tanh), Layer(12, ActivationSpec.Sigmoid), Layer(2, ActivationSpec.Sigmoid) }, LossSpec.BinaryCrossEntropy), 30, "ULU"),
        ["Loop, unrolled, loop"] = new(Spec(12, new[] { Layer(3, ActivationSpec.LeakyReLU), Layer(2, ActivationSpec.Tanh), Layer(16, ActivationSpec.Softmax) }, LossSpec.CrossEntropy), 30, "LUL"),
        ["Loop, then an unrolled softmax with squared error"] = new(Spec(20, new[] { Layer(6, ActivationSpec.Softplus), Layer(3, ActivationSpec.Softmax) }, LossSpec.SquaredError), 50, "LU"),
        ["Unrolled custom, loop, unrolled custom loss"] = new(Spec(3, new[] { Layer(4, Softsign), Layer(25, ActivationSpec.Tanh), Layer(2, ActivationSpec.Identity) }, PseudoHuber), 50, "ULU"),

        // Widths that take every path of the runtime's kernels: with 512-bit vectors, 45 units are in double a tile of 4 vectors, a
        // 512-bit, a 256-bit vector and a unit (in float two 512-bit vectors, a 256-bit one and 5 units); 37 inputs are 9 tiles of
        // 4 and one.
        ["37-45-7, every path of the runtime's kernels"] = AllLoops(37, new[] { Layer(45, ActivationSpec.Tanh), Layer(7, ActivationSpec.Softmax) }, LossSpec.CrossEntropy),

        // 1030 units: a block holds only 32 KiB of the widest layer's values, 4 examples in double and 8 in float.
        ["2-1030-2, blocks of fewer than 32 examples"] = new(Spec(2, new[] { Layer(1030, ActivationSpec.Tanh), Layer(2, ActivationSpec.Sigmoid) }, LossSpec.BinaryCrossEntropy), 256, "LL"),
    };

    /// <summary>How a case is emitted for a test.</summary>
    private enum Form
    {
        /// <summary>With its declared threshold and every SIMD API.</summary>
        Declared,

        /// <summary>MaxUnrolledWeights 0: every layer a loop, with every SIMD API.</summary>
        AllLoops,

        /// <summary>Every layer a loop, for a framework without <c>Vector&lt;T&gt;</c>: scalar loops.</summary>
        ScalarLoops,

        /// <summary>Every layer a loop, with <c>Vector&lt;T&gt;</c> but without <c>Vector.Exp</c>.</summary>
        LoopsWithoutVectorMath,

        /// <summary>MaxUnrolledWeights 4096: every layer of these small networks unrolled, the form without any loop.</summary>
        Unrolled,

        /// <summary>Every layer a loop, the products in the runtime's kernels (<c>DenseKernels</c>), at the widest width the machine accelerates.</summary>
        RuntimeKernels,

        /// <summary>Every layer a loop, no weights kept transposed: the δ back-product of dot products along the rows of the weights.</summary>
        DotBackProduct,
    }

    private static readonly Form[] LoopForms = { Form.Declared, Form.AllLoops, Form.ScalarLoops, Form.LoopsWithoutVectorMath, Form.RuntimeKernels, Form.DotBackProduct };

    private static readonly Lazy<IReadOnlyDictionary<(string Name, NumericType Precision, Form Form), CompiledNetwork>> Networks = new(Compile);

    private static LayerSpec Layer(int units, ActivationSpec activation) => new(units, activation);

    private static NetworkSpec Spec(int inputs, LayerSpec[] layers, LossSpec loss) => new(inputs, layers, loss, name: "LoopNet");

    private static Case AllLoops(int inputs, LayerSpec[] layers, LossSpec loss) => new(Spec(inputs, layers, loss), 0, new string('L', layers.Length));

    private static EmitOptions Options(Case network, NumericType precision, Form form) => form switch
    {
        Form.Declared => new EmitOptions(precision, network.MaxUnrolledWeights, AllSimd),
        Form.AllLoops => new EmitOptions(precision, 0, AllSimd),
        Form.ScalarLoops => new EmitOptions(precision, 0, VectorSupport.None),
        Form.LoopsWithoutVectorMath => new EmitOptions(precision, 0, VectorSupport.Vectors),
        Form.RuntimeKernels => new EmitOptions(precision, 0, AllSimd | VectorSupport.DenseKernels),
        Form.DotBackProduct => new EmitOptions(precision, 0, AllSimd | VectorSupport.DenseKernels, maxTransposedWeights: 0),
        _ => new EmitOptions(precision, NetworkLimits.MaxUnrolledWeights, AllSimd),
    };

    /// <summary>Every case in both precisions and every form, in one assembly; a form equal to another is compiled once.</summary>
    private static IReadOnlyDictionary<(string, NumericType, Form), CompiledNetwork> Compile()
    {
        var keys = (from name in Cases.Keys
                    from precision in new[] { NumericType.Double, NumericType.Single }
                    from form in Enum.GetValues<Form>()
                    select (name, precision, form)).ToList();
        var distinct = keys.Select(k => (Cases[k.name].Spec, Options(Cases[k.name], k.precision, k.form))).Distinct().ToList();
        var compiled = CompiledNetworks.Compile(distinct);
        return keys.ToDictionary(
            k => (k.name, k.precision, k.form),
            k => compiled[distinct.IndexOf((Cases[k.name].Spec, Options(Cases[k.name], k.precision, k.form)))]);
    }

    private static CompiledNetwork Network(string name, string precision, Form form = Form.Declared) =>
        Networks.Value[(name, Precision(precision), form)];

    private static NumericType Precision(string precision) => precision == "float" ? NumericType.Single : NumericType.Double;

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

    /// <summary>The finite-difference tolerance of <see cref="GeneratedCodeTests"/>: float code against a double reference.</summary>
    private static double FiniteDifferenceTolerance(CompiledNetwork network) => network.Precision == NumericType.Single ? 2e-3 : 1e-6;

    /// <summary>
    /// Two forms of one network compute the same sums in another order (SIMD lanes, blocks of examples, another exp):
    /// relative 1e-12 in double and 1e-5 in float, of the larger magnitude or 1, whichever is greater.
    /// </summary>
    private static double RoundingTolerance(CompiledNetwork network) => network.Precision == NumericType.Single ? 1e-5 : 1e-12;

    private static bool Close(double expected, double actual, double relative) =>
        Math.Abs(expected - actual) <= relative * Math.Max(1, Math.Max(Math.Abs(expected), Math.Abs(actual)));

    /// <summary>Values the network's number type holds exactly, so that the reference computes at the same point.</summary>
    private static double[] Representable(CompiledNetwork network, IEnumerable<double> values) =>
        values.Select(v => network.Precision == NumericType.Single ? (float)v : v).ToArray();

    /// <summary>
    /// Random weights and biases as <see cref="NetworkEvaluator.RandomPoint"/> makes them, the weights of a layer with
    /// more than 16 inputs scaled by 4 / √inputs: its weighted inputs stay of order 1, as Xavier initialisation keeps
    /// them, rather than saturating the output, where the reference's textbook cross-entropy, log(1 − y), loses digits.
    /// </summary>
    private static double[] RandomParameters(CompiledNetwork network, Random random)
    {
        var spec = network.Spec;
        var point = NetworkEvaluator.RandomPoint(spec, random);
        var parameters = Enumerable.Range(0, spec.ParameterCount).Select(k => point[network.ParameterAt(k)]).ToArray();
        for (var l = 1; l <= spec.Layers.Count; l++)
        {
            var scale = Math.Min(1, 4 / Math.Sqrt(spec.UnitsOf(l - 1)));
            var start = DocumentedLayout.LayerStart(spec, l);
            for (var k = start; k < start + spec.UnitsOf(l - 1) * spec.UnitsOf(l); k++)
            {
                parameters[k] *= scale;
            }
        }

        return Representable(network, parameters);
    }

    private static (double[] Input, double[] Target) Example(CompiledNetwork network, Random random)
    {
        var point = NetworkEvaluator.RandomPoint(network.Spec, random);
        var input = Enumerable.Range(0, network.Spec.Inputs).Select(i => point[NetworkSymbols.Output(0, i)]);
        var target = Enumerable.Range(0, network.Spec.Outputs).Select(j => point[NetworkSymbols.Target(j)]);
        return (Representable(network, input), Representable(network, target));
    }

    private static (double[] Inputs, double[] Targets) Batch(CompiledNetwork network, Random random, int count)
    {
        var examples = Enumerable.Range(0, count).Select(_ => Example(network, random)).ToList();
        return (examples.SelectMany(e => e.Input).ToArray(), examples.SelectMany(e => e.Target).ToArray());
    }

    private static object WithParameters(CompiledNetwork network, double[] parameters)
    {
        var net = network.Create(1);
        network.SetParameters(net, parameters);
        return net;
    }

    /// <summary>
    /// Every parameter, or for a network of more than 1000 a random 300 and every bias, since each finite difference
    /// runs the reference forward pass twice over all parameters.
    /// </summary>
    private static IEnumerable<int> ParametersToCheck(CompiledNetwork network, Random random)
    {
        var spec = network.Spec;
        if (spec.ParameterCount <= 1000)
        {
            return Enumerable.Range(0, spec.ParameterCount);
        }

        var biases = Enumerable.Range(1, spec.Layers.Count)
            .SelectMany(l => Enumerable.Range(DocumentedLayout.LayerStart(spec, l) + spec.UnitsOf(l - 1) * spec.UnitsOf(l), spec.UnitsOf(l)));
        return Enumerable.Range(0, 300).Select(_ => random.Next(spec.ParameterCount)).Concat(biases).Distinct();
    }

    private static int Seed(string name) => Cases.Keys.ToList().IndexOf(name);

    [Theory]
    [MemberData(nameof(CasesInBothPrecisions))]
    public void The_threshold_makes_loops_of_exactly_the_layers_wider_than_it(string name, string precision)
    {
        var network = Cases[name];
        var units = network.Spec.Layers.Select(l => l.Units).ToArray();
        Assert.Equal(network.Forms.Select(f => f == 'L'), EmitOptions.LoopLayers(network.Spec.Inputs, units, network.MaxUnrolledWeights));
        Assert.All(Enum.GetValues<Form>().Where(f => f != Form.Unrolled), form => Assert.Contains("void __ForwardBlock(", Network(name, precision, form).Source));
        Assert.DoesNotContain("ForwardBlock", Network(name, precision, Form.Unrolled).Source);
    }

    [Theory]
    [MemberData(nameof(CasesInBothPrecisions))]
    public void Gradient_of_a_looped_network_matches_finite_differences_of_an_independent_forward_pass(string name, string precision)
    {
        var network = Network(name, precision);
        var random = new Random(Seed(name));
        var net = network.Create(7);
        var tolerance = FiniteDifferenceTolerance(network);
        for (var trial = 0; trial < 2; trial++)
        {
            network.SetParameters(net, RandomParameters(network, random));
            var (input, target) = Example(network, random);
            var parameters = network.Parameters(net);
            var symbols = network.ToSymbols(parameters, input, target);
            var gradient = new double[parameters.Length];
            var loss = network.Gradient(net, input, target, gradient);

            var expectedLoss = NetworkEvaluator.Loss(network.Spec, symbols);
            Assert.True(Math.Abs(expectedLoss - loss) <= tolerance * (1 + Math.Abs(expectedLoss)), $"{network}: loss {loss} against {expectedLoss}");
            Assert.Equal(loss, network.Loss(net, input, target), 12);
            foreach (var k in ParametersToCheck(network, random))
            {
                var expected = NetworkEvaluator.FiniteDifference(network.Spec, symbols, network.ParameterAt(k), 1e-6);
                Assert.True(Math.Abs(expected - gradient[k]) <= tolerance * (1 + Math.Abs(expected)),
                    $"{network}: ∂L/∂{network.ParameterAt(k)} (p[{k}]) is {gradient[k]:R}, finite differences give {expected:R}");
            }

            var output = network.Forward(net, input);
            var reference = NetworkEvaluator.Outputs(network.Spec, symbols);
            for (var j = 0; j < output.Length; j++)
            {
                Assert.True(Math.Abs(reference[j] - output[j]) <= tolerance * (1 + Math.Abs(reference[j])), $"{network}: output {j} is {output[j]:R}, the forward pass gives {reference[j]:R}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(CasesInBothPrecisions))]
    public void Loop_and_unrolled_forms_agree_to_rounding(string name, string precision)
    {
        var unrolled = Network(name, precision, Form.Unrolled);
        var random = new Random(1000 + Seed(name));
        var parameters = RandomParameters(unrolled, random);
        var (input, target) = Example(unrolled, random);
        var batches = BatchSizes.ToDictionary(n => n, n => Batch(unrolled, random, n));
        const double rate = 0.1;

        foreach (var form in LoopForms)
        {
            var looped = Network(name, precision, form);
            var tolerance = RoundingTolerance(looped);
            void Agree(double expected, double actual, string what) =>
                Assert.True(Close(expected, actual, tolerance), $"{looped}, {form}: {what} is {actual:R}, unrolled {expected:R}");
            void AgreeAll(double[] expected, double[] actual, string what)
            {
                Assert.Equal(expected.Length, actual.Length);
                for (var k = 0; k < expected.Length; k++)
                {
                    Agree(expected[k], actual[k], $"{what}[{k}]");
                }
            }

            AgreeAll(unrolled.Forward(WithParameters(unrolled, parameters), input), looped.Forward(WithParameters(looped, parameters), input), "Forward's output");
            Agree(unrolled.Loss(WithParameters(unrolled, parameters), input, target), looped.Loss(WithParameters(looped, parameters), input, target), "Loss");

            var expectedGradient = new double[parameters.Length];
            var actualGradient = new double[parameters.Length];
            Agree(
                unrolled.Gradient(WithParameters(unrolled, parameters), input, target, expectedGradient),
                looped.Gradient(WithParameters(looped, parameters), input, target, actualGradient),
                "Gradient's loss");
            AgreeAll(expectedGradient, actualGradient, "Gradient");

            foreach (var (n, (inputs, targets)) in batches)
            {
                Agree(
                    unrolled.BatchGradient(WithParameters(unrolled, parameters), inputs, targets, expectedGradient),
                    looped.BatchGradient(WithParameters(looped, parameters), inputs, targets, actualGradient),
                    $"BatchGradient's mean loss of {n} examples");
                AgreeAll(expectedGradient, actualGradient, $"BatchGradient of {n} examples");
            }

            var unrolledNet = WithParameters(unrolled, parameters);
            var loopedNet = WithParameters(looped, parameters);
            Agree(unrolled.TrainStep(unrolledNet, input, target, rate), looped.TrainStep(loopedNet, input, target, rate), "TrainStep's loss");
            AgreeAll(unrolled.Parameters(unrolledNet), looped.Parameters(loopedNet), "the parameters after TrainStep");

            foreach (var (n, (inputs, targets)) in batches)
            {
                unrolledNet = WithParameters(unrolled, parameters);
                loopedNet = WithParameters(looped, parameters);
                Agree(unrolled.TrainBatch(unrolledNet, inputs, targets, rate), looped.TrainBatch(loopedNet, inputs, targets, rate), $"TrainBatch's mean loss of {n} examples");
                AgreeAll(unrolled.Parameters(unrolledNet), looped.Parameters(loopedNet), $"the parameters after TrainBatch of {n} examples");
            }
        }
    }

    [Theory]
    [MemberData(nameof(CasesInBothPrecisions))]
    public void Batch_gradient_of_a_looped_network_is_the_mean_of_its_examples_gradients(string name, string precision)
    {
        var network = Network(name, precision);
        var random = new Random(2000 + Seed(name));
        var net = WithParameters(network, RandomParameters(network, random));
        var tolerance = RoundingTolerance(network);
        foreach (var count in new[] { 33, 70 })
        {
            var examples = Enumerable.Range(0, count).Select(_ => Example(network, random)).ToList();
            var mean = new double[network.Spec.ParameterCount];
            var meanLoss = 0.0;
            foreach (var (input, target) in examples)
            {
                var gradient = new double[mean.Length];
                meanLoss += network.Gradient(net, input, target, gradient) / count;
                for (var k = 0; k < mean.Length; k++)
                {
                    mean[k] += gradient[k] / count;
                }
            }

            var batch = new double[mean.Length];
            var loss = network.BatchGradient(net, examples.SelectMany(e => e.Input).ToArray(), examples.SelectMany(e => e.Target).ToArray(), batch);
            Assert.True(Close(meanLoss, loss, tolerance), $"{network}: mean loss of {count} examples is {loss:R}, their losses' mean {meanLoss:R}");
            for (var k = 0; k < mean.Length; k++)
            {
                Assert.True(Close(mean[k], batch[k], tolerance), $"{network}: batch gradient [{k}] of {count} examples is {batch[k]:R}, the mean of theirs {mean[k]:R}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(CasesInBothPrecisions))]
    public void Training_steps_of_a_looped_network_are_descent_steps_and_return_the_loss_before_them(string name, string precision)
    {
        var network = Network(name, precision);
        var random = new Random(3000 + Seed(name));
        var before = RandomParameters(network, random);
        var (input, target) = Example(network, random);
        var (inputs, targets) = Batch(network, random, 33);
        var tolerance = RoundingTolerance(network);
        const double rate = 0.1;

        var gradient = new double[before.Length];
        var loss = network.Gradient(WithParameters(network, before), input, target, gradient);
        var stepped = WithParameters(network, before);
        Assert.True(Close(loss, network.TrainStep(stepped, input, target, rate), tolerance), $"{network}: TrainStep's loss");
        var after = network.Parameters(stepped);
        for (var k = 0; k < before.Length; k++)
        {
            Assert.True(Close(before[k] - rate * gradient[k], after[k], tolerance), $"{network}: parameter {k} after TrainStep is {after[k]:R}, θ − η∇ is {before[k] - rate * gradient[k]:R}");
        }

        var batchLoss = network.BatchGradient(WithParameters(network, before), inputs, targets, gradient);
        var trained = WithParameters(network, before);
        Assert.True(Close(batchLoss, network.TrainBatch(trained, inputs, targets, rate), tolerance), $"{network}: TrainBatch's loss");
        after = network.Parameters(trained);
        for (var k = 0; k < before.Length; k++)
        {
            Assert.True(Close(before[k] - rate * gradient[k], after[k], tolerance), $"{network}: parameter {k} after TrainBatch is {after[k]:R}, θ − η (1/n) Σ ∇ is {before[k] - rate * gradient[k]:R}");
        }
    }

    [Theory]
    [MemberData(nameof(CasesInBothPrecisions))]
    public void No_call_of_a_looped_network_allocates(string name, string precision)
    {
        var network = Network(name, precision);
        var random = new Random(4000 + Seed(name));
        var net = WithParameters(network, RandomParameters(network, random));
        var (input, target) = Example(network, random);
        var (inputs, targets) = Batch(network, random, 33);
        Assert.Equal(0, network.AllocatedBytes(net, input, target, inputs, targets, 200));
    }

    [Theory]
    [InlineData("double")]
    [InlineData("float")]
    public void Wrong_lengths_to_a_looped_network_throw_an_argument_exception_naming_the_expected_length(string precision)
    {
        var network = Network("30-20-2, wide to narrow", precision);
        var net = network.Create(1);
        int inputs = network.Spec.Inputs, outputs = network.Spec.Outputs, parameters = network.Spec.ParameterCount;

        var error = Assert.Throws<ArgumentException>(() => network.Forward(net, new double[inputs - 1]));
        Assert.Equal("input", error.ParamName);
        Assert.Contains($"expects {inputs} values in 'input' but got {inputs - 1}", error.Message);
        error = Assert.Throws<ArgumentException>(() => network.Loss(net, new double[inputs], new double[outputs + 1]));
        Assert.Equal("target", error.ParamName);
        Assert.Contains($"expects {outputs} values in 'target' but got {outputs + 1}", error.Message);
        error = Assert.Throws<ArgumentException>(() => network.Gradient(net, new double[inputs], new double[outputs], new double[parameters - 1]));
        Assert.Equal("gradient", error.ParamName);
        Assert.Contains($"expects {parameters} values in 'gradient' but got {parameters - 1}", error.Message);
        error = Assert.Throws<ArgumentException>(() => network.TrainStep(net, new double[inputs + 1], new double[outputs], 0.1));
        Assert.Contains($"expects {inputs} values in 'input' but got {inputs + 1}", error.Message);
        error = Assert.Throws<ArgumentException>(() => network.BatchGradient(net, new double[2 * inputs + 1], new double[2 * outputs], new double[parameters]));
        Assert.Contains($"whole rows of {inputs} inputs", error.Message);
        error = Assert.Throws<ArgumentException>(() => network.BatchGradient(net, new double[33 * inputs], new double[32 * outputs], new double[parameters]));
        Assert.Contains($"expects {33 * outputs} targets for 33 examples but got {32 * outputs}", error.Message);
        error = Assert.Throws<ArgumentException>(() => network.TrainBatch(net, Array.Empty<double>(), Array.Empty<double>(), 0.1));
        Assert.Contains("at least one", error.Message);
        Assert.Equal(network.Parameters(network.Create(1)), network.Parameters(net));
    }

    [Theory]
    [InlineData("double")]
    [InlineData("float")]
    public void The_scalar_fallback_names_no_SIMD_type_and_the_loops_without_vector_math_no_vector_exponential(string precision)
    {
        foreach (var name in Cases.Keys)
        {
            var scalar = Network(name, precision, Form.ScalarLoops).Source;
            Assert.DoesNotContain("System.Numerics.Vector", scalar);
            Assert.DoesNotContain("System.Runtime.Intrinsics", scalar);
            var withoutVectorMath = Network(name, precision, Form.LoopsWithoutVectorMath).Source;
            Assert.DoesNotContain("Vector.Exp", withoutVectorMath);
            Assert.DoesNotContain("System.Runtime.Intrinsics", withoutVectorMath);
        }

        Assert.Contains("System.Numerics.Vector<", Network("Three loop layers, SIMD-wide", precision, Form.AllLoops).Source);
        Assert.Contains("System.Numerics.Vector.Exp(", Network("Three loop layers, SIMD-wide", precision, Form.AllLoops).Source);
    }

    [Theory]
    [InlineData("double")]
    [InlineData("float")]
    public void The_back_product_uses_the_transposed_weights_up_to_their_bound_and_dot_products_beyond_it(string precision)
    {
        foreach (var name in Cases.Keys.Where(n => Cases[n].Spec.Layers.Count > 1))
        {
            var transposed = Network(name, precision, Form.RuntimeKernels).Source;
            Assert.Contains("weights2T[k * ", transposed);
            Assert.DoesNotContain("__Dot(row", transposed);
            var dots = Network(name, precision, Form.DotBackProduct).Source;
            Assert.Contains("__Dot(row", dots);
            Assert.DoesNotContain("weights2T", dots);
        }
    }

    [Fact]
    public void Layers_past_the_budget_of_unrolled_parameters_are_loops_whatever_the_threshold()
    {
        // 64 inputs and 64-unit layers: 4160 parameters each, so three fit in the 16384 unrolled parameters and the
        // fourth (16640 in all) does not; a narrow layer after it still fits.
        Assert.Equal(16384, NetworkLimits.MaxUnrolledParameters);
        Assert.Equal(new[] { false, false, false, true, false }, EmitOptions.LoopLayers(64, new[] { 64, 64, 64, 64, 2 }, NetworkLimits.MaxUnrolledWeights));
        Assert.Equal(new[] { false, false, false, true, true }, EmitOptions.LoopLayers(64, new[] { 64, 64, 64, 64, 64 }, NetworkLimits.MaxUnrolledWeights));
        Assert.Equal(new[] { true, true, true, true, true }, EmitOptions.LoopLayers(64, new[] { 64, 64, 64, 64, 2 }, 0));
        // A layer of exactly MaxUnrolledWeights weights is unrolled; one more weight makes it a loop.
        Assert.Equal(new[] { false, true }, EmitOptions.LoopLayers(4, new[] { 5, 6 }, 20));
    }
}
