using System;
using System.Collections.Generic;
using System.Linq;
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
/// rate η, the optimizer's state (one value per parameter) and its hyperparameters. The document prints the
/// equations and the code emitter compiles them; the state buffers are read off the equations' targets.
/// </summary>
public sealed class UpdateRule
{
    private UpdateRule(string name, IReadOnlyList<UpdateEquation> equations)
    {
        Name = name;
        Equations = equations;
        State = equations.Select(e => e.Target).Where(t => TagOf(t)?.Role == SymbolRole.OptimizerState).Distinct().ToList();
        if (equations.Count == 0 || !equations[equations.Count - 1].Target.Equals(Parameter))
        {
            throw new ArgumentException("an update rule ends with the assignment of θ", nameof(equations));
        }
    }

    /// <summary>For prose: <c>stochastic gradient descent</c>.</summary>
    public string Name { get; }

    /// <summary>The assignments in the order they run; the last assigns θ.</summary>
    public IReadOnlyList<UpdateEquation> Equations { get; }

    /// <summary>The state buffers the rule keeps, one value per parameter each, in the order they are first assigned.</summary>
    public IReadOnlyList<Symbol> State { get; }

    /// <summary>True when θ ← θ − η g is the whole rule: the step can be added to the parameters as the gradient is computed.</summary>
    public bool IsPlainStep => Equations.Count == 1 && State.Count == 0;

    /// <summary>θ ← θ − η g.</summary>
    public static UpdateRule StochasticGradientDescent { get; } = new(
        "stochastic gradient descent",
        new[] { new UpdateEquation(Parameter, new Sum(Parameter, new Product(Number.MinusOne, LearningRate, Gradient))) });
}
