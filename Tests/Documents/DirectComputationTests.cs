using BackpropGen.Generator.Documents;
using BackpropGen.Symbolic.Networks;
using BackpropGen.Tests.Support;

namespace BackpropGen.Tests.Documents;

/// <summary>The loss as a function of one weight, differentiated in one go, agrees with the chain rule.</summary>
public class DirectComputationTests
{
    [Theory]
    [InlineData("Notes", true)]
    [InlineData("Chain", true)]
    [InlineData("Logistic", true)]
    [InlineData("Custom", false)]
    public void The_direct_derivative_equals_the_chain_rule_symbolically_or_at_random_points(string name, bool symbolic)
    {
        var direct = DirectComputation.For(Derivation.Derive(SampleNetworks.All[name]))!;
        Assert.Equal(symbolic, direct.Symbolic);
        Assert.True(direct.LargestDifference < 1e-12, $"relative difference {direct.LargestDifference}");
        Assert.DoesNotContain(direct.Weight, direct.Derivative.Symbols());
    }

    /// <summary>The notes write 1 − a where the engine's derivative holds σ(−z): the sigmoid's reflection, where it shortens.</summary>
    [Fact]
    public void The_direct_derivative_writes_sigma_of_minus_z_as_one_minus_the_output()
    {
        var direct = DirectComputation.For(Derivation.Derive(SampleNetworks.Logistic))!;
        Assert.DoesNotContain(direct.Derivative.Descendants(), e => e is BackpropGen.Symbolic.Call { Function.Name: "sigmoid" });
        Assert.Equal(@"a^{[1]}_{1} x_{1} - y_{1} x_{1}", DocumentNotation.For(SampleNetworks.Logistic).Tex(direct.Derivative));
        Assert.True(direct.Symbolic);
    }

    [Fact]
    public void The_loss_of_the_worked_weight_holds_only_what_depends_on_it()
    {
        var direct = DirectComputation.For(Derivation.Derive(SampleNetworks.Notes))!;
        Assert.Equal(@"w_{11}", DocumentNotationTex(direct.Weight));
        var symbols = direct.LossOfWeight.Symbols();
        Assert.Contains(NetworkSymbols.Weight(1, 0, 0), symbols);
        Assert.Contains(NetworkSymbols.Output(1, 1), symbols);
        Assert.DoesNotContain(NetworkSymbols.Output(1, 0), symbols);
        Assert.DoesNotContain(NetworkSymbols.Output(2, 0), symbols);
        Assert.DoesNotContain(NetworkSymbols.Weight(1, 0, 1), symbols);
    }

    [Fact]
    public void The_document_says_how_the_engine_checked_the_equality()
    {
        var notes = DerivationDocument.Render(Derivation.Derive(SampleNetworks.Notes));
        Assert.Contains(@"\section{Direct computation}", notes);
        Assert.Contains(@"L(w_{11}) &= ", notes);
        Assert.Contains("This is equation~\\eqref{eq:worked-example-1}, the chain rule's result:\nthe difference of the two simplifies to $0$.", notes);
        var logistic = DerivationDocument.Render(Derivation.Derive(SampleNetworks.Logistic));
        Assert.Contains("This is equation~\\eqref{eq:weight-gradient-1}, the chain rule's result:\nthe difference of the two simplifies to $0$.", logistic);
        var custom = DerivationDocument.Render(Derivation.Derive(SampleNetworks.Custom));
        Assert.Contains("the chain rule's result:\ntheir difference does not simplify to $0$ symbolically, but at 8 random points", custom);
    }

    [Fact]
    public void A_network_whose_loss_would_not_fit_on_a_page_has_no_direct_computation() =>
        Assert.Null(DirectComputation.For(Derivation.Derive(SampleNetworks.Softmax)));

    private static string DocumentNotationTex(BackpropGen.Symbolic.Symbol weight) =>
        DocumentNotation.For(SampleNetworks.Notes).Tex(weight);
}
