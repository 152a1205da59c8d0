using System.Collections.Generic;
using System.Threading;

namespace BackpropGen.Symbolic;

/// <summary>An exact rational constant. d/dv c = 0.</summary>
public sealed class Number : Expr
{
    internal static readonly Number Zero = new(Rational.Zero);
    internal static readonly Number One = new(Rational.One);
    internal static readonly Number MinusOne = new(Rational.MinusOne);

    internal static readonly Number Two = new(new Rational(2, 1));

    public Number(Rational value) : base(value.GetHashCode())
    {
        Value = value;
        MarkLeafCanonical();
    }

    public Rational Value { get; }

    public override ExprKind Kind => ExprKind.Number;

    public override IReadOnlyList<Expr> Children => System.Array.Empty<Expr>();

    public override Expr WithChildren(IReadOnlyList<Expr> children) => this;

    internal override Expr SimplifyChildren() => this;

    internal override Expr Derivative(Symbol variable) => Zero;

    public override Expr SubstituteIndex(string index, Subscript value) => this;

    public override bool ContainsIndex(string index) => false;

    internal override double Evaluate(EvaluationContext context)
    {
        // The exact value's nearest double, worked out once: a number is evaluated at every point and every example.
        if (!Volatile.Read(ref _converted))
        {
            _double = Value.ToDouble();
            Volatile.Write(ref _converted, true);
        }

        return _double;
    }

    private double _double;

    private bool _converted;

    public override bool Equals(Expr? other) => other is Number n && n.Value.Equals(Value);

    private protected override int CompareSameKind(Expr other) => Value.CompareTo(((Number)other).Value);

    internal static bool IsZeroNumber(Expr e) => e is Number { Value.IsZero: true };

    internal static bool IsOneNumber(Expr e) => e is Number { Value.IsOne: true };
}
