using System;

namespace BackpropGen;

/// <summary>
/// Adds a fully connected layer to a <see cref="NetworkAttribute"/> network: each unit j computes
/// f(Σ_i x_i w_ij + b_j) from the previous layer's outputs x_i.
/// </summary>
/// <remarks>
/// <para>
/// Layers are applied in the order the <c>[Dense]</c> attributes are written: the first takes the network's
/// inputs, each next one takes the previous layer's outputs, and the last one's units are the network's outputs.
/// </para>
/// <example>
/// A hidden layer with a custom activation, then a softmax output layer:
/// <code>
/// [Network(inputs: 4, Loss = Loss.CrossEntropy)]
/// [Dense(8, "x / (1 + abs(x))")]
/// [Dense(3, Activation.Softmax)]
/// public partial class Classifier { }
/// </code>
/// </example>
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DenseAttribute : Attribute
{
    /// <summary>Declares a layer of <paramref name="units"/> units with a built-in activation.</summary>
    /// <param name="units">The number of units, the width of the layer's output.</param>
    /// <param name="activation">The activation applied to each unit.</param>
    public DenseAttribute(int units, Activation activation)
    {
        Units = units;
        Activation = activation;
    }

    /// <summary>Declares a layer of <paramref name="units"/> units with a custom activation.</summary>
    /// <param name="units">The number of units, the width of the layer's output.</param>
    /// <param name="activation">The activation as an expression in <c>x</c>, such as <c>"x / (1 + abs(x))"</c>.</param>
    public DenseAttribute(int units, string activation)
    {
        Units = units;
        CustomActivation = activation;
    }

    /// <summary>The number of units, the width of the layer's output.</summary>
    public int Units { get; }

    /// <summary>
    /// The built-in activation; <see cref="Activation.Identity"/> for a layer declared with a custom activation,
    /// whose expression is in <see cref="CustomActivation"/>.
    /// </summary>
    public Activation Activation { get; }

    /// <summary>
    /// The custom activation, an expression in <c>x</c>; <see langword="null"/> for a layer declared with a built-in
    /// <see cref="Activation"/>.
    /// </summary>
    public string? CustomActivation { get; }
}
