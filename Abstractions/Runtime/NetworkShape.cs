using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Text;

namespace BackpropGen.Runtime;

/// <summary>
/// The structure of a dense feed-forward network: the number of inputs, the layers in order and the precision. It is what
/// <see cref="NetworkFile"/> and <see cref="OnnxModel"/> check a stream against; the class name is not part of it.
/// </summary>
/// <remarks>
/// The parameters of a network of this shape are laid out layer by layer: first the layer's weights as an
/// in × out row-major block (<c>W[i * out + j]</c> is the weight from input i to unit j, so
/// a_j = Σ_i x_i w_ij + b_j), then its out biases.
/// </remarks>
public sealed class NetworkShape
{
    private readonly string text;

    /// <summary>Describes a network of <paramref name="inputs"/> inputs and the given layers.</summary>
    /// <param name="inputs">The number of inputs of one example, at least 1.</param>
    /// <param name="layers">The layers from the first to the output layer; at least one. The array is copied.</param>
    /// <param name="single">True for <see cref="float"/> parameters, false for <see cref="double"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputs"/> is less than 1.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="layers"/> or one of its elements is null.</exception>
    /// <exception cref="ArgumentException">
    /// There are no layers, <c>Softmax</c> is on a layer other than the last, or the parameter count exceeds
    /// <see cref="int.MaxValue"/>.
    /// </exception>
    public NetworkShape(int inputs, LayerShape[] layers, bool single)
    {
        if (inputs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(inputs), inputs, "A network has at least one input.");
        }

        if (layers is null)
        {
            throw new ArgumentNullException(nameof(layers));
        }

        if (layers.Length == 0)
        {
            throw new ArgumentException("A network has at least one layer.", nameof(layers));
        }

        var copy = new LayerShape[layers.Length];
        long count = 0;
        long width = inputs;
        for (var k = 0; k < layers.Length; k++)
        {
            var layer = layers[k] ?? throw new ArgumentNullException(nameof(layers), $"Layer {k + 1} is null.");
            if (layer.Activation == "Softmax" && k != layers.Length - 1)
            {
                throw new ArgumentException($"Layer {k + 1} uses Softmax, which is allowed only on the last layer.", nameof(layers));
            }

            count += (width + 1) * layer.Units;
            if (count > int.MaxValue)
            {
                throw new ArgumentException($"The network has more than {int.MaxValue} parameters.", nameof(layers));
            }

            width = layer.Units;
            copy[k] = layer;
        }

        Inputs = inputs;
        Layers = new ReadOnlyCollection<LayerShape>(copy);
        Single = single;
        ParameterCount = (int)count;
        text = Describe(inputs, copy, single);
    }

    /// <summary>The number of inputs of one example.</summary>
    public int Inputs { get; }

    /// <summary>The layers from the first to the output layer.</summary>
    public IReadOnlyList<LayerShape> Layers { get; }

    /// <summary>True for <see cref="float"/> parameters, false for <see cref="double"/>.</summary>
    public bool Single { get; }

    /// <summary>The number of outputs, the last layer's units.</summary>
    public int Outputs => Layers[Layers.Count - 1].Units;

    /// <summary>The number of parameters, Σ (in + 1) · out over the layers.</summary>
    public int ParameterCount { get; }

    /// <summary>The number of inputs of layer <paramref name="layer"/> (0-based): the network's inputs or the previous layer's units.</summary>
    /// <param name="layer">The 0-based index of the layer.</param>
    /// <returns>The width of the layer's input.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> is not the index of a layer.</exception>
    public int LayerInputs(int layer)
    {
        if (layer < 0 || layer >= Layers.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(layer));
        }

        return layer == 0 ? Inputs : Layers[layer - 1].Units;
    }

    /// <summary>The index in the parameter array of layer <paramref name="layer"/>'s (0-based) first weight.</summary>
    /// <param name="layer">The 0-based index of the layer.</param>
    /// <returns>The offset of the layer's in × out weight block; its out biases follow it. For the layer count, the parameter count.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> is negative or more than the layer count.</exception>
    public int LayerOffset(int layer)
    {
        if (layer < 0 || layer > Layers.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(layer));
        }

        var offset = 0;
        for (var k = 0; k < layer; k++)
        {
            offset += (LayerInputs(k) + 1) * Layers[k].Units;
        }

        return offset;
    }

    /// <summary>
    /// The structure as text, e.g. <c>2 inputs → 3 Sigmoid → 2 Sigmoid, double</c>. This is the canonical spelling that
    /// <see cref="NetworkFile"/> stores and fingerprints.
    /// </summary>
    /// <returns>The inputs, each layer's units and activation, and the precision.</returns>
    public override string ToString() => text;

    private static string Describe(int inputs, LayerShape[] layers, bool single)
    {
        var builder = new StringBuilder();
        builder.Append(inputs.ToString(CultureInfo.InvariantCulture)).Append(inputs == 1 ? " input" : " inputs");
        foreach (var layer in layers)
        {
            builder.Append(" → ").Append(layer.ToString());
        }

        return builder.Append(single ? ", float" : ", double").ToString();
    }
}
