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
        var spec = derivation.Spec;
        var count = spec.Layers.Count;
        Shape Columns(int l) => new(Dimension.Units(l, spec.UnitsOf(l)), Dimension.Examples);
        MatrixSymbol Named(string name, int l, Shape shape) => new(name, "[" + l.ToString(CultureInfo.InvariantCulture) + "]", shape);
        MatrixSymbol Activations(int l) => l == 0 ? new MatrixSymbol("X", null, Columns(0)) : Named("A", l, Columns(l));

        var layers = new List<MatrixLayer>();
        var labelsSumToOne = false;
        for (var l = count; l >= 1; l--)
        {
            var layer = derivation.Layers[l - 1];
            var weights = new Shape(Dimension.Units(l, spec.UnitsOf(l)), Dimension.Units(l - 1, spec.UnitsOf(l - 1)));
            var w = Named("W", l, weights);
            var b = Named("b", l, new Shape(weights.Rows, Dimension.One));
            var z = Named("Z", l, Columns(l));
            var a = Activations(l);
            var dz = Named("dZ", l, Columns(l));
            var equations = new List<MatrixEquation>();

            // g^{[l]′}(Z^{[l]}) entry by entry from the derivative in forward values: A ∗ (1 − A) for the sigmoid.
            var entries = new Dictionary<Symbol, MatrixSymbol> { [Output(l, Unit)] = a, [PreActivation(l, Unit)] = z };
            var derivative = layer.OutputByPreActivationForward;
            var gPrime = new AppliedFunction(new Symbol("g", "[" + l.ToString(CultureInfo.InvariantCulture) + @"]\prime", System.Array.Empty<Subscript>()), z);
            MatrixExpr? TimesDerivative(MatrixExpr upstream)
            {
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
            if (layer.IsOutput)
            {
                var y = new MatrixSymbol("Y", null, Columns(l));
                var minusLabel = (Output(l, Unit) - Target(Unit)).Simplify();
                var withUnitLabels = layer.Delta.ReplaceTopDown(e => e is IndexedSum { Body: var body } && body.Equals(Target(Next)) ? Number.One : null).Simplify();
                if (layer.Delta.Equals(minusLabel) || withUnitLabels.Equals(minusLabel))
                {
                    labelsSumToOne = !layer.Delta.Equals(minusLabel);
                    delta = new MatrixDifference(a, y);
                }
                else
                {
                    var da = Named("dA", l, Columns(l));
                    var byOutput = EntrywiseOf(layer.LossByOutput, new Dictionary<Symbol, MatrixSymbol> { [Output(l, Unit)] = a, [Target(Unit)] = y });
                    if (byOutput is not null)
                    {
                        equations.Add(new MatrixEquation(da, byOutput));
                    }

                    delta = TimesDerivative(da);
                }
            }
            else
            {
                var above = layers[layers.Count - 1];
                delta = TimesDerivative(new MatrixProduct(above.Weights.T, above.Delta));
            }

            if (delta is null)
            {
                return null;
            }

            var scale = Expr.Divide(1, new Symbol("m"));
            equations.Insert(0, new MatrixEquation(dz, delta));
            var dw = Named("dW", l, weights);
            var db = Named("db", l, b.Shape);
            equations.Add(new MatrixEquation(dw, new Scaled(scale, new MatrixProduct(dz, Activations(l - 1).T))));
            equations.Add(new MatrixEquation(db, new Scaled(scale, new ExampleSum(dz))));
            layers.Add(new MatrixLayer(l, new[] { w, dw }, new[] { b, db }, new[] { z, a, dz }, equations));
        }

        return new MatrixForm(layers, labelsSumToOne);
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
