using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace BackpropGen.Benchmarks;

/// <summary>
/// A tuned implementation on <see cref="TensorPrimitives"/>: the parameters in the generated layout, every step a
/// SIMD operation over a row or a layer. Forward: a = b + Σ_i x_i W[i,:], one MultiplyAdd per input row; δ of a
/// hidden unit j: a Dot of row j of the next layer's weights with the next layer's δ; weight gradients: one
/// MultiplyAdd per row. Buffers are allocated once, so no call allocates.
/// </summary>
/// <remarks>
/// Implements sigmoid, tanh and identity layers with ½ Σ (y − t)², and a softmax output with cross-entropy,
/// computed from the weighted inputs as the generated code does.
/// </remarks>
public sealed class TensorPrimitivesNet<T>
    where T : IFloatingPointIeee754<T>
{
    private static readonly T Half = T.CreateTruncating(0.5);

    private readonly NetworkShape _shape;
    private readonly T[] _parameters;
    private readonly T[][] _outputs; // h of layer l at l; index 0 unused, the input is read in place
    private readonly T[][] _deltas; // δ of layer l at l
    private readonly T[] _derivative; // f'(a) of one layer

    public TensorPrimitivesNet(NetworkShape shape, ReadOnlySpan<T> parameters)
    {
        _shape = shape;
        _parameters = parameters.ToArray();
        _outputs = new T[shape.LayerCount + 1][];
        _deltas = new T[shape.LayerCount + 1][];
        _outputs[0] = [];
        _deltas[0] = [];
        for (var l = 1; l <= shape.LayerCount; l++)
        {
            _outputs[l] = new T[shape.UnitsOf(l)];
            _deltas[l] = new T[shape.UnitsOf(l)];
        }

        _derivative = new T[shape.MaxUnits];
    }

    /// <summary>The parameters in the generated layout.</summary>
    public Span<T> Parameters => _parameters;

    /// <summary>Forward, backward and θ ← θ − η∇ for one example; returns the loss before the update.</summary>
    public T TrainStep(ReadOnlySpan<T> input, ReadOnlySpan<T> target, T learningRate)
    {
        var loss = Backpropagate(input, target);
        for (var l = 1; l <= _shape.LayerCount; l++)
        {
            var inputs = LayerInput(l, input);
            var delta = _deltas[l];
            var weights = Weights(l);
            for (var i = 0; i < inputs.Length; i++)
            {
                var row = weights.Slice(i * delta.Length, delta.Length);
                TensorPrimitives.MultiplyAdd(delta, -learningRate * inputs[i], row, row);
            }

            var biases = Biases(l);
            TensorPrimitives.MultiplyAdd(delta, -learningRate, biases, biases);
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
            var input = inputs.Slice(e * _shape.Inputs, _shape.Inputs);
            total += Backpropagate(input, targets.Slice(e * _shape.Outputs, _shape.Outputs));
            for (var l = 1; l <= _shape.LayerCount; l++)
            {
                var layerInputs = LayerInput(l, input);
                var delta = _deltas[l];
                var weightGradient = gradient.Slice(_shape.WeightOffset(l), layerInputs.Length * delta.Length);
                for (var i = 0; i < layerInputs.Length; i++)
                {
                    var row = weightGradient.Slice(i * delta.Length, delta.Length);
                    TensorPrimitives.MultiplyAdd(delta, layerInputs[i], row, row);
                }

                var biasGradient = gradient.Slice(_shape.BiasOffset(l), delta.Length);
                TensorPrimitives.Add(biasGradient, delta, biasGradient);
            }
        }

        var scale = T.One / T.CreateTruncating(count);
        TensorPrimitives.Multiply(gradient, scale, gradient);
        return total * scale;
    }

    /// <summary>The forward pass, the loss and every layer's δ; returns the loss.</summary>
    private T Backpropagate(ReadOnlySpan<T> input, ReadOnlySpan<T> target)
    {
        var last = _shape.LayerCount;
        for (var l = 1; l <= last; l++)
        {
            var inputs = LayerInput(l, input);
            var weights = Weights(l);
            Span<T> a = _outputs[l];
            Biases(l).CopyTo(a);
            for (var i = 0; i < inputs.Length; i++)
            {
                TensorPrimitives.MultiplyAdd(weights.Slice(i * a.Length, a.Length), inputs[i], a, a);
            }

            if (l < last || _shape.Loss != Loss.CrossEntropy)
            {
                Activate(_shape.ActivationOf(l), a);
            }
        }

        T loss;
        Span<T> deltaOut = _deltas[last];
        if (_shape.Loss == Loss.CrossEntropy)
        {
            // Softmax and −Σ t_k (a_k − m − log S), with S = Σ_k e^(a_k − m).
            Span<T> y = _outputs[last];
            var targetDotA = TensorPrimitives.Dot(target, y);
            var max = TensorPrimitives.Max(y);
            TensorPrimitives.Subtract(y, max, y);
            TensorPrimitives.Exp(y, y);
            var sum = TensorPrimitives.Sum(y);
            TensorPrimitives.Divide(y, sum, y);
            loss = (max + T.Log(sum)) * TensorPrimitives.Sum(target) - targetDotA;
            TensorPrimitives.Subtract(y, target, deltaOut);
        }
        else
        {
            TensorPrimitives.Subtract(_outputs[last], target, deltaOut);
            loss = Half * TensorPrimitives.SumOfSquares(deltaOut);
            MultiplyByDerivative(_shape.ActivationOf(last), _outputs[last], deltaOut);
        }

        for (var l = last - 1; l >= 1; l--)
        {
            var next = Weights(l + 1);
            ReadOnlySpan<T> nextDelta = _deltas[l + 1];
            Span<T> delta = _deltas[l];
            for (var j = 0; j < delta.Length; j++)
            {
                delta[j] = TensorPrimitives.Dot(next.Slice(j * nextDelta.Length, nextDelta.Length), nextDelta);
            }

            MultiplyByDerivative(_shape.ActivationOf(l), _outputs[l], delta);
        }

        return loss;
    }

    private static void Activate(Activation activation, Span<T> a)
    {
        switch (activation)
        {
            case Activation.Sigmoid:
                TensorPrimitives.Sigmoid(a, a);
                break;
            case Activation.Tanh:
                TensorPrimitives.Tanh(a, a);
                break;
        }
    }

    /// <summary>δ ← δ ⊙ f'(a), with f'(a) written with the layer's output h.</summary>
    private void MultiplyByDerivative(Activation activation, ReadOnlySpan<T> h, Span<T> delta) =>
        MultiplyByDerivative(activation, h, delta, _derivative.AsSpan(0, h.Length));

    /// <summary>δ ← δ ⊙ f'(a) for a sigmoid, tanh or identity layer, f'(a) written with its output h and computed into <paramref name="derivative"/>.</summary>
    internal static void MultiplyByDerivative(Activation activation, ReadOnlySpan<T> h, Span<T> delta, Span<T> derivative)
    {
        switch (activation)
        {
            case Activation.Sigmoid:
                TensorPrimitives.Subtract(T.One, h, derivative);
                TensorPrimitives.Multiply(derivative, h, derivative);
                break;
            case Activation.Tanh:
                TensorPrimitives.Multiply(h, h, derivative);
                TensorPrimitives.Subtract(T.One, derivative, derivative);
                break;
            default:
                return;
        }

        TensorPrimitives.Multiply(delta, derivative, delta);
    }

    private ReadOnlySpan<T> LayerInput(int layer, ReadOnlySpan<T> input) => layer == 1 ? input : _outputs[layer - 1];

    private Span<T> Weights(int layer) => _parameters.AsSpan(_shape.WeightOffset(layer), _shape.UnitsOf(layer - 1) * _shape.UnitsOf(layer));

    private Span<T> Biases(int layer) => _parameters.AsSpan(_shape.BiasOffset(layer), _shape.UnitsOf(layer));
}
