using System;
using System.Globalization;

namespace BackpropGen.Symbolic.Networks;

/// <summary>The optimizers a network can train with (PyTorch's <c>torch.optim</c> semantics).</summary>
public enum OptimizerKind
{
    /// <summary>θ ← θ − η g.</summary>
    StochasticGradientDescent,

    /// <summary>v ← μ v + g; θ ← θ − η v.</summary>
    Momentum,

    /// <summary>v ← μ v + g; θ ← θ − η (g + μ v).</summary>
    Nesterov,

    /// <summary>Adam with bias correction.</summary>
    Adam,

    /// <summary>Adam after a decoupled weight decay (0.01 unless set).</summary>
    AdamW,

    /// <summary>s ← ρ s + (1 − ρ) g²; θ ← θ − η g / (√s + ε).</summary>
    RMSProp,
}

/// <summary>
/// How a network trains: its optimizer and the optimizer's hyperparameters, the L2 penalty on the weights (part of
/// the objective J, so of the derivation) and the decoupled weight decay (part of the update). Compares by value.
/// </summary>
public sealed record TrainingSpec
{
    public TrainingSpec(
        OptimizerKind optimizer = OptimizerKind.StochasticGradientDescent,
        double momentum = 0.9,
        double beta1 = 0.9,
        double beta2 = 0.999,
        double epsilon = 1e-8,
        double rho = 0.99,
        double l2 = 0,
        double? weightDecay = null)
    {
        Optimizer = optimizer;
        Momentum = momentum;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        Rho = rho;
        L2 = l2;
        WeightDecay = weightDecay ?? DefaultWeightDecay(optimizer);
    }

    /// <summary>Plain gradient descent, no penalty, no decay.</summary>
    public static TrainingSpec Default { get; } = new();

    public OptimizerKind Optimizer { get; }

    /// <summary>μ of <see cref="OptimizerKind.Momentum"/> and <see cref="OptimizerKind.Nesterov"/>.</summary>
    public double Momentum { get; }

    /// <summary>β₁ of Adam and AdamW.</summary>
    public double Beta1 { get; }

    /// <summary>β₂ of Adam and AdamW.</summary>
    public double Beta2 { get; }

    /// <summary>ε of Adam, AdamW and RMSProp.</summary>
    public double Epsilon { get; }

    /// <summary>ρ of RMSProp.</summary>
    public double Rho { get; }

    /// <summary>λ of the penalty (λ/2) Σ w² on the weights in the objective; 0 for none.</summary>
    public double L2 { get; }

    /// <summary>λ_wd of the decoupled decay θ ← θ (1 − η λ_wd) before each step; 0 for none.</summary>
    public double WeightDecay { get; }

    /// <summary>0.01 for AdamW, 0 otherwise, as in PyTorch.</summary>
    public static double DefaultWeightDecay(OptimizerKind optimizer) => optimizer == OptimizerKind.AdamW ? 0.01 : 0.0;

    /// <summary>Which hyperparameters (by their <c>[Network]</c> property name) <paramref name="optimizer"/> reads.</summary>
    public static bool Uses(OptimizerKind optimizer, string property) => property switch
    {
        "Momentum" => optimizer is OptimizerKind.Momentum or OptimizerKind.Nesterov,
        "Beta1" or "Beta2" => optimizer is OptimizerKind.Adam or OptimizerKind.AdamW,
        "Epsilon" => optimizer is OptimizerKind.Adam or OptimizerKind.AdamW or OptimizerKind.RMSProp,
        "Rho" => optimizer is OptimizerKind.RMSProp,
        _ => true,
    };

    public override string ToString() =>
        string.Format(CultureInfo.InvariantCulture, "{0} (μ {1}, β₁ {2}, β₂ {3}, ε {4}, ρ {5}, L2 {6}, decay {7})", Optimizer, Momentum, Beta1, Beta2, Epsilon, Rho, L2, WeightDecay);
}
