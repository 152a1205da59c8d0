using System;
using System.Numerics;

namespace BackpropGen.Benchmarks;

/// <summary>
/// What a user would write from the notes: each layer's weights and biases as arrays, nested scalar loops over
/// units, the δ recursion, then the update; no SIMD. Generic math, which the JIT specializes for
/// <see langword="float"/> and <see langword="double"/>. Buffers are allocated once, so no call allocates.
/// </summary>
/// <remarks>
/// Implements sigmoid, tanh and identity layers with ½ Σ (y − t)², and a softmax output with cross-entropy,
/// −Σ t log y.
/// </remarks>
public sealed class ConventionalNet<T>
    where T : IFloatingPointIeee754<T>
{
    private static readonly T Half = T.CreateTruncating(0.5);

    private readonly NetworkShape _shape;
    private readonly T[][] _weights; // layer l at l − 1: inputs × units, row-major
    private readonly T[][] _biases; // layer l at l − 1
    private readonly T[][] _outputs; // h of layer l at l; the input at 0
    private readonly T[][] _deltas; // δ of layer l at l

    public ConventionalNet(NetworkShape shape, ReadOnlySpan<T> parameters)
    {
        _shape = shape;
        _weights = new T[shape.LayerCount][];
        _biases = new T[shape.LayerCount][];
        _outputs = new T[shape.LayerCount + 1][];
        _deltas = new T[shape.LayerCount + 1][];
        _outputs[0] = new T[shape.Inputs];
        for (var l = 1; l <= shape.LayerCount; l++)
        {
            _weights[l - 1] = new T[shape.UnitsOf(l - 1) * shape.UnitsOf(l)];
            _biases[l - 1] = new T[shape.UnitsOf(l)];
            _outputs[l] = new T[shape.UnitsOf(l)];
            _deltas[l] = new T[shape.UnitsOf(l)];
        }

        SetParameters(parameters);
    }

    /// <summary>Loads parameters in the generated layout.</summary>
    public void SetParameters(ReadOnlySpan<T> parameters)
    {
        for (var l = 1; l <= _shape.LayerCount; l++)
        {
            parameters.Slice(_shape.WeightOffset(l), _weights[l - 1].Length).CopyTo(_weights[l - 1]);
            parameters.Slice(_shape.BiasOffset(l), _biases[l - 1].Length).CopyTo(_biases[l - 1]);
        }
    }

    /// <summary>Writes the parameters in the generated layout.</summary>
    public void CopyParametersTo(Span<T> parameters)
    {
        for (var l = 1; l <= _shape.LayerCount; l++)
        {
            _weights[l - 1].CopyTo(parameters.Slice(_shape.WeightOffset(l)));
            _biases[l - 1].CopyTo(parameters.Slice(_shape.BiasOffset(l)));
        }
    }

    /// <summary>Forward, backward and θ ← θ − η∇ for one example; returns the loss before the update.</summary>
    public T TrainStep(ReadOnlySpan<T> input, ReadOnlySpan<T> target, T learningRate)
    {
        var loss = Backpropagate(input, target);
        for (var l = 1; l <= _shape.LayerCount; l++)
        {
            var inputs = _outputs[l - 1];
            var weights = _weights[l - 1];
            var biases = _biases[l - 1];
            var delta = _deltas[l];
            var units = delta.Length;
            for (var i = 0; i < inputs.Length; i++)
            {
                for (var j = 0; j < units; j++)
                {
                    weights[i * units + j] -= learningRate * delta[j] * inputs[i];
                }
            }

            for (var j = 0; j < units; j++)
            {
                biases[j] -= learningRate * delta[j];
            }
        }

        return loss;
    }

    /// <summary>The mean loss and mean gradient of n examples, row after row; the gradient in the generated layout.</summary>
    public T BatchGradient(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Span<T> gradient)
    {
        var count = inputs.Length / _shape.Inputs;
        gradient.Clear();
        var total = T.Zero;
        for (var e = 0; e < count; e++)
        {
            total += Backpropagate(inputs.Slice(e * _shape.Inputs, _shape.Inputs), targets.Slice(e * _shape.Outputs, _shape.Outputs));
            for (var l = 1; l <= _shape.LayerCount; l++)
            {
                var layerInputs = _outputs[l - 1];
                var delta = _deltas[l];
                var units = delta.Length;
                var weightGradient = gradient.Slice(_shape.WeightOffset(l), layerInputs.Length * units);
                var biasGradient = gradient.Slice(_shape.BiasOffset(l), units);
                for (var i = 0; i < layerInputs.Length; i++)
                {
                    for (var j = 0; j < units; j++)
                    {
                        weightGradient[i * units + j] += delta[j] * layerInputs[i];
                    }
                }

                for (var j = 0; j < units; j++)
                {
                    biasGradient[j] += delta[j];
                }
            }
        }

        var n = T.CreateTruncating(count);
        for (var k = 0; k < gradient.Length; k++)
        {
            gradient[k] /= n;
        }

        return total / n;
    }

    /// <summary>The forward pass, the loss and every layer's δ; returns the loss.</summary>
    private T Backpropagate(ReadOnlySpan<T> input, ReadOnlySpan<T> target)
    {
        input.CopyTo(_outputs[0]);
        var last = _shape.LayerCount;
        for (var l = 1; l <= last; l++)
        {
            var inputs = _outputs[l - 1];
            var weights = _weights[l - 1];
            var biases = _biases[l - 1];
            var outputs = _outputs[l];
            for (var j = 0; j < outputs.Length; j++)
            {
                var a = biases[j];
                for (var i = 0; i < inputs.Length; i++)
                {
                    a += inputs[i] * weights[i * outputs.Length + j];
                }

                outputs[j] = a;
            }

            Activate(_shape.ActivationOf(l), outputs);
        }

        var y = _outputs[last];
        var deltaOut = _deltas[last];
        var loss = T.Zero;
        if (_shape.Loss == Loss.CrossEntropy)
        {
            for (var j = 0; j < y.Length; j++)
            {
                loss -= target[j] * T.Log(y[j]);
                deltaOut[j] = y[j] - target[j];
            }
        }
        else
        {
            for (var j = 0; j < y.Length; j++)
            {
                var error = y[j] - target[j];
                loss += Half * error * error;
                deltaOut[j] = error * Derivative(_shape.ActivationOf(last), y[j]);
            }
        }

        for (var l = last - 1; l >= 1; l--)
        {
            var next = _weights[l];
            var nextDelta = _deltas[l + 1];
            var h = _outputs[l];
            var delta = _deltas[l];
            for (var j = 0; j < h.Length; j++)
            {
                var sum = T.Zero;
                for (var k = 0; k < nextDelta.Length; k++)
                {
                    sum += nextDelta[k] * next[j * nextDelta.Length + k];
                }

                delta[j] = sum * Derivative(_shape.ActivationOf(l), h[j]);
            }
        }

        return loss;
    }

    /// <summary>Replaces each weighted input of a layer with the layer's output.</summary>
    private static void Activate(Activation activation, T[] a)
    {
        switch (activation)
        {
            case Activation.Sigmoid:
                for (var j = 0; j < a.Length; j++)
                {
                    a[j] = T.One / (T.One + T.Exp(-a[j]));
                }

                break;
            case Activation.Tanh:
                for (var j = 0; j < a.Length; j++)
                {
                    a[j] = T.Tanh(a[j]);
                }

                break;
            case Activation.Softmax:
                var max = a[0];
                for (var j = 1; j < a.Length; j++)
                {
                    max = T.Max(max, a[j]);
                }

                var sum = T.Zero;
                for (var j = 0; j < a.Length; j++)
                {
                    a[j] = T.Exp(a[j] - max);
                    sum += a[j];
                }

                for (var j = 0; j < a.Length; j++)
                {
                    a[j] /= sum;
                }

                break;
        }
    }

    /// <summary>f'(a) written with the unit's output h = f(a).</summary>
    private static T Derivative(Activation activation, T h) => activation switch
    {
        Activation.Sigmoid => h * (T.One - h),
        Activation.Tanh => T.One - h * h,
        _ => T.One,
    };
}
