using System;
using System.Collections.Concurrent;
using System.Globalization;

namespace BackpropGen.Symbolic.Networks;

/// <summary>What a symbol of a derivation stands for.</summary>
public enum SymbolRole
{
    /// <summary>An input of the network, x_i (the output of layer 0).</summary>
    Input,

    /// <summary>The output of a layer.</summary>
    Output,

    /// <summary>The weighted input of a layer, a_j = Σ_i h_i w_ij + b_j.</summary>
    PreActivation,
    Weight,
    Bias,
    Target,
    Delta,
    Loss,
    LearningRate,

    /// <summary>m = max_k a_k of a softmax layer, subtracted before exponentiating.</summary>
    SoftmaxMax,

    /// <summary>S = Σ_k e^{a_k − m} of a softmax layer.</summary>
    SoftmaxSum,

    /// <summary>A parameter θ of any layer, in an update rule.</summary>
    Parameter,

    /// <summary>The gradient g = ∂J/∂θ of a parameter, in an update rule.</summary>
    Gradient,

    /// <summary>A buffer of an optimizer, one value per parameter (velocity, moments); its name is the tag's state.</summary>
    OptimizerState,

    /// <summary>A hyperparameter of an optimizer (μ, β₁, ε, …) .</summary>
    Hyperparameter,

    /// <summary>The number of update steps taken, t, counted once per step (Adam's bias correction).</summary>
    StepCount,

    /// <summary>A value of one parameter's update used by the next equations and not kept (Adam's m̂ and v̂).</summary>
    UpdateTemporary,
}

/// <summary>
/// A layer as a symbol refers to it: a number (0 is the input), or the general layer l of the recursion shifted by
/// an offset (l, l+1, l−1).
/// </summary>
public readonly struct LayerRef : IEquatable<LayerRef>
{
    private LayerRef(int value, bool general)
    {
        Value = value;
        IsGeneral = general;
    }

    /// <summary>The layer's number, or for a general layer its offset from l.</summary>
    public int Value { get; }

    public bool IsGeneral { get; }

    /// <summary>Layer <paramref name="number"/>.</summary>
    public static LayerRef Numbered(int number) => new(number, false);

    /// <summary>Layer l + <paramref name="offset"/> of the general recursion.</summary>
    public static LayerRef General(int offset) => new(offset, true);

    public static implicit operator LayerRef(int number) => Numbered(number);

    /// <summary>The layer number; throws for a general layer.</summary>
    public int Number => IsGeneral ? throw new InvalidOperationException($"layer {this} has no number") : Value;

    /// <summary>The layer <paramref name="offset"/> above this one.</summary>
    public LayerRef Shift(int offset) => new(Value + offset, IsGeneral);

    public bool Equals(LayerRef other) => Value == other.Value && IsGeneral == other.IsGeneral;

    public override bool Equals(object? obj) => obj is LayerRef other && Equals(other);

    public override int GetHashCode() => Value * 2 + (IsGeneral ? 1 : 0);

    /// <summary><c>2</c>, <c>l</c>, <c>l+1</c>, <c>l-1</c>.</summary>
    public override string ToString() =>
        !IsGeneral ? Value.ToString(CultureInfo.InvariantCulture)
        : Value == 0 ? "l"
        : "l" + (Value > 0 ? "+" : "-") + Math.Abs(Value).ToString(CultureInfo.InvariantCulture);
}

/// <summary>The tag of a network's symbol: its role, its layer and, for optimizer state and hyperparameters, which one.</summary>
public sealed class NetworkTag : SymbolTag
{
    public NetworkTag(SymbolRole role, LayerRef layer, string? name = null)
    {
        Role = role;
        Layer = layer;
        Name = name;

        // Symbols hash, compare and order by the key all the time; it is made once.
        Key = role.ToString() + "@" + layer + (name is null ? "" : ":" + name);
        _hash = Symbol.StableHash(Key);
    }

    private readonly int _hash;

    public SymbolRole Role { get; }

    public LayerRef Layer { get; }

    /// <summary>Which state buffer or hyperparameter (<c>m</c>, <c>beta1</c>); null for the other roles.</summary>
    public string? Name { get; }

    public override string Key { get; }

    public override int GetHashCode() => _hash;
}

/// <summary>
/// The canonical symbols of a derivation, whatever its notation: x_i (input), h^{(l)}_j (output of layer l),
/// a^{(l)}_j (pre-activation), w^{(l)}_{ij} (weight from unit i of layer l−1 to unit j of layer l),
/// b^{(l)}_j, t_j, δ^{(l)}_j = ∂L/∂a^{(l)}_j, L and η. Concrete indices are 0-based, as in the code.
/// Each carries a <see cref="NetworkTag"/> with its role and layer; a notation renames them for its document and
/// the code emitter maps them to locals and parameters by that tag, never by the name.
/// </summary>
public static class NetworkSymbols
{
    /// <summary>Index of a unit of the previous layer (a weight's source).</summary>
    public const string From = "i";

    /// <summary>Index of a unit of the layer at hand.</summary>
    public const string Unit = "j";

    /// <summary>Index of a unit of the next layer (or of the same layer, in a softmax or a loss sum).</summary>
    public const string Next = "k";

    /// <summary>The general layer of the recursion, l.</summary>
    public static readonly LayerRef GeneralLayer = LayerRef.General(0);

    /// <summary>The layer above the general one: l+1.</summary>
    public static readonly LayerRef GeneralNextLayer = LayerRef.General(1);

    /// <summary>The layer below the general one: l-1.</summary>
    public static readonly LayerRef GeneralPreviousLayer = LayerRef.General(-1);

    public static readonly Symbol Loss = Plain("L", SymbolRole.Loss);

    public static readonly Symbol LearningRate = Plain("eta", SymbolRole.LearningRate);

    /// <summary>x_i for layer 0, else h^{(l)}_j.</summary>
    public static Symbol Output(LayerRef layer, Subscript unit) =>
        layer.Equals(LayerRef.Numbered(0))
            ? Symbol.Create("x", null, new[] { unit }, InputTag)
            : Layered("h", SymbolRole.Output, layer, unit);

    public static Symbol PreActivation(LayerRef layer, Subscript unit) => Layered("a", SymbolRole.PreActivation, layer, unit);

    public static Symbol Weight(LayerRef layer, Subscript from, Subscript to) => Layered("w", SymbolRole.Weight, layer, from, to);

    public static Symbol Bias(LayerRef layer, Subscript unit) => Layered("b", SymbolRole.Bias, layer, unit);

    public static Symbol Target(Subscript unit) => Symbol.Create("t", null, new[] { unit }, TargetTag);

    public static Symbol Delta(LayerRef layer, Subscript unit) => Layered("delta", SymbolRole.Delta, layer, unit);

    /// <summary>m = max_k a_k of softmax layer <paramref name="layer"/>.</summary>
    public static Symbol SoftmaxMax(int layer) => Layered("m", SymbolRole.SoftmaxMax, layer);

    /// <summary>S = Σ_k e^{a_k − m} of softmax layer <paramref name="layer"/>.</summary>
    public static Symbol SoftmaxSum(int layer) => Layered("S", SymbolRole.SoftmaxSum, layer);

    /// <summary>θ, any parameter, in an update rule.</summary>
    public static readonly Symbol Parameter = Plain("theta", SymbolRole.Parameter);

    /// <summary>g = ∂J/∂θ, in an update rule.</summary>
    public static readonly Symbol Gradient = Plain("g", SymbolRole.Gradient);

    /// <summary>A state buffer of an optimizer, named <paramref name="name"/> (v, m, s).</summary>
    public static Symbol OptimizerState(string name) => new(name, null, Array.Empty<Subscript>(), new NetworkTag(SymbolRole.OptimizerState, 0, name));

    /// <summary>A hyperparameter of an optimizer, named <paramref name="name"/> (mu, beta1, epsilon, t).</summary>
    public static Symbol Hyperparameter(string name) => new(name, null, Array.Empty<Subscript>(), new NetworkTag(SymbolRole.Hyperparameter, 0, name));

    /// <summary>The tag of a network symbol, or null for a plain variable.</summary>
    public static NetworkTag? TagOf(Symbol symbol) => symbol.Tag as NetworkTag;

    /// <summary>The role and numbered layer of a network symbol, or false (a plain variable, or a general layer).</summary>
    public static bool TryClassify(Symbol symbol, out SymbolRole role, out int layer)
    {
        layer = 0;
        role = default;
        if (TagOf(symbol) is not { } tag || tag.Layer.IsGeneral)
        {
            return false;
        }

        role = tag.Role;
        layer = tag.Layer.Value;
        return true;
    }

    private static Symbol Layered(string name, SymbolRole role, LayerRef layer, params Subscript[] indices)
    {
        var (superscript, tag) = LayerTags.GetOrAdd((role, layer), static key => ("(" + key.Layer + ")", new NetworkTag(key.Role, key.Layer)));
        return Symbol.Create(name, superscript, indices, tag);
    }

    /// <summary>
    /// The superscript and tag of a role in a layer, made once: a derivation, its document and its code make symbols of
    /// the same few layers by the hundred thousand. Tags compare by value, so a shared one is the same as a new one.
    /// </summary>
    private static readonly ConcurrentDictionary<(SymbolRole Role, LayerRef Layer), (string Superscript, NetworkTag Tag)> LayerTags = new();

    private static readonly NetworkTag InputTag = new(SymbolRole.Input, 0);

    private static readonly NetworkTag TargetTag = new(SymbolRole.Target, 0);

    private static Symbol Plain(string name, SymbolRole role) => new(name, null, Array.Empty<Subscript>(), new NetworkTag(role, 0));
}
