using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BackpropGen.Symbolic.Matrices;
using static BackpropGen.Symbolic.Networks.NetworkSymbols;

namespace BackpropGen.Symbolic.Networks;

/// <summary>
/// Backpropagation over a batch in matrix form, as the Coursera course memoises it, for each layer of one network:
/// dZ^{[L]} = A^{[L]} − Y where the engine's δ is the output minus the label (else dA^{[L]} ∗ g^{[L]′}(Z^{[L]})),
/// dZ^{[l]} = W^{[l+1]T} dZ^{[l+1]} ∗ g^{[l]′}(Z^{[l]}), dW^{[l]} = (1/m) dZ^{[l]} A^{[l−1]T} and db^{[l]} = (1/m) Σᵢ dZ^{[l](i)},
/// with each layer's g′ and dA entry by entry from the derivation and every shape from the layer sizes. The examples
/// are the m columns; a node whose shapes do not fit cannot be built, so a wrong dimension fails here.
/// </summary>
public sealed class MatrixForm
{
    private MatrixForm(IReadOnlyList<MatrixLayer> layers, bool labelsSumToOne)
    {
        Layers = layers;
        LabelsSumToOne = labelsSumToOne;
    }

    /// <summary>The layers from the output down, the order backpropagation visits them.</summary>
    public IReadOnlyList<MatrixLayer> Layers { get; }

    /// <summary>True when dZ^{[L]} = A^{[L]} − Y holds only for labels whose entries sum to 1 (softmax with the cross-entropy).</summary>
    public bool LabelsSumToOne { get; }

    /// <summary>The matrix form of the network's backpropagation; null when its output layer's dZ has no matrix form here.</summary>
    public static MatrixForm? For(Derivation derivation)
    {
        var count = derivation.Spec.Layers.Count;
        var layers = new List<MatrixLayer>();
        var labelsSumToOne = false;
        for (var l = count; l >= 1; l--)
        {
            var naming = LayerNaming.Numbered(derivation.Spec, l, count);
            var above = layers.Count == 0 ? null : layers[layers.Count - 1];
            var layer = BuildLayer(naming, derivation.Layers[l - 1], above is null ? null : (above.Weights, above.Delta), out var sumToOne);
            if (layer is null)
            {
                return null;
            }

            labelsSumToOne |= sumToOne;
            layers.Add(layer);
        }

        return new MatrixForm(layers, labelsSumToOne);
    }

    /// <summary>
    /// The course's equations for a network of any depth, in the general layer l and the last layer L: the output
    /// layer's dZ^{[L]} (and its dA and g′ entry by entry) as this network's output layer gives them, then for a
    /// hidden layer dZ^{[l]} = W^{[l+1]T} dZ^{[l+1]} ∗ g^{[l]′}(Z^{[l]}), and for every layer dW^{[l]} and db^{[l]}.
    /// With <paramref name="layer"/> and <paramref name="last"/> they are the equations of that layer of a network of that
    /// many layers: the letters replaced by the numbers, the input A^{[0]} by X and each width by this network's.
    /// Null when the output layer's dZ has no matrix form.
    /// </summary>
    public static GeneralMatrixForm? General(Derivation derivation, int? layer = null, int? last = null)
    {
        var naming = layer is { } l && last is { } count ? LayerNaming.Numbered(derivation.Spec, l, count) : LayerNaming.Letters;
        var output = BuildLayer(naming.AtLast, derivation.OutputLayer, null, out _);
        if (output is null)
        {
            return null;
        }

        // At l = L there is no layer above to pass dZ back from: the layer's gradients are the output layer's.
        var outputDelta = output.Equations.Take(output.Equations.Count - 2).ToList();
        if (layer is { } number && number == last)
        {
            return new GeneralMatrixForm(outputDelta, null, output.Equations.Skip(output.Equations.Count - 2).ToList());
        }

        var hidden = BuildLayer(naming, null, (naming.Weights(1), naming.Delta(1)), out _)!;
        return new GeneralMatrixForm(outputDelta, hidden.Equations[0], hidden.Equations.Skip(1).ToList());
    }

    /// <summary>
    /// One layer's equations in matrix form: dZ (from the label at the output, else from the layer <paramref name="above"/>),
    /// the layer's g′ or dA written out entry by entry when <paramref name="layer"/> gives them, then dW and db.
    /// A null <paramref name="layer"/> is a hidden layer of any activation: its g′ stays a name.
    /// </summary>
    private static MatrixLayer? BuildLayer(LayerNaming naming, LayerDerivation? layer, (MatrixSymbol Weights, MatrixSymbol Delta)? above, out bool labelsSumToOne)
    {
        labelsSumToOne = false;
        var w = naming.Weights(0);
        var b = naming.Named("b", 0, new Shape(w.Shape.Rows, Dimension.One));
        var z = naming.Named("Z", 0, naming.Columns(0));
        var a = naming.Activations(0);
        var dz = naming.Delta(0);
        var equations = new List<MatrixEquation>();

        // g^{[l]′}(Z^{[l]}) entry by entry from the derivative in forward values: A ∗ (1 − A) for the sigmoid.
        var n = layer?.Number ?? 0;
        var entries = new Dictionary<Symbol, MatrixSymbol> { [Output(n, Unit)] = a, [PreActivation(n, Unit)] = z };
        var derivative = layer is null ? null : layer.OutputByPreActivationForward;
        var gPrime = new AppliedFunction(new Symbol("g", "[" + naming.Tag(0) + @"]\prime", System.Array.Empty<Subscript>()), z);
        MatrixExpr? TimesDerivative(MatrixExpr upstream)
        {
            if (layer is null)
            {
                return new Hadamard(upstream, gPrime);
            }

            if (derivative is null)
            {
                return null;
            }

            if (derivative is Number { Value.IsOne: true })
            {
                return upstream;
            }

            if (EntrywiseOf(derivative, entries) is { } entry)
            {
                equations.Add(new MatrixEquation(gPrime, entry));
            }

            return new Hadamard(upstream, gPrime);
        }

        MatrixExpr? delta;
        if (above is { } next)
        {
            delta = TimesDerivative(new MatrixProduct(next.Weights.T, next.Delta));
        }
        else
        {
            var y = new MatrixSymbol("Y", null, naming.Columns(0));
            var minusLabel = (Output(n, Unit) - Target(Unit)).Simplify();
            var withUnitLabels = layer!.Delta.ReplaceTopDown(e => e is IndexedSum { Body: var body } && body.Equals(Target(Next)) ? Number.One : null).Simplify();
            if (layer.Delta.Equals(minusLabel) || withUnitLabels.Equals(minusLabel))
            {
                labelsSumToOne = !layer.Delta.Equals(minusLabel);
                delta = new MatrixDifference(a, y);
            }
            else
            {
                var da = naming.Named("dA", 0, naming.Columns(0));
                var byOutput = EntrywiseOf(layer.LossByOutput, new Dictionary<Symbol, MatrixSymbol> { [Output(n, Unit)] = a, [Target(Unit)] = y });
                if (byOutput is not null)
                {
                    equations.Add(new MatrixEquation(da, byOutput));
                }

                delta = TimesDerivative(da);
            }
        }

        if (delta is null)
        {
            return null;
        }

        var scale = Expr.Divide(1, new Symbol("m"));
        equations.Insert(0, new MatrixEquation(dz, delta));
        var dw = naming.Named("dW", 0, w.Shape);
        var db = naming.Named("db", 0, b.Shape);
        equations.Add(new MatrixEquation(dw, new Scaled(scale, new MatrixProduct(dz, naming.Activations(-1).T))));
        equations.Add(new MatrixEquation(db, new Scaled(scale, new ExampleSum(dz))));
        return new MatrixLayer(n, new[] { w, dw }, new[] { b, db }, new[] { z, a, dz }, equations);
    }

    /// <summary>A derivation expression in one unit's symbols as the same expression of whole matrices; null when a symbol has no matrix.</summary>
    private static Entrywise? EntrywiseOf(Expr e, IReadOnlyDictionary<Symbol, MatrixSymbol> matrices)
    {
        var used = e.Symbols();
        return used.Count > 0 && used.All(matrices.ContainsKey)
            ? new Entrywise(e, used.ToDictionary(s => s, s => matrices[s]))
            : null;
    }
}

/// <summary>One layer's matrices and its equations in matrix form: dZ, then g′ or dA where they are written out, dW and db.</summary>
public sealed class MatrixLayer
{
    internal MatrixLayer(int number, IReadOnlyList<MatrixSymbol> weights, IReadOnlyList<MatrixSymbol> biases, IReadOnlyList<MatrixSymbol> columns, IReadOnlyList<MatrixEquation> equations)
    {
        Number = number;
        WeightMatrices = weights;
        BiasMatrices = biases;
        ExampleMatrices = columns;
        Equations = equations;
    }

    public int Number { get; }

    /// <summary>W^{[l]} and dW^{[l]}, n^{[l]} × n^{[l−1]}.</summary>
    public IReadOnlyList<MatrixSymbol> WeightMatrices { get; }

    /// <summary>b^{[l]} and db^{[l]}, n^{[l]} × 1.</summary>
    public IReadOnlyList<MatrixSymbol> BiasMatrices { get; }

    /// <summary>Z^{[l]}, A^{[l]} and dZ^{[l]}, n^{[l]} × m: a column per example.</summary>
    public IReadOnlyList<MatrixSymbol> ExampleMatrices { get; }

    internal MatrixSymbol Weights => WeightMatrices[0];

    internal MatrixSymbol Delta => ExampleMatrices[2];

    /// <summary>The shapes of the layer's matrices, a row of the table per group of matrices of one shape.</summary>
    public IEnumerable<IReadOnlyList<MatrixSymbol>> ShapeRows => new[] { WeightMatrices, BiasMatrices, ExampleMatrices };

    public IReadOnlyList<MatrixEquation> Equations { get; }
}

/// <summary>
/// The course's equations for a layer of a network of any depth (<see cref="MatrixForm.General"/>): the output layer's,
/// the recursion of a hidden layer and the gradients of every layer.
/// </summary>
public sealed class GeneralMatrixForm
{
    internal GeneralMatrixForm(IReadOnlyList<MatrixEquation> output, MatrixEquation? hidden, IReadOnlyList<MatrixEquation> gradients)
    {
        Output = output;
        Hidden = hidden;
        Gradients = gradients;
    }

    /// <summary>dZ^{[L]} of the output layer, then its dA^{[L]} and g^{[L]′} where they are written out.</summary>
    public IReadOnlyList<MatrixEquation> Output { get; }

    /// <summary>dZ^{[l]} = W^{[l+1]T} dZ^{[l+1]} ∗ g^{[l]′}(Z^{[l]}) of a hidden layer l &lt; L; null at l = L.</summary>
    public MatrixEquation? Hidden { get; }

    /// <summary>dW^{[l]} and db^{[l]} of every layer l.</summary>
    public IReadOnlyList<MatrixEquation> Gradients { get; }
}

/// <summary>
/// How the matrix equations name a layer relative to the one at hand: by its number in one network, or by the letters
/// l (a layer of any depth), l+1 and l−1, and L (the last layer).
/// </summary>
internal sealed class LayerNaming
{
    private readonly System.Func<int, string> _tag;
    private readonly System.Func<int, Dimension> _units;

    private LayerNaming(System.Func<int, string> tag, System.Func<int, Dimension> units, LayerNaming? atLast)
    {
        _tag = tag;
        _units = units;
        _atLast = atLast;
    }

    private readonly LayerNaming? _atLast;

    /// <summary>l, l+1, l−1, with L for the last layer; the widths n^{[l]} have no value.</summary>
    public static LayerNaming Letters { get; } = new(Letter("l"), offset => Dimension.Units(Letter("l")(offset)), new LayerNaming(Letter("L"), offset => Dimension.Units(Letter("L")(offset)), null));

    /// <summary>Layer <paramref name="layer"/> of a network of <paramref name="last"/> layers, with the widths of <paramref name="spec"/>.</summary>
    public static LayerNaming Numbered(NetworkSpec spec, int layer, int last)
    {
        string Tag(int n) => n.ToString(CultureInfo.InvariantCulture);
        Dimension Units(int n) => Dimension.Units(n, spec.UnitsOf(n));
        return new LayerNaming(offset => Tag(layer + offset), offset => Units(layer + offset),
            new LayerNaming(offset => Tag(last + offset), offset => Units(last + offset), null));
    }

    /// <summary>The same naming about the last layer, L.</summary>
    public LayerNaming AtLast => _atLast ?? this;

    /// <summary>The layer <paramref name="offset"/> above the one at hand, as its superscript writes it: <c>2</c>, <c>l+1</c>.</summary>
    public string Tag(int offset) => _tag(offset);

    /// <summary>A matrix of the layer <paramref name="offset"/> above: <c>\mathrm{dZ}^{[l+1]}</c>.</summary>
    public MatrixSymbol Named(string name, int offset, Shape shape) => new(name, "[" + Tag(offset) + "]", shape);

    /// <summary>n^{[l]} × m: a column per example.</summary>
    public Shape Columns(int offset) => new(_units(offset), Dimension.Examples);

    /// <summary>W of the layer <paramref name="offset"/> above, n^{[l]} × n^{[l−1]}.</summary>
    public MatrixSymbol Weights(int offset) => Named("W", offset, new Shape(_units(offset), _units(offset - 1)));

    /// <summary>dZ of the layer <paramref name="offset"/> above.</summary>
    public MatrixSymbol Delta(int offset) => Named("dZ", offset, Columns(offset));

    /// <summary>A, or X for the input layer 0.</summary>
    public MatrixSymbol Activations(int offset) => Tag(offset) == "0" ? new MatrixSymbol("X", null, Columns(offset)) : Named("A", offset, Columns(offset));

    private static System.Func<int, string> Letter(string letter) => offset =>
        offset == 0 ? letter : letter + (offset > 0 ? "+" : "-") + System.Math.Abs(offset).ToString(CultureInfo.InvariantCulture);
}
