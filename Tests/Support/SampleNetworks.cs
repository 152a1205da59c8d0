using System.Collections.Generic;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Networks;

namespace BackpropGen.Tests.Support;

/// <summary>The networks of the three seed notes and two more: the snapshot and gradient-check set.</summary>
public static class SampleNetworks
{
    /// <summary>The 365 notes: 2-3-2, sigmoid, ½ Σ (y − t)².</summary>
    public static NetworkSpec Notes { get; } = new(2,
        new[] { new LayerSpec(3, ActivationSpec.Sigmoid), new LayerSpec(2, ActivationSpec.Sigmoid) },
        LossSpec.HalfSquaredError, NotationStyle.Notes, "NotesNet");

    /// <summary>The 3Blue1Brown chain: one sigmoid neuron per layer, three layers, Σ (a − y)².</summary>
    public static NetworkSpec Chain { get; } = new(1,
        new[] { new LayerSpec(1, ActivationSpec.Sigmoid), new LayerSpec(1, ActivationSpec.Sigmoid), new LayerSpec(1, ActivationSpec.Sigmoid) },
        LossSpec.SquaredError, NotationStyle.Layered, "ChainNet");

    /// <summary>Coursera's logistic regression: one sigmoid unit on 3 inputs, binary cross-entropy.</summary>
    public static NetworkSpec Logistic { get; } = new(3,
        new[] { new LayerSpec(1, ActivationSpec.Sigmoid) },
        LossSpec.BinaryCrossEntropy, NotationStyle.Vectorized, "LogisticRegression");

    /// <summary>A softmax classifier with cross-entropy: 4-5-3, tanh hidden layer.</summary>
    public static NetworkSpec Softmax { get; } = new(4,
        new[] { new LayerSpec(5, ActivationSpec.Tanh), new LayerSpec(3, ActivationSpec.Softmax) },
        LossSpec.CrossEntropy, NotationStyle.Notes, "SoftmaxNet");

    /// <summary>The softmax classifier trained with Adam on an objective with an L2 penalty: the training sections of the document.</summary>
    public static NetworkSpec SoftmaxAdam { get; } = new(4,
        new[] { new LayerSpec(5, ActivationSpec.Tanh), new LayerSpec(3, ActivationSpec.Softmax) },
        LossSpec.CrossEntropy, NotationStyle.Notes, "SoftmaxNet", new TrainingSpec(OptimizerKind.Adam, l2: 1e-4));

    /// <summary>A custom activation (softsign) and a custom loss (a smooth absolute error).</summary>
    public static NetworkSpec Custom { get; } = new(2,
        new[]
        {
            new LayerSpec(3, ActivationSpec.Custom(Expr.Parse("x / (1 + abs(x))"), "x / (1 + abs(x))")),
            new LayerSpec(1, ActivationSpec.Identity),
        },
        LossSpec.Custom(Expr.Parse("softplus(y - t) + softplus(t - y)"), "softplus(y - t) + softplus(t - y)"),
        NotationStyle.Notes, "CustomNet");

    public static IReadOnlyDictionary<string, NetworkSpec> All { get; } = new Dictionary<string, NetworkSpec>
    {
        ["Notes"] = Notes,
        ["Chain"] = Chain,
        ["Logistic"] = Logistic,
        ["Softmax"] = Softmax,
        ["Custom"] = Custom,
    };

    /// <summary>Networks with layers wider than the unroll threshold, generated as loops: the loop-form snapshots.</summary>
    public static IReadOnlyDictionary<string, NetworkSpec> Looped { get; } = new Dictionary<string, NetworkSpec>
    {
        ["Wide"] = new(784,
            new[] { new LayerSpec(128, ActivationSpec.Sigmoid), new LayerSpec(10, ActivationSpec.Softmax) },
            LossSpec.CrossEntropy, NotationStyle.Notes, "WideNet"),
        ["Mixed"] = new(30,
            new[] { new LayerSpec(20, ActivationSpec.ReLU), new LayerSpec(3, ActivationSpec.Softmax) },
            LossSpec.MeanSquaredError, NotationStyle.Notes, "MixedNet"),
    };

    public static IEnumerable<object[]> Names()
    {
        foreach (var name in All.Keys)
        {
            yield return new object[] { name };
        }
    }
}
