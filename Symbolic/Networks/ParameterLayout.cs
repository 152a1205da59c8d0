using System;
using System.Collections.Generic;
using System.Linq;

namespace BackpropGen.Symbolic.Networks;

/// <summary>
/// Where each layer's parameters live in the flat parameter array, computed once per network: for each layer in
/// order its weights as an inputs × units row-major block (index i · units + j from input i to unit j), then its
/// biases. The one place that knows the layout; the emitter, the document and the size checks ask it.
/// </summary>
public sealed class ParameterLayout
{
    private readonly int[] _inputs;
    private readonly int[] _units;
    private readonly int[] _starts;

    public ParameterLayout(int inputs, IReadOnlyList<int> units)
    {
        if (Count(inputs, units.Select(u => (long)u)) > int.MaxValue)
        {
            throw new ArgumentException("the parameters do not fit in one array", nameof(units));
        }

        _units = units.ToArray();
        _inputs = new int[_units.Length];
        _starts = new int[_units.Length + 1];
        var below = inputs;
        for (var l = 0; l < _units.Length; l++)
        {
            _inputs[l] = below;
            _starts[l + 1] = _starts[l] + (below + 1) * _units[l];
            below = _units[l];
        }
    }

    /// <summary>The number of weights and biases of all layers: Σ (inputs + 1) · units.</summary>
    public int Total => _starts[_starts.Length - 1];

    /// <summary>The first weight of layer <paramref name="layer"/> (1-based).</summary>
    public int WeightStart(int layer) => _starts[layer - 1];

    /// <summary>How many weights layer <paramref name="layer"/> has: inputs × units.</summary>
    public int WeightCount(int layer) => _inputs[layer - 1] * _units[layer - 1];

    /// <summary>The first bias of layer <paramref name="layer"/>.</summary>
    public int BiasStart(int layer) => WeightStart(layer) + WeightCount(layer);

    /// <summary>One past the last parameter of layer <paramref name="layer"/>.</summary>
    public int End(int layer) => _starts[layer];

    /// <summary>The weight from input <paramref name="from"/> to unit <paramref name="to"/> of layer <paramref name="layer"/>.</summary>
    public int WeightIndex(int layer, int from, int to) => WeightStart(layer) + from * _units[layer - 1] + to;

    /// <summary>The bias of unit <paramref name="unit"/> of layer <paramref name="layer"/>.</summary>
    public int BiasIndex(int layer, int unit) => BiasStart(layer) + unit;

    /// <summary>Σ (inputs + 1) · units without overflow, for sizes checked before a layout is made.</summary>
    public static decimal Count(long inputs, IEnumerable<long> units)
    {
        decimal count = 0;
        foreach (var u in units)
        {
            count += ((decimal)inputs + 1) * u;
            inputs = u;
        }

        return count;
    }
}
