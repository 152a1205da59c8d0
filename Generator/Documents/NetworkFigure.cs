using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BackpropGen.Symbolic.Networks;

namespace BackpropGen.Generator.Documents;

/// <summary>
/// The network drawn as in Figure 1 of the notes: a column of nodes per layer, arrows between layers
/// labelled with the weight matrix, targets beside the outputs. Wide layers show their first units, a
/// gap and the last unit; the template draws what this lays out.
/// </summary>
internal sealed class NetworkFigure
{
    /// <summary>Layers with more units than this are drawn abbreviated.</summary>
    public const int MaxDrawnUnits = 6;

    private NetworkFigure(IReadOnlyList<FigureNode> nodes, IReadOnlyList<FigureEdge> edges, IReadOnlyList<FigureLabel> labels, IReadOnlyList<FigureGroup> groups, bool wide)
    {
        Nodes = nodes;
        Edges = edges;
        Labels = labels;
        Groups = groups;
        Wide = wide;
    }

    /// <summary>Boxes around the units of layers whose kind draws them together (a softmax), with the kind's label.</summary>
    public IReadOnlyList<FigureGroup> Groups { get; }

    public IReadOnlyList<FigureNode> Nodes { get; }

    public IReadOnlyList<FigureEdge> Edges { get; }

    public IReadOnlyList<FigureLabel> Labels { get; }

    /// <summary>True when the drawing is scaled down to the line width.</summary>
    public bool Wide { get; }

    /// <summary>Networks with more layers than this (inputs included) are drawn with their middle layers left out.</summary>
    public const int MaxDrawnLayers = 6;

    public static NetworkFigure Build(NetworkSpec spec, DocumentNotation notation)
    {
        const double columnSpacing = 3.0;
        const double rowSpacing = 1.1;
        var nodes = new List<FigureNode>();
        var edges = new List<FigureEdge>();
        var labels = new List<FigureLabel>();
        var groups = new List<FigureGroup>();
        var count = spec.Layers.Count;

        // The first layers, a gap (−1) and the last two: a deep network is as wide on the page as a six-layer one.
        var layers = count < MaxDrawnLayers
            ? Enumerable.Range(0, count + 1).ToList()
            : new List<int> { 0, 1, 2, -1, count - 1, count };
        var previous = new List<FigureNode>();
        var previousLayer = -1;
        var top = 0.0;
        for (var c = 0; c < layers.Count; c++)
        {
            var l = layers[c];
            var x = c * columnSpacing;
            if (l < 0)
            {
                nodes.Add(new FigureNode("gap", x, 0, @"\cdots", "gap"));
                previous = new List<FigureNode>();
                continue;
            }

            var units = spec.UnitsOf(l);
            var shown = units <= MaxDrawnUnits ? Enumerable.Range(0, units).ToList() : new List<int> { 0, 1, 2, -1, units - 1 };
            var column = new List<FigureNode>();
            for (var row = 0; row < shown.Count; row++)
            {
                var y = ((shown.Count - 1) / 2.0 - row) * rowSpacing;
                top = Math.Max(top, y);
                var unit = shown[row];
                var node = unit < 0
                    ? new FigureNode($"g{l}", x, y, @"\vdots", "gap")
                    : new FigureNode($"n{l}x{unit}", x, y, notation.Tex(NetworkSymbols.Output(l, unit)), l == 0 ? "input" : "unit");
                nodes.Add(node);
                column.Add(node);
            }

            // The layer's kind says whether its units act together, and so are drawn in one box.
            if (l > 0 && spec.Layers[l - 1].Kind.FigureGroup is { } group)
            {
                const double margin = 0.65;
                groups.Add(new FigureGroup(x - margin, column.Min(n => n.Y) - margin, x + margin, column.Max(n => n.Y) + margin, group));
            }

            if (previous.Count > 0)
            {
                edges.AddRange(
                    from source in previous
                    where source.Style != "gap"
                    from target in column
                    where target.Style != "gap"
                    select new FigureEdge(source.Id, target.Id, "arrow"));
            }

            if (l > 0 && previousLayer == l - 1)
            {
                labels.Add(new FigureLabel((c - 0.5) * columnSpacing, 0, notation.WeightMatrixTex(l)));
            }

            previous = column;
            previousLayer = l;
        }

        labels = labels.Select(label => label.Above(top + 0.9)).ToList();
        foreach (var output in previous.Where(n => n.Style != "gap").ToList())
        {
            var unit = int.Parse(output.Id.Substring(output.Id.IndexOf('x') + 1), CultureInfo.InvariantCulture);
            var target = new FigureNode($"t{unit}", (layers.Count - 1 + 0.8) * columnSpacing, output.Y, notation.Tex(NetworkSymbols.Target(unit)), "target");
            nodes.Add(target);
            edges.Add(new FigureEdge(output.Id, target.Id, "compare"));
        }

        return new NetworkFigure(nodes, edges, labels, groups, wide: layers.Count > 5);
    }
}

internal sealed class FigureNode
{
    public FigureNode(string id, double x, double y, string label, string style)
    {
        Id = id;
        X = x;
        Y = y;
        Label = label;
        Style = style;
    }

    public string Id { get; }

    public double X { get; }

    public double Y { get; }

    /// <summary>The position as TikZ coordinates, invariant culture.</summary>
    public string At => "(" + X.ToString("0.###", CultureInfo.InvariantCulture) + "," + Y.ToString("0.###", CultureInfo.InvariantCulture) + ")";

    public string Label { get; }

    /// <summary>input, unit, gap or target: a TikZ style the template defines.</summary>
    public string Style { get; }
}

internal sealed class FigureEdge
{
    public FigureEdge(string from, string to, string style)
    {
        From = from;
        To = to;
        Style = style;
    }

    public string From { get; }

    public string To { get; }

    public string Style { get; }
}

internal sealed class FigureLabel
{
    public FigureLabel(double x, double y, string text)
    {
        X = x;
        Y = y;
        Text = text;
    }

    public double X { get; }

    public double Y { get; }

    public string At => "(" + X.ToString("0.###", CultureInfo.InvariantCulture) + "," + Y.ToString("0.###", CultureInfo.InvariantCulture) + ")";

    /// <summary>The same label at height <paramref name="y"/>.</summary>
    public FigureLabel Above(double y) => new(X, y, Text);

    public string Text { get; }
}

/// <summary>A box around a layer's units, labelled below with what they compute together.</summary>
internal sealed class FigureGroup
{
    public FigureGroup(double left, double bottom, double right, double top, string label)
    {
        From = "(" + left.ToString("0.###", CultureInfo.InvariantCulture) + "," + bottom.ToString("0.###", CultureInfo.InvariantCulture) + ")";
        To = "(" + right.ToString("0.###", CultureInfo.InvariantCulture) + "," + top.ToString("0.###", CultureInfo.InvariantCulture) + ")";
        LabelAt = "(" + ((left + right) / 2).ToString("0.###", CultureInfo.InvariantCulture) + "," + bottom.ToString("0.###", CultureInfo.InvariantCulture) + ")";
        Label = label;
    }

    /// <summary>The lower left corner.</summary>
    public string From { get; }

    /// <summary>The upper right corner.</summary>
    public string To { get; }

    /// <summary>Where the label hangs, below the box's middle.</summary>
    public string LabelAt { get; }

    public string Label { get; }
}
