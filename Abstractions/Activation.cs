namespace BackpropGen;

/// <summary>The activation function a <see cref="DenseAttribute"/> layer applies to each unit's pre-activation x.</summary>
public enum Activation
{
    /// <summary>The identity, f(x) = x: a linear layer.</summary>
    Identity,

    /// <summary>The logistic sigmoid, σ(x) = 1/(1+e^{-x}), with σ'(x) = σ(x)(1 − σ(x)).</summary>
    Sigmoid,

    /// <summary>The hyperbolic tangent, tanh(x) = (e^x − e^{-x})/(e^x + e^{-x}), with tanh'(x) = 1 − tanh²(x).</summary>
    Tanh,

    /// <summary>The rectified linear unit, ReLU(x) = max(0, x).</summary>
    ReLU,

    /// <summary>The leaky rectified linear unit with slope 0.01 below zero: f(x) = x for x &gt; 0, 0.01·x otherwise.</summary>
    LeakyReLU,

    /// <summary>The softplus, a smooth ReLU: f(x) = log(1+e^x), whose derivative is σ(x).</summary>
    Softplus,

    /// <summary>
    /// The softmax over the layer's units, y_j = e^{x_j} / Σ_k e^{x_k}. Allowed only on the last layer; with
    /// <see cref="Loss.CrossEntropy"/> the output error signal simplifies to y − t.
    /// </summary>
    Softmax,
}
