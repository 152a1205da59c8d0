using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Matrices;
using BackpropGen.Symbolic.Networks;
using BackpropGen.Symbolic.Printing;

namespace BackpropGen.Generator.Documents;

/// <summary>
/// How one set of lecture notes names the canonical symbols of a derivation (see DESIGN.md, "Notations"):
/// a pure renaming of symbols and indices, so every notation prints the same derivation.
/// </summary>
internal abstract class DocumentNotation
{
    protected DocumentNotation(NetworkSpec spec) => Spec = spec;

    protected NetworkSpec Spec { get; }

    protected int LayerCount => Spec.Layers.Count;

    public static DocumentNotation For(NetworkSpec spec) => spec.Notation switch
    {
        NotationStyle.Layered => new LayeredNotation(spec),
        NotationStyle.Vectorized => new VectorizedNotation(spec),
        _ => new NotesNotation(spec),
    };

    /// <summary>The first concrete index: 1 in the 365 notes and Coursera, 0 in the 3Blue1Brown chapter.</summary>
    public abstract int IndexBase { get; }

    /// <summary>The letters of the unit roles: the layer below (i), this layer (j), the layer above (k).</summary>
    protected abstract string IndexLetter(string canonical);

    /// <summary>The symbol this notation writes for a canonical one.</summary>
    protected abstract Expr Name(SymbolRole role, LayerRef layer, Subscript[] indices);

    /// <summary>The loss of one example (L, C₀).</summary>
    public abstract Symbol LossSymbol { get; }

    /// <summary>The loss of a batch (C, J).</summary>
    public abstract Symbol BatchLossSymbol { get; }

    /// <summary>The objective of one example with an L2 penalty, J = L + (λ/2) Σ w².</summary>
    public virtual Symbol ObjectiveSymbol { get; } = new("J");

    /// <summary>The weight matrix of a layer as the prose and the figure name it: <c>\mathbf{u}</c>, <c>w^{(L)}</c>, <c>W^{[2]}</c>.</summary>
    public abstract string WeightMatrixTex(int layer);

    /// <summary>
    /// For a notation whose general recursion uses other letters than the layers it generalises, a sentence part
    /// that says which letters they stand for ("h^{(0)} stands for the inputs x, …"); null when the letters are the same.
    /// </summary>
    public virtual string? GeneralLetters => null;

    /// <summary>The per-output loss ℓ's output argument, as this notation writes one output: y, a^{(L)}, a.</summary>
    public virtual Symbol LossOutput => new("y");

    /// <summary>The per-output loss ℓ's target argument: t in the 365 notes, y in the other two.</summary>
    public virtual Symbol LossTarget => new("t");

    /// <summary>What the prose calls the target of one output: "its target", "its desired output", "its label".</summary>
    public virtual string TargetWords => "target";

    /// <summary>The number of examples in a batch: n, or m in the Coursera course.</summary>
    public virtual string BatchSize => "n";

    /// <summary>The sum over the examples of a batch: <c>\sum_{e=1}^{n}</c>.</summary>
    public virtual string ExampleSum => @"\sum_{e=1}^{n}";

    /// <summary>The loss of example e of a batch: <c>L^{[e]}</c>.</summary>
    public virtual string ExampleLoss => LossSymbol.ToLatex() + "^{[e]}";

    /// <summary>True when the first index of a weight is the unit it leads to (w_{jk}), false when it is the unit it comes from (w_{ij}).</summary>
    public virtual bool WeightRowsAreTargets => true;

    /// <summary>Layer <paramref name="layer"/>'s linear combination for whole vectors, as the notes write it; null when the notation has none.</summary>
    public virtual string? VectorForm(int layer) => null;

    /// <summary>
    /// The weights (or, with <paramref name="bias"/>, the biases) of a layer as one vector or matrix, as the notation
    /// names it for the vector form of the update (the notes' <c>\mathbf{u}</c>); null when the notation has none.
    /// </summary>
    public virtual MatrixSymbol? ParameterVector(int layer, bool bias) => null;

    /// <summary>The name the notation gives ∂L/∂h_j of a layer (Coursera's <c>\mathrm{da}^{[l]}_{j}</c>); null when it has none.</summary>
    public virtual string? OutputAdjoint(int layer, Subscript unit) => null;

    /// <summary>What the prose calls δ.</summary>
    public virtual string DeltaWords => "error signal";

    /// <summary>What the prose calls several δs.</summary>
    public virtual string DeltaWordsPlural => "error signals";

    public Subscript MapIndex(Subscript index) =>
        index.IsConcrete ? Subscript.Concrete(index.Value + IndexBase) : Subscript.Named(IndexLetter(index.Name!));

    /// <summary>The symbols <see cref="MapSymbol"/> has renamed: a document and the comments of the code rename the same symbols over and over.</summary>
    private readonly Dictionary<Symbol, Expr> _mapped = new();

    public Expr MapSymbol(Symbol symbol)
    {
        if (NetworkSymbols.TagOf(symbol) is not { } tag)
        {
            return symbol;
        }

        if (!_mapped.TryGetValue(symbol, out var mapped))
        {
            mapped = Rename(symbol, tag);
            _mapped[symbol] = mapped;
        }

        return mapped;
    }

    private Expr Rename(Symbol symbol, NetworkTag tag)
    {
        var role = tag.Role;
        var layer = tag.Layer;

        var indices = new Subscript[symbol.Indices.Count];
        for (var n = 0; n < indices.Length; n++)
        {
            indices[n] = MapIndex(symbol.Indices[n]);
        }

        return role switch
        {
            SymbolRole.Loss when tag.Name == "objective" => ObjectiveSymbol,
            SymbolRole.Loss => LossSymbol,
            SymbolRole.LearningRate => new Symbol("eta"),
            SymbolRole.Parameter or SymbolRole.Gradient or SymbolRole.OptimizerState or SymbolRole.StepCount or SymbolRole.UpdateTemporary =>
                new Symbol(symbol.Name, symbol.Superscript, indices),
            SymbolRole.Hyperparameter => new Symbol(symbol.Name, symbol.Superscript, symbol.Indices),
            SymbolRole.SoftmaxMax => new Symbol("m"),
            SymbolRole.SoftmaxSum => new Symbol("S"),
            _ => Name(role, layer, indices),
        };
    }

    public Expr Map(Expr e) => e.Rewrite(MapSymbol, MapIndex);

    /// <summary>LaTeX of a derivation expression in this notation (sums shown as \sum_{k}).</summary>
    public string Tex(Expr e) => LatexPrinter.WithoutSumBounds.Print(Map(e));

    /// <summary>One line of Unicode text of a derivation expression in this notation, for the comments of the code.</summary>
    public string Text(Expr e) => UnicodePrinter.Default.Print(Map(e));

    /// <summary>∂num/∂den in this notation.</summary>
    public string Partial(Expr numerator, Expr denominator) => @"\frac{\partial " + Tex(numerator) + @"}{\partial " + Tex(denominator) + "}";


    /// <summary>The layer as a superscript's text: <c>2</c>, or <c>l</c>, <c>l+1</c>, <c>l-1</c> in the general recursion.</summary>
    protected static string Tag(LayerRef layer) => layer.ToString();
}

/// <summary>The 365 notes: x, h, y; a^{(l)}; w, u, v by layer; b^{(l)}; t; L; δ.</summary>
internal sealed class NotesNotation : DocumentNotation
{
    private static readonly string[] WeightLetters = { "w", "u", "v" };

    public NotesNotation(NetworkSpec spec) : base(spec)
    {
    }

    public override int IndexBase => 1;

    public override Symbol LossSymbol { get; } = new("L");

    public override Symbol BatchLossSymbol { get; } = new("C");

    protected override string IndexLetter(string canonical) => canonical;

    public override bool WeightRowsAreTargets => false;

    /// <summary>a^{(l)} = h w + b^{(l)} with the layer below's outputs as a row vector: <c>\mathbf{a}^{(1)} = \mathbf{x}\mathbf{w} + \mathbf{b}^{(1)}</c>.</summary>
    public override string? VectorForm(int layer)
    {
        var below = (Symbol)MapSymbol(NetworkSymbols.Output(layer - 1, 0));
        var bias = ParameterVector(layer, bias: true);
        var inputs = new MatrixSymbol(below.Name, below.Superscript, new Shape(Dimension.One, Dimension.Units(layer - 1, Spec.UnitsOf(layer - 1))), bold: true);
        var equation = new MatrixEquation(
            new MatrixSymbol("a", bias.Symbol.Superscript, bias.Shape, bold: true),
            new MatrixSum(new MatrixProduct(inputs, ParameterVector(layer, bias: false)), bias));
        return equation.Left.ToLatex() + " = " + equation.Right.ToLatex();
    }

    public override string WeightMatrixTex(int layer) => ParameterVector(layer, bias: false).ToLatex();

    /// <summary>
    /// <c>\mathbf{u}</c>, n^{[l−1]} × n^{[l]} with a row per input as the notes index the weights, in bold where its letter
    /// names it alone (w^{(l)} of a deeper network is not); the biases a bold row, <c>\mathbf{b}^{(1)}</c>.
    /// </summary>
    public override MatrixSymbol ParameterVector(int layer, bool bias)
    {
        Dimension Units(int l) => Dimension.Units(l, Spec.UnitsOf(l));
        if (bias)
        {
            return new MatrixSymbol("b", LayerCount == 1 ? null : "(" + layer.ToString(CultureInfo.InvariantCulture) + ")", new Shape(Dimension.One, Units(layer)), bold: true);
        }

        var letter = WeightMatrix(layer);
        return new MatrixSymbol(letter, new Shape(Units(layer - 1), Units(layer)), bold: letter.Superscript is null);
    }

    /// <summary>The letter of layer <paramref name="layer"/>'s weights: w, u, v, or w^{(l)} in deeper networks.</summary>
    public Symbol WeightMatrix(int layer) =>
        LayerCount <= WeightLetters.Length ? new Symbol(WeightLetters[layer - 1]) : new Symbol("w", $"({layer})", Array.Empty<Subscript>());

    protected override Expr Name(SymbolRole role, LayerRef layer, Subscript[] indices)
    {
        // The general recursion holds for every layer, so it is written in layer-numbered letters (h^{(l)}, w^{(l)})
        // that name the inputs, the hidden units and the outputs alike; GeneralLetters says which is which.
        var general = layer.IsGeneral;
        switch (role)
        {
            case SymbolRole.Input:
                return new Symbol("x", indices);
            case SymbolRole.Output when general:
                return new Symbol("h", $"({Tag(layer)})", indices);
            case SymbolRole.Output:
                var l = layer.Number;
                return l == LayerCount ? new Symbol("y", indices)
                    : LayerCount == 2 ? new Symbol("h", indices)
                    : new Symbol("h", $"({l})", indices);
            case SymbolRole.PreActivation:
                return new Symbol("a", $"({Tag(layer)})", indices);
            case SymbolRole.Weight:
                return general ? new Symbol("w", $"({Tag(layer)})", indices) : new Symbol(WeightMatrix(layer.Number).Name, WeightMatrix(layer.Number).Superscript, indices);
            case SymbolRole.Bias:
                return new Symbol("b", $"({Tag(layer)})", indices);
            case SymbolRole.Delta:
                return !general && LayerCount == 1 ? new Symbol("delta", indices) : new Symbol("delta", $"({Tag(layer)})", indices);
            default:
                return new Symbol("t", indices);
        }
    }

    public override string? GeneralLetters
    {
        get
        {
            var matrices = Enumerable.Range(1, LayerCount)
                .Where(l => WeightMatrix(l).Superscript is null)
                .Select(l => $"$w^{{({l})}} = {WeightMatrixTex(l)}$").ToList();
            var count = LayerCount.ToString(CultureInfo.InvariantCulture);
            return $"$h^{{(0)}}$ stands for the inputs $x$, $h^{{({count})}}$ for the outputs $y$"
                + (matrices.Count == 0 ? "" : ", and " + string.Join(", ", matrices));
        }
    }
}

/// <summary>The 3Blue1Brown chapter: a^{(L)} outputs, z^{(L)} pre-activations, w^{(L)}_{jk} (j to, k from), y targets, C₀; 0-based.</summary>
internal sealed class LayeredNotation : DocumentNotation
{
    public LayeredNotation(NetworkSpec spec) : base(spec)
    {
    }

    public override int IndexBase => 0;

    public override Symbol LossSymbol { get; } = new("C", 0);

    public override Symbol BatchLossSymbol { get; } = new("C");

    public override Symbol LossOutput { get; } = new("a", "(L)", Array.Empty<Subscript>());

    public override Symbol LossTarget { get; } = new("y");

    public override string TargetWords => "desired output";

    /// <summary>The chapter's C_0 is the cost of example 0, so example k's cost is C_k, k = 0, …, n − 1.</summary>
    public override string ExampleSum => @"\sum_{k=0}^{n-1}";

    public override string ExampleLoss => "C_{k}";

    public override string DeltaWords => "sensitivity";

    public override string DeltaWordsPlural => "sensitivities";

    public override string WeightMatrixTex(int layer) => "w^{" + LayerTag(layer) + "}";

    protected override string IndexLetter(string canonical) => canonical switch
    {
        NetworkSymbols.From => "k",
        NetworkSymbols.Next => "i",
        _ => canonical,
    };

    /// <summary>Layers counted back from the last, as in the chapter: (L), (L-1), …; the input is (0).</summary>
    public string LayerTag(LayerRef layer)
    {
        if (layer.IsGeneral || layer.Value == 0)
        {
            return "(" + Tag(layer) + ")";
        }

        var back = LayerCount - layer.Number;
        return back == 0 ? "(L)" : "(L-" + back.ToString(CultureInfo.InvariantCulture) + ")";
    }

    protected override Expr Name(SymbolRole role, LayerRef layer, Subscript[] indices) => role switch
    {
        SymbolRole.Input or SymbolRole.Output => new Symbol("a", LayerTag(layer), indices),
        SymbolRole.PreActivation => new Symbol("z", LayerTag(layer), indices),
        SymbolRole.Weight => new Symbol("w", LayerTag(layer), new[] { indices[1], indices[0] }),
        SymbolRole.Bias => new Symbol("b", LayerTag(layer), indices),
        SymbolRole.Delta => new Symbol("delta", LayerTag(layer), indices),
        _ => new Symbol("y", indices),
    };
}

/// <summary>The Coursera course: x inputs, a^{[l]}, z^{[l]}, W^{[l]}_{jk} (j to, k from), b^{[l]}, y targets, dz for δ, L and J.</summary>
internal sealed class VectorizedNotation : DocumentNotation
{
    public VectorizedNotation(NetworkSpec spec) : base(spec)
    {
    }

    public override int IndexBase => 1;

    public override Symbol LossSymbol { get; } = new("L");

    public override Symbol BatchLossSymbol { get; } = new("J");

    /// <summary>J is the batch cost here, so one example's penalised loss is L^{reg}.</summary>
    public override Symbol ObjectiveSymbol { get; } = new("L", "reg", System.Array.Empty<Subscript>());

    public override Symbol LossOutput { get; } = new("a");

    public override Symbol LossTarget { get; } = new("y");

    public override string TargetWords => "label";

    public override string BatchSize => "m";

    public override string? OutputAdjoint(int layer, Subscript unit) =>
        @"\mathrm{da}^{" + LayerTag(layer) + "}_{" + MapIndex(unit) + "}";

    public override string ExampleSum => @"\sum_{i=1}^{m}";

    public override string ExampleLoss => "L^{(i)}";

    public override string DeltaWords => "gradient with respect to $z$";

    public override string DeltaWordsPlural => "gradients with respect to $z$";

    public override string WeightMatrixTex(int layer) => "W^{" + LayerTag(layer) + "}";

    protected override string IndexLetter(string canonical) => canonical switch
    {
        NetworkSymbols.From => "k",
        NetworkSymbols.Next => "i",
        _ => canonical,
    };

    public static string LayerTag(LayerRef layer) => "[" + Tag(layer) + "]";

    protected override Expr Name(SymbolRole role, LayerRef layer, Subscript[] indices) => role switch
    {
        SymbolRole.Input => new Symbol("x", indices),
        SymbolRole.Output => new Symbol("a", LayerTag(layer), indices),
        SymbolRole.PreActivation => new Symbol("z", LayerTag(layer), indices),
        SymbolRole.Weight => new Symbol("W", LayerTag(layer), new[] { indices[1], indices[0] }),
        SymbolRole.Bias => new Symbol("b", LayerTag(layer), indices),
        SymbolRole.Delta => new Symbol("dz", LayerTag(layer), indices),
        _ => new Symbol("y", indices),
    };
}
