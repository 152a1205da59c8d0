using System;

namespace BackpropGen;

/// <summary>
/// Declares a <c>partial class</c> as a feed-forward neural network whose forward pass, loss, gradients, training
/// steps and LaTeX derivation document are generated at compile time.
/// </summary>
/// <remarks>
/// <para>
/// The network's layers are the <see cref="DenseAttribute"/>s on the same class, applied in the order the
/// <c>[Dense]</c> attributes are written: the first takes the <see cref="Inputs"/>, the last produces the outputs.
/// </para>
/// <example>
/// A network with two inputs, a hidden layer of three sigmoid units and two sigmoid outputs:
/// <code>
/// using BackpropGen;
///
/// [Network(inputs: 2, Loss = Loss.HalfSquaredError, Notation = Notation.Notes)]
/// [Dense(3, Activation.Sigmoid)]
/// [Dense(2, Activation.Sigmoid)]
/// public partial class NotesNet { }
/// </code>
/// </example>
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NetworkAttribute : Attribute
{
    /// <summary>Declares a network that takes <paramref name="inputs"/> inputs per example.</summary>
    /// <param name="inputs">The number of inputs of one example, the width of the first layer's input.</param>
    public NetworkAttribute(int inputs)
    {
        Inputs = inputs;
    }

    /// <summary>The number of inputs of one example.</summary>
    public int Inputs { get; }

    /// <summary>The built-in loss of one example; <see cref="Loss.HalfSquaredError"/> unless set.</summary>
    /// <remarks>Set either this or <see cref="LossExpression"/>, not both.</remarks>
    public Loss Loss { get; set; } = Loss.HalfSquaredError;

    /// <summary>
    /// A custom loss: a per-output expression in <c>y</c> (the output) and <c>t</c> (the target), summed over the
    /// outputs, such as <c>"1/2 * (y - t)^2"</c>; <see langword="null"/> for the built-in <see cref="Loss"/>.
    /// </summary>
    /// <remarks>Mutually exclusive with setting <see cref="Loss"/>.</remarks>
    public string? LossExpression { get; set; }

    /// <summary>The letters the derivation document is written in; <see cref="Notation.Notes"/> unless set.</summary>
    public Notation Notation { get; set; } = Notation.Notes;

    /// <summary>The floating-point type of the generated code; <see cref="Precision.Double"/> unless set.</summary>
    public Precision Precision { get; set; } = Precision.Double;

    /// <summary>
    /// The most weights (inputs × units) a layer may have to be generated as unrolled straight-line code; wider
    /// layers are generated as loops over spans with SIMD. 128 unless set; from 0 (every layer a loop) to 4096.
    /// </summary>
    /// <remarks>
    /// Both forms compute the same equations with the same parameter layout and API; the threshold only trades code
    /// size against speed. Unrolled code is fastest for small layers, loops for wide ones.
    /// </remarks>
    public int MaxUnrolledWeights { get; set; } = 128;

    /// <summary>How the training methods update the parameters; <see cref="BackpropGen.Optimizer.StochasticGradientDescent"/> unless set.</summary>
    /// <remarks>The optimizer's state lives in the instance; <c>ResetOptimizer()</c> clears it.</remarks>
    public Optimizer Optimizer { get; set; } = Optimizer.StochasticGradientDescent;

    /// <summary>μ of <see cref="BackpropGen.Optimizer.Momentum"/> and <see cref="BackpropGen.Optimizer.Nesterov"/>, in [0, 1); 0.9 unless set.</summary>
    public double Momentum { get; set; } = 0.9;

    /// <summary>β₁, the decay of the first moment of <see cref="BackpropGen.Optimizer.Adam"/> and <see cref="BackpropGen.Optimizer.AdamW"/>, in [0, 1); 0.9 unless set.</summary>
    public double Beta1 { get; set; } = 0.9;

    /// <summary>β₂, the decay of the second moment of <see cref="BackpropGen.Optimizer.Adam"/> and <see cref="BackpropGen.Optimizer.AdamW"/>, in [0, 1); 0.999 unless set.</summary>
    public double Beta2 { get; set; } = 0.999;

    /// <summary>ε of Adam, AdamW and RMSProp, added to the root mean square before dividing by it, at least 0; 1e-8 unless set.</summary>
    public double Epsilon { get; set; } = 1e-8;

    /// <summary>ρ, the decay of <see cref="BackpropGen.Optimizer.RMSProp"/>'s mean square (PyTorch's <c>alpha</c>), in [0, 1); 0.99 unless set.</summary>
    public double Rho { get; set; } = 0.99;

    /// <summary>
    /// λ of an L2 penalty on the weights (not the biases) in the objective: J = L + (λ/2) Σ w², at least 0; 0 (none)
    /// unless set.
    /// </summary>
    /// <remarks>
    /// The penalty is part of the derivation: <c>Loss</c>, <c>Gradient</c>, <c>BatchGradient</c> and the training methods
    /// return and differentiate J, so ∂J/∂w = ∂L/∂w + λ w.
    /// </remarks>
    public double L2 { get; set; }

    /// <summary>
    /// λ_wd of a decoupled weight decay: every parameter is multiplied by (1 − η λ_wd) before each step, with any
    /// optimizer; at least 0. 0 unless set, except 0.01 for <see cref="BackpropGen.Optimizer.AdamW"/>.
    /// </summary>
    public double WeightDecay { get; set; }
}
