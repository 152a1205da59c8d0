using System.Collections.Generic;
using System.Linq;
using BackpropGen.Generator;
using BackpropGen.Generator.Model;
using BackpropGen.Tests.Support;
using Microsoft.CodeAnalysis;

namespace BackpropGen.Tests.Generator;

/// <summary>
/// The pipeline caches per network: an edit that leaves every network's declaration equal recomputes nothing, and
/// an edit to one network regenerates that network only.
/// </summary>
public class IncrementalTests
{
    private const string Networks = """
        using BackpropGen;

        namespace Samples;

        [Network(2)]
        [Dense(3, Activation.Sigmoid)]
        [Dense(2, Activation.Sigmoid)]
        public partial class NotesNet { }

        [Network(4, Loss = Loss.CrossEntropy)]
        [Dense(5, Activation.Tanh)]
        [Dense(3, Activation.Softmax)]
        public partial class SoftmaxNet { }

        public static class Helpers
        {
            public static int Twice(int x) => 2 * x;
        }
        """;

    [Fact]
    public void Adding_an_unrelated_file_recomputes_nothing()
    {
        var first = GeneratorHarness.Run(Networks);

        var second = GeneratorHarness.Run(first.InputCompilation.AddSyntaxTrees(GeneratorHarness.Parse("public class Unrelated { }", "File1.cs")), first.Driver);

        AssertAllCachedOrUnchanged(second, TrackingNames.Networks);
        AssertAllCachedOrUnchanged(second, TrackingNames.Generated);
    }

    [Fact]
    public void Editing_a_method_body_beside_the_networks_recomputes_nothing()
    {
        var first = GeneratorHarness.Run(Networks);

        var second = GeneratorHarness.Run(Edit(first, "2 * x", "x + x"), first.Driver);

        AssertAllCachedOrUnchanged(second, TrackingNames.Networks);
        AssertAllCachedOrUnchanged(second, TrackingNames.Generated);
        Assert.Equal(first.GeneratedSources, second.GeneratedSources);
    }

    [Fact]
    public void Changing_a_layer_regenerates_that_network_only()
    {
        var first = GeneratorHarness.Run(Networks);

        var second = GeneratorHarness.Run(Edit(first, "[Dense(3, Activation.Sigmoid)]", "[Dense(4, Activation.Sigmoid)]"), first.Driver);

        var reasons = Reasons(second, TrackingNames.Generated);
        Assert.Equal(2, reasons.Count);
        Assert.Equal(IncrementalStepRunReason.Modified, reasons[0]);
        Assert.Contains(reasons[1], new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged });
        Assert.NotEqual(first.GeneratedSources["Samples.NotesNet.g.cs"], second.GeneratedSources["Samples.NotesNet.g.cs"]);
        Assert.Equal(first.GeneratedSources["Samples.SoftmaxNet.g.cs"], second.GeneratedSources["Samples.SoftmaxNet.g.cs"]);
    }

    [Fact]
    public void The_SIMD_support_is_detected_once_and_an_unrelated_edit_leaves_it_unchanged()
    {
        var first = GeneratorHarness.Run(Networks);
        var detected = Assert.Single(first.RunResult.Results.Single().TrackedSteps[TrackingNames.VectorSupport].SelectMany(s => s.Outputs));
        Assert.Equal(VectorSupport.Vectors | VectorSupport.VectorMath | VectorSupport.Lanes | VectorSupport.Runtime | VectorSupport.BatchSlots | VectorSupport.DenseKernels | VectorSupport.LaneMath | VectorSupport.FileTypes, (VectorSupport)detected.Value);

        var second = GeneratorHarness.Run(first.InputCompilation.AddSyntaxTrees(GeneratorHarness.Parse("public class Unrelated { }", "File1.cs")), first.Driver);

        var reason = Assert.Single(Reasons(second, TrackingNames.VectorSupport));
        Assert.Contains(reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged });
        AssertAllCachedOrUnchanged(second, TrackingNames.Generated);
    }

    [Fact]
    public void Changing_MaxUnrolledWeights_regenerates_that_network_only()
    {
        var first = GeneratorHarness.Run(Networks);

        var second = GeneratorHarness.Run(Edit(first, "[Network(2)]", "[Network(2, MaxUnrolledWeights = 0)]"), first.Driver);

        var reasons = Reasons(second, TrackingNames.Generated);
        Assert.Equal(IncrementalStepRunReason.Modified, reasons[0]);
        Assert.Contains(reasons[1], new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged });
        Assert.DoesNotContain("ForwardBlock", first.GeneratedSources["Samples.NotesNet.g.cs"]);
        Assert.Contains("void __ForwardBlock(", second.GeneratedSources["Samples.NotesNet.g.cs"]);
        Assert.Equal(first.GeneratedSources["Samples.SoftmaxNet.g.cs"], second.GeneratedSources["Samples.SoftmaxNet.g.cs"]);
    }

    [Fact]
    public void Lines_inserted_above_a_network_with_a_warning_move_the_warning_and_rederive_nothing()
    {
        const string Warned = """
            using BackpropGen;

            namespace Samples;

            [Network(2, Loss = Loss.CrossEntropy)]
            [Dense(3, Activation.Tanh)]
            [Dense(2, Activation.Identity)]
            public partial class Warned { }

            [Network(2)]
            [Dense(3, Activation.Sigmoid)]
            [Dense(2, Activation.Sigmoid)]
            public partial class NotesNet { }
            """;
        var first = GeneratorHarness.Run(Warned);
        var warning = Assert.Single(first.Diagnostics, d => d.Id == "BPG0018");

        var second = GeneratorHarness.Run(Edit(first, "namespace Samples;", "namespace Samples;\n\n// two lines\n// inserted"), first.Driver);

        AssertAllCachedOrUnchanged(second, TrackingNames.Models);
        AssertAllCachedOrUnchanged(second, TrackingNames.Generated);
        var moved = Assert.Single(second.Diagnostics, d => d.Id == "BPG0018");
        Assert.Equal(warning.Location.GetLineSpan().StartLinePosition.Line + 3, moved.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Equal(first.GeneratedSources, second.GeneratedSources);
    }

    [Fact]
    public void An_edit_in_the_same_file_that_leaves_the_attributes_as_they_were_stops_before_the_checks()
    {
        var first = GeneratorHarness.Run(Networks);

        var second = GeneratorHarness.Run(Edit(first, "2 * x", "x + x"), first.Driver);

        // The transform ran again (the file changed), found the same raw values, so checking, parsing and estimating were skipped.
        Assert.All(Reasons(second, TrackingNames.Sources), r => Assert.Equal(IncrementalStepRunReason.Unchanged, r));
        Assert.All(Reasons(second, TrackingNames.Networks), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
    }

    [Fact]
    public void Lines_inserted_above_a_bad_expression_move_its_error_to_the_same_character()
    {
        const string Bad = """
            using BackpropGen;

            namespace Samples;

            [Network(2, LossExpression = "(y - t)^2 + foo")]
            [Dense(3, "x / (1 + abs(x)")]
            [Dense(2, Activation.Sigmoid)]
            public partial class Bad { }
            """;
        var first = GeneratorHarness.Run(Bad);
        var firstErrors = first.Diagnostics.Where(d => d.Id.StartsWith("BPG", System.StringComparison.Ordinal)).OrderBy(d => d.Id).ToList();
        Assert.NotEmpty(firstErrors);

        var second = GeneratorHarness.Run(Edit(first, "namespace Samples;", "namespace Samples;\n\n// two lines\n// inserted"), first.Driver);

        Assert.All(Reasons(second, TrackingNames.Sources), r => Assert.Equal(IncrementalStepRunReason.Modified, r));
        var secondErrors = second.Diagnostics.Where(d => d.Id.StartsWith("BPG", System.StringComparison.Ordinal)).OrderBy(d => d.Id).ToList();
        Assert.Equal(firstErrors.Select(d => d.Id), secondErrors.Select(d => d.Id));
        var tree = second.InputCompilation.SyntaxTrees.First();
        for (var i = 0; i < firstErrors.Count; i++)
        {
            var before = firstErrors[i].Location.GetLineSpan();
            var after = secondErrors[i].Location.GetLineSpan();
            Assert.Equal(before.StartLinePosition.Line + 3, after.StartLinePosition.Line);
            Assert.Equal(before.StartLinePosition.Character, after.StartLinePosition.Character);
            Assert.Equal(before.EndLinePosition.Character, after.EndLinePosition.Character);
            // The span and the line position name the same characters of the new text.
            var line = tree.GetText().Lines[after.StartLinePosition.Line];
            Assert.Equal(
                line.ToString().Substring(after.StartLinePosition.Character, after.EndLinePosition.Character - after.StartLinePosition.Character),
                tree.GetText().ToString(secondErrors[i].Location.SourceSpan));
        }

        // The unknown variable and the missing parenthesis are pointed at, not the whole argument.
        Assert.Contains(secondErrors, d => tree.GetText().ToString(d.Location.SourceSpan) == "foo");
        Assert.Contains(secondErrors, d => d.Location.SourceSpan.Length == 1 && tree.GetText().ToString(d.Location.SourceSpan) == "\"");
    }

    [Fact]
    public void Changing_only_the_notation_renders_that_networks_document_and_comments_again()
    {
        var first = GeneratorHarness.Run(Networks);

        var second = GeneratorHarness.Run(Edit(first, "[Network(2)]", "[Network(2, Notation = Notation.Layered)]"), first.Driver);

        var reasons = Reasons(second, TrackingNames.Generated);
        Assert.Equal(IncrementalStepRunReason.Modified, reasons[0]);
        Assert.Contains(reasons[1], new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged });
        var before = first.GeneratedSources["Samples.NotesNet.g.cs"];
        var after = second.GeneratedSources["Samples.NotesNet.g.cs"];
        Assert.Contains("3Blue1Brown", after);
        Assert.DoesNotContain("3Blue1Brown", before);
        // The code is the same statement for statement; only the comments change letters (u₁₁ becomes w⁽ᴸ⁾₀₀).
        static string Code(string source) => string.Join("\n", source.Split('\n').Where(l => l.Contains(" = ")).Select(l => l.Split(" //")[0]));
        Assert.Equal(Code(before.Substring(0, before.IndexOf("private const string __Latex", System.StringComparison.Ordinal))), Code(after.Substring(0, after.IndexOf("private const string __Latex", System.StringComparison.Ordinal))));
        Assert.Contains("(eq. ", after);
    }

    [Fact]
    public void Running_twice_on_the_same_declarations_generates_the_same_text()
    {
        Assert.Equal(GeneratorHarness.Run(Networks).GeneratedSources, GeneratorHarness.Run(Networks).GeneratedSources);
    }

    private static Compilation Edit(GeneratorRun run, string oldText, string newText)
    {
        var tree = run.InputCompilation.SyntaxTrees.Single();
        Assert.Contains(oldText, tree.ToString());
        return run.InputCompilation.ReplaceSyntaxTree(tree, GeneratorHarness.Parse(tree.ToString().Replace(oldText, newText), tree.FilePath));
    }

    private static List<IncrementalStepRunReason> Reasons(GeneratorRun run, string step) =>
        run.RunResult.Results.Single().TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();

    private static void AssertAllCachedOrUnchanged(GeneratorRun run, string step)
    {
        var reasons = Reasons(run, step);
        Assert.Equal(2, reasons.Count);
        Assert.All(reasons, reason => Assert.Contains(reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged }));
    }
}
