using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using BackpropGen.Generator.Documents;
using BackpropGen.Symbolic.Networks;
using BackpropGen.Tests.Support;

namespace BackpropGen.Tests.Documents;

public class DocumentTests
{
    private static string Render(string name) => DerivationDocument.Render(Derivation.Derive(SampleNetworks.All[name]));

    [Theory]
    [MemberData(nameof(SampleNetworks.Names), MemberType = typeof(SampleNetworks))]
    public void Document_matches_its_snapshot(string name) => Snapshot.Verify(Render(name), "tex", name);

    /// <summary>The L2 section and Adam's update section, which the sample networks (gradient descent, no penalty) do not have.</summary>
    [Fact]
    public void Document_of_a_network_trained_with_Adam_and_L2_matches_its_snapshot() =>
        Snapshot.Verify(DerivationDocument.Render(Derivation.Derive(SampleNetworks.SoftmaxAdam)), "tex", "SoftmaxAdam");

    [Fact]
    public void The_document_states_each_optimizers_equations_and_the_code_cites_the_same_numbers()
    {
        foreach (var optimizer in new[] { OptimizerKind.Momentum, OptimizerKind.Nesterov, OptimizerKind.Adam, OptimizerKind.AdamW, OptimizerKind.RMSProp })
        {
            var spec = new NetworkSpec(2, new[] { new LayerSpec(2, ActivationSpec.Sigmoid) }, LossSpec.HalfSquaredError, training: new TrainingSpec(optimizer));
            var derivation = Derivation.Derive(spec);
            var latex = DerivationDocument.Render(derivation);
            var rule = derivation.Update;
            Assert.Contains("torch.optim.", latex, System.StringComparison.Ordinal);
            for (var n = 1; n <= rule.Equations.Count; n++)
            {
                Assert.Contains($"\\tag{{{derivation.EquationNumber(EquationLabels.UpdateStep(n))}}}\\label{{{EquationLabels.UpdateStep(n)}}}", latex, System.StringComparison.Ordinal);
            }

            Assert.DoesNotContain("eq:weight-update", latex, System.StringComparison.Ordinal);
            foreach (var state in rule.State)
            {
                Assert.Contains("$" + state.Name + "$", latex, System.StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [MemberData(nameof(SampleNetworks.Names), MemberType = typeof(SampleNetworks))]
    public void Equations_are_tagged_one_to_n_in_order_as_the_derivation_numbers_them(string name)
    {
        var derivation = Derivation.Derive(SampleNetworks.All[name]);
        var document = DerivationDocument.Render(derivation);
        var tags = Regex.Matches(document, @"\\tag\{(\d+)\}\\label\{([^}]+)\}").Cast<Match>().ToList();
        Assert.Equal(Enumerable.Range(1, derivation.EquationLabels.Count), tags.Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)));
        Assert.Equal(derivation.EquationLabels, tags.Select(m => m.Groups[2].Value));
    }

    [Theory]
    [MemberData(nameof(SampleNetworks.Names), MemberType = typeof(SampleNetworks))]
    public void The_prose_counts_and_plurals_read_as_english(string name)
    {
        var document = Render(name);
        Assert.DoesNotMatch(@"(one|each) of the 1 ", document);
        Assert.DoesNotContain("sensitivitys", document, System.StringComparison.Ordinal);
        Assert.DoesNotContain("zs ", document, System.StringComparison.Ordinal);
        Assert.DoesNotContain("mean squared error, summed", document, System.StringComparison.Ordinal);
    }

    [Fact]
    public void The_mean_squared_error_is_averaged_over_the_outputs_in_words()
    {
        var spec = new NetworkSpec(2, new[] { new LayerSpec(3, ActivationSpec.Sigmoid) }, LossSpec.MeanSquaredError);
        var document = DerivationDocument.Render(Derivation.Derive(spec));
        Assert.Contains("mean squared error, averaged over the outputs:", document, System.StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SampleNetworks.Names), MemberType = typeof(SampleNetworks))]
    public void No_derivation_repeats_a_step(string name)
    {
        var lines = Render(name).Split('\n').Select(l => l.Trim().TrimEnd('\\').Trim()).ToList();
        for (var i = 1; i < lines.Count; i++)
        {
            Assert.False(lines[i].StartsWith("&=", System.StringComparison.Ordinal) && lines[i] == lines[i - 1], $"line {i + 1} repeats the step before it: {lines[i]}");
        }
    }

    [Fact]
    public void The_notes_document_writes_the_notes_formulas_in_the_notes_letters()
    {
        var document = Render("Notes");
        Assert.Contains(@"L = \frac{1}{2} \sum_{k} \left(y_{k} - t_{k}\right)^{2}", document);
        Assert.Contains(@"&= \left(y_{j} - t_{j}\right) y_{j} \left(1 - y_{j}\right) h_{i}", document);
        Assert.Contains(@"\frac{\partial L}{\partial w_{11}} = \left(\left(y_{1} - t_{1}\right) y_{1} \left(1 - y_{1}\right) u_{11} + \left(y_{2} - t_{2}\right) y_{2} \left(1 - y_{2}\right) u_{12}\right) h_{1} \left(1 - h_{1}\right) x_{1}", document);
        Assert.Contains(@"u_{ij} \leftarrow u_{ij} - \eta \delta^{(2)}_{j} h_{i}", document);
    }

    [Fact]
    public void The_layered_document_uses_the_chapter_letters()
    {
        var document = Render("Chain");
        Assert.Contains(@"C_{0} = \sum_{i} \left(a^{(L)}_{i} - y_{i}\right)^{2}", document);
        Assert.Contains(@"z^{(L)}_{j} = \sum_{k} a^{(L-1)}_{k} w^{(L)}_{jk} + b^{(L)}_{j}", document);
        Assert.Contains(@"a^{(0)}_{0}", document);
    }

    [Fact]
    public void The_vectorized_document_uses_the_course_letters_and_states_dz_equals_a_minus_y()
    {
        var document = Render("Logistic");
        Assert.Contains(@"\mathrm{dz}^{[1]}_{j}", document);
        Assert.Contains(@"&= a^{[1]}_{j} - y_{j}", document);
        Assert.Contains(@"dW^{[l]} = \frac{1}{m} \, dZ^{[l]} A^{[l-1]T}", document);
    }

    [Fact]
    public void The_document_is_the_same_in_every_culture()
    {
        var expected = Render("Softmax");
        var previous = Thread.CurrentThread.CurrentCulture;
        try
        {
            foreach (var culture in new[] { "de-DE", "tr-TR", "fr-FR", "ar-SA" })
            {
                Thread.CurrentThread.CurrentCulture = new CultureInfo(culture);
                Assert.Equal(expected, Render("Softmax"));
            }
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }

    [Fact]
    public void A_wide_network_gives_an_abbreviated_document_whose_size_does_not_grow_with_its_weights()
    {
        var wide = new NetworkSpec(784, new[] { new LayerSpec(128, ActivationSpec.ReLU), new LayerSpec(10, ActivationSpec.Softmax) }, LossSpec.CrossEntropy, name: "Mnist");
        var narrow = new NetworkSpec(7, new[] { new LayerSpec(8, ActivationSpec.ReLU), new LayerSpec(7, ActivationSpec.Softmax) }, LossSpec.CrossEntropy, name: "Mnist");
        var wideDocument = DerivationDocument.Render(Derivation.Derive(wide));
        var narrowDocument = DerivationDocument.Render(Derivation.Derive(narrow));
        Assert.Contains(@"\vdots", wideDocument);
        Assert.Contains("too many to write", wideDocument);
        Assert.True(wideDocument.Length < narrowDocument.Length * 1.2, $"{wideDocument.Length} characters for 784-128-10 against {narrowDocument.Length} for 7-8-7");
    }

    public static TheoryData<string> CompiledNetworks() => new(SampleNetworks.All.Keys.Append("Wide").Append("Deep"));

    [Trait("Category", "Slow")]
    [PdfLatexTheory]
    [MemberData(nameof(CompiledNetworks))]
    public void Document_compiles_with_pdflatex_without_errors_or_unresolved_references(string name)
    {
        var spec = name switch
        {
            "Wide" => new NetworkSpec(784, new[] { new LayerSpec(128, ActivationSpec.ReLU), new LayerSpec(10, ActivationSpec.Softmax) }, LossSpec.CrossEntropy, NotationStyle.Vectorized, "Mnist"),
            "Deep" => new NetworkSpec(3, Enumerable.Range(0, 7).Select(_ => new LayerSpec(4, ActivationSpec.LeakyReLU)), LossSpec.MeanSquaredError, NotationStyle.Layered, "DeepNet"),
            _ => SampleNetworks.All[name],
        };
        var result = PdfLatex.Compile(DerivationDocument.Render(Derivation.Derive(spec)), name);
        Assert.DoesNotContain("undefined references", result.Log);
        Assert.DoesNotContain("multiply-defined", result.Log);
        if (name == "Notes" && PdfText.IsAvailable)
        {
            // Vector fonts with a Unicode map: the PDF's text copies and searches as written, ligatures included.
            Assert.Contains("Each layer first forms a linear combination", PdfText.Extract(result.PdfPath));
        }
    }
}
