using System.Globalization;

namespace BackpropGen.Symbolic.Networks;

/// <summary>What a symbol of a derivation stands for.</summary>
public enum SymbolRole
{
    /// <summary>The output of a layer; layer 0 is the input x.</summary>
    Output,
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
}

/// <summary>
/// The canonical symbols of a derivation, whatever its notation: x_i (input), h^{(l)}_j (output of layer l),
/// a^{(l)}_j (pre-activation), w^{(l)}_{ij} (weight from unit i of layer l−1 to unit j of layer l),
/// b^{(l)}_j, t_j, δ^{(l)}_j = ∂L/∂a^{(l)}_j, L and η. Concrete indices are 0-based, as in the code.
/// A notation renames these for its document; the code emitter maps them to locals and parameters.
/// </summary>
public static class NetworkSymbols
{
    /// <summary>Index of a unit of the previous layer (a weight's source).</summary>
    public const string From = "i";

    /// <summary>Index of a unit of the layer at hand.</summary>
    public const string Unit = "j";

    /// <summary>Index of a unit of the next layer (or of the same layer, in a softmax or a loss sum).</summary>
    public const string Next = "k";

    public static readonly Symbol Loss = new("L");

    public static readonly Symbol LearningRate = new("eta");

    /// <summary>The layer written as a letter, for the general recursion: l.</summary>
    public const string GeneralLayer = "l";

    /// <summary>The layer above the general one: l+1.</summary>
    public const string GeneralNextLayer = "l+1";

    /// <summary>The layer below the general one: l-1.</summary>
    public const string GeneralPreviousLayer = "l-1";

    public static Symbol Output(int layer, Subscript unit) =>
        layer == 0 ? new Symbol("x", unit) : Output(Tag(layer), unit);

    public static Symbol Output(string layer, Subscript unit) => new("h", "(" + layer + ")", new[] { unit });

    public static Symbol PreActivation(int layer, Subscript unit) => PreActivation(Tag(layer), unit);

    public static Symbol PreActivation(string layer, Subscript unit) => new("a", "(" + layer + ")", new[] { unit });

    public static Symbol Weight(int layer, Subscript from, Subscript to) => Weight(Tag(layer), from, to);

    public static Symbol Weight(string layer, Subscript from, Subscript to) => new("w", "(" + layer + ")", new[] { from, to });

    public static Symbol Bias(int layer, Subscript unit) => Bias(Tag(layer), unit);

    public static Symbol Bias(string layer, Subscript unit) => new("b", "(" + layer + ")", new[] { unit });

    public static Symbol Target(Subscript unit) => new("t", unit);

    public static Symbol Delta(int layer, Subscript unit) => Delta(Tag(layer), unit);

    public static Symbol Delta(string layer, Subscript unit) => new("delta", "(" + layer + ")", new[] { unit });

    /// <summary>m = max_k a_k of softmax layer <paramref name="layer"/>.</summary>
    public static Symbol SoftmaxMax(int layer) => new("m", "(" + Tag(layer) + ")", System.Array.Empty<Subscript>());

    /// <summary>S = Σ_k e^{a_k − m} of softmax layer <paramref name="layer"/>.</summary>
    public static Symbol SoftmaxSum(int layer) => new("S", "(" + Tag(layer) + ")", System.Array.Empty<Subscript>());

    /// <summary>The role and layer of a canonical symbol with a numbered layer, or false.</summary>
    public static bool TryClassify(Symbol symbol, out SymbolRole role, out int layer)
    {
        layer = 0;
        return TryClassify(symbol, out role, out string tag)
            && (role is SymbolRole.Target or SymbolRole.Loss or SymbolRole.LearningRate
                || int.TryParse(tag, NumberStyles.None, CultureInfo.InvariantCulture, out layer));
    }

    /// <summary>
    /// The role and layer tag (<c>2</c>, or <c>l</c>, <c>l+1</c>, <c>l-1</c> in the general recursion) of a
    /// canonical symbol, or false for a symbol that is not one. The input x has the tag <c>0</c>.
    /// </summary>
    public static bool TryClassify(Symbol symbol, out SymbolRole role, out string layer)
    {
        role = default;
        layer = "";
        var hasLayer = symbol.Superscript is { Length: > 2 } tag && tag[0] == '(' && tag[tag.Length - 1] == ')';
        if (hasLayer)
        {
            layer = symbol.Superscript!.Substring(1, symbol.Superscript.Length - 2);
        }

        switch (symbol.Name)
        {
            case "x" when symbol.Superscript is null && symbol.Indices.Count == 1:
                role = SymbolRole.Output;
                layer = "0";
                return true;
            case "h" when hasLayer && symbol.Indices.Count == 1:
                role = SymbolRole.Output;
                return true;
            case "a" when hasLayer && symbol.Indices.Count == 1:
                role = SymbolRole.PreActivation;
                return true;
            case "w" when hasLayer && symbol.Indices.Count == 2:
                role = SymbolRole.Weight;
                return true;
            case "b" when hasLayer && symbol.Indices.Count == 1:
                role = SymbolRole.Bias;
                return true;
            case "delta" when hasLayer && symbol.Indices.Count == 1:
                role = SymbolRole.Delta;
                return true;
            case "t" when symbol.Superscript is null && symbol.Indices.Count == 1:
                role = SymbolRole.Target;
                return true;
            case "L" when symbol.Indices.Count == 0:
                role = SymbolRole.Loss;
                return true;
            case "eta" when symbol.Indices.Count == 0:
                role = SymbolRole.LearningRate;
                return true;
            case "m" when hasLayer && symbol.Indices.Count == 0:
                role = SymbolRole.SoftmaxMax;
                return true;
            case "S" when hasLayer && symbol.Indices.Count == 0:
                role = SymbolRole.SoftmaxSum;
                return true;
            default:
                return false;
        }
    }

    private static string Tag(int layer) => layer.ToString(CultureInfo.InvariantCulture);
}
