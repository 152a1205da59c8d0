using System;

namespace BackpropGen.Benchmarks;

/// <summary>
/// The generated members the correctness check calls; each generated network implements it with its own members.
/// The benchmarks call the concrete classes, never through this interface.
/// </summary>
public interface IGeneratedNetwork<T>
{
    Span<T> Parameters { get; }

    T TrainStep(ReadOnlySpan<T> input, ReadOnlySpan<T> target, T learningRate);

    T BatchGradient(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Span<T> gradient);
}
