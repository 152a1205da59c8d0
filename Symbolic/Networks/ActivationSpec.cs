using System;

namespace BackpropGen.Symbolic.Networks;

/// <summary>
/// A layer's activation: an expression in <c>x</c> applied to each unit, or softmax over the layer. The
/// built-ins are expressions too, so the engine differentiates them like a custom one.
/// </summary>
public sealed record ActivationSpec
{
    /// <summary>The variable of an activation expression.</summary>
    public static readonly Symbol Variable = new("x");

    private ActivationSpec(string name, Expr? expression, string? source, Initialization initialization = Initialization.Xavier)
    {
        Initialization = initialization;
        Name = name;
        Expression = expression;
        Source = source;
    }

    /// <summary>A short name for prose and code comments: <c>sigmoid</c>, <c>tanh</c>, <c>custom</c>.</summary>
    public string Name { get; }

    /// <summary>f(x), or null for softmax, which acts on the whole layer.</summary>
    public Expr? Expression { get; }

    /// <summary>The text the user wrote, for a custom activation.</summary>
    public string? Source { get; }

    public bool IsSoftmax => Expression is null;

    /// <summary>How a layer with this activation draws its weights: He for the ReLU-like ones, Xavier otherwise.</summary>
    public Initialization Initialization { get; }

    public bool IsCustom => Source is not null;

    /// <summary>Whether the function is the logistic sigmoid, written as a custom expression or not.</summary>
    public bool IsSigmoid => Equals(Expression, Sigmoid.Expression);

    public static ActivationSpec Identity { get; } = new("identity", Variable, null);

    public static ActivationSpec Sigmoid { get; } = new("sigmoid", Expr.Sigmoid(Variable), null);

    public static ActivationSpec Tanh { get; } = new("tanh", Expr.Tanh(Variable), null);

    public static ActivationSpec ReLU { get; } = new("ReLU", Expr.ReLU(Variable), null, Initialization.He);

    /// <summary>Leaky ReLU with slope 0.01: relu(x) − 0.01 relu(−x), whose derivative is step(x) + 0.01 step(−x).</summary>
    public static ActivationSpec LeakyReLU { get; } = new("leaky ReLU", Expr.Parse("relu(x) - 0.01 * relu(-x)").Simplify(), null, Initialization.He);

    public static ActivationSpec Softplus { get; } = new("softplus", Expr.Softplus(Variable), null);

    /// <summary>y_j = e^{a_j} / Σ_k e^{a_k}: only on the last layer.</summary>
    public static ActivationSpec Softmax { get; } = new("softmax", null, null);

    /// <summary>A custom activation, an expression in x (checked by the caller to use no other variable).</summary>
    public static ActivationSpec Custom(Expr expression, string source) => new("custom", expression.Simplify(), source);

    /// <summary>f applied to <paramref name="argument"/>, as written (not simplified).</summary>
    public Expr Apply(Expr argument) =>
        Expression?.Substitute(Variable, argument) ?? throw new InvalidOperationException("softmax acts on a whole layer, not on one unit");


    public override string ToString() => Source is null ? Name : $"custom ({Source})";
}
