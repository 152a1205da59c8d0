using System;
using System.Collections.Generic;
using System.Linq;

namespace BackpropGen.Symbolic.Networks;

/// <summary>Which lecture notes a derivation document reads like (see DESIGN.md).</summary>
public enum NotationStyle
{
    /// <summary>The 365 notes: x, w, u, a, h, y, t, L, δ.</summary>
    Notes,

    /// <summary>The 3Blue1Brown chapter: a^(l), z^(l), w^(l)_jk, C₀.</summary>
    Layered,

    /// <summary>The Coursera course: Z^[l], A^[l], W^[l], dZ, dW, db, J.</summary>
    Vectorized,
}

/// <summary>One dense layer: its number of units and its activation.</summary>
public sealed record LayerSpec
{
    public LayerSpec(int units, ActivationSpec activation)
    {
        if (units <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(units), units, "a layer needs at least one unit");
        }

        Units = units;
        Activation = activation;
        Kind = LayerKind.Of(activation);
    }

    public int Units { get; }

    /// <summary>What kind of layer the activation makes: element-wise, or softmax over the layer.</summary>
    public LayerKind Kind { get; }

    public ActivationSpec Activation { get; }


    public override string ToString() => $"{Units} {Activation}";
}

/// <summary>A network: inputs, dense layers in order, a loss and the notation of its document. Compares by value.</summary>
public sealed class NetworkSpec : IEquatable<NetworkSpec>
{
    private readonly LayerSpec[] _layers;

    public NetworkSpec(int inputs, IEnumerable<LayerSpec> layers, LossSpec loss, NotationStyle notation = NotationStyle.Notes, string name = "Network", TrainingSpec? training = null)
    {
        _layers = layers.ToArray();
        if (inputs <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(inputs), inputs, "a network needs at least one input");
        }

        if (_layers.Length == 0)
        {
            throw new ArgumentException("a network needs at least one layer", nameof(layers));
        }

        if (_layers.Take(_layers.Length - 1).Any(l => l.Kind.OutputOnly))
        {
            throw new ArgumentException("a softmax layer can only be the last layer", nameof(layers));
        }

        Inputs = inputs;
        Layout = new ParameterLayout(inputs, _layers.Select(l => (l.Kind, l.Units)).ToList());
        Loss = loss;
        Notation = notation;
        Name = name;
        Training = training ?? TrainingSpec.Default;
    }

    public int Inputs { get; }

    public IReadOnlyList<LayerSpec> Layers => _layers;

    public LossSpec Loss { get; }

    public NotationStyle Notation { get; }

    /// <summary>The optimizer, its hyperparameters, the L2 penalty and the weight decay.</summary>
    public TrainingSpec Training { get; }

    /// <summary>The network's name (the class name), for titles.</summary>
    public string Name { get; }

    public int Outputs => _layers[_layers.Length - 1].Units;

    /// <summary>Units of layer <paramref name="layer"/>, where layer 0 is the input.</summary>
    public int UnitsOf(int layer) => layer == 0 ? Inputs : _layers[layer - 1].Units;

    /// <summary>Where each layer's weights and biases are in the flat parameter array.</summary>
    public ParameterLayout Layout { get; }

    /// <summary>The number of weights and biases: Σ (in + 1) · out.</summary>
    public int ParameterCount => Layout.Total;

    public NetworkSpec WithNotation(NotationStyle notation) => new(Inputs, _layers, Loss, notation, Name, Training);

    public bool Equals(NetworkSpec? other) =>
        other is not null && Inputs == other.Inputs && Notation == other.Notation && Name == other.Name
        && Loss.Equals(other.Loss) && Training.Equals(other.Training) && _layers.SequenceEqual(other._layers);

    public override bool Equals(object? obj) => obj is NetworkSpec other && Equals(other);

    public override int GetHashCode()
    {
        unchecked
        {
            var hash = Inputs * 397 ^ (int)Notation ^ Loss.GetHashCode() ^ Training.GetHashCode() * 7;
            foreach (var layer in _layers)
            {
                hash = hash * 31 + layer.GetHashCode();
            }

            return hash;
        }
    }

    public override string ToString() => $"{Name}: {Inputs} inputs, {string.Join(", ", _layers.Select(l => l.ToString()))}, {Loss}";
}
