using System;
using System.Collections.Generic;
using System.Linq;
using BackpropGen.Symbolic.Matrices;
using static BackpropGen.Symbolic.Networks.NetworkSymbols;

namespace BackpropGen.Symbolic.Networks;

/// <summary>One assignment of an update rule, target ← value, in the rule's symbols θ, g, η, its state and hyperparameters.</summary>
public sealed class UpdateEquation
{
    public UpdateEquation(Symbol target, Expr value)
    {
        Target = target;
        Value = value;
    }

    /// <summary>What is assigned: the parameter θ or a state buffer.</summary>
    public Symbol Target { get; }

    /// <summary>The new value, as written (not simplified, so the document shows it in the rule's order).</summary>
    public Expr Value { get; }

    /// <summary>This equation for one parameter: θ and g replaced, state and hyperparameters by <paramref name="symbols"/>.</summary>
    public UpdateEquation Instantiate(Expr parameter, Expr gradient, Func<Symbol, Expr>? symbols = null)
    {
        Expr Replace(Symbol s) => TagOf(s)?.Role switch
        {
            SymbolRole.Parameter => parameter,
            SymbolRole.Gradient => gradient,
            _ => symbols?.Invoke(s) ?? s,
        };

        var target = Replace(Target) as Symbol ?? throw new InvalidOperationException($"the target of {Target} ← … must stay a symbol");
        return new UpdateEquation(target, Flatten(Value.Rewrite(Replace, i => i)));
    }

    /// <summary>Products inside products spliced into one, as a person writes −η δ_j h_i rather than −η (δ_j h_i).</summary>
    private static Expr Flatten(Expr e)
    {
        var children = e.Children;
        if (children.Count == 0)
        {
            return e;
        }

        var flat = children.Select(Flatten).ToList();
        if (e is Product)
        {
            return new Product(flat.SelectMany(f => f is Product p ? p.Factors : new[] { f }));
        }

        return flat.SequenceEqual(children) ? e : e.WithChildren(flat);
    }
}

/// <summary>
/// An optimizer's update of every parameter θ from its gradient g, as labelled equations over θ, g, the learning
/// rate η, the optimizer's state (one value per parameter), its hyperparameters and the step count t. The document
/// prints the equations and the code emitter compiles them; the state buffers are read off the equations' targets.
/// Equations that assign the step count run once per step, before the others, which run for every parameter.
/// </summary>
public sealed class UpdateRule
{
    private UpdateRule(string name, string reference, IReadOnlyList<UpdateEquation> equations, IReadOnlyList<(Symbol Symbol, double Value)> hyperparameters)
    {
        Name = name;
        Reference = reference;
        Equations = equations;
        Hyperparameters = hyperparameters;
        State = equations.Select(e => e.Target).Where(t => TagOf(t)?.Role == SymbolRole.OptimizerState).Distinct().ToList();
        if (equations.Count == 0 || !equations[equations.Count - 1].Target.Equals(Parameter))
        {
            throw new ArgumentException("an update rule ends with the assignment of θ", nameof(equations));
        }
    }

    /// <summary>For prose: <c>stochastic gradient descent</c>.</summary>
    public string Name { get; }

    /// <summary>The PyTorch class whose semantics the rule has: <c>torch.optim.Adam</c>.</summary>
    public string Reference { get; }

    /// <summary>The assignments in the order they run; the last assigns θ.</summary>
    public IReadOnlyList<UpdateEquation> Equations { get; }

    /// <summary>The equations run once per step (the step count's), then those run for every parameter.</summary>
    public IEnumerable<UpdateEquation> PerStep => Equations.Where(IsPerStep);

    /// <summary>The equations run for every parameter, in order.</summary>
    public IEnumerable<UpdateEquation> PerParameter => Equations.Where(e => !IsPerStep(e));

    /// <summary>The hyperparameters the equations use, with their values, in the order the document lists them.</summary>
    public IReadOnlyList<(Symbol Symbol, double Value)> Hyperparameters { get; }

    /// <summary>The state buffers the rule keeps, one value per parameter each, in the order they are first assigned.</summary>
    public IReadOnlyList<Symbol> State { get; }

    /// <summary>Whether the rule counts its steps (t, for Adam's bias correction).</summary>
    public bool CountsSteps => Equations.Any(IsPerStep);

    /// <summary>True when θ ← θ − η g is the whole rule: the step can be added to the parameters as the gradient is computed.</summary>
    public bool IsPlainStep => Equations.Count == 1 && State.Count == 0;

    /// <summary>
    /// The assignment of θ for a whole vector or matrix of parameters, <paramref name="parameter"/>, whose gradient is
    /// <paramref name="gradient"/> (the notes' u ← u − η ∇_u L(u)): the rule's one equation lifted to whole matrices. Null
    /// for a rule with state, whose equations hold entry by entry only.
    /// </summary>
    public (MatrixExpr Target, MatrixExpr Value)? VectorStep(MatrixSymbol parameter, MatrixExpr gradient)
    {
        if (!IsPlainStep)
        {
            return null;
        }

        var value = MatrixExpr.Lift(Equations[0].Value, new Dictionary<Symbol, MatrixExpr> { [Parameter] = parameter, [Gradient] = gradient });
        return value is null ? null : (parameter, value);
    }

    /// <summary>Whether <paramref name="equation"/> assigns the step count, once per step rather than once per parameter.</summary>
    public static bool IsPerStep(UpdateEquation equation) => TagOf(equation.Target)?.Role == SymbolRole.StepCount;

    /// <summary>The value of hyperparameter <paramref name="symbol"/>.</summary>
    public double ValueOf(Symbol symbol) =>
        Hyperparameters.FirstOrDefault(h => h.Symbol.Equals(symbol)) is { Symbol: not null } found
            ? found.Value
            : throw new ArgumentException($"{symbol} is not a hyperparameter of {Name}", nameof(symbol));

    /// <summary>θ ← θ − η g.</summary>
    public static UpdateRule StochasticGradientDescent { get; } = For(TrainingSpec.Default);

    /// <summary>μ, the momentum.</summary>
    public static readonly Symbol Mu = Hyperparameter("mu");

    /// <summary>β₁, the decay of Adam's first moment.</summary>
    public static readonly Symbol Beta1 = IndexedHyperparameter("beta", "1", "beta1");

    /// <summary>β₂, the decay of Adam's second moment.</summary>
    public static readonly Symbol Beta2 = IndexedHyperparameter("beta", "2", "beta2");

    /// <summary>ε, added to a root mean square before dividing by it.</summary>
    public static readonly Symbol Epsilon = Hyperparameter("epsilon");

    /// <summary>ρ, the decay of RMSProp's mean square.</summary>
    public static readonly Symbol Rho = Hyperparameter("rho");

    /// <summary>λ_wd, the decoupled weight decay.</summary>
    public static readonly Symbol Decay = IndexedHyperparameter("lambda", "wd", "weightDecay");

    /// <summary>t, the number of steps taken, counting the one being taken.</summary>
    public static readonly Symbol StepCount = new("t", null, Array.Empty<Subscript>(), new NetworkTag(SymbolRole.StepCount, 0, "t"));

    /// <summary>v: the velocity of momentum, or Adam's second moment.</summary>
    public static readonly Symbol Velocity = OptimizerState("v");

    /// <summary>m: Adam's first moment.</summary>
    public static readonly Symbol FirstMoment = OptimizerState("m");

    /// <summary>m̂: Adam's first moment corrected for its start at zero.</summary>
    public static readonly Symbol CorrectedFirstMoment = new("mhat", null, Array.Empty<Subscript>(), new NetworkTag(SymbolRole.UpdateTemporary, 0, "mhat"));

    /// <summary>v̂: Adam's second moment corrected for its start at zero.</summary>
    public static readonly Symbol CorrectedVelocity = new("vhat", null, Array.Empty<Subscript>(), new NetworkTag(SymbolRole.UpdateTemporary, 0, "vhat"));

    /// <summary>s: RMSProp's mean square.</summary>
    public static readonly Symbol MeanSquare = OptimizerState("s");

    /// <summary>The rule of <paramref name="training"/>: its optimizer, after the weight decay when there is one.</summary>
    public static UpdateRule For(TrainingSpec training)
    {
        var equations = new List<UpdateEquation>();
        var used = new List<(Symbol, double)>();
        Expr Use(Symbol symbol, double value)
        {
            if (!used.Any(u => u.Item1.Equals(symbol)))
            {
                used.Add((symbol, value));
            }

            return symbol;
        }

        var adam = training.Optimizer is OptimizerKind.Adam or OptimizerKind.AdamW;
        if (adam)
        {
            equations.Add(new UpdateEquation(StepCount, new Sum(StepCount, Number.One)));
        }

        if (training.WeightDecay > 0)
        {
            // θ ← θ (1 − η λ_wd): decoupled, so the decay is not part of g and does not pass through the moments.
            equations.Add(new UpdateEquation(Parameter, new Product(Parameter, OneMinus(new Product(LearningRate, Use(Decay, training.WeightDecay))))));
        }

        string name;
        string reference;
        switch (training.Optimizer)
        {
            case OptimizerKind.Momentum:
            case OptimizerKind.Nesterov:
            {
                var nesterov = training.Optimizer == OptimizerKind.Nesterov;
                name = nesterov ? "gradient descent with Nesterov momentum" : "gradient descent with momentum";
                reference = "torch.optim.SGD";
                var mu = Use(Mu, training.Momentum);
                equations.Add(new UpdateEquation(Velocity, new Sum(new Product(mu, Velocity), Gradient)));
                var direction = nesterov ? new Sum(Gradient, new Product(mu, Velocity)) : (Expr)Velocity;
                equations.Add(new UpdateEquation(Parameter, new Sum(Parameter, new Product(Number.MinusOne, LearningRate, direction))));
                break;
            }

            case OptimizerKind.Adam:
            case OptimizerKind.AdamW:
            {
                name = training.Optimizer == OptimizerKind.Adam ? "Adam" : "AdamW";
                reference = training.Optimizer == OptimizerKind.Adam ? "torch.optim.Adam" : "torch.optim.AdamW";
                var beta1 = Use(Beta1, training.Beta1);
                var beta2 = Use(Beta2, training.Beta2);
                var epsilon = Use(Epsilon, training.Epsilon);
                equations.Add(new UpdateEquation(FirstMoment, new Sum(new Product(beta1, FirstMoment), new Product(OneMinus(beta1), Gradient))));
                equations.Add(new UpdateEquation(Velocity, new Sum(new Product(beta2, Velocity), new Product(OneMinus(beta2), new Power(Gradient, Number.Two)))));
                // m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ): the moments corrected for their start at zero; θ ← θ − η m̂ / (√v̂ + ε).
                equations.Add(new UpdateEquation(CorrectedFirstMoment, Divide(FirstMoment, OneMinus(new Power(beta1, StepCount)))));
                equations.Add(new UpdateEquation(CorrectedVelocity, Divide(Velocity, OneMinus(new Power(beta2, StepCount)))));
                var root = new Sum(new Call(Function.Sqrt, CorrectedVelocity), epsilon);
                equations.Add(new UpdateEquation(Parameter, new Sum(Parameter, new Product(Number.MinusOne, LearningRate, Divide(CorrectedFirstMoment, root)))));
                break;
            }

            case OptimizerKind.RMSProp:
            {
                name = "RMSProp";
                reference = "torch.optim.RMSprop";
                var rho = Use(Rho, training.Rho);
                var epsilon = Use(Epsilon, training.Epsilon);
                equations.Add(new UpdateEquation(MeanSquare, new Sum(new Product(rho, MeanSquare), new Product(OneMinus(rho), new Power(Gradient, Number.Two)))));
                var root = new Sum(new Call(Function.Sqrt, MeanSquare), epsilon);
                equations.Add(new UpdateEquation(Parameter, new Sum(Parameter, new Product(Number.MinusOne, LearningRate, Divide(Gradient, root)))));
                break;
            }

            default:
                name = "stochastic gradient descent";
                reference = "torch.optim.SGD";
                equations.Add(new UpdateEquation(Parameter, new Sum(Parameter, new Product(Number.MinusOne, LearningRate, Gradient))));
                break;
        }

        // The decay's λ_wd goes last in the list of values, after the optimizer's own.
        var ordered = used.Where(u => !u.Item1.Equals(Decay)).Concat(used.Where(u => u.Item1.Equals(Decay))).ToList();
        return new UpdateRule(name, reference, equations, ordered);
    }

    private static Expr OneMinus(Expr e) => new Sum(Number.One, new Product(Number.MinusOne, e));

    /// <summary>a / b as written: a product with b⁻¹, which the printers show as a fraction.</summary>
    private static Expr Divide(Expr a, Expr b) => new Product(a, new Power(b, Number.MinusOne));

    private static Symbol IndexedHyperparameter(string letter, string index, string name) =>
        new(letter, null, new[] { Subscript.Named(index) }, new NetworkTag(SymbolRole.Hyperparameter, 0, name));
}
