using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Printing;

namespace BackpropGen.Tests.Symbolic;

/// <summary>The one-line Unicode printer of the code comments, one fact per case.</summary>
public class UnicodePrinterTests
{
    private static string Text(string e) => UnicodePrinter.Default.Print(Expr.Parse(e).Simplify());

    [Theory]
    [InlineData("(y - t)^2 / 2", "(y − t)²/2")]
    [InlineData("x / (1 + abs(x))", "x/(|x| + 1)")]
    [InlineData("exp(-x)", "e^(−x)")]
    [InlineData("exp(x)", "e^x")]
    [InlineData("sigmoid(a) * (1 - sigmoid(a))", "σ(a) (1 − σ(a))")]
    [InlineData("sqrt(x)", "√x")]
    [InlineData("2 * 3^x", "2 · 3^x")]
    [InlineData("-x", "−x")]
    [InlineData("x - 2 * y", "x − 2 y")]
    [InlineData("eta * delta", "δ η")]
    [InlineData("x^(-3)", "1/x³")]
    public void Unicode_cases(string expression, string expected) => Assert.Equal(expected, Text(expression));

    [Fact]
    public void Indices_become_subscripts_and_layer_tags_superscripts_where_unicode_has_them()
    {
        Assert.Equal("w₁₁", UnicodePrinter.Default.Print(new Symbol("w", 1, 1)));
        Assert.Equal("w_1,12", UnicodePrinter.Default.Print(new Symbol("w", 1, 12)));
        Assert.Equal("δⱼ⁽²⁾", UnicodePrinter.Default.Print(new Symbol("delta", "(2)", new Subscript[] { "j" })));
        Assert.Equal("aₖ⁽ᴸ⁻¹⁾", UnicodePrinter.Default.Print(new Symbol("a", "(L-1)", new Subscript[] { "k" })));
        Assert.Equal("z₁^[2]", UnicodePrinter.Default.Print(new Symbol("z", "[2]", new Subscript[] { 1 })));
        Assert.Equal("Σₖ xₖ", UnicodePrinter.Default.Print(Expr.SumOver("k", new Symbol("x", "k"))));
    }
}
