using System;
using System.Linq;
using System.Reflection;

namespace BackpropGen.Benchmarks;

/// <summary>
/// A network's sizes, activations and loss, read from the <c>[Network]</c> and <c>[Dense]</c> attributes of its
/// generated class, and where each layer lives in the generated parameter layout.
/// </summary>
public sealed class NetworkShape
{
    private readonly int[] _sizes;
    private readonly Activation[] _activations;
    private readonly int[] _weightOffsets;

    private NetworkShape(string name, int[] sizes, Activation[] activations, Loss loss)
    {
        Name = name;
        _sizes = sizes;
        _activations = activations;
        Loss = loss;
        _weightOffsets = new int[sizes.Length];
        for (var l = 1; l < sizes.Length; l++)
        {
            _weightOffsets[l] = ParameterCount;
            ParameterCount += (sizes[l - 1] + 1) * sizes[l];
        }
    }

    /// <summary>The generated class's name.</summary>
    public string Name { get; }

    public Loss Loss { get; }

    /// <summary>The number of layers with weights; layer 0 is the input.</summary>
    public int LayerCount => _sizes.Length - 1;

    public int Inputs => _sizes[0];

    public int Outputs => _sizes[^1];

    public int ParameterCount { get; }

    /// <summary>The widest layer, the input included.</summary>
    public int MaxUnits => _sizes.Max();

    /// <summary>The units of layer <paramref name="layer"/>; layer 0 is the input.</summary>
    public int UnitsOf(int layer) => _sizes[layer];

    /// <summary>The activation of layer <paramref name="layer"/>, from 1.</summary>
    public Activation ActivationOf(int layer) => _activations[layer - 1];

    /// <summary>Where layer <paramref name="layer"/>'s weights start: an inputs × units row-major block.</summary>
    public int WeightOffset(int layer) => _weightOffsets[layer];

    /// <summary>Where layer <paramref name="layer"/>'s biases start, right after its weights.</summary>
    public int BiasOffset(int layer) => _weightOffsets[layer] + _sizes[layer - 1] * _sizes[layer];

    /// <summary>
    /// Reads the shape of a generated network class from its attributes, in the order they are written; throws
    /// <see cref="NotSupportedException"/> for what the references do not implement.
    /// </summary>
    public static NetworkShape Of(Type network)
    {
        var declaration = network.GetCustomAttribute<NetworkAttribute>()
            ?? throw new ArgumentException($"{network.Name} has no [Network] attribute", nameof(network));
        var layers = network.GetCustomAttributes<DenseAttribute>().ToArray();
        if (declaration.LossExpression is not null || layers.Any(layer => layer.CustomActivation is not null))
        {
            throw new NotSupportedException($"{network.Name}: the references implement built-in activations and losses only");
        }

        var shape = new NetworkShape(
            network.Name,
            layers.Select(layer => layer.Units).Prepend(declaration.Inputs).ToArray(),
            layers.Select(layer => layer.Activation).ToArray(),
            declaration.Loss);
        var hiddenSupported = shape._activations[..^1].All(IsElementwise);
        var outputSupported = shape.Loss switch
        {
            Loss.HalfSquaredError => IsElementwise(shape._activations[^1]),
            Loss.CrossEntropy => shape._activations[^1] == Activation.Softmax,
            _ => false,
        };
        if (!hiddenSupported || !outputSupported)
        {
            throw new NotSupportedException($"{shape}: the references implement sigmoid, tanh and identity layers with the half squared error, or a softmax output with cross-entropy");
        }

        return shape;
    }

    private static bool IsElementwise(Activation activation) => activation is Activation.Sigmoid or Activation.Tanh or Activation.Identity;

    public override string ToString() => $"{Name}: {string.Join("-", _sizes)}, {string.Join(", ", _activations)}, {Loss}";
}
