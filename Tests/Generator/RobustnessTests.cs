using System.Linq;
using BackpropGen.Tests.Support;
using Microsoft.CodeAnalysis;

namespace BackpropGen.Tests.Generator;

/// <summary>
/// The generator never throws, whatever the declaration: broken attributes, missing or mistyped arguments,
/// attributes where they do not belong and code that does not parse all end in diagnostics, never in an
/// exception (CS8785) or an internal error.
/// </summary>
public class RobustnessTests
{
    [Theory]
    [InlineData("[Network]\n[Dense(3, Activation.Sigmoid)]\npublic partial class Net { }")]
    [InlineData("[Network(\"two\")]\n[Dense(3, Activation.Sigmoid)]\npublic partial class Net { }")]
    [InlineData("[Network(2)]\n[Dense]\npublic partial class Net { }")]
    [InlineData("[Network(2)]\n[Dense(3)]\npublic partial class Net { }")]
    [InlineData("[Network(2)]\n[Dense(3, Activation.Sigmod)]\npublic partial class Net { }")]
    [InlineData("[Network(2)]\n[Dense(\"3\", \"x\")]\npublic partial class Net { }")]
    [InlineData("[Network(2)]\n[Dense(3, (string)null)]\npublic partial class Net { }")]
    [InlineData("[Network(2, Loss = Loss.Nope)]\n[Dense(3, Activation.Sigmoid)]\npublic partial class Net { }")]
    [InlineData("[Network(2, LossExpression = null)]\n[Dense(3, Activation.Sigmoid)]\npublic partial class Net { }")]
    [InlineData("[Network(2, LossExpression = \"\")]\n[Dense(3, Activation.Sigmoid)]\npublic partial class Net { }")]
    [InlineData("[Network(2, Notation = (Notation)(-1), Precision = (Precision)7)]\n[Dense(3, Activation.Sigmoid)]\npublic partial class Net { }")]
    [InlineData("[Network(int.MaxValue)]\n[Dense(int.MaxValue, Activation.Sigmoid)]\n[Dense(int.MaxValue, Activation.Sigmoid)]\npublic partial class Net { }")]
    [InlineData("[Network(2)]\n[Dense(3, Activation.Sigmoid)]\npublic partial struct Net { }")]
    [InlineData("[Network(2)]\n[Dense(3, Activation.Sigmoid)]\npublic partial record struct Net;")]
    [InlineData("[Network(2)]\n[Dense(3, Activation.Sigmoid)]\npublic partial interface INet { }")]
    [InlineData("[Network(2)]\n[Dense(3, Activation.Sigmoid)]\npublic enum Net { }")]
    [InlineData("[Network(2)]\n[Network(3)]\n[Dense(3, Activation.Sigmoid)]\npublic partial class Net { }")]
    [InlineData("[Network(2)]\n[Dense(3, Activation.Sigmoid)]\npublic partial class Net { }\n[Network(2)]\npublic partial class Net { }")]
    [InlineData("[Network(2)]\n[Dense(3, Activation.Sigmoid)]\npublic partial class { }")]
    [InlineData("[Network(2\n[Dense(3, Activation.Sigmoid)]\npublic partial class Net { }")]
    [InlineData("[Network(2)]\n[Dense(3, \"x +\" + \" 1\")]\npublic partial class Net { }")]
    [InlineData("[Network(2)]\n[Dense(3, Net.Activation)]\npublic partial class Net { private const string Activation = \"2 * x\"; }")]
    [InlineData("[Network(2)]\n[Dense(3, \"\\u0078 + )\")]\npublic partial class Net { }")]
    [InlineData("[Network(2)]\n[Dense(3, \"((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((x\")]\npublic partial class Net { }")]
    [InlineData("[Dense(3, Activation.Sigmoid)]\npublic partial class NoNetwork { }")]
    [InlineData("public partial class Outer<T> where T : Outer<T>\n{\n    [Network(2)]\n    [Dense(3, Activation.Sigmoid)]\n    public partial class Net<U> { }\n}")]
    public void The_generator_never_throws(string body)
    {
        var run = GeneratorHarness.Run("using BackpropGen;\n" + body);

        Assert.All(run.RunResult.Results, r => Assert.Null(r.Exception));
        Assert.DoesNotContain(run.Diagnostics, d => d.Id is "CS8784" or "CS8785" or "BPG0023");
    }

    [Fact]
    public void A_network_declared_twice_generates_nothing_and_leaves_the_error_to_the_compiler()
    {
        var run = GeneratorHarness.Run("using BackpropGen;\n[Network(2)]\n[Dense(3, Activation.Sigmoid)]\npublic partial class Net { }\n[Network(2)]\npublic partial class Net { }");

        Assert.Empty(run.GeneratedSources);
        Assert.Empty(run.Diagnostics);
        Assert.Contains(run.OutputCompilation.GetDiagnostics(), d => d.Id == "CS0579");
    }

    [Fact]
    public void An_attribute_the_compiler_cannot_bind_generates_nothing_and_reports_nothing_more()
    {
        var run = GeneratorHarness.Run("using BackpropGen;\n[Network(2)]\n[Dense(3, Activation.Sigmod)]\npublic partial class Net { }");

        Assert.Empty(run.GeneratedSources);
        Assert.Empty(run.Diagnostics);
        Assert.Contains(run.OutputCompilation.GetDiagnostics(), d => d.Id == "CS0117");
    }

    [Fact]
    public void Every_problem_of_a_declaration_is_reported_at_once()
    {
        var run = GeneratorHarness.Run("using BackpropGen;\n[Network(0, Loss = Loss.SquaredError, LossExpression = \"y\")]\n[Dense(0, \"q\")]\npublic class Net { }");

        Assert.Equal(
            new[] { "BPG0001", "BPG0008", "BPG0016", "BPG0009", "BPG0013" }.OrderBy(id => id, System.StringComparer.Ordinal),
            run.Diagnostics.Select(d => d.Id).OrderBy(id => id, System.StringComparer.Ordinal));
        Assert.Empty(run.GeneratedSources);
    }
}
