using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Printing;

namespace BackpropGen.Tests.Symbolic;

/// <summary>What <see cref="UndefinedConstants.Find"/> marks in an expression's text, and what it leaves alone.</summary>
public class UndefinedConstantsTests
{
    [Theory]
    [InlineData("1/0", "0")]
    [InlineData("x/0", "0")]
    [InlineData("x / (x - x)", "(x - x)")]
    [InlineData("x / (1 - 1)", "(1 - 1)")]
    [InlineData("log(0) + x", "log(0)")]
    [InlineData("x * log(x - x - 1)", "log(x - x - 1)")]
    [InlineData("sqrt(-1) * x", "sqrt(-1)")]
    [InlineData("0^(-2) * x", "0^(-2)")]
    [InlineData("x * 1e309", "1e309")]
    [InlineData("-1e309 * x", "-1e309")]
    [InlineData("2^1100 * x", "2^1100")]
    [InlineData("exp(1000) * x", "exp(1000)")]
    [InlineData("x * 1e200 * 1e200", "x * 1e200 * 1e200")]
    [InlineData("1e308 * x^2", "1e308 * x^2")]
    [InlineData("x * exp(500) * exp(500)", "x * exp(500) * exp(500)")]
    public void The_smallest_undefined_or_overflowing_part_is_marked_in_double(string text, string marked)
    {
        var problem = UndefinedConstants.Find(text, NumericType.Double, "x");

        Assert.NotNull(problem);
        Assert.Equal(marked, text.Substring(problem!.Range.Start, problem.Range.Length));
        Assert.Equal(text.IndexOf(marked, System.StringComparison.Ordinal), problem.Range.Start);
    }

    [Fact]
    public void A_division_by_zero_is_an_error_even_where_the_engine_folds_it_away()
    {
        // 0 * (1/0) simplifies to 0, but the text divides by 0 all the same.
        var problem = UndefinedConstants.Find("0 * (1/0) + x", NumericType.Double, "x");

        Assert.Equal((7, 1), (problem!.Range.Start, problem.Range.Length));
        Assert.Equal("dividing by 0 is undefined; divide by something that is not 0", problem.Message);
    }

    [Theory]
    [InlineData("x * 1e39", "1e39")]
    [InlineData("exp(100) * x", "exp(100)")]
    [InlineData("x * 1e400^(1/2)", "1e400")]
    public void Float_has_the_smaller_range(string text, string marked)
    {
        Assert.Null(UndefinedConstants.Find(text, NumericType.Double, "x"));
        var problem = UndefinedConstants.Find(text, NumericType.Single, "x");

        Assert.Equal(marked, text.Substring(problem!.Range.Start, problem.Range.Length));
        Assert.Contains("the largest float (3.4E+38)", problem.Message);
    }

    [Theory]
    [InlineData("x / (1 + abs(x))")]
    [InlineData("log(1 + exp(x))")]
    [InlineData("sqrt(x^2 + 1)")]
    [InlineData("log(x)")]
    [InlineData("1 / x")]
    [InlineData("x * (1e200 * 1e200) / 1e300")]
    [InlineData("x * 1e400^(1/2)")]
    [InlineData("x * 1e-400")]
    [InlineData("not valid (")]
    public void Expressions_defined_somewhere_and_constants_that_fold_into_range_pass(string text) =>
        Assert.Null(UndefinedConstants.Find(text, NumericType.Double, "x"));

    [Theory]
    [InlineData("x * 1e200 * 1e200", "'x * 1e200 * 1e200' folds to a constant of 401 digits, beyond the largest double (1.8E+308); use smaller constants")]
    [InlineData("x * exp(500) * exp(500)", "'x * exp(500) * exp(500)' folds to 'exp(500)^2', beyond the largest double (1.8E+308); use smaller constants")]
    [InlineData("1e308 * x^2", "its derivative by x has a constant of 309 digits, beyond the largest double (1.8E+308); use smaller constants")]
    public void A_constant_that_only_folding_makes_too_large_is_named(string text, string message) =>
        Assert.Equal(message, UndefinedConstants.Find(text, NumericType.Double, "x")!.Message);

    [Fact]
    public void The_loss_is_differentiated_by_its_output()
    {
        Assert.Null(UndefinedConstants.Find("1e308 * t^2 * y", NumericType.Double, "y"));
        Assert.NotNull(UndefinedConstants.Find("1e308 * y^2", NumericType.Double, "y"));
    }
}
