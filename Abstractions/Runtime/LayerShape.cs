using System;

namespace BackpropGen.Runtime;

/// <summary>
/// One dense layer as the runtime library sees it: its number of units and its activation, spelled as text so that a
/// saved file or an ONNX model can be compared with the network that reads it.
/// </summary>
/// <remarks>
/// The activation is one of the built-in names <c>Identity</c>, <c>Sigmoid</c>, <c>Tanh</c>, <c>ReLU</c>,
/// <c>LeakyReLU</c> (slope 0.01 below zero), <c>Softplus</c> and <c>Softmax</c> (over the layer's units; last layer
/// only), or a custom element-wise activation written as <c>expr:</c> followed by a prefix expression in <c>x</c>, for
/// example <c>expr:(div x (add 1 (abs x)))</c>. The expression language is described in docs/FILE-FORMAT.md; a custom
/// activation is kept in its canonical spelling (single spaces, numbers in round-trip form), so two spellings of the same
/// expression describe the same layer.
/// </remarks>
public sealed class LayerShape
{
    /// <summary>The prefix that marks a custom activation expression.</summary>
    internal const string ExpressionPrefix = "expr:";

    /// <summary>The built-in activation names, as <see cref="Activation"/> spells them.</summary>
    internal static readonly string[] BuiltInActivations = { "Identity", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Softplus", "Softmax" };

    /// <summary>Describes a layer of <paramref name="units"/> units with the given activation.</summary>
    /// <param name="units">The number of units, at least 1.</param>
    /// <param name="activation">A built-in activation name or <c>expr:</c> and a prefix expression in <c>x</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="units"/> is less than 1.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="activation"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// The activation is neither a built-in name nor a well-formed expression; the message names the offending token.
    /// </exception>
    public LayerShape(int units, string activation)
    {
        if (units < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(units), units, "A layer has at least one unit.");
        }

        if (activation is null)
        {
            throw new ArgumentNullException(nameof(activation));
        }

        Units = units;
        if (activation.StartsWith(ExpressionPrefix, StringComparison.Ordinal))
        {
            Expression = ActivationExpression.Parse(activation.Substring(ExpressionPrefix.Length));
            Activation = ExpressionPrefix + Expression.ToString();
        }
        else if (Array.IndexOf(BuiltInActivations, activation) >= 0)
        {
            Activation = activation;
        }
        else
        {
            throw new ArgumentException(
                $"Unknown activation '{activation}': expected one of {string.Join(", ", BuiltInActivations)}, or '{ExpressionPrefix}' and a prefix expression in x.",
                nameof(activation));
        }
    }

    /// <summary>The number of units, the width of the layer's output.</summary>
    public int Units { get; }

    /// <summary>
    /// The activation: a built-in name, or <c>expr:</c> and the canonical spelling of the custom expression.
    /// </summary>
    public string Activation { get; }

    /// <summary>Whether the activation is a custom expression rather than a built-in name.</summary>
    public bool IsCustom => Expression is not null;

    /// <summary>The parsed custom activation, or null for a built-in one.</summary>
    internal ActivationExpression? Expression { get; }

    /// <summary>The layer as the structure text spells it: the number of units and the activation, e.g. <c>3 Sigmoid</c>.</summary>
    /// <returns>The units and the activation separated by a space.</returns>
    public override string ToString() => Units.ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + Activation;
}
