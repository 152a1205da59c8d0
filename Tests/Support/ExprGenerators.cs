using System;
using System.Collections.Generic;
using System.Linq;
using BackpropGen.Symbolic;
using FsCheck;
using FsCheck.Fluent;

namespace BackpropGen.Tests.Support;

/// <summary>A random expression in x, y, z and a random point to evaluate it at.</summary>
public sealed record ExprAtPoint(Expr Expression, double X, double Y, double Z)
{
    public IReadOnlyDictionary<string, double> Values => new Dictionary<string, double> { ["x"] = X, ["y"] = Y, ["z"] = Z };

    public override string ToString() => $"{Expression} at x={X:R}, y={Y:R}, z={Z:R}";
}

/// <summary>FsCheck generators of expression trees over every node kind and built-in function.</summary>
public static class ExprGenerators
{
    public static readonly string[] Variables = { "x", "y", "z" };

    private static readonly Function[] Unary = Function.All.Where(f => f.Arity == 1).ToArray();
    private static readonly Function[] Binary = Function.All.Where(f => f.Arity == 2).ToArray();

    public static Gen<Expr> Leaf { get; } = Gen.OneOf(
        Gen.Elements(Variables).Select(v => (Expr)new Symbol(v)),
        Gen.Elements(Variables).Select(v => (Expr)new Symbol(v)),
        Gen.Choose(-5, 5).Select(n => (Expr)new Number(n)),
        Gen.Choose(1, 4).SelectMany(q => Gen.Choose(-6, 6).Select(p => (Expr)new Number(new Rational(p, q)))));

    /// <summary>Trees with at most <paramref name="size"/> internal nodes, built as written (not simplified).</summary>
    public static Gen<Expr> Tree(int size)
    {
        if (size <= 0)
        {
            return Leaf;
        }

        var half = Tree(size / 2);
        return Gen.Frequency(
            (3, Leaf),
            (3, half.SelectMany(a => half.Select(b => (Expr)new Sum(a, b)))),
            (3, half.SelectMany(a => half.Select(b => (Expr)new Product(a, b)))),
            (1, half.SelectMany(a => half.Select(b => (Expr)new Product(a, new Power(b, new Number(-1)))))),
            (1, half.SelectMany(a => Gen.Choose(-2, 3).Select(n => (Expr)new Power(a, new Number(n))))),
            (1, half.Select(a => (Expr)new Power(a, new Number(new Rational(1, 2))))),
            (1, half.Select(a => (Expr)new Product(new Number(-1), a))),
            (3, half.SelectMany(a => Gen.Elements(Unary).Select(f => (Expr)new Call(f, a)))),
            (2, half.SelectMany(a => Gen.Elements(Function.Log, Function.Sqrt).Select(f => (Expr)new Call(f, InDomain(a))))),
            (1, half.SelectMany(a => half.SelectMany(b => Gen.Elements(Binary).Select(f => (Expr)new Call(f, a, b))))));
    }

    /// <summary>a² + 1/4: a positive argument, so log and sqrt are mostly tested where they are defined.</summary>
    private static Expr InDomain(Expr a) => new Sum(new Power(a, new Number(2)), new Number(new Rational(1, 4)));

    public static Gen<Expr> Expressions { get; } = Gen.Sized(size => Tree(Math.Min(size, 16)));

    private static Gen<double> Coordinate { get; } = Gen.Choose(-2000, 2000).Select(n => n / 1000.0 + 0.000123);

    public static Gen<ExprAtPoint> ExpressionsAtPoints { get; } =
        Expressions.SelectMany(e => Coordinate.SelectMany(x => Coordinate.SelectMany(y => Coordinate.Select(z => new ExprAtPoint(e, x, y, z)))));

    private static Expr Negated(Expr e) => new Product(new Number(-1), e);

    private static Expr Difference(Expr a, Expr b) => new Sum(a, Negated(b));

    /// <summary>
    /// Trees shaped to meet the functions' own rules, with random sub-trees a and b: f(a − b) beside f(b − a),
    /// a·sign(a), |a|·sign(a), fractions over a shared denominator that cancel, and the softsign's derivative.
    /// </summary>
    public static Gen<Expr> RuleShapes { get; } = Tree(4).SelectMany(a => Tree(4).SelectMany(b => Gen.Elements(Unary).SelectMany(f => Gen.Choose(-3, 3).Select(k =>
    {
        var d = new Sum(new Call(Function.Abs, b), new Number(1));
        var shapes = new Expr[]
        {
            new Sum(new Call(f, Difference(a, b)), new Product(new Number(k), new Call(f, Difference(b, a)))),
            new Sum(new Call(f, a), new Call(f, Negated(a))),
            new Product(a, new Call(Function.Sign, a), b),
            new Product(Negated(a), new Call(Function.Sign, a)),
            new Product(new Call(Function.Abs, a), new Call(Function.Sign, a)),
            new Sum(new Product(a, new Power(d, new Number(-1))), new Product(new Number(k), a, new Power(d, new Number(-2)))),
            new Sum(new Power(d, new Number(-1)), Negated(new Product(new Call(Function.Abs, b), new Power(d, new Number(-2))))),
            new Product(a, new Power(new Sum(new Number(1), new Call(Function.Abs, a)), new Number(-1))),
        };
        return shapes[Math.Abs(k * 7 + f.Name.Length) % shapes.Length];
    }))));

    public static Gen<ExprAtPoint> RuleShapesAtPoints { get; } =
        RuleShapes.SelectMany(e => Coordinate.SelectMany(x => Coordinate.SelectMany(y => Coordinate.Select(z => new ExprAtPoint(e, x, y, z)))));
}

/// <summary>Registers <see cref="ExprGenerators.RuleShapesAtPoints"/> for properties about the functions' own rules.</summary>
public static class RuleShapeArbitraries
{
    public static Arbitrary<ExprAtPoint> ExpressionsAtPoints() => Arb.From(ExprGenerators.RuleShapesAtPoints);
}

/// <summary>Registers the generators with FsCheck.Xunit properties.</summary>
public static class ExprArbitraries
{
    public static Arbitrary<ExprAtPoint> ExpressionsAtPoints() => Arb.From(ExprGenerators.ExpressionsAtPoints);
}
