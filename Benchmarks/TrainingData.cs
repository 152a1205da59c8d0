using System;
using System.Numerics;

namespace BackpropGen.Benchmarks;

/// <summary>
/// A fixed batch of examples for one network, the same on every run: inputs uniform in [0, 1), like pixel
/// intensities; one-hot targets for a softmax output, targets uniform in [0.1, 0.9] otherwise.
/// </summary>
public sealed class TrainingData<T>
    where T : IFloatingPointIeee754<T>
{
    /// <summary>The examples in a batch, as in the batch benchmarks, unless a benchmark asks for another size.</summary>
    public const int BatchSize = 32;

    /// <summary>The examples of the larger batch some benchmarks also run.</summary>
    public const int LargeBatchSize = 256;

    public TrainingData(NetworkShape shape, int seed = 7, int count = BatchSize)
    {
        var random = new Random(seed);
        Inputs = new T[count * shape.Inputs];
        Targets = new T[count * shape.Outputs];
        for (var k = 0; k < Inputs.Length; k++)
        {
            Inputs[k] = T.CreateTruncating(random.NextDouble());
        }

        for (var e = 0; e < count; e++)
        {
            var target = Targets.AsSpan(e * shape.Outputs, shape.Outputs);
            if (shape.ActivationOf(shape.LayerCount) == Activation.Softmax)
            {
                target[random.Next(shape.Outputs)] = T.One;
            }
            else
            {
                for (var j = 0; j < target.Length; j++)
                {
                    target[j] = T.CreateTruncating(0.1 + 0.8 * random.NextDouble());
                }
            }
        }

        Input = Inputs.AsSpan(0, shape.Inputs).ToArray();
        Target = Targets.AsSpan(0, shape.Outputs).ToArray();
    }

    /// <summary>The batch's inputs, example after example.</summary>
    public T[] Inputs { get; }

    /// <summary>The batch's targets, example after example.</summary>
    public T[] Targets { get; }

    /// <summary>The first example's input, the one the single-example benchmarks train on.</summary>
    public T[] Input { get; }

    /// <summary>The first example's target.</summary>
    public T[] Target { get; }
}
