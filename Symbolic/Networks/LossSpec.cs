using System;

namespace BackpropGen.Symbolic.Networks;

/// <summary>The built-in losses; <see cref="Custom"/> for a user expression.</summary>
public enum LossKind
{
    HalfSquaredError,
    SquaredError,
    MeanSquaredError,
    BinaryCrossEntropy,
    CrossEntropy,
    Custom,
}

/// <summary>
/// The loss of one example, as a per-output expression ℓ(y, t) summed over the outputs. The built-ins are
/// expressions too: ½(y − t)², (y − t)², (y − t)²/k with k the number of outputs, −[t log y + (1 − t) log(1 − y)]
/// and −t log y.
/// </summary>
public sealed record LossSpec
{
    public static readonly Symbol Output = new("y");
    public static readonly Symbol Target = new("t");

    /// <summary>The number of outputs, in <see cref="LossKind.MeanSquaredError"/>.</summary>
    public static readonly Symbol OutputCount = new("k");

    private LossSpec(LossKind kind, string name, Expr perOutput, string? source)
    {
        Kind = kind;
        Name = name;
        PerOutput = perOutput;
        Source = source;
    }

    public LossKind Kind { get; }

    /// <summary>For prose: <c>half squared error</c>.</summary>
    public string Name { get; }

    /// <summary>ℓ(y, t) in the symbols y, t (and k for the mean squared error).</summary>
    public Expr PerOutput { get; }

    /// <summary>The text the user wrote, for a custom loss.</summary>
    public string? Source { get; }

    public static LossSpec HalfSquaredError { get; } = Builtin(LossKind.HalfSquaredError, "half squared error", "1/2 * (y - t)^2");

    public static LossSpec SquaredError { get; } = Builtin(LossKind.SquaredError, "squared error", "(y - t)^2");

    public static LossSpec MeanSquaredError { get; } = Builtin(LossKind.MeanSquaredError, "mean squared error", "(y - t)^2 / k");

    public static LossSpec BinaryCrossEntropy { get; } = Builtin(LossKind.BinaryCrossEntropy, "binary cross-entropy", "-(t * log(y) + (1 - t) * log(1 - y))");

    public static LossSpec CrossEntropy { get; } = Builtin(LossKind.CrossEntropy, "cross-entropy", "-t * log(y)");

    /// <summary>A custom loss in y and t (checked by the caller to use no other variable).</summary>
    public static LossSpec Custom(Expr perOutput, string source) => new(LossKind.Custom, "custom loss", perOutput, source);

    private static LossSpec Builtin(LossKind kind, string name, string text) => new(kind, name, Expr.Parse(text), null);

    /// <summary>ℓ(y, t) with the number of outputs filled in.</summary>
    public Expr ForOutputs(int count) => PerOutput.Substitute(OutputCount, Expr.Constant(count, 1));


    public override string ToString() => Source is null ? Name : $"custom loss ({Source})";
}
