using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Networks;
using static BackpropGen.Symbolic.Networks.NetworkSymbols;

namespace BackpropGen.Generator.Emit;

/// <summary>
/// The optimizer and the objective: the update rule's equations compiled into the training methods (state buffers,
/// the step count, invariants computed once per step), the L2 penalty of the objective, and <c>ResetOptimizer</c>.
/// </summary>
internal sealed partial class NetworkEmitter
{
    private UpdateRule Rule => _derivation.Update;

    private bool HasPenalty => _derivation.L2 > 0;

    /// <summary>The symbol the update's loop body reads the parameter's gradient from.</summary>
    private static readonly Symbol GradientLocal = new("gk");

    /// <summary>The instance field of a state buffer: <c>__m</c>.</summary>
    private static string StateField(Symbol state) => "__" + TagOf(state)!.Name;

    /// <summary>The local that holds a state buffer in a method: <c>state_m</c>.</summary>
    private static string StateLocal(Symbol state) => "state_" + TagOf(state)!.Name;

    /// <summary>The update's equation numbers for the doc comments: the per-layer updates of θ ← θ − η g, or the rule's own.</summary>
    private string UpdateEquations() => Rule.IsPlainStep
        ? Range(EquationLabels.WeightUpdate(1), EquationLabels.BiasUpdate(LayerCount))
        : Range(EquationLabels.UpdateStep(1), EquationLabels.UpdateStep(Rule.Equations.Count));

    /// <summary>One sentence for the doc comments: "gradient descent, θ ← θ − η g" or "Adam (PyTorch's torch.optim.Adam)".</summary>
    private string RuleSummary() =>
        $"{Rule.Name}, as PyTorch's <c>{Escape(Rule.Reference)}</c>"
        + (HasPenalty ? $" on the objective J = L + (λ/2) Σ w², λ = {Value(_derivation.L2)}" : "");

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);

    private static string Value(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private void WriteOptimizerState()
    {
        foreach (var state in Rule.State)
        {
            _w.Doc($"<summary>The optimizer's {Text(state)} of every parameter, in the layout of <see cref=\"Parameters\"/>.</summary>");
            _w.Line($"private readonly {_type}[] {StateField(state)} = new {_type}[ParameterCount];");
            _w.Line();
        }

        if (Rule.CountsSteps)
        {
            _w.Doc("<summary>The number of update steps taken, t of the bias correction.</summary>");
            _w.Line("private long __step;");
            _w.Line();
        }

        if (HasPenalty)
        {
            var bounds = new List<int>();
            for (var l = 1; l <= LayerCount; l++)
            {
                bounds.Add(_layout.WeightStart(l));
                bounds.Add(_layout.BiasStart(l));
            }

            bounds.Add(_layout.Total);
            _w.Doc("<summary>The layout as ranges: [r[0], r[1]) the weights of layer 1, [r[1], r[2]) its biases, then layer 2's, …: even ranges are penalised.</summary>");
            _w.Line($"private static readonly int[] __ranges = {{ {string.Join(", ", bounds)} }};");
            _w.Line();
        }
    }

    private void WriteResetOptimizer()
    {
        var state = Rule.State.Count == 0 && !Rule.CountsSteps
            ? $"{Capitalized(Escape(Rule.Name))} keeps no state, so this does nothing; it is here so that code can reset any network's optimizer."
            : $"Zeroes the state of {Escape(Rule.Name)} ({string.Join(", ", Rule.State.Select(Text).Concat(Rule.CountsSteps ? new[] { "the step count t" } : Array.Empty<string>()))}), as if no step had been taken.";
        _w.Doc($"<summary>\n{state}\n</summary>\n<remarks>Needs exclusive access to the instance, like the training methods.</remarks>");
        using (_w.Open("public void ResetOptimizer()"))
        {
            foreach (var buffer in Rule.State)
            {
                _w.Line($"global::System.Array.Clear({StateField(buffer)}, 0, ParameterCount);");
            }

            if (Rule.CountsSteps)
            {
                _w.Line("__step = 0;");
            }
        }

        _w.Line();
    }

    /// <summary>
    /// The penalty (λ/2) Σ w² and its gradient λ w, over the weights of every layer (the biases are not penalised):
    /// the objective's extra term, added once per call to the loss and gradient of the examples.
    /// </summary>
    private void WritePenaltyHelpers()
    {
        if (!HasPenalty)
        {
            return;
        }

        var lambda = Literal(_derivation.L2);
        _w.Doc($"<summary>The penalty (λ/2) Σ w² over every layer's weights, λ = {Value(_derivation.L2)} (eq. ({Number(EquationLabels.Objective)}) of <see cref=\"DerivationLatex\"/>).</summary>");
        using (_w.Open($"private static {_type} __Penalty({_type}[] p)"))
        {
            _w.Line($"{_type} sum = {Literal(0)};");
            using (_w.Open("for (int r = 0; r + 1 < __ranges.Length; r += 2)"))
            using (_w.Open("for (int k = __ranges[r]; k < __ranges[r + 1]; k++)"))
            {
                _w.Line("sum += p[k] * p[k];");
            }

            _w.Line($"return {Literal(0.5)} * {lambda} * sum;");
        }

        _w.Line();
        _w.Doc($"<summary>Adds the penalty's gradient λ w to every weight's entry of <paramref name=\"gradient\"/> (eq. ({Number(EquationLabels.ObjectiveWeightGradient)})); the biases' entries stay.</summary>");
        using (_w.Open($"private static void __AddPenaltyGradient({_type}[] p, global::System.Span<{_type}> gradient)"))
        {
            using (_w.Open("for (int r = 0; r + 1 < __ranges.Length; r += 2)"))
            using (_w.Open("for (int k = __ranges[r]; k < __ranges[r + 1]; k++)"))
            {
                _w.Line($"gradient[k] += {lambda} * p[k];");
            }
        }

        _w.Line();
    }

    /// <summary><c> + __Penalty(p)</c> when the objective has one, else nothing.</summary>
    private string PlusPenalty(string parameters = "p") => HasPenalty ? $" + __Penalty({parameters})" : "";

    /// <summary>
    /// <c>__ApplyUpdate</c>: the rule's step for every parameter from a summed gradient buffer g and its scale (1/n for
    /// a batch), with the penalty's λ w added to the weights' gradients, in one pass over the parameters.
    /// </summary>
    private void WriteApplyUpdate()
    {
        _w.Doc($"<summary>\nOne step of {Escape(Rule.Name)} for every parameter θ = p[k], with g = scale · <paramref name=\"g\"/>[k]{(HasPenalty ? " + λ θ for a weight" : "")}\n(equations {UpdateEquations()} of <see cref=\"DerivationLatex\"/>), in one pass over the parameters.\n</summary>");
        using (_w.Open($"private void __ApplyUpdate({_type}[] g, {_type} scale, {_type} learningRate)"))
        {
            _w.Line($"{_type}[] p = __parameters;");
            var body = CompileRule(HasPenalty ? "decay" : null);
            var gradient = new Product(new Symbol("g[k]"), new Symbol("scale"));
            if (HasPenalty)
            {
                using (_w.Open("for (int r = 0; r + 1 < __ranges.Length; r++)"))
                {
                    _w.Line($"{_type} decay = (r & 1) == 0 ? {Literal(_derivation.L2)} : {Literal(0)}; // λ for the weights, 0 for the biases: ∂J/∂w = ∂L/∂w + λ w{Cite(EquationLabels.ObjectiveWeightGradient)}");
                    using (_w.Open("for (int k = __ranges[r]; k < __ranges[r + 1]; k++)"))
                    {
                        body("k", gradient);
                    }
                }
            }
            else
            {
                using (_w.Open("for (int k = 0; k < ParameterCount; k++)"))
                {
                    body("k", gradient);
                }
            }
        }

        _w.Line();
    }

    /// <summary>
    /// The rule's per-step statements (the step count, then every value that is the same for every parameter), written
    /// now; returns the writer of one parameter's statements, for θ = <c>p[index]</c> with gradient g (plus
    /// <paramref name="decay"/> θ, when given).
    /// </summary>
    private Action<string, Expr> CompileRule(string? decay)
    {
        var equations = Rule.Equations.ToList();
        foreach (var equation in Rule.PerStep)
        {
            if (!equation.Value.Equals(new Sum(UpdateRule.StepCount, new Number(Rational.One))))
            {
                throw new InvalidOperationException($"a per-step equation the emitter cannot compile: {equation.Target} ← {equation.Value}");
            }

            _w.Line($"__step++; // {Text(equation.Target)} ← {Text(equation.Value)}{Cite(EquationLabels.UpdateStep(equations.IndexOf(equation) + 1))}");
            _w.Line($"{_type} t = __step;");
        }

        foreach (var state in Rule.State)
        {
            _w.Line($"{_type}[] {StateLocal(state)} = {StateField(state)};");
        }

        // Compiled and printed once, for θ = p[k]: the parts the same for every parameter become locals computed once per
        // step, and a parameter's statements are these lines with its own index in place of k.
        var hoisted = new Dictionary<Expr, Symbol>();
        var statements = Rule.PerParameter.Select(equation =>
        {
            var compiled = Numeric(equation.Instantiate(new Symbol("p[k]"), GradientLocal, RuleSymbol));
            var comment = $"{Text(equation.Target)} ← {Text(equation.Value)}" + (Rule.IsPlainStep
                ? $"   (eqs. {UpdateEquations()})"
                : Cite(EquationLabels.UpdateStep(equations.IndexOf(equation) + 1)));
            var target = TagOf(equation.Target)?.Role == SymbolRole.UpdateTemporary ? $"{_type} {compiled.Target.Name}" : compiled.Target.Name;
            return $"{target} = {_printer.Print(Hoist(compiled.Value, hoisted))}; // {comment}";
        }).ToList();
        foreach (var binding in hoisted)
        {
            _w.Line($"{_type} {binding.Value.Name} = {_printer.Print(binding.Key)}; // the same for every parameter of this step");
        }

        return (index, gradient) =>
        {
            var value = decay is null ? gradient : new Sum(gradient, new Product(new Symbol(decay), new Symbol($"p[{index}]")));
            _w.Line($"{_type} {GradientLocal.Name} = {_printer.Print(value)}; // g = ∂{Text(Objective)}/∂θ");
            foreach (var statement in statements)
            {
                _w.Line(index == "k" ? statement : statement.Replace("[k]", $"[{index}]"));
            }
        };
    }

    /// <summary>What a symbol of the rule is in code: η the argument, a state buffer's element, t the step's local.</summary>
    private Expr RuleSymbol(Symbol symbol) => TagOf(symbol)?.Role switch
    {
        SymbolRole.LearningRate => new Symbol("learningRate"),
        SymbolRole.OptimizerState => new Symbol($"{StateLocal(symbol)}[k]"),
        SymbolRole.StepCount => new Symbol("t"),
        SymbolRole.UpdateTemporary => new Symbol(TagOf(symbol)!.Name!),
        _ => symbol,
    };

    /// <summary>The rule's hyperparameters replaced by their values, then simplified, so constants like 1 − β₁ are one literal.</summary>
    private UpdateEquation Numeric(UpdateEquation equation)
    {
        var value = equation.Value.Rewrite(
            s => TagOf(s)?.Role == SymbolRole.Hyperparameter ? Literal(Rule.ValueOf(s), s) : s,
            i => i);
        return new UpdateEquation(equation.Target, value.Simplify());
    }

    /// <summary>The exact rational of a hyperparameter's value as written (0.9 is 9/10).</summary>
    private static Expr Literal(double value, Symbol symbol) =>
        Rational.TryParseDecimal(value.ToString("R", CultureInfo.InvariantCulture), out var exact)
            ? new Number(exact)
            : throw new InvalidOperationException($"the value {value} of {symbol} is not a finite number");

    /// <summary>
    /// Parts of a parameter's update that are the same for every parameter of a step (they read only η and t) and cost
    /// more than a multiplication, bound to locals <c>corr0</c>, <c>corr1</c>, … so they are computed once per step.
    /// </summary>
    private static Expr Hoist(Expr e, Dictionary<Expr, Symbol> hoisted)
    {
        Symbol Bind(Expr value)
        {
            if (!hoisted.TryGetValue(value, out var local))
            {
                local = new Symbol("corr" + hoisted.Count.ToString(CultureInfo.InvariantCulture));
                hoisted.Add(value, local);
            }

            return local;
        }

        if (IsStepInvariant(e) && IsCostly(e))
        {
            return Bind(e);
        }

        if (e is Product product)
        {
            var invariant = product.Factors.Where(IsStepInvariant).ToList();
            var group = new Product(invariant);
            if (invariant.Count > 1 && invariant.Count < product.Factors.Count && IsCostly(group))
            {
                return new Product(product.Factors.Where(f => !IsStepInvariant(f)).Select(f => Hoist(f, hoisted)).Prepend(Bind(group)));
            }
        }

        var children = e.Children;
        if (children.Count == 0)
        {
            return e;
        }

        var rewritten = children.Select(c => Hoist(c, hoisted)).ToList();
        return rewritten.SequenceEqual(children) ? e : e.WithChildren(rewritten);
    }

    private static bool IsStepInvariant(Expr e) => e.Symbols().All(s => s.Name is "t" or "learningRate");

    private static bool IsCostly(Expr e) => e is Sum or Call or Power || e.Children.Any(IsCostly);
}
