using System;
using System.Collections.Generic;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Networks;
using static BackpropGen.Symbolic.Networks.NetworkSymbols;

namespace BackpropGen.Tests.Support;

/// <summary>
/// The documented parameter layout, written out independently of the emitter: for each layer its weights as an
/// inputs × units row-major block, then its biases.
/// </summary>
public static class DocumentedLayout
{
    /// <summary>The flat parameters, an input and a target as the symbols of <see cref="NetworkEvaluator"/>.</summary>
    public static Dictionary<Symbol, double> ToSymbols(NetworkSpec spec, double[] parameters, double[] input, double[] target)
    {
        var values = new Dictionary<Symbol, double>(parameters.Length + input.Length + target.Length);
        var offset = 0;
        for (var l = 1; l <= spec.Layers.Count; l++)
        {
            int inputs = spec.UnitsOf(l - 1), units = spec.UnitsOf(l);
            for (var i = 0; i < inputs; i++)
            {
                for (var j = 0; j < units; j++)
                {
                    values[Weight(l, i, j)] = parameters[offset + i * units + j];
                }
            }

            for (var j = 0; j < units; j++)
            {
                values[Bias(l, j)] = parameters[offset + inputs * units + j];
            }

            offset += (inputs + 1) * units;
        }

        for (var i = 0; i < input.Length; i++)
        {
            values[Output(0, i)] = input[i];
        }

        for (var j = 0; j < target.Length; j++)
        {
            values[Target(j)] = target[j];
        }

        return values;
    }

    /// <summary>The parameter that sits at flat index <paramref name="k"/>.</summary>
    public static Symbol ParameterAt(NetworkSpec spec, int k)
    {
        var offset = 0;
        for (var l = 1; l <= spec.Layers.Count; l++)
        {
            int inputs = spec.UnitsOf(l - 1), units = spec.UnitsOf(l);
            if (k < offset + inputs * units)
            {
                return Weight(l, (k - offset) / units, (k - offset) % units);
            }

            if (k < offset + (inputs + 1) * units)
            {
                return Bias(l, k - offset - inputs * units);
            }

            offset += (inputs + 1) * units;
        }

        throw new ArgumentOutOfRangeException(nameof(k));
    }

    /// <summary>Where layer <paramref name="layer"/>'s weights start; its biases follow them.</summary>
    public static int LayerStart(NetworkSpec spec, int layer)
    {
        var offset = 0;
        for (var l = 1; l < layer; l++)
        {
            offset += (spec.UnitsOf(l - 1) + 1) * spec.UnitsOf(l);
        }

        return offset;
    }
}
