using System;
using System.Collections.Generic;
using System.Linq;

namespace BackpropGen.Symbolic;

/// <summary>
/// f(a₁, …) for a built-in <see cref="Symbolic.Function"/>. d/dv f(u) = f'(u) u' (the chain rule), with
/// the partial derivatives of <see cref="Symbolic.Function"/>. Canonical form folds exact values
/// (exp(0) = 1, sigmoid(0) = 1/2), gives an even or odd function an argument of canonical sign
/// (|t − y| = |y − t|, sin(−u) = −sin(u)), then applies the function's own rules (log(exp(u)) = u).
/// </summary>
public sealed class Call : Expr
{
    private readonly Expr[] _arguments;

    /// <summary>Builds exactly this call (no simplification).</summary>
    public Call(Function function, params Expr[] arguments)
        : base(HashOf(ExprKind.Call, arguments, Symbol.StableHash(function.Name)))
    {
        if (arguments.Length != function.Arity)
        {
            throw new ArgumentException($"'{function.Name}' takes {function.Arity} argument(s), not {arguments.Length}", nameof(arguments));
        }

        Function = function;
        _arguments = arguments.ToArray();
    }

    public Function Function { get; }

    public IReadOnlyList<Expr> Arguments => _arguments;

    public override ExprKind Kind => ExprKind.Call;

    public override IReadOnlyList<Expr> Children => _arguments;

    public override Expr WithChildren(IReadOnlyList<Expr> children) => new Call(Function, children.ToArray());

    internal override Expr SimplifyChildren() => Create(Function, _arguments);

    /// <summary>The canonical call.</summary>
    internal static Expr Create(Function function, IReadOnlyList<Expr> arguments)
    {
        var args = arguments.Select(a => a.Simplify()).ToArray();
        if (args.All(a => a is Number) && function.Fold(args.Select(a => ((Number)a).Value).ToArray()) is { } exact)
        {
            return new Number(exact);
        }

        if (function.Symmetry != Symmetry.None && CanonicalSign.IsNegated(args[0]))
        {
            // f(−u) = f(u) for an even f and −f(u) for an odd one, so |t − y| and |y − t| are one term.
            var positive = Create(function, new[] { Product.Create(new[] { Number.MinusOne, args[0] }) });
            return function.Symmetry == Symmetry.Even ? positive : Product.Create(new[] { Number.MinusOne, positive });
        }

        return function.Rewrite?.Invoke(args) ?? Canonical(new Call(function, args));
    }

    internal override Expr Derivative(Symbol variable)
    {
        var terms = new List<Expr>();
        for (var i = 0; i < _arguments.Length; i++)
        {
            var inner = _arguments[i].Derivative(variable);
            if (!Number.IsZeroNumber(inner))
            {
                terms.Add(Product.Create(new[] { Function.Partial(_arguments, i), inner }));
            }
        }

        return Sum.Create(terms);
    }

    public override Expr SubstituteIndex(string index, Subscript value) =>
        ContainsIndex(index) ? new Call(Function, _arguments.Select(a => a.SubstituteIndex(index, value)).ToArray()) : this;

    public override bool ContainsIndex(string index) => _arguments.Any(a => a.ContainsIndex(index));

    internal override double Evaluate(EvaluationContext context) =>
        Function.Evaluate(_arguments.Select(a => a.Evaluate(context)).ToArray());

    public override bool Equals(Expr? other) =>
        other is Call c && c.GetHashCode() == GetHashCode() && c.Function == Function && c._arguments.SequenceEqual(_arguments);

    private protected override int CompareSameKind(Expr other)
    {
        var c = (Call)other;
        var byName = string.CompareOrdinal(Function.Name, c.Function.Name);
        return byName != 0 ? byName : CompareLists(_arguments, c._arguments);
    }
}
