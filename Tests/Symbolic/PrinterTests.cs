using System.Globalization;
using System.Threading;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Printing;

namespace BackpropGen.Tests.Symbolic;

/// <summary>One fact per printer case, in the manner of <c>assert latex(x**2) == "x^{2}"</c>.</summary>
public class PrinterTests
{
    private static string Latex(string e) => Expr.Parse(e).Simplify().ToLatex();

    private static string CSharp(string e) => Expr.Parse(e).Simplify().ToCSharp();

    private static string CSharpFloat(string e) => Expr.Parse(e).Simplify().ToCSharp(NumericType.Single);

    [Theory]
    [InlineData("1/2 * (y - t)^2", @"\frac{1}{2} \left(y - t\right)^{2}")]
    [InlineData("x / (1 + abs(x))", @"\frac{x}{\left|x\right| + 1}")]
    [InlineData("exp(-x)", @"e^{-x}")]
    [InlineData("sigmoid(a) * (1 - sigmoid(a))", @"\sigma\left(a\right) \left(1 - \sigma\left(a\right)\right)")]
    [InlineData("tanh(a)^2", @"\tanh^{2} a")]
    [InlineData("sqrt(x)", @"\sqrt{x}")]
    [InlineData("x^(1/2)", @"\sqrt{x}")]
    [InlineData("log(x) + sin(x) * cos(x)", @"\log x + \cos x \sin x")]
    [InlineData("relu(x) + softplus(x)", @"\operatorname{ReLU}\left(x\right) + \operatorname{softplus}\left(x\right)")]
    [InlineData("max(x, y)", @"\max\left(x, y\right)")]
    [InlineData("2 * 3^x", @"2 \cdot 3^{x}")]
    [InlineData("-x", "-x")]
    [InlineData("x - 2 * y", "x - 2 y")]
    [InlineData("-1/2", @"-\frac{1}{2}")]
    [InlineData("x / (2 * y)", @"\frac{x}{2 y}")]
    [InlineData("1 / x^2", @"\frac{1}{x^{2}}")]
    [InlineData("eta * delta", @"\delta \eta")]
    [InlineData("lr * x_1", @"\mathrm{lr} x_{1}")]
    [InlineData("exp(x)^2", @"\left(e^{x}\right)^{2}")]
    public void Latex_cases(string expression, string expected) => Assert.Equal(expected, Latex(expression));

    [Fact]
    public void Latex_indices_concatenate_when_each_is_one_character()
    {
        Assert.Equal("w_{ij}", new Symbol("w", "i", "j").ToLatex());
        Assert.Equal("w_{11}", new Symbol("w", 1, 1).ToLatex());
        Assert.Equal("w_{1,12}", new Symbol("w", 1, 12).ToLatex());
        Assert.Equal("a^{(2)}_{j}", new Symbol("a", "(2)", new Subscript[] { "j" }).ToLatex());
    }

    [Fact]
    public void Latex_writes_the_kronecker_delta_as_an_indicator_so_delta_stays_the_sensitivity() =>
        Assert.Equal(@"\mathbf{1}[i = j]", new KroneckerDelta("i", "j").ToLatex());

    [Theory]
    [InlineData("(y - t) * y * (1 - y)", @"\left(y - t\right) y \left(1 - y\right)")]
    [InlineData("((y - t) * y * (1 - y) * u + s) * h", @"\left[\left(y - t\right) y \left(1 - y\right) u + s\right] h")]
    [InlineData("((1 - t) * (1 - y) + s) * q * (v + w)", @"\left[\left(1 - t\right) \left(1 - y\right) + s\right] q \left(v + w\right)")]
    [InlineData("(sigmoid(x) + 1) * y", @"\left(\sigma\left(x\right) + 1\right) y")]
    public void Latex_puts_a_group_that_holds_a_group_in_square_brackets(string expression, string latex) =>
        Assert.Equal(latex, Expr.Parse(expression).ToLatex());

    [Theory]
    [InlineData("log(S)", @"\log S")]
    [InlineData("t * log(y)", @"t \log y")]
    [InlineData("log(y) * t", @"\log\left(y\right) t")]
    [InlineData("a - m - log(S)", @"a - m - \log S")]
    [InlineData("log(1 - a)", @"\log\left(1 - a\right)")]
    [InlineData("sigmoid(x)", @"\sigma\left(x\right)")]
    [InlineData("relu(x)", @"\operatorname{ReLU}\left(x\right)")]
    public void Latex_writes_an_operator_of_a_lone_symbol_without_parentheses_unless_a_factor_follows(string expression, string latex) =>
        Assert.Equal(latex, Expr.Parse(expression).ToLatex());

    [Fact]
    public void Latex_writes_a_number_after_a_group_without_a_dot_and_after_a_symbol_with_one()
    {
        var (a, y, h) = (new Symbol("a", "j"), new Symbol("y", "j"), new Symbol("h", "j"));
        var twice = new Product(Number.Two, new Sum(a, new Product(Number.MinusOne, y)));
        Assert.Equal(@"\sigma\left(z\right) 2 \left(a_{j} - y_{j}\right)", new Product(new Call(Function.Sigmoid, new Symbol("z")), twice).ToLatex());
        Assert.Equal(@"h_{j} \cdot 2 \left(a_{j} - y_{j}\right)", new Product(h, twice).ToLatex());
    }

    [Fact]
    public void Latex_wraps_a_superscripted_base_to_avoid_a_double_superscript()
    {
        var a2 = new Symbol("a", "(2)", new Subscript[] { "j" });
        Assert.Equal(@"\left(a^{(2)}_{j}\right)^{2}", Expr.Pow(a2, 2).ToLatex());
    }

    [Fact]
    public void Latex_sums_over_an_index()
    {
        var sum = Expr.SumOver("k", new Symbol("x", "k") * new Symbol("w", "k", "j"));
        Assert.Equal(@"\sum_{k} w_{kj} x_{k}", sum.ToLatex());
        Assert.Equal(@"\sum_{k=1}^{n} \left(x_{k} + 1\right)", new IndexedSum("k", new Sum(new Symbol("x", "k"), 1), 1, new Symbol("n")).ToLatex());
        Assert.Equal(@"2 \sum_{k} x_{k}", Expr.Multiply(2, Expr.SumOver("k", new Symbol("x", "k"))).ToLatex());
    }

    [Fact]
    public void Latex_prints_a_raw_chain_rule_product_in_the_order_written()
    {
        var y = new Symbol("y");
        var t = new Symbol("t");
        var h = new Symbol("h");
        var product = new Product(Expr.Subtract(y, t), y, Expr.Subtract(1, y), h);
        Assert.Equal(@"\left(y - t\right) y \left(1 - y\right) h", product.ToLatex());
    }

    [Theory]
    [InlineData("sigmoid(x)", "1.0 / (1.0 + Math.Exp(-x))")]
    [InlineData("sigmoid(x + y)", "1.0 / (1.0 + Math.Exp(-(x + y)))")]
    [InlineData("sigmoid(-x)", "1.0 / (1.0 + Math.Exp(-(-x)))")]
    [InlineData("3 / sigmoid(y)", "3.0 / (1.0 / (1.0 + Math.Exp(-y)))")]
    [InlineData("x * sigmoid(y)", "x * 1.0 / (1.0 + Math.Exp(-y))")]
    [InlineData("sigmoid(y)^3", "Math.Pow(1.0 / (1.0 + Math.Exp(-y)), 3.0)")]
    [InlineData("1/2 * (y - t)^2", "0.5 * Math.Pow(y - t, 2.0)")]
    [InlineData("y^2", "y * y")]
    [InlineData("1 - h^2", "1.0 - h * h")]
    [InlineData("x / y^2", "x / (y * y)")]
    [InlineData("x / (y * z)", "x / (y * z)")]
    [InlineData("1 / x", "1.0 / x")]
    [InlineData("sqrt(x) + x^(1/2)", "2.0 * Math.Sqrt(x)")]
    [InlineData("x^(1/3)", "Math.Pow(x, 0.3333333333333333)")]
    [InlineData("tanh(x) * exp(x) * log(x)", "Math.Exp(x) * Math.Log(x) * Math.Tanh(x)")]
    [InlineData("abs(x) + sin(x) + cos(x)", "Math.Abs(x) + Math.Cos(x) + Math.Sin(x)")]
    [InlineData("relu(x)", "Math.Max(0.0, x)")]
    [InlineData("step(x)", "(x > 0.0 ? 1.0 : 0.0)")]
    [InlineData("max(x, y) - min(x, y)", "Math.Max(x, y) - Math.Min(x, y)")]
    [InlineData("softplus(x)", "(Math.Max(x, 0.0) + Math.Log(1.0 + Math.Exp(-Math.Abs(x))))")]
    [InlineData("-x - 2", "-x - 2.0")]
    [InlineData("1/3 * x", "0.3333333333333333 * x")]
    [InlineData("0.01 * x", "0.01 * x")]
    public void CSharp_double_cases(string expression, string expected) => Assert.Equal(expected, CSharp(expression));

    [Theory]
    [InlineData("2 * log(2)", "1.3862943611198906")]
    [InlineData("x - 2 * log(2)", "x - 1.3862943611198906")]
    [InlineData("2 * log(2) * x", "1.3862943611198906 * x")]
    [InlineData("x * log(1/2)", "-0.6931471805599453 * x")]
    [InlineData("-x * log(1/2)", "0.6931471805599453 * x")]
    [InlineData("y - log(1/2) * x", "y - (-0.6931471805599453 * x)")]
    [InlineData("sigmoid(x * log(1/2))", "1.0 / (1.0 + Math.Exp(-(-0.6931471805599453 * x)))")]
    [InlineData("x / log(3)", "x / 1.0986122886681098")]
    [InlineData("sqrt(2) + 2^(1/3)", "2.6741346122679683")]
    [InlineData("exp(1000) * x", "x * Math.Exp(1000.0)")]
    [InlineData("softplus(-x)", "(Math.Max(-x, 0.0) + Math.Log(1.0 + Math.Exp(-Math.Abs(x))))")]
    public void CSharp_folds_constants_to_one_literal(string expression, string expected) => Assert.Equal(expected, CSharp(expression));

    [Fact]
    public void CSharp_folds_constants_in_the_precision_and_culture_of_the_code()
    {
        Assert.Equal("x - 1.3862944f", CSharpFloat("x - 2 * log(2)"));
        Assert.Equal("x * MathF.Exp(100f)", CSharpFloat("exp(100) * x"));
        var previous = Thread.CurrentThread.CurrentCulture;
        try
        {
            Thread.CurrentThread.CurrentCulture = new CultureInfo("de-DE");
            Assert.Equal("x - 1.3862943611198906", CSharp("x - 2 * log(2)"));
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Latex_keeps_constants_exact() => Assert.Equal(@"x - 2 \log\left(2\right)", Latex("x - 2 * log(2)"));

    [Theory]
    [InlineData("sigmoid(x)", "1f / (1f + MathF.Exp(-x))")]
    [InlineData("0.5 * x + 2", "0.5f * x + 2f")]
    [InlineData("tanh(x) / 3", "0.33333334f * MathF.Tanh(x)")]
    public void CSharp_float_cases(string expression, string expected) => Assert.Equal(expected, CSharpFloat(expression));

    [Fact]
    public void CSharp_qualifies_names_for_generated_code()
    {
        var printed = Expr.Parse("exp(x)").ToCSharp(new CSharpPrinterOptions { QualifyNames = true });
        Assert.Equal("global::System.Math.Exp(x)", printed);
    }

    [Fact]
    public void CSharp_names_indexed_symbols_and_escapes_keywords()
    {
        Assert.Equal("w_1_2", new Symbol("w", 1, 2).ToCSharp());
        Assert.Equal("a2_j", new Symbol("a", "(2)", new Subscript[] { "j" }).ToCSharp());
        Assert.Equal("@double", new Symbol("double").ToCSharp());
        var custom = new CSharpPrinterOptions { SymbolName = s => "p[" + s.Indices[0] + "]" };
        Assert.Equal("p[3]", new Symbol("w", 3).ToCSharp(custom));
    }

    [Fact]
    public void CSharp_expands_a_bounded_sum_and_refuses_an_unbounded_one()
    {
        var bounded = Expr.SumOver("k", new Symbol("x", "k"), 1, 3);
        Assert.Equal("(x_1 + x_2 + x_3)", bounded.ToCSharp());
        var unbounded = new IndexedSum("k", new Symbol("x", "k"));
        var error = Assert.Throws<System.NotSupportedException>(() => unbounded.ToCSharp());
        Assert.Contains("without integer bounds", error.Message);
    }

    [Fact]
    public void CSharp_literals_beyond_float_range_become_infinity()
    {
        Assert.Equal("float.PositiveInfinity", Expr.Parse("10^50").Simplify().ToCSharp(NumericType.Single));
        Assert.Equal("1E+50", Expr.Parse("10^50").Simplify().ToCSharp());
    }

    [Fact]
    public void Printing_is_the_same_in_every_culture()
    {
        var e = Expr.Parse("0.5 * x + 1.25 * sigmoid(y) - 1/3").Simplify();
        var expected = (e.ToLatex(), e.ToCSharp(), e.ToCSharp(NumericType.Single), e.ToString());
        var previous = Thread.CurrentThread.CurrentCulture;
        try
        {
            foreach (var culture in new[] { "de-DE", "tr-TR", "fr-FR", "ar-SA" })
            {
                Thread.CurrentThread.CurrentCulture = new CultureInfo(culture);
                Assert.Equal(expected, (e.ToLatex(), e.ToCSharp(), e.ToCSharp(NumericType.Single), e.ToString()));
            }
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }

    [Theory]
    [InlineData("x - (y + z)", "x - (y + z)")]
    [InlineData("x / (y / z)", "x / (y / z)")]
    [InlineData("(x^2)^3", "(x^2)^3")]
    [InlineData("(-x)^2", "(-x)^2")]
    [InlineData("(1/2)^x", "(1 / 2)^x")]
    [InlineData("x^(1/2)", "x^(1 / 2)")]
    [InlineData("-x^2", "-x^2")]
    public void Text_parenthesizes_only_where_needed(string expression, string expected) =>
        Assert.Equal(expected, Expr.Parse(expression).ToString());

    [Fact]
    public void The_precedence_table_orders_sums_below_products_below_powers()
    {
        Assert.True(Precedence.Of(Expr.Parse("x + y")) < Precedence.Of(Expr.Parse("x * y")));
        Assert.True(Precedence.Of(Expr.Parse("x * y")) < Precedence.Of(Expr.Parse("x ^ y")));
        Assert.True(Precedence.Of(Expr.Parse("x ^ y")) < Precedence.Of(Expr.Parse("exp(x)")));
        Assert.Equal(Precedence.Add, Precedence.Of(Expr.Parse("-x")));
    }
}
