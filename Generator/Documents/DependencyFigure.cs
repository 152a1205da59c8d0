using System;
using System.Collections.Generic;
using System.Linq;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Networks;
using static BackpropGen.Symbolic.Networks.NetworkSymbols;

namespace BackpropGen.Generator.Documents;

/// <summary>
/// What the cost depends on through one unit of the last layer, drawn as 3Blue1Brown's chapter draws it: the weight, the
/// unit below and the bias into the weighted input z, z into the activation a, a and the desired output y into the cost
/// C₀. The arrows are read off the derivation's equations (an arrow for every quantity an equation holds), not drawn
/// by hand; the template draws what this lays out.
/// </summary>
internal sealed class DependencyFigure
{
    private DependencyFigure(IReadOnlyList<FigureNode> nodes, IReadOnlyList<FigureEdge> edges)
    {
        Nodes = nodes;
        Edges = edges;
    }

    public IReadOnlyList<FigureNode> Nodes { get; }

    public IReadOnlyList<FigureEdge> Edges { get; }

    /// <param name="derivation">The network's derivation; its output layer's units must each lie on one path to the loss.</param>
    /// <param name="label">How a symbol is written in the figure: index-free for a chain of one-neuron layers, else with its indices.</param>
    public static DependencyFigure Build(Derivation derivation, Func<Expr, string> label)
    {
        var output = derivation.OutputLayer;
        var l = output.Number;
        var (w, below, b) = (Weight(l, From, Unit), Output(l - 1, From), Bias(l, Unit));
        var (z, a) = (PreActivation(l, Unit), Output(l, Unit));
        var nodes = new List<FigureNode>
        {
            new("w", 0, 1.3, label(w), "value"),
            new("below", 0, 0, label(below), "value"),
            new("b", 0, -1.3, label(b), "value"),
            new("z", 2.8, 0, label(z), "value"),
            new("a", 5.2, 0, label(a), "value"),
            new("loss", 7.6, 0, label(NetworkSymbols.Loss), "value"),
            new("target", 7.6, -1.3, label(Target(Unit)), "value"),
        };

        // Each equation's right side names what its left side depends on.
        var dependsOn = new (string From, string To, Expr Equation, Symbol Quantity)[]
        {
            ("w", "z", output.PreActivation, w),
            ("below", "z", output.PreActivation, below),
            ("b", "z", output.PreActivation, b),
            ("z", "a", output.Output, z),
            ("a", "loss", derivation.Loss, a),
            ("target", "loss", derivation.Loss, Target(Unit)),
        };
        var edges = dependsOn.Where(d => d.Equation.Symbols().Any(s => s.IsSameFamily(d.Quantity)))
            .Select(d => new FigureEdge(d.From, d.To, "arrow")).ToList();
        return new DependencyFigure(nodes, edges);
    }
}
