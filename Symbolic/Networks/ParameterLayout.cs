using System;
using System.Collections.Generic;
using System.Linq;

namespace BackpropGen.Symbolic.Networks;

/// <summary>
/// Where each layer's parameters live in the flat parameter array, computed once per network: for each layer in
/// order its weights, then its biases, as many as its kind says (<see cref="LayerKind.WeightCount"/>,
/// <see cref="LayerKind.BiasCount"/>); a dense layer's weights are an inputs × units row-major block (index
/// i · units + j from input i to unit j). The one place that knows the layout; the emitter, the document and the
/// size checks ask it.
/// </summary>
public sealed class ParameterLayout
{
    private readonly int[] _units;
    private readonly int[] _starts;
    private readonly int[] _weights;

    /// <summary>The layout of dense layers of <paramref name="units"/> units over <paramref name="inputs"/> inputs.</summary>
    public ParameterLayout(int inputs, IReadOnlyList<int> units)
        : this(inputs, units.Select(u => (LayerKind.Dense, u)).ToList())
    {
    }

    /// <summary>The layout of <paramref name="layers"/>, each of its kind and units, over <paramref name="inputs"/> inputs.</summary>
    public ParameterLayout(int inputs, IReadOnlyList<(LayerKind Kind, int Units)> layers)
    {
        if (Count(inputs, layers.Select(l => ((LayerKind?)l.Kind, (long)l.Units))) > int.MaxValue)
        {
            throw new ArgumentException("the parameters do not fit in one array", nameof(layers));
        }

        _units = layers.Select(l => l.Units).ToArray();
        _weights = new int[_units.Length];
        _starts = new int[_units.Length + 1];
        var below = inputs;
        for (var l = 0; l < _units.Length; l++)
        {
            _weights[l] = (int)layers[l].Kind.WeightCount(below, _units[l]);
            _starts[l + 1] = _starts[l] + _weights[l] + (int)layers[l].Kind.BiasCount(_units[l]);
            below = _units[l];
        }
    }


    /// <summary>The number of weights and biases of all layers: Σ (inputs + 1) · units.</summary>
    public int Total => _starts[_starts.Length - 1];

    /// <summary>The first weight of layer <paramref name="layer"/> (1-based).</summary>
    public int WeightStart(int layer) => _starts[layer - 1];

    /// <summary>How many weights layer <paramref name="layer"/> has: inputs × units for a dense layer.</summary>
    public int WeightCount(int layer) => _weights[layer - 1];

    /// <summary>The first bias of layer <paramref name="layer"/>.</summary>
    public int BiasStart(int layer) => WeightStart(layer) + WeightCount(layer);

    /// <summary>One past the last parameter of layer <paramref name="layer"/>.</summary>
    public int End(int layer) => _starts[layer];

    /// <summary>The weight from input <paramref name="from"/> to unit <paramref name="to"/> of layer <paramref name="layer"/>.</summary>
    public int WeightIndex(int layer, int from, int to) => WeightStart(layer) + from * _units[layer - 1] + to;

    /// <summary>The bias of unit <paramref name="unit"/> of layer <paramref name="layer"/>.</summary>
    public int BiasIndex(int layer, int unit) => BiasStart(layer) + unit;

    /// <summary>Σ (inputs + 1) · units of dense layers without overflow, for sizes checked before a layout is made.</summary>
    public static decimal Count(long inputs, IEnumerable<long> units) => Count(inputs, units.Select(u => ((LayerKind?)null, u)));

    /// <summary>
    /// The number of parameters of <paramref name="layers"/> as their kinds count them (a dense layer's shape where the
    /// kind is null, not known yet), without overflow, for sizes checked before a layout is made.
    /// </summary>
    public static decimal Count(long inputs, IEnumerable<(LayerKind? Kind, long Units)> layers)
    {
        decimal count = 0;
        foreach (var (kind, units) in layers)
        {
            var shape = kind ?? LayerKind.Dense;
            count += shape.WeightCount(inputs, units) + shape.BiasCount(units);
            inputs = units;
        }

        return count;
    }
}
