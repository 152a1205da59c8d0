using System.Linq;
using System.Text.RegularExpressions;
using BackpropGen.Generator.Documents;
using BackpropGen.Symbolic.Networks;
using BackpropGen.Tests.Support;

namespace BackpropGen.Tests.Documents;

/// <summary>The Markdown document says what the LaTeX one says, in GitHub's math syntax.</summary>
public class MarkdownDocumentTests
{
    [Theory]
    [MemberData(nameof(SampleNetworks.Names), MemberType = typeof(SampleNetworks))]
    public void Every_equation_becomes_a_math_block_and_no_latex_outside_math_is_left(string name)
    {
        var latex = DerivationDocument.Render(Derivation.Derive(SampleNetworks.All[name]));
        var markdown = MarkdownDocument.FromLatex(latex);

        Assert.StartsWith("# Backpropagation for `" + SampleNetworks.All[name].Name + "`\n", markdown);
        Assert.Equal(Regex.Matches(latex, @"\\begin\{(equation\*?|align\*)\}").Count * 2, Regex.Matches(markdown, @"^\$\$$", RegexOptions.Multiline).Count);
        Assert.Equal(Regex.Matches(latex, @"\\tag\{\d+\}").Count, Regex.Matches(markdown, @"\\tag\{\d+\}").Count);
        Assert.Equal(Regex.Matches(latex, @"\\section\{").Count, Regex.Matches(markdown, @"^## \d+ ", RegexOptions.Multiline).Count);
        foreach (var command in new[] { @"\begin{equation", @"\begin{align*}", @"\\*", @"\label{", @"\eqref{", @"\ref{", @"\section{", @"\texttt{", @"\begin{figure", @"\node", "~" })
        {
            Assert.DoesNotContain(command, markdown);
        }

        Assert.Contains("```mermaid\ngraph LR\n", markdown);
        var prose = Regex.Replace(markdown, @"\$\$\n.*?\n\$\$", "", RegexOptions.Singleline);
        Assert.All(prose.Split('\n'), line => Assert.True(line.Count(c => c == '$') % 2 == 0, line));
    }

    [Fact]
    public void References_become_the_numbers_of_their_equations()
    {
        var derivation = Derivation.Derive(SampleNetworks.Softmax);
        var markdown = MarkdownDocument.FromLatex(DerivationDocument.Render(derivation));
        Assert.Contains($"by\nequation ({derivation.EquationNumber(EquationLabels.SoftmaxJacobian)}) every output", markdown);
        Assert.Contains("as Figure 1", markdown);
        Assert.Contains("  n0x0((\"x_1\"))", markdown);
    }
}
