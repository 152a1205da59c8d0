using System.Linq;
using BackpropGen.Generator.Documents;

namespace BackpropGen.Tests.Documents;

public class LineBreakerTests
{
    /// <summary>Widths pdflatex measured for these formulas in displaystyle at 11pt, in ems (11pt).</summary>
    [Theory]
    [InlineData(@"\left[\sum_{i} 2 \left(a^{(L)}_{i} - y_{i}\right) a^{(L)}_{i} \left(1 - a^{(L)}_{i}\right) w^{(L)}_{ij}\right] a^{(L-1)}_{j} \left(1 - a^{(L-1)}_{j}\right) a^{(L-2)}_{k}", 28.5)]
    [InlineData(@"\left[\left(y_{1} \sum_{k} t_{k} - t_{1}\right) u_{11} + \left(y_{2} \sum_{k} t_{k} - t_{2}\right) u_{12} + \left(y_{3} \sum_{k} t_{k} - t_{3}\right) u_{13}\right] \left(1 - h_{1}^{2}\right) x_{1}", 34.5)]
    [InlineData(@"\frac{\partial C_{0}}{\partial w^{(L-1)}_{jk}} =", 4.75)]
    [InlineData(@"\frac{1}{2} \left(a^{(L)}_{0} - y_{0}\right) \left(\operatorname{step}\left(z^{(L)}_{0}\right) + \frac{1}{100} \operatorname{step}\left(-z^{(L)}_{0}\right)\right) w^{(L)}_{00}", 23.1)]
    public void The_estimated_width_is_within_a_tenth_of_the_typeset_width(string formula, double ems)
    {
        var estimate = LineBreaker.Width(formula);
        Assert.InRange(estimate, ems * 0.9, ems * 1.1);
    }

    [Fact]
    public void A_formula_that_fits_stays_on_one_line() =>
        Assert.Equal(new[] { "x_{1} + x_{2}" }, LineBreaker.Break("x_{1} + x_{2}", 30));

    [Fact]
    public void A_long_sum_breaks_between_its_terms_and_each_line_fits()
    {
        var terms = Enumerable.Range(1, 12).Select(i => $@"\frac{{\partial L}}{{\partial y_{{{i}}}}} u_{{1{i}}}");
        var lines = LineBreaker.Break(string.Join(" + ", terms), 30);
        Assert.True(lines.Count > 1);
        Assert.All(lines.Skip(1), line => Assert.StartsWith("{} + ", line));
        Assert.All(lines, line => Assert.True(LineBreaker.Width(line) <= 30, line));
        Assert.Equal(string.Join(" + ", terms), string.Join(" ", lines).Replace("{} ", ""));
    }

    [Fact]
    public void A_long_bracketed_sum_breaks_inside_its_brackets_which_open_and_close_across_the_lines()
    {
        var terms = Enumerable.Range(1, 8).Select(i => $@"\left(y_{{{i}}} - t_{{{i}}}\right) y_{{{i}}} \left(1 - y_{{{i}}}\right) u_{{1{i}}}");
        var formula = @"\left[" + string.Join(" + ", terms) + @"\right] h_{1} \left(1 - h_{1}\right) x_{1}";
        var lines = LineBreaker.Break(formula, 30);
        Assert.True(lines.Count > 1);
        Assert.StartsWith(@"\left[", lines[0]);
        Assert.EndsWith(@"\right.", lines[0]);
        Assert.All(lines.Skip(1), line => Assert.StartsWith(@"\left. {} + ", line));
        Assert.EndsWith(@"\right] h_{1} \left(1 - h_{1}\right) x_{1}", lines[^1]);
        Assert.All(lines, line => Assert.True(LineBreaker.Width(line) <= 30, line));
    }

    /// <summary>The custom sample's loss as a function of one weight: softplus(A) + softplus(t − (B)) − 2 log 2, A and B long sums.</summary>
    [Fact]
    public void A_sum_whose_terms_are_too_wide_breaks_each_of_them_inside_its_groups_down_to_lines_that_fit()
    {
        var sum = string.Join(" + ", Enumerable.Range(1, 8).Select(i => $@"\frac{{x_{{1}} w_{{11}}}}{{\left|x_{{1}} w_{{11}}\right| + 1}} u_{{{i}1}}"));
        var formula = @"\operatorname{softplus}\left(" + sum + @" - t_{1}\right) + \operatorname{softplus}\left(t_{1} - \left(" + sum + @"\right)\right) - 2 \log\left(2\right)";
        var lines = LineBreaker.Break(formula, 30);
        Assert.All(lines, line => Assert.True(LineBreaker.Width(line) <= 30, line));
        Assert.Equal(@"{} - 2 \log\left(2\right)", lines[^1]);
        Assert.All(lines, line => Assert.Equal(
            System.Text.RegularExpressions.Regex.Matches(line, @"\\left[.(\[|]").Count,
            System.Text.RegularExpressions.Regex.Matches(line, @"\\right[.)\]|]").Count));
    }

    [Fact]
    public void A_matrix_is_never_broken_into_lines()
    {
        var row = string.Join(" & ", Enumerable.Range(1, 12).Select(i => $@"y_{{{i}}} \left(1 - y_{{{i}}}\right)"));
        var matrix = @"\begin{bmatrix} " + row + @" \end{bmatrix}";
        Assert.Equal(new[] { matrix }, LineBreaker.Break(matrix, 20));
    }
}
