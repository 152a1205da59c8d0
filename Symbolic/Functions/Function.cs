using System;
using System.Collections.Generic;
using System.Linq;

namespace BackpropGen.Symbolic;

/// <summary>
/// A built-in function: its name, arity, double-precision value, exact folding on rational arguments, its
/// partial derivatives in closed form (σ' = σ(1 − σ), tanh' = 1 − tanh², softplus' = σ, relu' = step,
/// abs' = sign), its symmetry under u → −u and its own simplification rules (log(e^u) = u, u·sign(u) = |u|).
/// One table, so each function is described in one place; every rule holds wherever both of its sides are defined,
/// 0 included (a rule true only away from 0, such as sign(u)² = 1, is not one).
/// </summary>
public sealed class Function
{
    private readonly Func<double[], double> _evaluate;
    private readonly Func<Rational[], Rational?> _fold;
    private readonly Func<Expr[], int, Expr> _partial;

    private Function(string name, int arity, string formula, Func<double[], double> evaluate, Func<Rational[], Rational?> fold, Func<Expr[], int, Expr> partial)
    {
        Name = name;
        Arity = arity;
        Formula = formula;
        _evaluate = evaluate;
        _fold = fold;
        _partial = partial;
    }

    /// <summary>How f(−u) relates to f(u); <see cref="Call"/> keeps the argument's sign canonical for even and odd functions.</summary>
    public Symmetry Symmetry { get; private set; }

    /// <summary>
    /// Given u, f(−u) written with f(u), for functions neither even nor odd (σ(−u) = 1 − σ(u), softplus(−u) =
    /// softplus(u) − u); null when there is none. Only a sum that holds both f(u) and f(−u) uses it, to collect them:
    /// alone, σ(−u) keeps its form, which stays precise where σ(u) rounds to 1.
    /// </summary>
    internal Func<Expr, Expr>? Reflection { get; private set; }

    /// <summary>The function's own rewrite of a call on canonical arguments (log(e^u) = u), or null when none applies.</summary>
    internal Func<Expr[], Expr?>? Rewrite { get; private set; }

    /// <summary>
    /// The product of a call of this function (first argument) with another factor (second), when it is simpler
    /// (u·sign(u) = |u|); null when the factor does not combine.
    /// </summary>
    internal Func<Call, Expr, Expr?>? Absorb { get; private set; }

    /// <summary>
    /// The function written with more elementary ones, as the tree a textbook writes (σ(u) = 1/(1 + e^{−u}),
    /// softplus(u) = log(1 + e^u)), not simplified, so <see cref="Expr.DifferentiateWithSteps(Symbol)"/> derives f'
    /// from it and ends at the closed form (σ(u)(1 − σ(u)), σ(u)); null for the others.
    /// </summary>
    public Expr? Definition(Expr argument) => _definition?.Invoke(argument);

    private Func<Expr, Expr>? _definition;

    /// <summary>The name users write (<c>sigmoid</c>).</summary>
    public string Name { get; }

    /// <summary>How many arguments it takes.</summary>
    public int Arity { get; }

    /// <summary>A one-line description of what it computes, for error messages and documentation.</summary>
    public string Formula { get; }

    public static readonly Function Exp = Unary("exp", "e^x", Math.Exp,
        x => x.IsZero ? Rational.One : null,
        a => Expr.Exp(a))
        .Rewriting(a => a[0] is Call { Function.Name: "log" } log ? log.Arguments[0] : null);

    public static readonly Function Log = Unary("log", "natural logarithm", Math.Log,
        x => x.IsOne ? Rational.Zero : null,
        a => Expr.Pow(a, -1))
        .Rewriting(a => a[0] switch
        {
            Call { Function.Name: "exp" } exp => exp.Arguments[0],
            // log σ(u) = −softplus(−u): finite where σ(u) underflows to 0.
            Call { Function.Name: "sigmoid" } sigmoid => Expr.Negate(Expr.Softplus(Expr.Negate(sigmoid.Arguments[0]))),
            // log(1 + e^u) = softplus(u), whose printed form never overflows.
            Sum { Terms: [Call { Function.Name: "exp" } exp, Number { Value.IsOne: true }] } => Expr.Softplus(exp.Arguments[0]),
            // log(1 − σ(u)) = −softplus(u).
            Sum { Terms: [Product { Factors: [Number { Value: var minusOne }, Call { Function.Name: "sigmoid" } sigmoid] }, Number { Value.IsOne: true }] }
                when minusOne == Rational.MinusOne => Expr.Negate(Expr.Softplus(sigmoid.Arguments[0])),
            _ => null,
        });

    public static readonly Function Sqrt = Unary("sqrt", "square root", Math.Sqrt,
        x => x.ExactSqrt(),
        a => Expr.Multiply(Expr.Constant(1, 2), Expr.Pow(Expr.Sqrt(a), -1)));

    public static readonly Function Abs = Unary("abs", "|x|", Math.Abs,
        x => x.IsNegative ? -x : x,
        a => Expr.Sign(a))
        .With(Symmetry.Even)
        .Rewriting(a => a[0] is Call { Function.Name: "abs" } ? a[0] : null);

    public static readonly Function Sin = Unary("sin", "sine", Math.Sin,
        x => x.IsZero ? Rational.Zero : null,
        a => Expr.Cos(a))
        .With(Symmetry.Odd);

    public static readonly Function Cos = Unary("cos", "cosine", Math.Cos,
        x => x.IsZero ? Rational.One : null,
        a => Expr.Negate(Expr.Sin(a)))
        .With(Symmetry.Even);

    public static readonly Function Tanh = Unary("tanh", "hyperbolic tangent", Math.Tanh,
        x => x.IsZero ? Rational.Zero : null,
        a => Expr.Subtract(1, Expr.Pow(Expr.Tanh(a), 2)))
        .With(Symmetry.Odd);

    public static readonly Function Sigmoid = Unary("sigmoid", "1 / (1 + e^-x)", StableSigmoid,
        x => x.IsZero ? new Rational(1, 2) : null,
        a => Expr.Multiply(Expr.Sigmoid(a), Expr.Subtract(1, Expr.Sigmoid(a))))
        .Reflecting(u => Expr.Subtract(1, Expr.Sigmoid(u)))
        .Defined(u => new Power(new Sum(Number.One, new Call(Exp, new Product(Number.MinusOne, u))), Number.MinusOne));

    // relu(−u) = relu(u) − u holds in value but not in the derivative at 0 (relu' = step, step(0) = 0), so relu has no reflection.
    public static readonly Function ReLU = Unary("relu", "max(0, x)", x => x > 0 ? x : 0.0,
        x => x.IsNegative ? Rational.Zero : x,
        a => Expr.Step(a));

    public static readonly Function Softplus = Unary("softplus", "log(1 + e^x)", StableSoftplus,
        _ => null,
        a => Expr.Sigmoid(a))
        .Reflecting(u => Expr.Subtract(Expr.Softplus(u), u))
        .Defined(u => new Call(Log, new Sum(Number.One, new Call(Exp, u))));

    // step(−u) = 1 − step(u) fails at 0 (both sides of step(0) = 0), so step is neither even, odd nor reflected.
    public static readonly Function Step = Unary("step", "1 for x > 0, else 0 (step(0) = 0)", x => x > 0 ? 1.0 : 0.0,
        x => x.Sign > 0 ? Rational.One : Rational.Zero,
        _ => 0);

    // sign(u)² is not rewritten to 1: sign(0) = 0.
    public static readonly Function Sign = Unary("sign", "-1, 0 or 1 by the sign of x", x => x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0,
        x => x.Sign,
        _ => 0)
        .With(Symmetry.Odd)
        .Absorbing((sign, factor) =>
        {
            // u·sign(u) = |u| and |u|·sign(u) = u hold at u = 0 too, where every side is 0.
            var u = sign.Arguments[0];
            return factor.Equals(u) ? Expr.Abs(u)
                : factor.Equals(Expr.Negate(u)) ? Expr.Negate(Expr.Abs(u))
                : factor.Equals(Expr.Abs(u)) ? u
                : null;
        });

    public static readonly Function Max = new("max", 2, "the larger of a and b",
        v => Math.Max(v[0], v[1]),
        v => v[0].CompareTo(v[1]) >= 0 ? v[0] : v[1],
        (a, i) => i == 0 ? Expr.Step(Expr.Subtract(a[0], a[1])) : Expr.Subtract(1, Expr.Step(Expr.Subtract(a[0], a[1]))));

    public static readonly Function Min = new("min", 2, "the smaller of a and b",
        v => Math.Min(v[0], v[1]),
        v => v[0].CompareTo(v[1]) <= 0 ? v[0] : v[1],
        (a, i) => i == 0 ? Expr.Step(Expr.Subtract(a[1], a[0])) : Expr.Subtract(1, Expr.Step(Expr.Subtract(a[1], a[0]))));

    /// <summary>Every built-in function, in the order of the documentation.</summary>
    public static IReadOnlyList<Function> All { get; } = new[]
    {
        Exp, Log, Sqrt, Abs, Sin, Cos, Tanh, Sigmoid, ReLU, Softplus, Step, Sign, Max, Min,
    };

    private static readonly Dictionary<string, Function> ByName = All.ToDictionary(f => f.Name, StringComparer.Ordinal);

    /// <summary>Looks a function up by the name users write.</summary>
    public static bool TryGet(string name, out Function function) => ByName.TryGetValue(name, out function!);

    /// <summary>The value in double precision.</summary>
    public double Evaluate(params double[] arguments) => _evaluate(arguments);

    /// <summary>The exact value for rational arguments when it is rational (exp(0) = 1), else null.</summary>
    internal Rational? Fold(Rational[] arguments) => _fold(arguments);

    /// <summary>∂f/∂(argument <paramref name="index"/>) at the given simplified arguments.</summary>
    internal Expr Partial(Expr[] arguments, int index) => _partial(arguments, index);

    /// <summary>σ(x) without overflow: 1/(1+e^-x) for x ≥ 0, e^x/(1+e^x) otherwise.</summary>
    public static double StableSigmoid(double x)
    {
        if (x >= 0)
        {
            return 1.0 / (1.0 + Math.Exp(-x));
        }

        var e = Math.Exp(x);
        return e / (1.0 + e);
    }

    /// <summary>log(1 + e^x) without overflow: max(x, 0) + log(1 + e^-|x|).</summary>
    public static double StableSoftplus(double x)
    {
        var u = Math.Exp(-Math.Abs(x));
        // log(1 + u) loses u entirely when u is below the double epsilon; the series keeps it.
        var log1p = u < 1e-4 ? u - u * u / 2 + u * u * u / 3 : Math.Log(1.0 + u);
        return Math.Max(x, 0.0) + log1p;
    }

    private Function With(Symmetry symmetry)
    {
        Symmetry = symmetry;
        return this;
    }

    private Function Reflecting(Func<Expr, Expr> reflection)
    {
        Reflection = reflection;
        return this;
    }

    private Function Rewriting(Func<Expr[], Expr?> rewrite)
    {
        Rewrite = rewrite;
        return this;
    }

    private Function Defined(Func<Expr, Expr> definition)
    {
        _definition = definition;
        return this;
    }

    private Function Absorbing(Func<Call, Expr, Expr?> absorb)
    {
        Absorb = absorb;
        return this;
    }

    private static Function Unary(string name, string formula, Func<double, double> evaluate, Func<Rational, Rational?> fold, Func<Expr, Expr> derivative) =>
        new(name, 1, formula, v => evaluate(v[0]), v => fold(v[0]), (a, _) => derivative(a[0]));

    public override string ToString() => Name;
}

/// <summary>How a function of one argument behaves under u → −u.</summary>
public enum Symmetry
{
    /// <summary>No rule: f(−u) is left as written.</summary>
    None,

    /// <summary>f(−u) = f(u) (abs, cos).</summary>
    Even,

    /// <summary>f(−u) = −f(u) (sign, sin, tanh).</summary>
    Odd,
}
