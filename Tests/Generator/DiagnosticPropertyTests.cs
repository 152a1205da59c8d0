using BackpropGen.Generator.Diagnostics;
using BackpropGen.Tests.Support;
using Microsoft.CodeAnalysis.Text;

namespace BackpropGen.Tests.Generator;

/// <summary>
/// What the code fixes read from a diagnostic besides its location: the parser's suggestion for a misspelt function
/// travels as a property from the parse error through <see cref="DiagnosticInfo"/> (which still compares by value)
/// to the reported diagnostic.
/// </summary>
public class DiagnosticPropertyTests
{
    [Theory]
    [InlineData("[Dense(3, \"sigmod(x)\")] [Dense(1, Activation.Sigmoid)]", "BPG0012", "sigmoid")]
    [InlineData("[Dense(3, \"tahn(x)\")] [Dense(1, Activation.Sigmoid)]", "BPG0012", "tanh")]
    [InlineData("[Dense(3, \"x * qwerty(x)\")] [Dense(1, Activation.Sigmoid)]", "BPG0012", null)]
    [InlineData("[Dense(3, \"x * (1 + x\")] [Dense(1, Activation.Sigmoid)]", "BPG0012", null)]
    public void A_misspelt_activation_function_carries_the_suggested_one(string layers, string id, string? suggestion)
    {
        var diagnostic = Assert.Single(GeneratorHarness.Run("using BackpropGen;\n[Network(2)]\n" + layers + "\npublic partial class Net { }").Diagnostics);

        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(suggestion, diagnostic.Properties.TryGetValue(DiagnosticProperties.Suggestion, out var value) ? value : null);
    }

    [Fact]
    public void A_misspelt_loss_function_carries_the_suggested_one()
    {
        var diagnostic = Assert.Single(GeneratorHarness.Run(
            "using BackpropGen;\n[Network(2, LossExpression = \"-t * logg(y)\")]\n[Dense(1, Activation.Sigmoid)]\npublic partial class Net { }").Diagnostics);

        Assert.Equal("BPG0014", diagnostic.Id);
        Assert.Equal("log", diagnostic.Properties[DiagnosticProperties.Suggestion]);
        Assert.Equal("logg", diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
    }

    [Fact]
    public void Diagnostic_infos_that_differ_only_in_a_property_are_not_equal()
    {
        var location = new LocationInfo("Net.cs", new TextSpan(10, 6), default);
        DiagnosticInfo Create() => DiagnosticInfo.Create(DiagnosticDescriptors.InvalidActivationExpression, location, 1, "unknown function 'sigmod' at 0");

        Assert.Equal(Create().WithProperty(DiagnosticProperties.Suggestion, "sigmoid"), Create().WithProperty(DiagnosticProperties.Suggestion, "sigmoid"));
        Assert.NotEqual(Create().WithProperty(DiagnosticProperties.Suggestion, "sigmoid"), Create().WithProperty(DiagnosticProperties.Suggestion, "sign"));
        Assert.NotEqual(Create(), Create().WithProperty(DiagnosticProperties.Suggestion, "sigmoid"));
        Assert.Equal("sigmoid", Create().WithProperty(DiagnosticProperties.Suggestion, "sigmoid").ToDiagnostic(null).Properties[DiagnosticProperties.Suggestion]);
        Assert.Empty(Create().ToDiagnostic(null).Properties);
    }
}
