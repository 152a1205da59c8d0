using System;
using System.Collections.Generic;
using System.Numerics;
using BackpropGen.Benchmarks.Check;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace BackpropGen.Benchmarks;

/// <summary>
/// One generated network's <c>TrainStep</c> (one example) and <c>BatchGradient</c> (32 examples) against the
/// references: the conventional implementation and the <see cref="System.Numerics.Tensors.TensorPrimitives"/> one,
/// both loaded with the generated network's parameters and run on the same <see cref="TrainingData{T}"/>. A derived
/// class adds the generated methods, the baseline of each category.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public abstract class NetworkBenchmarks<T> : ICheckedBenchmark
    where T : IFloatingPointIeee754<T>
{
    protected const string TrainStepCategory = "TrainStep";
    protected const string BatchGradientCategory = "BatchGradient";

    /// <summary>The mean gradient of <see cref="TrainingData{T}.LargeBatchSize"/> examples (<see cref="LargeBatch"/>).</summary>
    protected const string LargeBatchGradientCategory = "BatchGradient256";

    /// <summary>The learning rate of the timed steps; small, so that repeating one example stays far from saturation.</summary>
    protected static readonly T LearningRate = T.CreateTruncating(1e-3);

    /// <summary>The learning rate of the checked step: large, so that the change it makes stands out of the rounding of θ.</summary>
    private static readonly T CheckLearningRate = T.CreateTruncating(0.5);

    private readonly IGeneratedNetwork<T> _generated;

    protected NetworkBenchmarks(IGeneratedNetwork<T> generated)
    {
        _generated = generated;
        Shape = NetworkShape.Of(generated.GetType());
        GiveBiasesValues(generated.Parameters, Shape);
        Data = new TrainingData<T>(Shape);
        LargeBatch = new TrainingData<T>(Shape, 8, TrainingData<T>.LargeBatchSize);
        Conventional = new ConventionalNet<T>(Shape, generated.Parameters);
        Tensor = new TensorPrimitivesNet<T>(Shape, generated.Parameters);
        Blas = new OpenBlasNet<T>(Shape, generated.Parameters, Data.Inputs.Length / Shape.Inputs);
        Gradient = new T[Shape.ParameterCount];
    }

    protected NetworkShape Shape { get; }

    protected TrainingData<T> Data { get; }

    /// <summary>A batch of <see cref="TrainingData{T}.LargeBatchSize"/> examples, for <see cref="LargeBatchGradientCategory"/>.</summary>
    protected TrainingData<T> LargeBatch { get; }

    /// <summary>The buffer every implementation's <c>BatchGradient</c> writes to.</summary>
    protected T[] Gradient { get; }

    protected ConventionalNet<T> Conventional { get; }

    protected TensorPrimitivesNet<T> Tensor { get; }

    /// <summary>Matrix products on single-threaded OpenBLAS; its benchmark fails with the install command where OpenBLAS is missing.</summary>
    protected OpenBlasNet<T> Blas { get; }

    [Benchmark, BenchmarkCategory(TrainStepCategory)]
    public T TrainStepConventional() => Conventional.TrainStep(Data.Input, Data.Target, LearningRate);

    [Benchmark, BenchmarkCategory(TrainStepCategory)]
    public T TrainStepTensorPrimitives() => Tensor.TrainStep(Data.Input, Data.Target, LearningRate);

    [Benchmark, BenchmarkCategory(BatchGradientCategory)]
    public T BatchGradientConventional() => Conventional.BatchGradient(Data.Inputs, Data.Targets, Gradient);

    [Benchmark, BenchmarkCategory(BatchGradientCategory)]
    public T BatchGradientTensorPrimitives() => Tensor.BatchGradient(Data.Inputs, Data.Targets, Gradient);

    [Benchmark, BenchmarkCategory(BatchGradientCategory)]
    public T BatchGradientOpenBlas() => Blas.BatchGradient(Data.Inputs, Data.Targets, Gradient);

    /// <summary>
    /// Every reference against the generated code from the same parameters: the batch's mean loss and mean gradient,
    /// then one training step's loss and the change it makes to the parameters.
    /// </summary>
    public IReadOnlyList<Comparison> Compare()
    {
        var name = GetType().Name;
        var comparisons = new List<Comparison>();
        var expected = new T[Shape.ParameterCount];
        var actual = new T[Shape.ParameterCount];
        var expectedLoss = _generated.BatchGradient(Data.Inputs, Data.Targets, expected);
        comparisons.Add(Comparison.Of(name, BatchGradientCategory, "Conventional", expectedLoss, expected, Conventional.BatchGradient(Data.Inputs, Data.Targets, actual), actual));
        comparisons.Add(Comparison.Of(name, BatchGradientCategory, "TensorPrimitives", expectedLoss, expected, Tensor.BatchGradient(Data.Inputs, Data.Targets, actual), actual));
        if (OpenBlasNet<T>.Unavailable is null)
        {
            comparisons.Add(Comparison.Of(name, BatchGradientCategory, "OpenBLAS", expectedLoss, expected, Blas.BatchGradient(Data.Inputs, Data.Targets, actual), actual));
        }

        foreach (var (implementation, batchGradient) in ReferenceBatchGradients())
        {
            foreach (var data in new[] { Data, LargeBatch })
            {
                var loss = _generated.BatchGradient(data.Inputs, data.Targets, expected);
                var category = data == Data ? BatchGradientCategory : LargeBatchGradientCategory;
                comparisons.Add(Comparison.Of(name, category, implementation, loss, expected, batchGradient(data.Inputs, data.Targets, actual), actual));
            }
        }

        var before = _generated.Parameters.ToArray();
        var stepLoss = _generated.TrainStep(Data.Input, Data.Target, CheckLearningRate);
        var step = Change(before, _generated.Parameters);
        foreach (var (implementation, trainStep) in ReferenceTrainSteps())
        {
            var loss = trainStep(CheckLearningRate, actual);
            comparisons.Add(Comparison.Of(name, TrainStepCategory, implementation, stepLoss, step, loss, Change(before, actual)));
        }

        return comparisons;
    }

    /// <summary>A reference's <c>BatchGradient</c>: the mean loss of the examples, their mean gradient written to the span.</summary>
    protected delegate T BatchGradientProbe(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Span<T> gradient);

    /// <summary>References of <c>BatchGradient</c> beyond the shared ones, compared on both batches; none by default.</summary>
    protected virtual IEnumerable<(string Implementation, BatchGradientProbe BatchGradient)> ReferenceBatchGradients() => Array.Empty<(string, BatchGradientProbe)>();

    /// <summary>One training step of a reference on <see cref="TrainingData{T}.Input"/>, writing its parameters afterwards.</summary>
    protected delegate T TrainStepProbe(T learningRate, Span<T> parametersAfter);

    /// <summary>The references' training steps the check compares with the generated one.</summary>
    protected virtual IEnumerable<(string Implementation, TrainStepProbe TrainStep)> ReferenceTrainSteps()
    {
        yield return ("Conventional", (rate, after) =>
        {
            var loss = Conventional.TrainStep(Data.Input, Data.Target, rate);
            Conventional.CopyParametersTo(after);
            return loss;
        });
        yield return ("TensorPrimitives", (rate, after) =>
        {
            var loss = Tensor.TrainStep(Data.Input, Data.Target, rate);
            Tensor.Parameters.CopyTo(after);
            return loss;
        });
    }

    /// <summary>
    /// Biases start at zero; small values from a fixed seed make every implementation add them, so the check would
    /// catch a reference that left them out.
    /// </summary>
    private static void GiveBiasesValues(Span<T> parameters, NetworkShape shape)
    {
        var random = new Random(7);
        for (var l = 1; l <= shape.LayerCount; l++)
        {
            for (var j = 0; j < shape.UnitsOf(l); j++)
            {
                parameters[shape.BiasOffset(l) + j] = T.CreateTruncating(random.NextDouble() * 0.2 - 0.1);
            }
        }
    }

    private static T[] Change(ReadOnlySpan<T> before, ReadOnlySpan<T> after)
    {
        var change = new T[before.Length];
        for (var k = 0; k < change.Length; k++)
        {
            change[k] = after[k] - before[k];
        }

        return change;
    }
}
