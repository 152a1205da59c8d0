using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Parsing;
using BackpropGen.Symbolic.Printing;
using BackpropGen.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit.Abstractions;

namespace BackpropGen.Tests.Robustness;

/// <summary>
/// Fuzzing of the algebra engine: random text into the parser (only <see cref="ParseError"/>s, at positions inside
/// the text), and random trees, shallow and wide or up to 60 levels deep, through every operation the generator
/// uses, and huge literals, exponents and roots. No operation may throw (the one documented exception, C# for a sum
/// without integer bounds, needs an indexed sum, which these generators do not build) and none may take more than
/// <see cref="WorkBound"/> steps of the engine, counted by <see cref="EngineWork"/> rather than timed, so a loaded
/// machine cannot fail a test and a slow one cannot hide runaway work.
/// The one operation whose output can grow exponentially, C# for nested softplus or sign (their inline forms repeat
/// the argument), is predicted by <see cref="CSharpPrinter.WrittenSize"/>, which the generator checks before it prints.
/// </summary>
[Properties(Arbitrary = new[] { typeof(FuzzArbitraries) })]
public class EngineFuzzTests
{
    /// <summary>
    /// The most engine steps (nodes built, rationals made, root iterations) one call may take: a bound on runaway work,
    /// not a performance claim. The most a call here takes is about 2200 steps.
    /// </summary>
    private const long WorkBound = 1_000_000;

    /// <summary>Trees whose C# would be longer than this many nodes are not printed in C# (the generator refuses them first).</summary>
    private const long MaxPrintedSize = 100_000;

    /// <summary>Characters one written node takes at most in C#: softplus's inline form with its literals and calls.</summary>
    private const int MaxCharactersPerNode = 120;

    private readonly ITestOutputHelper _output;
    private int _cases;
    private long _most;
    private string _mostCall = "";

    public EngineFuzzTests(ITestOutputHelper output) => _output = output;

    [Property(MaxTest = 500)]
    public bool Random_text_gives_an_expression_or_a_parse_error_inside_the_text(FuzzText text) =>
        Run(() => Parse(text.Value).Valid);

    [Property(MaxTest = 500)]
    public bool Random_formulas_give_an_expression_or_a_parse_error_and_what_parses_survives_the_engine(FormulaText text) =>
        Run(() => Parse(text.Value) is (true, var expression) && (expression is null || ThroughTheEngine(expression)));

    [Property(MaxTest = 400)]
    public bool Random_trees_survive_every_operation(ShallowTree tree) => Run(() => ThroughTheEngine(tree.Expression));

    [Trait("Category", "Slow")]
    [Property(MaxTest = 300)]
    public bool Trees_nested_up_to_60_levels_survive_every_operation(DeepTree tree) => Run(() => ThroughTheEngine(tree.Expression));

    [Property(MaxTest = 300)]
    public bool Huge_literals_exponents_and_roots_survive_every_operation(HugeFormula text) =>
        Run(() => Parse(text.Value) is (true, var expression) && (expression is null || ThroughTheEngine(expression)));

    [Theory]
    [InlineData("x * 1606938044258990278329555242157490496423093597478467198255105^(1/2)", "x * 1606938044258990278329555242157490496423093597478467198255105^(1/2)")]
    [InlineData("x * 1e400^(1/2)", "1e200 * x")]
    [InlineData("x * 1e400^(-3/2)", "x / 1e300^2")]
    [InlineData("x * ((1e200 + 1)^2)^(1/2)", "(1e200 + 1) * x")]
    [InlineData("x^(1e400^(1/2))", "x^1e200")]
    [InlineData("2^1100 * x", null)]
    [InlineData("9^9^9 * x", null)]
    public void Roots_and_powers_of_huge_numbers_simplify_in_a_few_steps(string text, string? equivalent)
    {
        var before = EngineWork.Steps;
        var simplified = Expr.Parse(text).Simplify();
        var steps = EngineWork.Steps - before;

        Assert.True(steps < 1000, $"{steps} steps");
        if (equivalent is not null)
        {
            Assert.Equal(Expr.Parse(equivalent).Simplify(), simplified);
        }
    }

    [Fact]
    public void Square_roots_of_exact_squares_up_to_the_size_bound_are_exact_in_logarithmically_many_steps()
    {
        var random = new Random(11);
        foreach (var bits in new[] { 1, 2, 52, 53, 64, 1023, 1024, 1025, 2047, Rational.MaxBits / 2 })
        {
            var bytes = new byte[bits / 8 + 2];
            random.NextBytes(bytes);
            bytes[^1] = 0;
            var root = System.Numerics.BigInteger.Abs(new System.Numerics.BigInteger(bytes)) >> (bytes.Length * 8 - 8 - bits) | System.Numerics.BigInteger.One;
            var square = new Rational(root * root, 1);

            var before = EngineWork.Steps;
            var exact = square.ExactSqrt();
            var steps = EngineWork.Steps - before;

            Assert.Equal(new Rational(root, 1), exact);
            Assert.Null(new Rational(root * root + 1, 1).ExactSqrt());
            Assert.True(steps < 30, $"{steps} steps for a root of {bits} bits");
        }
    }

    [Fact]
    public void Integer_square_roots_are_floors()
    {
        foreach (var n in Enumerable.Range(0, 2000).Select(i => (System.Numerics.BigInteger)i).Append(System.Numerics.BigInteger.Pow(10, 400) - 1))
        {
            var root = Rational.IntegerSqrt(n);
            Assert.True(root * root <= n && (root + 1) * (root + 1) > n, $"isqrt({n}) = {root}");
        }
    }

    [Fact]
    public void Constants_of_a_4096_character_expression_fold_in_bounded_work()
    {
        // Sums of 1/(1e400 + k) once grew a denominator of 370000 bits and took a minute; now folding stops at the size bound.
        var sum = string.Join(" + ", Enumerable.Range(1, 250).Select(k => $"1/(1e400+{k})")) + " + x";
        var product = string.Join("*", Enumerable.Repeat("1e400", 600)) + "*x";
        foreach (var text in new[] { sum, product })
        {
            var before = EngineWork.Steps;
            var simplified = Expr.Parse(text).Simplify();
            Assert.True(ThroughTheEngine(simplified));
            var steps = EngineWork.Steps - before;

            Assert.True(steps < WorkBound, $"{steps} steps");
            Assert.All(Numbers(simplified), n => Assert.True(n.IsSmall, "a folded constant is past the size bound"));
        }
    }

    private static IEnumerable<Rational> Numbers(Expr e) =>
        e is Number { Value: var value } ? new[] { value } : e.Children.SelectMany(Numbers);

    /// <summary>
    /// Parses, and checks the parser's contract: a tree, or an error with a message whose position is in the text or
    /// at its end. <c>Valid</c> is false when the contract is broken; the expression is null for a parse error.
    /// </summary>
    private (bool Valid, Expr? Expression) Parse(string text) =>
        Counted("TryParse", () => Expr.TryParse(text, out var expression, out var error)
            ? (error is null, expression)
            : (expression is null && error.Position >= 0 && error.Position <= text.Length && error.Message.Length > 0, null));

    /// <summary>What the generator does with an expression: simplify, differentiate, expand, print, share subexpressions.</summary>
    private bool ThroughTheEngine(Expr expression)
    {
        var simplified = Counted("Simplify", expression.Simplify);
        var derivatives = ExprGenerators.Variables.Select(v => Counted("Differentiate", () => expression.Differentiate(v))).ToList();
        Counted("Expand", () => Transformations.Expand(expression));
        foreach (var e in derivatives.Prepend(simplified).Prepend(expression))
        {
            Counted("ToLatex", e.ToLatex);
            Counted("ToString", e.ToString);
            var written = Counted("WrittenSize", () => CSharpPrinter.WrittenSize(e));
            if (written <= MaxPrintedSize)
            {
                var code = Counted("ToCSharp(Double)", () => e.ToCSharp(NumericType.Double));
                Counted("ToCSharp(Single)", () => e.ToCSharp(NumericType.Single));
                Assert.True(code.Length <= MaxCharactersPerNode * written, $"{code.Length} characters of C# for {written} written nodes");
            }
        }

        Counted("CommonSubexpressions.Eliminate", () => CommonSubexpressions.Eliminate(derivatives.Prepend(simplified).ToList()));
        return true;
    }

    public static TheoryData<string> Chains() => new() { "quotient", "sum of products", "power tower", "square root", "sigmoid", "tanh", "max", "softplus", "sign" };

    /// <summary>
    /// A chain 60 levels deep of one kind, where an operation that visited a child twice would take 2⁶⁰ steps: every
    /// call's steps are counted and bounded, and every printed text is bounded by the nodes it prints.
    /// </summary>
    [Theory]
    [MemberData(nameof(Chains))]
    public void A_chain_60_levels_deep_goes_through_the_engine_in_bounded_work(string kind)
    {
        var chain = Chain(kind, 60);

        var before = EngineWork.Steps;
        Assert.True(ThroughTheEngine(chain), $"the {kind} chain did not go through the engine");
        var steps = EngineWork.Steps - before;

        Assert.True(steps < WorkBound, $"{steps} steps for the {kind} chain");
    }

    [Theory]
    [InlineData("softplus")]
    [InlineData("sign")]
    public void Nested_calls_that_repeat_their_argument_in_CSharp_are_counted_before_printing(string kind)
    {
        // Each level writes its argument twice, so the text doubles, and so does the count.
        Assert.True(Chain(kind, 10).ToCSharp().Length >= 2 * Chain(kind, 9).ToCSharp().Length);
        Assert.Equal(2 * CSharpPrinter.WrittenSize(Chain(kind, 20)) + 1, CSharpPrinter.WrittenSize(Chain(kind, 21)));
        Assert.Equal(long.MaxValue, CSharpPrinter.WrittenSize(Chain(kind, 80)));
    }

    private static Expr Chain(string kind, int depth)
    {
        Expr e = new Symbol("x");
        for (var i = 0; i < depth; i++)
        {
            e = kind switch
            {
                "quotient" => new Sum(Number.One, new Power(e, Number.MinusOne)),
                "sum of products" => new Sum(Number.One, new Product(new Symbol("y"), e)),
                "power tower" => new Power(new Symbol("x"), e),
                "square root" => new Power(new Sum(e, Number.One), new Number(new Rational(1, 2))),
                "max" => new Call(Function.Max, e, new Symbol("y")),
                _ => new Call(Function.All.Single(f => f.Name == kind), e),
            };
        }

        return e;
    }

    /// <summary>Runs one operation and bounds the engine steps it takes.</summary>
    private T Counted<T>(string call, Func<T> body)
    {
        var before = EngineWork.Steps;
        var result = body();
        var steps = EngineWork.Steps - before;
        if (steps > _most)
        {
            (_most, _mostCall) = (steps, call);
        }

        Assert.True(steps < WorkBound, $"{call} took {steps} engine steps");
        return result;
    }

    /// <summary>Runs one case, and tells when it held the costliest call so far (FsCheck tells how many cases passed).</summary>
    private bool Run(Func<bool> body)
    {
        var most = _most;
        var result = body();
        _cases++;
        if (_most > most)
        {
            _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"case {_cases}: costliest call so far {_most} steps ({_mostCall})"));
        }

        return result;
    }
}

/// <summary>Any text: every UTF-16 code unit (lone surrogates and controls included), often around the length limit.</summary>
public sealed record FuzzText(string Value)
{
    public override string ToString() => "\"" + string.Concat(Value.Take(200).Select(c => c < ' ' || c > '~' ? $"\\u{(int)c:X4}" : c.ToString())) + "\"" + (Value.Length > 200 ? $" ({Value.Length} chars)" : "");
}

/// <summary>Printed formulas, some mutated, and soups of the parser's tokens, misspelled names, odd numbers and stray characters.</summary>
public sealed record FormulaText(string Value)
{
    public override string ToString() => "\"" + Value + "\"";
}

/// <summary>Formulas of huge literals (400 digits, 1e±400), huge exponents (2^1100, 9^9^9) and their roots, around x.</summary>
public sealed record HugeFormula(string Value)
{
    public override string ToString() => "\"" + (Value.Length > 300 ? Value.Substring(0, 300) + $"…\" ({Value.Length} chars)" : Value + "\"");
}

/// <summary>A random tree of <see cref="ExprGenerators.Expressions"/>: every node kind and function, up to 16 internal nodes per level.</summary>
public sealed record ShallowTree(Expr Expression)
{
    public override string ToString() => Expression.ToString();
}

/// <summary>A tree up to 60 levels deep: a leaf wrapped again and again in calls, sums, products, powers and quotients.</summary>
public sealed record DeepTree(Expr Expression, int Depth)
{
    public override string ToString() => $"depth {Depth}: {Expression}";
}

public static class FuzzArbitraries
{
    private static readonly Function[] Unary = Function.All.Where(f => f.Arity == 1).ToArray();
    private static readonly Function[] Binary = Function.All.Where(f => f.Arity == 2).ToArray();

    private static readonly string[] Tokens =
    {
        "x", "y", "t", "z", "_", "x1", "(", ")", "(", ")", ",", "+", "-", "*", "/", "^", " ", "\t", "\n",
        "0", "1", "2", "0.5", ".5", "5.", "1e3", "1e-3", "1E+2", "1e400", "1e-400", "1e", "1.2.3", "..", ".",
        "99999999999999999999999999999999", "exp", "log", "sqrt", "abs", "sin", "cos", "tanh", "sigmoid", "relu",
        "softplus", "step", "sign", "max", "min", "sigmod", "expp", "Sin", "e", "pi", "é", "\u200F", "\U0001F600", "\0", "٣",
    };

    public static Arbitrary<FuzzText> Texts() => Arb.From(Gen.Frequency(
        (6, Gen.Choose(0, 40).SelectMany(n => Gen.ArrayOf(AnyChar, n))),
        (3, Gen.Choose(0, 40).SelectMany(n => Gen.ArrayOf(Gen.Elements("xyt0123456789.eE+-*/^(), \t\r\n".ToCharArray()), n))),
        (1, Gen.Choose(Parser.MaxLength - 2, Parser.MaxLength + 2)
            .SelectMany(n => Gen.Elements('x', '(', '+').Select(c => Enumerable.Repeat(c, n).ToArray()))))
        .Select(chars => new FuzzText(new string(chars))));

    private static readonly string[] HugeLiterals =
    {
        "1e400", "1e-400", "9.99e399", new string('9', 400), "1" + new string('0', 399), "0." + new string('0', 398) + "1", "1606938044258990278329555242157490496423093597478467198255105",
        "2^1100", "2^4096", "2^4097", "10^400", "9^9^9", "(1e400+1)", "(1e400-1)", "(1/3)", "x", "x", "(x+1)",
    };

    private static readonly string[] HugeExponents = { "", "", "^(1/2)", "^(-1/2)", "^(3/2)", "^(1/3)", "^2", "^-1", "^1100", "^1e300", "^(1e400^(1/2))", "^(1/1e400)" };

    /// <summary>Up to 40 huge terms joined by + - * /, each maybe raised to a huge power or a root.</summary>
    public static Arbitrary<HugeFormula> HugeFormulas() => Arb.From(
        Gen.Choose(1, 40).SelectMany(n => Gen.ListOf(
                Gen.Elements(HugeLiterals).SelectMany(literal => Gen.Elements(HugeExponents).SelectMany(exponent => Gen.Elements(" + ", " - ", " * ", " / ").Select(op => literal + exponent + op))),
                n))
            .Select(terms => new HugeFormula(string.Concat(terms) + "x")));

    private static Gen<char> AnyChar { get; } = Gen.Choose(0, char.MaxValue).Select(c => (char)c);

    /// <summary>Printed random trees with up to three mutations (a token inserted, a character deleted, a span overwritten), and token soup.</summary>
    public static Arbitrary<FormulaText> Formulas() => Arb.From(Gen.Frequency(
            (3, ExprGenerators.Expressions.SelectMany(e => Gen.Choose(0, 3).SelectMany(n => Mutated(e.ToString(), n)))),
            (1, Gen.Choose(0, 60).SelectMany(n => Gen.ListOf(Gen.Elements(Tokens), n)).Select(string.Concat)))
        .Select(text => new FormulaText(text)));

    private static Gen<string> Mutated(string text, int mutations) =>
        mutations == 0 ? Gen.Constant(text) : Mutation(text).SelectMany(mutated => Mutated(mutated, mutations - 1));

    private static Gen<string> Mutation(string text) =>
        Gen.Choose(0, text.Length).SelectMany(at => Gen.Elements(Tokens).SelectMany(token => Gen.Choose(0, 2).Select(kind => kind switch
        {
            0 => text.Insert(at, token),
            1 => at < text.Length ? text.Remove(at, 1) : text,
            _ => text.Substring(0, at) + token + text.Substring(Math.Min(text.Length, at + token.Length)),
        })));

    public static Arbitrary<ShallowTree> ShallowTrees() => Arb.From(ExprGenerators.Expressions.Select(e => new ShallowTree(e)));

    public static Arbitrary<DeepTree> DeepTrees() => Arb.From(Gen.Choose(1, 60).SelectMany(depth => Nested(depth).Select(e => new DeepTree(e, depth))));

    private static Gen<Expr> Nested(int depth) => depth == 0 ? ExprGenerators.Leaf : Nested(depth - 1).SelectMany(Wrap);

    /// <summary>One more level around <paramref name="inner"/>, with small random trees beside it.</summary>
    private static Gen<Expr> Wrap(Expr inner)
    {
        var small = ExprGenerators.Tree(2);
        return Gen.OneOf(
            Gen.Elements(Unary).Select(f => (Expr)new Call(f, inner)),
            Gen.Elements(Binary).SelectMany(f => small.Select(other => (Expr)new Call(f, inner, other))),
            small.Select(other => (Expr)new Sum(other, inner)),
            small.Select(other => (Expr)new Product(other, inner)),
            small.Select(other => (Expr)new Product(other, new Power(inner, new Number(-1)))),
            Gen.Choose(-2, 3).Select(n => (Expr)new Power(inner, new Number(n))),
            Gen.Elements(new Rational(1, 2), new Rational(-3, 2), new Rational(1, 3)).Select(q => (Expr)new Power(inner, new Number(q))),
            small.Select(@base => (Expr)new Power(@base, inner)),
            Gen.Constant((Expr)new Product(new Number(-1), inner)));
    }
}
