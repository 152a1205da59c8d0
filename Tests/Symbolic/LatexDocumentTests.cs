using System.Linq;
using System.Text;
using BackpropGen.Symbolic;
using BackpropGen.Tests.Support;

namespace BackpropGen.Tests.Symbolic;

public class LatexDocumentTests
{
    /// <summary>The formulas of the notes, every function, and the awkward cases of the printer.</summary>
    private static readonly Expr[] Formulas =
    {
        Expr.Parse("1/2 * (y - t)^2").Simplify(),
        Expr.Parse("1/2 * (y - t)^2").Differentiate("y"),
        Expr.Parse("sigmoid(a)").Differentiate("a"),
        Expr.Parse("tanh(a)").Differentiate("a"),
        Expr.Parse("-(t * log(y) + (1 - t) * log(1 - y))").Differentiate("y"),
        Expr.Parse("x / (1 + abs(x))").Differentiate("x"),
        Expr.Parse("softplus(x) + relu(x) + step(x) + sign(x) + max(x, y) + min(x, y) + sqrt(x) + exp(-x) + sin(x) * cos(x)").Simplify(),
        Expr.Parse("exp(x)^2 + tanh(x)^3 + (1/2)^x + x^(1/3) + 2 * 3^x").Simplify(),
        Expr.SumOver("k", new Symbol("x", "k") * new Symbol("w", "k", "j")) + new Symbol("b", "j"),
        Expr.SumOver("k", new Symbol("delta", "k") * new Symbol("u", "j", "k"), 1, new Symbol("n")) * new Symbol("h", "j") * (1 - new Symbol("h", "j")),
        Expr.Pow(new Symbol("a", "(2)", new Subscript[] { "j" }), 2) + new Symbol("w", 1, 12) + new Symbol("eta") * Expr.Delta("i", "j"),
        new Symbol("w_lr") + new Symbol("x_1") + new Symbol("weird#name"),
    };

    [Trait("Category", "Slow")]
    [PdfLatexFact]
    public void A_document_of_printed_formulas_compiles_with_pdflatex()
    {
        var document = new StringBuilder()
            .AppendLine(@"\documentclass{article}")
            .AppendLine(@"\usepackage{amsmath}")
            .AppendLine(@"\begin{document}")
            .AppendLine(@"\section*{Formulas printed by the engine}");
        foreach (var formula in Formulas)
        {
            document.AppendLine(@"\begin{equation}").AppendLine(formula.ToLatex()).AppendLine(@"\end{equation}");
        }

        document.AppendLine(@"\end{document}");
        var result = PdfLatex.Compile(document.ToString(), "formulas");
        Assert.True(new System.IO.FileInfo(result.PdfPath).Length > 1000);
    }

    [Fact]
    public void Every_printed_formula_has_balanced_braces_and_delimiters()
    {
        foreach (var latex in Formulas.Select(f => f.ToLatex()))
        {
            Assert.Equal(latex.Count(ch => ch == '{'), latex.Count(ch => ch == '}'));
            Assert.Equal(CountOf(latex, @"\left"), CountOf(latex, @"\right"));
        }

        static int CountOf(string text, string part) => (text.Length - text.Replace(part, "").Length) / part.Length;
    }
}
