using System;
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

    /// <summary>The template's globals are what Scriban's Import makes of the model: the same names, values and writability.</summary>
    [Theory]
    [MemberData(nameof(SampleNetworks.Names), MemberType = typeof(SampleNetworks))]
    public void The_templates_globals_are_the_model_as_Scriban_imports_it(string name)
    {
        var model = DocumentModel.Build(Derivation.Derive(SampleNetworks.All[name]));
        var imported = new Scriban.Runtime.ScriptObject();
        Scriban.Runtime.ScriptObjectExtensions.Import(imported, model);
        var globals = DerivationDocument.Globals(model);
        Assert.Equal(imported.Keys.OrderBy(k => k, StringComparer.Ordinal), globals.Keys.OrderBy(k => k, StringComparer.Ordinal));
        foreach (var key in imported.Keys)
        {
            Assert.Equal(imported[key], globals[key]);
            Assert.Equal(imported.CanWrite(key), globals.CanWrite(key));
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

    /// <summary>
    /// A long derivation is an <c>align*</c> that may break across pages between two steps, never after its first line
    /// or inside a step (a step's continued line and its rules follow a <c>\\*</c>); a short one stays one display.
    /// </summary>
    [Theory]
    [MemberData(nameof(SampleNetworks.Names), MemberType = typeof(SampleNetworks))]
    public void A_long_derivation_may_break_across_pages_between_its_steps_only(string name)
    {
        var document = Render(name);
        var breakable = Regex.Matches(document, @"\\begin\{align\*\}\n(.*?)\n\\end\{align\*\}", RegexOptions.Singleline).Cast<Match>().ToList();
        foreach (var block in breakable)
        {
            var rows = block.Groups[1].Value.Split('\n').Where(line => !line.StartsWith(@"\tag{", System.StringComparison.Ordinal)).ToList();
            Assert.True(rows.Count >= EquationBlock.BreakableRows, block.Value);
            Assert.EndsWith(@" \\*", rows[0]);
            for (var i = 1; i < rows.Count; i++)
            {
                if (rows[i].StartsWith(@"&\quad", System.StringComparison.Ordinal) || rows[i].StartsWith(@"&\qquad", System.StringComparison.Ordinal))
                {
                    Assert.True(rows[i - 1].EndsWith(@" \\*", System.StringComparison.Ordinal), $"a break inside a step before: {rows[i]}");
                }
            }
        }

        foreach (Match block in Regex.Matches(document, @"\\begin\{aligned\}\n(.*?)\n\\end\{aligned\}", RegexOptions.Singleline))
        {
            Assert.True(block.Groups[1].Value.Split('\n').Length < EquationBlock.BreakableRows, block.Value);
        }

        if (name == "Softmax")
        {
            Assert.Contains(breakable, block => block.Value.Contains(@"\label{eq:softmax-jacobian}"));
        }
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
        Assert.Contains(@"\frac{\partial L}{\partial w_{11}} = \left[\left(y_{1} - t_{1}\right) y_{1} \left(1 - y_{1}\right) u_{11} + \left(y_{2} - t_{2}\right) y_{2} \left(1 - y_{2}\right) u_{12}\right] h_{1} \left(1 - h_{1}\right) x_{1}", document);
        Assert.Contains(@"u_{ij} \leftarrow u_{ij} - \eta \delta^{(2)}_{j} h_{i}", document);
    }

    [Fact]
    public void The_notes_document_writes_each_linear_combination_out_and_in_vector_form()
    {
        var document = Render("Notes");
        Assert.Contains(@"&= x_{1} w_{1j} + x_{2} w_{2j} + b^{(1)}_{j}", document);
        Assert.Contains(@"&= h_{1} u_{1j} + h_{2} u_{2j} + h_{3} u_{3j} + b^{(2)}_{j}", document);
        Assert.Contains(@"$\mathbf{a}^{(1)} = \mathbf{x} \mathbf{w} + \mathbf{b}^{(1)}$ and $\mathbf{a}^{(2)} = \mathbf{h} \mathbf{u} + \mathbf{b}^{(2)}$", document);
        Assert.DoesNotContain(@"\mathbf{a}^{(1)}", Render("Logistic"));
    }

    [Fact]
    public void The_notes_update_section_writes_each_layers_update_as_a_vector_before_the_updates_of_one_weight()
    {
        var document = Render("Notes");
        var vector = document.IndexOf(@"\mathbf{u} &\leftarrow \mathbf{u} - \eta \nabla_{\mathbf{u}} L\left(\mathbf{u}\right)", StringComparison.Ordinal);
        Assert.True(vector > 0, "no vector update of u");
        Assert.Contains(@"\mathbf{w} &\leftarrow \mathbf{w} - \eta \nabla_{\mathbf{w}} L\left(\mathbf{w}\right)", document);
        Assert.Contains(@"\mathbf{b}^{(2)} &\leftarrow \mathbf{b}^{(2)} - \eta \nabla_{\mathbf{b}^{(2)}} L\left(\mathbf{b}^{(2)}\right)", document);
        Assert.True(vector < document.IndexOf(@"\label{eq:weight-update-1}", StringComparison.Ordinal));
        Assert.DoesNotContain(@"\nabla_{", Render("Chain"));
        Assert.DoesNotContain(@"\nabla_{", Render("Logistic"));
    }

    [Fact]
    public void With_an_optimizer_that_keeps_state_the_notes_document_reads_its_equations_for_the_vector_of_all_parameters()
    {
        var document = DerivationDocument.Render(Derivation.Derive(SampleNetworks.SoftmaxAdam));
        Assert.Contains(@"holds as written for the vector $\theta$ of all the parameters,", document);
        Assert.Contains(@"$g = \nabla_{\theta} J\left(\theta\right)$", document);
        Assert.DoesNotContain(@"&\leftarrow", document);
    }

    [Fact]
    public void The_one_layer_vectorized_document_generalises_to_a_layer_l_of_l_layers_as_the_deeper_one_does()
    {
        static string Section(string document) => document.Substring(document.IndexOf(@"\section{Backpropagation generalised}", StringComparison.Ordinal));
        var logistic = Section(Render("Logistic"));
        var deep = Section(DerivationDocument.Render(Derivation.Derive(new NetworkSpec(3,
            new[] { new LayerSpec(4, ActivationSpec.Tanh), new LayerSpec(2, ActivationSpec.Sigmoid) }, LossSpec.HalfSquaredError, NotationStyle.Vectorized, "Deep"))));
        foreach (var section in new[] { logistic, deep })
        {
            Assert.Contains(@"\frac{\partial L}{\partial W^{[l]}_{jk}} = \mathrm{dz}^{[l]}_{j} a^{[l-1]}_{k}", section);
            Assert.Contains(@"\mathrm{dZ}^{[l]} &= W^{[l+1]T} \mathrm{dZ}^{[l+1]} * g^{[l]\prime}\left(Z^{[l]}\right) \\", section);
            Assert.Contains(@"\mathrm{dW}^{[l]} &= \frac{1}{m} \mathrm{dZ}^{[l]} A^{[l-1]T} \\", section);
            Assert.Contains(@"\mathrm{db}^{[l]} &= \frac{1}{m} \sum_{i=1}^{m} \mathrm{dZ}^{[l](i)}", section);
        }

        Assert.Contains(@"\mathrm{dZ}^{[L]} &= A^{[L]} - Y \\", logistic);
        Assert.Contains("$l = L = 1$", logistic);
        Assert.Contains("\begin{aligned}\n" + @"\mathrm{dZ}^{[1]} &= A^{[1]} - Y \\" + "\n" + @"\mathrm{dW}^{[1]} &= \frac{1}{m} \mathrm{dZ}^{[1]} X^{T} \\", logistic);
        Assert.Contains(@"\mathrm{dZ}^{[L]} &= \mathrm{dA}^{[L]} * g^{[L]\prime}\left(Z^{[L]}\right)", deep);
    }

    [Theory]
    [MemberData(nameof(SamplesAndLayeredSoftmax))]
    public void A_figure_has_no_blank_line_between_its_nodes(string name)
    {
        var document = name == "LayeredSoftmax" ? DerivationDocument.Render(Derivation.Derive(LayeredSoftmax)) : Render(name);
        var figures = Regex.Matches(document, @"\\begin\{figure\}.*?\\end\{figure\}", RegexOptions.Singleline).Cast<Match>().ToList();
        Assert.NotEmpty(figures);
        Assert.All(figures, figure => Assert.DoesNotContain("\n\n", figure.Value));
    }

    [Fact]
    public void The_layered_document_writes_a_weighted_input_term_by_term_as_the_chapter_does()
    {
        var document = DerivationDocument.Render(Derivation.Derive(LayeredSoftmax));
        Assert.Contains(@"&= a^{(0)}_{0} w^{(L-1)}_{j0} + a^{(0)}_{1} w^{(L-1)}_{j1} + a^{(0)}_{2} w^{(L-1)}_{j2} + b^{(L-1)}_{j}", document);
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
        Assert.Contains(@"\mathrm{dW}^{[1]} &= \frac{1}{m} \mathrm{dZ}^{[1]} X^{T}", document);
        Assert.Contains(@"$\hat{y} = a^{[L]}$", document);
        Assert.Contains(@"\mathrm{da}^{[1]}_{j} &= \frac{\partial L}{\partial a^{[1]}_{j}} \\", document);
    }

    [Fact]
    public void The_vectorized_document_gives_the_memoised_equations_in_matrix_form_and_the_shapes()
    {
        var logistic = Render("Logistic");
        Assert.Contains(@"\mathrm{dZ}^{[1]} &= A^{[1]} - Y \\", logistic);
        Assert.Contains(@"\mathrm{dW}^{[1]} &= \frac{1}{m} \mathrm{dZ}^{[1]} X^{T}", logistic);
        Assert.Contains(@"W^{[1]},\ \mathrm{dW}^{[1]} & n^{[1]} \times n^{[0]} & 1 \times 3", logistic);

        var deep = DerivationDocument.Render(Derivation.Derive(new NetworkSpec(3,
            new[] { new LayerSpec(4, ActivationSpec.Tanh), new LayerSpec(2, ActivationSpec.Sigmoid) }, LossSpec.HalfSquaredError, NotationStyle.Vectorized, "Deep")));
        Assert.Contains(@"\mathrm{dZ}^{[2]} &= \mathrm{dA}^{[2]} * g^{[2]\prime}\left(Z^{[2]}\right)", deep);
        Assert.Contains(@"g^{[2]\prime}\left(Z^{[2]}\right) &= A^{[2]} * \left(1 - A^{[2]}\right)", deep);
        Assert.Contains(@"\mathrm{dZ}^{[1]} &= W^{[2]T} \mathrm{dZ}^{[2]} * g^{[1]\prime}\left(Z^{[1]}\right)", deep);
        Assert.Contains(@"g^{[1]\prime}\left(Z^{[1]}\right) &= 1 - \left(A^{[1]}\right)^{2}", deep);
        Assert.Contains(@"Z^{[1]},\ A^{[1]},\ \mathrm{dZ}^{[1]} & n^{[1]} \times m & 4 \times m", deep);
        Assert.DoesNotContain(@"\mathrm{dZ}^{[", Render("Notes"));
    }

    [Fact]
    public void A_chain_of_single_neurons_is_first_derived_without_indices_in_the_chapters_factor_order()
    {
        var document = Render("Chain");
        Assert.Contains(@"C_{0} &= \left(a^{(L)} - y\right)^{2} \\", document);
        Assert.Contains(@"z^{(L)} &= a^{(L-1)} w^{(L)} + b^{(L)} \\", document);
        Assert.Contains(@"\frac{\partial C_{0}}{\partial w^{(L)}} &= \frac{\partial z^{(L)}}{\partial w^{(L)}} \frac{\partial a^{(L)}}{\partial z^{(L)}} \frac{\partial C_{0}}{\partial a^{(L)}} \\", document);
        Assert.Contains(@"&= a^{(L-1)} \sigma\left(z^{(L)}\right) \left(1 - \sigma\left(z^{(L)}\right)\right) 2 \left(a^{(L)} - y\right)", document);
        Assert.DoesNotContain("With one neuron in every layer", DerivationDocument.Render(Derivation.Derive(LayeredSoftmax)));
    }

    [Fact]
    public void The_layered_document_draws_what_the_cost_depends_on_and_gives_the_chapters_recursion()
    {
        var chain = Render("Chain");
        Assert.Contains(@"\node[value] (w) at (0,1.3) {$w^{(L)}$};", chain);
        Assert.Contains(@"\node[value] (below) at (0,0) {$a^{(L-1)}$};", chain);
        foreach (var edge in new[] { "(w) -- (z)", "(below) -- (z)", "(b) -- (z)", "(z) -- (a)", "(a) -- (loss)", "(target) -- (loss)" })
        {
            Assert.Contains(@"\draw[arrow] " + edge + ";", chain);
        }

        Assert.Contains(@"\label{fig:dependencies}", chain);
        Assert.Contains("$j$ indexes the units of layer $L$, the sum runs over them, and $k$ is the unit of layer $L-1$:", chain);
        Assert.Contains(@"\frac{\partial C_{0}}{\partial a^{(L-1)}_{k}} &= \sum_{j} \frac{\partial z^{(L)}_{j}}{\partial a^{(L-1)}_{k}} \frac{\partial a^{(L)}_{j}}{\partial z^{(L)}_{j}} \frac{\partial C_{0}}{\partial a^{(L)}_{j}} \\", chain);
        Assert.Contains(@"&= \sum_{j} w^{(L)}_{jk} \sigma\left(z^{(L)}_{j}\right) \left(1 - \sigma\left(z^{(L)}_{j}\right)\right) 2 \left(a^{(L)}_{j} - y_{j}\right)", chain);

        // A softmax output's units do not each lie on one path to the cost.
        var softmax = DerivationDocument.Render(Derivation.Derive(LayeredSoftmax));
        Assert.DoesNotContain("fig:dependencies", softmax);
        Assert.DoesNotContain("fig:dependencies", Render("Notes"));
    }

    [Fact]
    public void The_figure_asks_the_layer_kind_how_to_draw_its_units()
    {
        Assert.Contains("\\draw[group] (5.35,-1.75) rectangle (6.65,1.75);\n\\node[below] at (6,-1.75) {\\small softmax};", Render("Softmax"));
        Assert.DoesNotContain(@"\draw[group]", Render("Notes"));
    }

    [Fact]
    public void The_gradient_is_stacked_as_a_column_of_every_layers_weights_and_biases()
    {
        Assert.Contains(@"\nabla C = \begin{bmatrix} \dfrac{\partial C}{\partial w^{(L-2)}} \\[10pt] \dfrac{\partial C}{\partial b^{(L-2)}} \\[10pt] \dfrac{\partial C}{\partial w^{(L-1)}}", Render("Chain"));
        Assert.Contains(@"\nabla C = \begin{bmatrix} \dfrac{\partial C}{\partial \mathbf{w}} \\[10pt] \dfrac{\partial C}{\partial b^{(1)}} \\[10pt] \dfrac{\partial C}{\partial \mathbf{u}} \\[10pt] \dfrac{\partial C}{\partial b^{(2)}} \end{bmatrix}", Render("Notes"));
        Assert.Contains(@"\\[10pt] \vdots \\[10pt]", DerivationDocument.Render(Derivation.Derive(Deep(10))));
    }

    [Fact]
    public void Each_small_layer_has_its_jacobian_diagonal_for_an_elementwise_activation_and_full_for_softmax()
    {
        Assert.Contains(@"\frac{\partial h}{\partial a^{(1)}} = \begin{bmatrix} h_{1} \left(1 - h_{1}\right) & 0 & 0 \\ 0 & h_{2} \left(1 - h_{2}\right) & 0 \\ 0 & 0 & h_{3} \left(1 - h_{3}\right) \end{bmatrix}", Render("Notes"));
        Assert.Contains(@"\frac{\partial y}{\partial a^{(2)}} = \begin{bmatrix} y_{1} \left(1 - y_{1}\right) & -y_{1} y_{2} & -y_{1} y_{3} \\ -y_{1} y_{2} & y_{2} \left(1 - y_{2}\right) & -y_{2} y_{3} \\", Render("Softmax"));
    }

    /// <summary>A 3Blue1Brown-style network with a softmax output, whose δ and Kronecker delta would share a letter.</summary>
    private static readonly NetworkSpec LayeredSoftmax = new(3,
        new[] { new LayerSpec(4, ActivationSpec.Tanh), new LayerSpec(3, ActivationSpec.Softmax) },
        LossSpec.CrossEntropy, NotationStyle.Layered, "LayeredSoftmax");

    [Fact]
    public void A_softmax_output_sums_the_chain_rule_over_every_output_and_lists_the_jacobian_factor()
    {
        var notes = Render("Softmax");
        Assert.Contains(@"\frac{\partial L}{\partial u_{ij}} = \sum_{k} \frac{\partial L}{\partial y_{k}} \frac{\partial y_{k}}{\partial a^{(2)}_{j}} \frac{\partial a^{(2)}_{j}}{\partial u_{ij}}", notes);
        Assert.DoesNotContain(@"\frac{\partial L}{\partial y_{j}} \frac{\partial y_{j}}{\partial a^{(2)}_{j}}", notes);
        Assert.Contains("\\begin{equation*}\n" + @"\frac{\partial y_{k}}{\partial a^{(2)}_{j}} = y_{k} \left(\mathbf{1}[k = j] - y_{j}\right)", notes);

        var layered = DerivationDocument.Render(Derivation.Derive(LayeredSoftmax));
        Assert.Contains(@"\frac{\partial C_{0}}{\partial w^{(L)}_{jk}} = \sum_{i} \frac{\partial C_{0}}{\partial a^{(L)}_{i}} \frac{\partial a^{(L)}_{i}}{\partial z^{(L)}_{j}} \frac{\partial z^{(L)}_{j}}{\partial w^{(L)}_{jk}}", layered);
        Assert.Contains(@"\frac{\partial a^{(L)}_{i}}{\partial z^{(L)}_{j}} = a^{(L)}_{i} \left(\mathbf{1}[i = j] - a^{(L)}_{j}\right)", layered);
        Assert.Contains(@"where $\mathbf{1}[i = j]$ is $1$ when", layered);
    }

    public static TheoryData<string> SamplesAndLayeredSoftmax() => new(SampleNetworks.All.Keys.Append("LayeredSoftmax"));

    [Theory]
    [MemberData(nameof(SamplesAndLayeredSoftmax))]
    public void The_kronecker_delta_is_not_written_with_the_letter_of_the_sensitivities(string name)
    {
        var document = name == "LayeredSoftmax" ? DerivationDocument.Render(Derivation.Derive(LayeredSoftmax)) : Render(name);
        Assert.DoesNotMatch(@"\\delta_\{[a-z]{2}\}", document);
        Assert.DoesNotMatch(@"\\delta_\{[a-z]\}\s*\$? is \$?1", document);
    }

    [Theory]
    [InlineData("Notes")]
    [InlineData("Softmax")]
    [InlineData("Custom")]
    public void The_notes_generalisation_is_written_in_letters_that_hold_for_every_layer(string name)
    {
        var document = Render(name);
        Assert.Contains(@"\frac{\partial L}{\partial w^{(l)}_{ij}} = \delta^{(l)}_{j} h^{(l-1)}_{i}", document);
        Assert.Contains(@"\delta^{(l)}_{j} = ", document);
        Assert.Contains(@"\delta^{(l+1)}_{k} w^{(l+1)}_{jk}", document);
        Assert.Contains(@"where $h^{(0)}$ stands for the inputs $x$, $h^{(2)}$ for the outputs $y$, and $w^{(1)} = \mathbf{w}$, $w^{(2)} = \mathbf{u}$.", document);
        Assert.DoesNotContain(@"\frac{\partial L}{\partial w_{ij}} = \delta_{j} x_{i}", document);
    }

    [Theory]
    [InlineData("Notes", "For one output $y$ and its target $t$ the loss is\n\\begin{equation*}\n\\ell(y, t) = ")]
    [InlineData("Chain", "For one output $a^{(L)}$ and its desired output $y$ the loss is\n\\begin{equation*}\n\\ell(a^{(L)}, y) = \\left(a^{(L)} - y\\right)^{2}")]
    [InlineData("Logistic", "For one output $a$ and its label $y$ the loss is\n\\begin{equation*}\n\\ell(a, y) = ")]
    public void The_loss_of_one_output_is_written_in_the_letters_of_the_notation(string name, string expected)
    {
        var document = Render(name);
        Assert.Contains(expected, document);
        if (name != "Notes")
        {
            Assert.DoesNotContain("target $t$", document);
            Assert.DoesNotContain(@"\partial \ell}{\partial y}", document);
        }
    }

    [Fact]
    public void The_layered_batch_cost_is_the_mean_of_the_costs_c_k_of_examples_0_to_n_minus_1()
    {
        var document = Render("Chain");
        Assert.Contains(@"$C = \frac{1}{n} \sum_{k=0}^{n-1} C_{k}$", document);
        Assert.Contains(@"\frac{\partial C}{\partial \theta} = \frac{1}{n} \sum_{k=0}^{n-1} \frac{\partial C_{k}}{\partial \theta}", document);
        Assert.DoesNotContain(@"C_{0}^{[e]}", document);
    }

    [Fact]
    public void The_vectorized_document_uses_m_examples_indexed_i_upright_d_and_z_as_math()
    {
        var document = Render("Logistic");
        Assert.Contains(@"$J = \frac{1}{m} \sum_{i=1}^{m} L^{(i)}$", document);
        Assert.DoesNotContain(@"\frac{1}{n}", document);
        Assert.DoesNotContain("^{[e]}", document);
        Assert.DoesNotMatch(@"(?<!\\mathrm\{)\bd[zZWb]\^", document);
        Assert.Contains("gradient with respect to $z$", document);
        Assert.DoesNotMatch(@"respect to z\b", document);
    }

    [Fact]
    public void A_negated_loss_takes_its_sign_out_of_the_sum_and_nested_groups_take_square_brackets()
    {
        var document = Render("Logistic");
        Assert.Contains(@"L = -\sum_{i} \left[y_{i} \log a^{[1]}_{i} + \left(1 - y_{i}\right) \log\left(1 - a^{[1]}_{i}\right)\right]", document);
        Assert.DoesNotContain(@"\sum_{i} \left(-", document);
        foreach (var sample in SampleNetworks.All.Keys)
        {
            Assert.DoesNotContain(@"\left(\left(", Render(sample));
        }
    }

    [Fact]
    public void The_general_form_of_the_worked_example_writes_out_the_output_deltas_as_the_notes_do()
    {
        var document = Render("Notes");
        Assert.Contains(@"\frac{\partial L}{\partial w_{ij}} = \left[\sum_{k} \left(y_{k} - t_{k}\right) y_{k} \left(1 - y_{k}\right) u_{jk}\right] h_{j} \left(1 - h_{j}\right) x_{i}", document);
    }

    [Theory]
    [MemberData(nameof(SampleNetworks.Names), MemberType = typeof(SampleNetworks))]
    public void The_general_form_of_a_worked_example_is_not_an_equation_already_shown(string name)
    {
        var document = Render(name);
        foreach (Match general in Regex.Matches(document, @"general form of this equation[^\n]*\n[^\n]*\n\\begin\{equation\*\}\n([^\n]*) = ([^\n]*)\n"))
        {
            var before = document.Substring(0, general.Index);
            Assert.DoesNotContain(general.Groups[2].Value, before);
        }
    }

    /// <summary>The numbered block of <paramref name="label"/>.</summary>
    private static string Block(string document, string label)
    {
        var end = document.IndexOf(@"\label{" + label + "}", System.StringComparison.Ordinal);
        var start = Math.Max(
            document.LastIndexOf(@"\begin{equation}", end, System.StringComparison.Ordinal),
            document.LastIndexOf(@"\begin{align*}", end, System.StringComparison.Ordinal));
        return document.Substring(start, end - start);
    }

    [Fact]
    public void The_sigmoid_is_written_out_and_differentiated_from_its_definition_in_steps()
    {
        var document = Render("Notes");
        Assert.Contains(@"$f(x) = \sigma\left(x\right) = \frac{1}{1 + e^{-x}}$", document);
        var steps = Block(document, "eq:activation-1");
        Assert.Contains(@"f'(x) &= \frac{d}{dx} \left(\frac{1}{1 + e^{-x}}\right)", steps);
        Assert.Contains(@"\text{(power rule, chain rule)}", steps);
        Assert.Contains(@"&= \frac{e^{-x}}{\left(e^{-x} + 1\right)^{2}}", steps);
        Assert.Contains(@"&= \sigma\left(x\right) \left(1 - \sigma\left(x\right)\right) \qquad \text{(equivalently)}", steps);
    }

    [Fact]
    public void The_softmax_jacobian_is_derived_in_steps_with_the_quotient_rule_and_written_in_the_outputs()
    {
        var steps = Block(Render("Softmax"), "eq:softmax-jacobian");
        Assert.Contains(@"\frac{\partial y_{k}}{\partial a^{(2)}_{j}} &= \frac{\partial}{\partial a^{(2)}_{j}} \left(\frac{e^{a^{(2)}_{k}}}{\sum_{m} e^{a^{(2)}_{m}}}\right)", steps);
        Assert.Contains(@"\text{(quotient rule)}", steps);
        Assert.Contains(@"&= y_{k} \left(\mathbf{1}[k = j] - y_{j}\right) \qquad \text{(written in the outputs)}", steps);
    }

    [Fact]
    public void The_binary_cross_entropy_is_differentiated_through_the_log_rule_in_the_course_letters()
    {
        var steps = Block(Render("Logistic"), "eq:loss-derivative");
        Assert.StartsWith(@"\begin{align*}" + "\n" + @"\frac{\partial \ell}{\partial a} &= \frac{\partial}{\partial a} \left\{-\left[y \log a + \left(1 - y\right) \log\left(1 - a\right)", steps);
        Assert.Contains("derivative of log, chain rule", steps);
        Assert.Contains(@"&= \frac{1 - y}{1 - a} - \frac{y}{a}", steps);
    }

    [Theory]
    [MemberData(nameof(SampleNetworks.Names), MemberType = typeof(SampleNetworks))]
    public void Every_derivative_in_steps_ends_at_the_derivative_the_derivation_uses(string name)
    {
        var derivation = Derivation.Derive(SampleNetworks.All[name]);
        var document = DerivationDocument.Render(derivation);
        for (var i = 0; i < derivation.Activations.Count; i++)
        {
            var steps = Block(document, EquationLabels.ActivationDerivative(i + 1)).Split('\n');
            var last = steps.Last(line => line.StartsWith("&= ", System.StringComparison.Ordinal));
            Assert.StartsWith("&= " + derivation.Activations[i].Derivative.ToLatex() + " ", last);
        }
    }

    [Fact]
    public void The_custom_activation_derivative_is_one_over_the_square_in_the_document_and_the_code()
    {
        var document = Render("Custom");
        Assert.Contains(@"&= \frac{1}{\left(\left|x\right| + 1\right)^{2}} \qquad \text{(simplifying)}", document);
        Assert.Single(Regex.Matches(document, @"\\operatorname\{sign\}"));
        Assert.Contains(@"\frac{\partial h_{j}}{\partial a^{(1)}_{j}} = \frac{1}{\left(\left|a^{(1)}_{j}\right| + 1\right)^{2}}", document);
        var run = GeneratorHarness.Run("using BackpropGen;\n[Network(1, LossExpression = \"softplus(y - t) + softplus(t - y) - 2 * log(2)\")]\n[Dense(8, \"x / (1 + abs(x))\")]\n[Dense(1, Activation.Identity)]\npublic partial class CustomNet { }");
        var code = Regex.Replace(Assert.Single(run.GeneratedSources).Value, "private const string __Latex = @\"(?:[^\"]|\"\")*\";", "");
        Assert.DoesNotContain("Math.Sign", code);
        Assert.DoesNotContain("Math.Log(2.0)", code);
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

    /// <summary>300 layers of 3 units: a document of more than a mebibyte, past Scriban's default string limit.</summary>
    private static NetworkSpec Deep(int layers) => new(2,
        Enumerable.Range(0, layers).Select(_ => new LayerSpec(3, ActivationSpec.Tanh)).Append(new LayerSpec(1, ActivationSpec.Sigmoid)),
        LossSpec.BinaryCrossEntropy, NotationStyle.Layered, "DeepChain");

    [Fact]
    public void A_three_hundred_layer_document_is_complete_and_its_figure_leaves_out_the_middle_layers()
    {
        var document = DerivationDocument.Render(Derivation.Derive(Deep(300)));
        Assert.True(document.Length > 1_048_576, $"{document.Length} characters");
        Assert.EndsWith("\\end{document}\n", document);
        var figure = document.Substring(document.IndexOf(@"\begin{tikzpicture}", System.StringComparison.Ordinal));
        figure = figure.Substring(0, figure.IndexOf(@"\end{tikzpicture}", System.StringComparison.Ordinal));
        var columns = Regex.Matches(figure, @"\\node\[(?:input|unit|gap)\] \([^)]*\) at \(([-\d.]+),").Cast<Match>().Select(m => m.Groups[1].Value).Distinct().Count();
        Assert.Equal(NetworkFigure.MaxDrawnLayers, columns);
        Assert.Contains(@"{$\cdots$}", figure);
        Assert.Contains(@"a^{(L-1)}_{0}", figure);
        Assert.Contains(@"a^{(L-299)}_{0}", figure);
    }

    public static TheoryData<string> CompiledNetworks() => new(SampleNetworks.All.Keys.Append("Wide").Append("Deep").Append("LayeredSoftmax").Append("Deep300"));

    [Trait("Category", "Slow")]
    [PdfLatexTheory]
    [MemberData(nameof(CompiledNetworks))]
    public void Document_compiles_with_pdflatex_without_errors_unresolved_references_or_overfull_lines(string name)
    {
        var spec = name switch
        {
            "Wide" => new NetworkSpec(784, new[] { new LayerSpec(128, ActivationSpec.ReLU), new LayerSpec(10, ActivationSpec.Softmax) }, LossSpec.CrossEntropy, NotationStyle.Vectorized, "Mnist"),
            "Deep" => new NetworkSpec(3, Enumerable.Range(0, 7).Select(_ => new LayerSpec(4, ActivationSpec.LeakyReLU)), LossSpec.MeanSquaredError, NotationStyle.Layered, "DeepNet"),
            "LayeredSoftmax" => LayeredSoftmax,
            "Deep300" => Deep(300),
            _ => SampleNetworks.All[name],
        };
        var result = PdfLatex.Compile(DerivationDocument.Render(Derivation.Derive(spec)), name);
        Assert.DoesNotContain("undefined references", result.Log);
        Assert.DoesNotContain("multiply-defined", result.Log);
        var log = System.IO.File.ReadAllText(System.IO.Path.ChangeExtension(result.PdfPath, ".log"));
        var overfull = Regex.Matches(log, @"Overfull \\hbox \(([\d.]+)pt too wide\)[^\n]*").Cast<Match>()
            .Where(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) > 1.0).Select(m => m.Value).ToList();
        Assert.True(overfull.Count == 0, string.Join("\n", overfull));
        if (name == "Softmax" && PdfText.IsAvailable)
        {
            // The softmax Jacobian's derivation starts on the page of the sentence that introduces it, not on the next.
            var page = PdfText.ExtractPages(result.PdfPath).Single(p => p.Contains("The softmax makes every output depend"));
            Assert.Contains("(quotient rule)", page);
        }

        if (name == "Notes" && PdfText.IsAvailable)
        {
            // Vector fonts with a Unicode map: the PDF's text copies and searches as written, ligatures included.
            Assert.Contains("Each layer first forms a linear combination", PdfText.Extract(result.PdfPath));
        }

        if (PdfText.IsAvailable)
        {
            var lines = PdfText.LineCounts(result.PdfPath);
            Assert.True(SparsePages(lines).Count == 0, $"pages {string.Join(", ", SparsePages(lines))} of {name} hold less than {1.0 / SparsePageFraction:0.##} of the median page's {Median(lines)} lines of text: {string.Join(" ", lines)}");
        }
    }

    /// <summary>
    /// A page other than the last that holds fewer lines of text than this fraction of the median page is mostly empty:
    /// a block too tall for the rest of its page pushed everything after it to the next. A full page of these documents
    /// reads as 70 to 170 lines (a fraction's numerator and denominator count apart); the sparsest page that belongs,
    /// the first, with the title, the abstract and the figure, holds about 0.4 of the median; a page cut short by a
    /// pushed block holds a tenth or less.
    /// </summary>
    private const double SparsePageFraction = 1.0 / 3;

    private static double Median(int[] counts)
    {
        var sorted = counts.OrderBy(c => c).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2.0;
    }

    /// <summary>The numbers (from 1) of the pages, the last excepted, with fewer lines than <see cref="SparsePageFraction"/> of the median page.</summary>
    private static System.Collections.Generic.List<int> SparsePages(int[] lines)
    {
        var median = Median(lines);
        return Enumerable.Range(0, lines.Length - 1).Where(page => lines[page] < SparsePageFraction * median).Select(page => page + 1).ToList();
    }

    [Fact]
    public void A_page_counts_as_sparse_below_a_third_of_the_median_page_and_the_last_page_never_does()
    {
        Assert.Empty(SparsePages(new[] { 60, 76, 89, 91, 101, 84, 54 }));
        Assert.Equal(new[] { 5 }, SparsePages(new[] { 60, 76, 89, 91, 12, 84, 54 }));
        Assert.Empty(SparsePages(new[] { 54, 113, 104, 72, 74, 62, 8 }));
    }

    /// <summary>The test above catches a mostly empty page: the NotesNet document with one paragraph set on a page of its own.</summary>
    [Trait("Category", "Slow")]
    [PdfLatexFact]
    public void A_document_with_a_mostly_empty_page_is_caught()
    {
        var document = Render("Notes");
        var biases = document.IndexOf(@"\section{Biases}", StringComparison.Ordinal);
        var paragraph = document.IndexOf("\n\n", biases + 20, StringComparison.Ordinal);
        var sparse = document.Substring(0, biases) + "\\clearpage\n" + document.Substring(biases, paragraph - biases) + "\n\\clearpage\n" + document.Substring(paragraph);
        var result = PdfLatex.Compile(sparse, "Sparse");
        if (PdfText.IsAvailable)
        {
            var page = Array.FindIndex(PdfText.ExtractPages(result.PdfPath), p => p.Contains("A bias enters the linear combination")) + 1;
            Assert.Equal(new[] { page }, SparsePages(PdfText.LineCounts(result.PdfPath)));
        }
    }
}
