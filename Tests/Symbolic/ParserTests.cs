using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Parsing;

namespace BackpropGen.Tests.Symbolic;

public class ParserTests
{
    private static double Eval(string text, double x = 0.5) =>
        Expr.Parse(text).Evaluate(new Dictionary<string, double> { ["x"] = x, ["y"] = 2, ["t"] = 1 });

    [Fact]
    public void Parses_the_custom_activation_of_the_design_as_written() =>
        Assert.Equal("x / (1 + abs(x))", Expr.Parse("x / (1 + abs(x))").ToString());

    [Theory]
    [InlineData("1 + 2 * 3", 7)]
    [InlineData("(1 + 2) * 3", 9)]
    [InlineData("2 ^ 3 ^ 2", 512)]
    [InlineData("-2 ^ 2", -4)]
    [InlineData("2 ^ -1", 0.5)]
    [InlineData("8 / 2 / 2", 2)]
    [InlineData("1 - 2 - 3", -4)]
    [InlineData("--3", 3)]
    [InlineData("+3", 3)]
    [InlineData("1.5e2", 150)]
    [InlineData("2.5E-1", 0.25)]
    [InlineData(".5", 0.5)]
    [InlineData("max(1, 2) + min(1, 2)", 3)]
    [InlineData("y * t - x", 1.5)]
    public void Operators_follow_the_usual_precedence_and_associativity(string text, double expected) =>
        Assert.Equal(expected, Eval(text), 12);

    [Fact]
    public void Decimals_parse_exactly_whatever_the_culture()
    {
        var previous = Thread.CurrentThread.CurrentCulture;
        try
        {
            Thread.CurrentThread.CurrentCulture = new CultureInfo("de-DE");
            Assert.Equal(new Number(new Rational(1, 100)), Expr.Parse("0.01"));
            Assert.Equal(new Number(new Rational(1, 1000)), Expr.Parse("1e-3"));
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }

    [Fact]
    public void One_half_stays_an_exact_rational() =>
        Assert.Equal(new Number(new Rational(1, 2)), Expr.Parse("1/2").Simplify());

    [Theory]
    [InlineData("sigmod(x)", 0, "unknown function 'sigmod' at 0; did you mean 'sigmoid'?")]
    [InlineData("x + tahn(x)", 4, "unknown function 'tahn' at 4; did you mean 'tanh'?")]
    [InlineData("x + 1) * 2", 5, "unexpected ')' at 5")]
    [InlineData("(x + 1)) * 2", 7, "unexpected ')' at 7")]
    [InlineData("x +", 3, "expected an expression at end of input")]
    [InlineData("", 0, "expected an expression at end of input")]
    [InlineData("   ", 3, "expected an expression at end of input")]
    [InlineData("(x + 1", 6, "expected ')' at end of input to close the '(' at 0")]
    [InlineData("exp(x, 2)", 0, "'exp' takes 1 argument but was given 2 at 0")]
    [InlineData("max(x)", 0, "'max' takes 2 arguments but was given 1 at 0")]
    [InlineData("2x", 1, "unexpected 'x' at 1; write '2*x' to multiply")]
    [InlineData("1.2.3", 0, "'1.2.3' at 0 is not a number; write numbers like 2, 0.5 or 1e-3")]
    [InlineData("x $ y", 2, "unexpected '$' at 2")]
    [InlineData("x \u0007", 2, "unexpected '\\u0007' at 2")]
    [InlineData("x * é", 4, "unexpected '\\u00E9' at 4")]
    [InlineData("x * * y", 4, "unexpected '*' at 4")]
    public void Errors_say_where_and_what(string text, int position, string message)
    {
        Assert.False(Expr.TryParse(text, out var expr, out var error));
        Assert.Null(expr);
        Assert.Equal(position, error!.Position);
        Assert.Equal(message, error.Message);

        var thrown = Assert.Throws<ParseException>(() => Expr.Parse(text));
        Assert.Equal(position, thrown.Position);
        Assert.Equal(message, thrown.Message);
    }

    [Fact]
    public void An_unknown_function_far_from_every_name_lists_the_functions()
    {
        Assert.False(Expr.TryParse("frobnicate(x)", out _, out var error));
        Assert.Equal("unknown function 'frobnicate' at 0; the functions are exp, log, sqrt, abs, sin, cos, tanh, sigmoid, relu, softplus, step, sign, max, min", error!.Message);
        Assert.Null(error.Suggestion);
    }

    [Theory]
    [InlineData("sigmod(x)", "sigmoid")]
    [InlineData("x + tahn(x)", "tanh")]
    [InlineData("-t * logg(y)", "log")]
    [InlineData("x + 1) * 2", null)]
    public void An_unknown_function_near_a_known_one_suggests_it_as_data(string text, string? suggestion)
    {
        Assert.False(Expr.TryParse(text, out _, out var error));
        Assert.Equal(suggestion, error!.Suggestion);
    }

    [Fact]
    public void Nesting_is_bounded_with_a_clear_error()
    {
        var deep = new string('(', 200) + "x" + new string(')', 200);
        Assert.False(Expr.TryParse(deep, out _, out var error));
        Assert.Contains("nests deeper than 100 levels", error!.Message);

        var fine = new string('(', 40) + "x" + new string(')', 40);
        Assert.True(Expr.TryParse(fine, out _, out _));
    }

    [Theory]
    [InlineData("(", ")")]
    [InlineData("exp(", ")")]
    [InlineData("-(", ")")]
    [InlineData("x^(", ")")]
    [InlineData("max(1, ", ")")]
    public void The_stated_nesting_limit_is_the_enforced_one(string open, string close)
    {
        string Nested(int levels) => string.Concat(Enumerable.Repeat(open, levels)) + "x" + string.Concat(Enumerable.Repeat(close, levels));

        Assert.Equal(100, Parser.MaxDepth);
        Assert.True(Expr.TryParse(Nested(Parser.MaxDepth / (open == "-(" || open == "x^(" ? 2 : 1)), out _, out var error), error?.Message);
        Assert.False(Expr.TryParse(Nested(Parser.MaxDepth + 1), out _, out error));
        Assert.Contains($"nests deeper than {Parser.MaxDepth} levels", error!.Message);
    }

    [Fact]
    public void Sixty_nested_parentheses_are_accepted()
    {
        Assert.True(Expr.TryParse(new string('(', 60) + "x" + new string(')', 60), out _, out var error), error?.Message);
    }

    [Fact]
    public void Long_unary_chains_are_bounded_too()
    {
        Assert.False(Expr.TryParse(new string('-', 5000 / 2) + "x", out _, out var error));
        Assert.Contains("nests deeper", error!.Message);
    }

    [Fact]
    public void Length_is_bounded_with_a_clear_error()
    {
        var longText = string.Join(" + ", Enumerable.Repeat("x", 3000));
        Assert.False(Expr.TryParse(longText, out _, out var error));
        Assert.Equal(4096, error!.Position);
        Assert.StartsWith($"the expression is {longText.Length} characters long; at most 4096 are accepted", error.Message);
    }

    [Fact]
    public void Identifiers_may_carry_digits_and_underscores()
    {
        var e = Expr.Parse("w_1 * x2");
        Assert.Equal(new[] { "w_1", "x2" }, e.Symbols().Select(s => s.Name));
    }
}
