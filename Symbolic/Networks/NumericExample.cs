using System;
using System.Collections.Generic;
using System.Linq;
using static BackpropGen.Symbolic.Networks.NetworkSymbols;

namespace BackpropGen.Symbolic.Networks;

/// <summary>
/// The derivation evaluated at numbers, as step-by-step tutorials do: a stated input and target, the parameters the
/// generated parameterless constructor draws, and from the derivation's own per-unit expressions the weighted inputs,
/// outputs, loss, δs and gradient. Nothing here is computed another way than the document's formulas.
/// </summary>
public sealed class NumericExample
{
    /// <summary>The seed of the generated parameterless constructor.</summary>
    public const int DefaultSeed = 1;

    /// <summary>Networks up to this many parameters get a numeric example; wider ones would print pages of numbers.</summary>
    public const int MaxParameters = 64;

    private readonly Dictionary<Symbol, double> _values;

    /// <summary>θ_n's symbol, for each index n of the layout.</summary>
    private readonly Symbol[] _parameterSymbols;

    private NumericExample(Derivation derivation, double[]? parameters = null)
    {
        _values = new Dictionary<Symbol, double>();
        _derivation = derivation;
        var spec = derivation.Spec;
        var layout = spec.Layout;
        var count = spec.Layers.Count;
        Input = Enumerable.Range(0, spec.Inputs).Select(i => InputValues[i % InputValues.Length]).ToArray();
        Target = Enumerable.Range(0, spec.Outputs).Select(j => j == 0 ? 1.0 : 0.0).ToArray();
        Parameters = parameters ?? InitialParameters(spec, DefaultSeed);
        _parameterSymbols = new Symbol[layout.Total];

        for (var i = 0; i < spec.Inputs; i++)
        {
            _values[Output(0, i)] = Input[i];
        }

        for (var j = 0; j < spec.Outputs; j++)
        {
            _values[NetworkSymbols.Target(j)] = Target[j];
        }

        for (var l = 1; l <= count; l++)
        {
            for (var j = 0; j < spec.UnitsOf(l); j++)
            {
                for (var i = 0; i < spec.UnitsOf(l - 1); i++)
                {
                    var weight = Weight(l, i, j);
                    _parameterSymbols[layout.WeightIndex(l, i, j)] = weight;
                    _values[weight] = Parameters[layout.WeightIndex(l, i, j)];
                }

                var bias = Bias(l, j);
                _parameterSymbols[layout.BiasIndex(l, j)] = bias;
                _values[bias] = Parameters[layout.BiasIndex(l, j)];
            }
        }

        _forwardSymbols = ForwardSymbols(derivation);
        (PreActivations, Outputs) = Forward();
        Loss = Evaluate(derivation.Loss);

        // Backward: δ from the output layer down, each from the δs of the layer above.
        var deltas = new double[count][];
        for (var l = count; l >= 1; l--)
        {
            var layer = derivation.Layers[l - 1];
            deltas[l - 1] = Units(layer.Units, j => Set(Delta(l, j), layer.DeltaAt(j)));
        }

        Deltas = deltas;
        var gradient = new double[layout.Total];
        for (var l = 1; l <= count; l++)
        {
            var layer = derivation.Layers[l - 1];
            for (var j = 0; j < layer.Units; j++)
            {
                for (var i = 0; i < layer.Inputs; i++)
                {
                    gradient[layout.WeightIndex(l, i, j)] = Evaluate(layer.WeightGradientAt(i, j));
                }

                gradient[layout.BiasIndex(l, j)] = Evaluate(layer.BiasGradientAt(j));
            }
        }

        Gradient = gradient;
    }

    /// <summary>
    /// This example with parameter <paramref name="index"/> moved by <paramref name="delta"/>, as far as its loss: the
    /// values of <paramref name="source"/> with the moved parameter, and the forward pass again from them.
    /// </summary>
    private NumericExample(NumericExample source, int index, double delta)
    {
        _derivation = source._derivation;
        _parameterSymbols = source._parameterSymbols;
        _forwardSymbols = source._forwardSymbols;
        Input = source.Input;
        Target = source.Target;
        var moved = source.Parameters.ToArray();
        moved[index] += delta;
        Parameters = moved;
        _values = new Dictionary<Symbol, double>(source._values);
        _values[_parameterSymbols[index]] = moved[index];
        (PreActivations, Outputs) = Forward();
        Loss = Evaluate(_derivation.Loss);
        Deltas = Array.Empty<IReadOnlyList<double>>();
        Gradient = Array.Empty<double>();
    }

    private readonly Derivation _derivation;

    /// <summary>a^{(l)}_j and h^{(l)}_j, indexed [l − 1][j].</summary>
    private readonly (Symbol[] PreActivations, Symbol[] Outputs)[] _forwardSymbols;

    private static (Symbol[] PreActivations, Symbol[] Outputs)[] ForwardSymbols(Derivation derivation) =>
        derivation.Layers.Select(layer => (
            Enumerable.Range(0, layer.Units).Select(j => PreActivation(layer.Number, j)).ToArray(),
            Enumerable.Range(0, layer.Units).Select(j => Output(layer.Number, j)).ToArray())).ToArray();

    /// <summary>Forward: each layer's a_j and h_j from the derivation's equations at unit j.</summary>
    private (double[][] PreActivations, double[][] Outputs) Forward()
    {
        var count = _derivation.Layers.Count;
        var preActivations = new double[count][];
        var outputs = new double[count][];
        for (var l = 1; l <= count; l++)
        {
            var layer = _derivation.Layers[l - 1];
            var symbols = _forwardSymbols[l - 1];
            preActivations[l - 1] = Units(layer.Units, j => Set(symbols.PreActivations[j], layer.PreActivationAt(j)));
            outputs[l - 1] = Units(layer.Units, j => Set(symbols.Outputs[j], layer.OutputAt(j)));
        }

        return (preActivations, outputs);
    }

    /// <summary>The losses of <see cref="LossWith"/>, by parameter and move: the document asks for some more than once.</summary>
    private readonly Dictionary<(int Index, double Delta), double> _movedLosses = new();

    /// <summary>The step of the central differences in <see cref="CentralDifference"/>.</summary>
    public const double Step = 1e-5;

    /// <summary>The loss of the example with parameter <paramref name="index"/> moved by <paramref name="delta"/>.</summary>
    public double LossWith(int index, double delta)
    {
        if (!_movedLosses.TryGetValue((index, delta), out var loss))
        {
            loss = new NumericExample(this, index, delta).Loss;
            _movedLosses[(index, delta)] = loss;
        }

        return loss;
    }

    /// <summary>(L(θ + ε) − L(θ − ε)) / 2ε for parameter <paramref name="index"/>, ε = <see cref="Step"/>.</summary>
    public double CentralDifference(int index) => (LossWith(index, Step) - LossWith(index, -Step)) / (2 * Step);

    /// <summary>|g − ĝ| / max(|g|, |ĝ|) of the derivation's gradient and the central difference, 0 when both are 0.</summary>
    public double RelativeError(int index)
    {
        var analytic = Gradient[index];
        var numeric = CentralDifference(index);
        var scale = Math.Max(Math.Abs(analytic), Math.Abs(numeric));
        return scale == 0 ? 0 : Math.Abs(analytic - numeric) / scale;
    }

    /// <summary>The inputs the example states, repeated for networks with more inputs.</summary>
    private static readonly double[] InputValues = { 0.5, -1.0, 0.25, 2.0 };

    /// <summary>The numeric example of a small network, or null when it has more than <see cref="MaxParameters"/> parameters.</summary>
    public static NumericExample? For(Derivation derivation) =>
        derivation.Spec.ParameterCount <= MaxParameters ? new NumericExample(derivation) : null;

    /// <summary>The input of the example: 0.5, −1, 0.25, 2, and again.</summary>
    public IReadOnlyList<double> Input { get; }

    /// <summary>The target: 1 for the first output, 0 for the others (a one-hot label).</summary>
    public IReadOnlyList<double> Target { get; }

    /// <summary>The parameters in the layout of <see cref="NetworkSpec.Layout"/>, as the parameterless constructor draws them.</summary>
    public IReadOnlyList<double> Parameters { get; }

    /// <summary>a^{(l)}_j, indexed [l − 1][j].</summary>
    public IReadOnlyList<IReadOnlyList<double>> PreActivations { get; }

    /// <summary>h^{(l)}_j, indexed [l − 1][j].</summary>
    public IReadOnlyList<IReadOnlyList<double>> Outputs { get; }

    public double Loss { get; }

    /// <summary>δ^{(l)}_j, indexed [l − 1][j].</summary>
    public IReadOnlyList<IReadOnlyList<double>> Deltas { get; }

    /// <summary>∂L/∂θ for every parameter, in the layout.</summary>
    public IReadOnlyList<double> Gradient { get; }

    /// <summary>The value of a network symbol at concrete indices in this example.</summary>
    public double ValueOf(Symbol symbol) =>
        _values.TryGetValue(symbol, out var value) ? value : throw new KeyNotFoundException($"the example has no value for {symbol}");

    /// <summary>An expression of the derivation evaluated at the example's values.</summary>
    public double Evaluate(Expr e) => e.Evaluate(ValueOf);

    /// <summary>
    /// The parameters the generated constructor draws from <paramref name="seed"/>: for each layer in order, its weights
    /// uniform in ±√(6 / fan) (fan = inputs + units, or inputs for He initialization), then zero biases.
    /// </summary>
    public static double[] InitialParameters(NetworkSpec spec, int seed)
    {
        var parameters = new double[spec.ParameterCount];
        var random = new Random(seed);
        for (var l = 1; l <= spec.Layers.Count; l++)
        {
            var inputs = spec.UnitsOf(l - 1);
            var fan = spec.Layers[l - 1].Kind.Initialization == Initialization.He ? inputs : inputs + spec.UnitsOf(l);
            var limit = Math.Sqrt(6.0 / fan);
            for (var i = spec.Layout.WeightStart(l); i < spec.Layout.BiasStart(l); i++)
            {
                parameters[i] = (random.NextDouble() * 2.0 - 1.0) * limit;
            }
        }

        return parameters;
    }

    private double Set(Symbol symbol, Expr e)
    {
        var value = Evaluate(e);
        _values[symbol] = value;
        return value;
    }

    private static double[] Units(int count, Func<int, double> value) => Enumerable.Range(0, count).Select(value).ToArray();
}
