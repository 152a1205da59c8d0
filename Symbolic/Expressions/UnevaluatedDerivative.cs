using System;
using System.Collections.Generic;

namespace BackpropGen.Symbolic;

/// <summary>
/// d/dv u written out but not yet carried out: the form a derivation in steps shows before a rule applies
/// (d/dx (1 + e^{−x}) = d/dx e^{−x}). Its canonical form is the derivative itself, so <see cref="Expr.Simplify"/>
/// carries it out, and it evaluates to the derivative's value. d/dw of it is the second derivative.
/// </summary>
public sealed class UnevaluatedDerivative : Expr
{
    /// <summary>
    /// d/d<paramref name="variable"/> of <paramref name="body"/>, as written; <paramref name="partial"/> asks printers
    /// for ∂ (the expression it came from has other variables), which does not change the value.
    /// </summary>
    public UnevaluatedDerivative(Expr body, Symbol variable, bool partial = false)
        : base(HashOf(ExprKind.Derivative, new Expr[] { body, variable }))
    {
        Body = body;
        Variable = variable;
        Partial = partial;
    }

    /// <summary>The expression to differentiate.</summary>
    public Expr Body { get; }

    /// <summary>The variable it is differentiated by.</summary>
    public Symbol Variable { get; }

    /// <summary>True when printers write ∂ rather than d.</summary>
    public bool Partial { get; }

    public override ExprKind Kind => ExprKind.Derivative;

    /// <summary>The body only: the variable is part of the operator, so substitutions do not replace it.</summary>
    public override IReadOnlyList<Expr> Children => new[] { Body };

    public override Expr WithChildren(IReadOnlyList<Expr> children) => new UnevaluatedDerivative(children[0], Variable, Partial);

    internal override Expr SimplifyChildren() => Body.Differentiate(Variable);

    internal override Expr Derivative(Symbol variable) => SimplifyChildren().Derivative(variable);

    public override Expr SubstituteIndex(string index, Subscript value) =>
        ContainsIndex(index) ? new UnevaluatedDerivative(Body.SubstituteIndex(index, value), (Symbol)Variable.SubstituteIndex(index, value), Partial) : this;

    public override bool ContainsIndex(string index) => Body.ContainsIndex(index) || Variable.ContainsIndex(index);

    internal override double Evaluate(EvaluationContext context) => SimplifyChildren().Evaluate(context);

    public override bool Equals(Expr? other) =>
        other is UnevaluatedDerivative d && d.GetHashCode() == GetHashCode() && d.Variable.Equals(Variable) && d.Body.Equals(Body);

    private protected override int CompareSameKind(Expr other)
    {
        var d = (UnevaluatedDerivative)other;
        var c = Variable.CompareTo(d.Variable);
        return c != 0 ? c : Body.CompareTo(d.Body);
    }
}
