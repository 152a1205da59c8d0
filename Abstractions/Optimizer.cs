namespace BackpropGen;

/// <summary>
/// How <c>TrainStep</c> and <c>TrainBatch</c> update the parameters θ from the gradient g of the objective, with
/// PyTorch's semantics (<c>torch.optim</c>). The learning rate η is an argument of the training methods, so schedules
/// are the caller's; the other hyperparameters are properties of <see cref="NetworkAttribute"/>.
/// </summary>
public enum Optimizer
{
    /// <summary>θ ← θ − η g (<c>torch.optim.SGD</c>). Keeps no state.</summary>
    StochasticGradientDescent,

    /// <summary>
    /// v ← μ v + g; θ ← θ − η v, with μ = <see cref="NetworkAttribute.Momentum"/> (<c>torch.optim.SGD(momentum=μ)</c>).
    /// </summary>
    Momentum,

    /// <summary>
    /// v ← μ v + g; θ ← θ − η (g + μ v), with μ = <see cref="NetworkAttribute.Momentum"/>
    /// (<c>torch.optim.SGD(momentum=μ, nesterov=True)</c>).
    /// </summary>
    Nesterov,

    /// <summary>
    /// m ← β₁ m + (1 − β₁) g; v ← β₂ v + (1 − β₂) g²; θ ← θ − η (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε), t the number
    /// of steps taken (<c>torch.optim.Adam</c>), with <see cref="NetworkAttribute.Beta1"/>, <see cref="NetworkAttribute.Beta2"/>
    /// and <see cref="NetworkAttribute.Epsilon"/>.
    /// </summary>
    Adam,

    /// <summary>
    /// θ ← θ (1 − η λ_wd), then the <see cref="Adam"/> step (<c>torch.optim.AdamW</c>); λ_wd is
    /// <see cref="NetworkAttribute.WeightDecay"/>, 0.01 unless set.
    /// </summary>
    AdamW,

    /// <summary>
    /// s ← ρ s + (1 − ρ) g²; θ ← θ − η g / (√s + ε) (<c>torch.optim.RMSprop(alpha=ρ)</c>), with
    /// <see cref="NetworkAttribute.Rho"/> and <see cref="NetworkAttribute.Epsilon"/>.
    /// </summary>
    RMSProp,
}
