using System;

namespace BackpropGen.Benchmarks;

/// <summary>
/// What a user would write from the notes: weight matrices as arrays, nested loops over units, the δ recursion,
/// then the update; no SIMD. Buffers are allocated once, so a step allocates nothing.
/// </summary>
public sealed class ConventionalNet
{
    private readonly int[] _sizes;
    private readonly double[][] _weights; // layer l: inputs × units, row-major
    private readonly double[][] _biases;
    private readonly double[][] _outputs; // h of each layer, index 0 the input
    private readonly double[][] _deltas;

    public ConventionalNet(params int[] sizes)
    {
        _sizes = sizes;
        var random = new Random(1);
        _weights = new double[sizes.Length - 1][];
        _biases = new double[sizes.Length - 1][];
        _outputs = new double[sizes.Length][];
        _deltas = new double[sizes.Length][];
        for (var l = 0; l < sizes.Length; l++)
        {
            _outputs[l] = new double[sizes[l]];
            _deltas[l] = new double[sizes[l]];
            if (l > 0)
            {
                _weights[l - 1] = new double[sizes[l - 1] * sizes[l]];
                _biases[l - 1] = new double[sizes[l]];
                for (var k = 0; k < _weights[l - 1].Length; k++)
                {
                    _weights[l - 1][k] = random.NextDouble() - 0.5;
                }
            }
        }
    }

    public double TrainStep(ReadOnlySpan<double> input, ReadOnlySpan<double> target, double learningRate)
    {
        input.CopyTo(_outputs[0]);
        var last = _sizes.Length - 1;
        for (var l = 1; l <= last; l++)
        {
            for (var j = 0; j < _sizes[l]; j++)
            {
                var a = _biases[l - 1][j];
                for (var i = 0; i < _sizes[l - 1]; i++)
                {
                    a += _outputs[l - 1][i] * _weights[l - 1][i * _sizes[l] + j];
                }

                _outputs[l][j] = 1.0 / (1.0 + Math.Exp(-a));
            }
        }

        var loss = 0.0;
        for (var j = 0; j < _sizes[last]; j++)
        {
            var y = _outputs[last][j];
            loss += 0.5 * (y - target[j]) * (y - target[j]);
            _deltas[last][j] = (y - target[j]) * y * (1 - y);
        }

        for (var l = last - 1; l >= 1; l--)
        {
            for (var j = 0; j < _sizes[l]; j++)
            {
                var sum = 0.0;
                for (var k = 0; k < _sizes[l + 1]; k++)
                {
                    sum += _deltas[l + 1][k] * _weights[l][j * _sizes[l + 1] + k];
                }

                var h = _outputs[l][j];
                _deltas[l][j] = sum * h * (1 - h);
            }
        }

        for (var l = 1; l <= last; l++)
        {
            for (var i = 0; i < _sizes[l - 1]; i++)
            {
                for (var j = 0; j < _sizes[l]; j++)
                {
                    _weights[l - 1][i * _sizes[l] + j] -= learningRate * _deltas[l][j] * _outputs[l - 1][i];
                }
            }

            for (var j = 0; j < _sizes[l]; j++)
            {
                _biases[l - 1][j] -= learningRate * _deltas[l][j];
            }
        }

        return loss;
    }
}

/// <summary>
/// The limit: only the arithmetic the 2-3-2 step needs — its five exponentials in dependency order and the
/// multiply-adds — with the parameters in fields the JIT can keep close, no bounds checks, no loops.
/// </summary>
public sealed class LimitKernel
{
    private double _w00 = 0.1, _w01 = -0.2, _w02 = 0.3, _w10 = 0.4, _w11 = -0.5, _w12 = 0.6, _b0, _b1, _b2;
    private double _u00 = 0.7, _u01 = -0.8, _u10 = 0.9, _u11 = -0.1, _u20 = 0.2, _u21 = -0.3, _c0, _c1;

    public double TrainStep(double x0, double x1, double t0, double t1, double rate)
    {
        var h0 = 1.0 / (1.0 + Math.Exp(-(x0 * _w00 + x1 * _w10 + _b0)));
        var h1 = 1.0 / (1.0 + Math.Exp(-(x0 * _w01 + x1 * _w11 + _b1)));
        var h2 = 1.0 / (1.0 + Math.Exp(-(x0 * _w02 + x1 * _w12 + _b2)));
        var y0 = 1.0 / (1.0 + Math.Exp(-(h0 * _u00 + h1 * _u10 + h2 * _u20 + _c0)));
        var y1 = 1.0 / (1.0 + Math.Exp(-(h0 * _u01 + h1 * _u11 + h2 * _u21 + _c1)));
        var e0 = y0 - t0;
        var e1 = y1 - t1;
        var d0 = e0 * y0 * (1 - y0);
        var d1 = e1 * y1 * (1 - y1);
        var g0 = (d0 * _u00 + d1 * _u01) * h0 * (1 - h0);
        var g1 = (d0 * _u10 + d1 * _u11) * h1 * (1 - h1);
        var g2 = (d0 * _u20 + d1 * _u21) * h2 * (1 - h2);
        _u00 -= rate * d0 * h0; _u01 -= rate * d1 * h0; _u10 -= rate * d0 * h1; _u11 -= rate * d1 * h1; _u20 -= rate * d0 * h2; _u21 -= rate * d1 * h2;
        _c0 -= rate * d0; _c1 -= rate * d1;
        _w00 -= rate * g0 * x0; _w01 -= rate * g1 * x0; _w02 -= rate * g2 * x0; _w10 -= rate * g0 * x1; _w11 -= rate * g1 * x1; _w12 -= rate * g2 * x1;
        _b0 -= rate * g0; _b1 -= rate * g1; _b2 -= rate * g2;
        return 0.5 * (e0 * e0 + e1 * e1);
    }
}
