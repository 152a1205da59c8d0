using System.Linq;
using BackpropGen.Tests.Support;

namespace BackpropGen.Tests.Generator;

/// <summary>
/// Attributes in, running code out: the generator inside a compilation, the output compiled with warnings as
/// errors and called from user code in the same compilation, for every place a network can be declared.
/// </summary>
public class EndToEndTests
{
    /// <summary>User code that calls every generated member of <c>{type}</c> with arrays and returns a checksum of facts.</summary>
    private static string Probe(string type) => $$"""
        public static class Probe
        {
            public static string Run()
            {
                var network = new {{type}}(7);
                double[] input = { 0.5, -0.25 }, target = { 0.2, 0.7 };
                var gradient = new double[{{type}}.ParameterCount];
                var output = new double[{{type}}.OutputCount];
                network.Forward(input, output);
                var loss = network.Loss(input, target);
                var fromGradient = network.Gradient(input, target, gradient);
                var batch = network.BatchGradient(new[] { 0.5, -0.25, 0.5, -0.25 }, new[] { 0.2, 0.7, 0.2, 0.7 }, gradient);
                var step = network.TrainStep(input, target, 0.5);
                var after = network.Loss(input, target);
                var trainBatch = network.TrainBatch(input, target, 0.5);
                return string.Join(",",
                    {{type}}.InputCount, {{type}}.OutputCount, {{type}}.ParameterCount, network.Parameters.Length,
                    loss == fromGradient, System.Math.Abs(batch - loss) < 1e-12, step == loss, after < loss, trainBatch == after,
                    {{type}}.DerivationLatex.StartsWith(@"\documentclass"));
            }
        }
        """;

    private const string Expected = "2,2,17,17,True,True,True,True,True,True";

    private const string Layers = "[Dense(3, Activation.Sigmoid)]\n[Dense(2, Activation.Sigmoid)]\n";

    public static TheoryData<string, string> Declarations() => new()
    {
        { "namespace Demo;\nusing BackpropGen;\n[Network(inputs: 2, Loss = Loss.HalfSquaredError, Notation = Notation.Notes)]\n" + Layers + "public partial class NotesNet { }", "Demo.NotesNet" },
        { "using BackpropGen;\nnamespace Demo.Block\n{\n[Network(2, Loss = Loss.SquaredError, Precision = Precision.Double)]\n" + Layers + "internal partial class Net { }\n}", "Demo.Block.Net" },
        { "using BackpropGen;\n[Network(2, Loss = Loss.MeanSquaredError)]\n" + Layers + "public partial class GlobalNet { }", "GlobalNet" },
        { "using BackpropGen;\nnamespace Demo;\npublic partial class Outer\n{\n    public partial record struct Holder\n    {\n        [Network(2, LossExpression = \"(y - t)^2\")]\n        " + Layers.Replace("\n", "\n        ") + "public partial class Inner { }\n    }\n}", "Demo.Outer.Holder.Inner" },
        { "using BackpropGen;\nnamespace Demo;\npublic partial class Outer\n{\n    [Network(2, Loss = global::BackpropGen.Loss.HalfSquaredError)]\n    " + Layers.Replace("\n", "\n    ") + "private partial class Hidden { }\n    public static string Run() => Probe.Run();\n}", "Demo.Outer.Hidden" },
    };

    [Theory]
    [MemberData(nameof(Declarations))]
    public void Generated_code_compiles_without_warnings_and_runs(string declaration, string type)
    {
        var probe = type == "Demo.Outer.Hidden"
            ? "namespace Demo { public partial class Outer { " + Probe("Hidden").Replace("public static class Probe", "private static class Probe") + " } }"
            : Probe(type);
        var run = GeneratorHarness.Run(declaration, probe);

        Assert.Empty(run.Diagnostics);
        Assert.Single(run.GeneratedSources);
        var assembly = run.EmitAndLoad();
        var entry = type == "Demo.Outer.Hidden" ? assembly.GetType("Demo.Outer")!.GetMethod("Run")! : assembly.GetType("Probe")!.GetMethod("Run")!;
        Assert.Equal(Expected, entry.Invoke(null, null));
    }

    [Fact]
    public void Loss_is_an_instance_method_where_no_extension_could_name_the_class()
    {
        var (declaration, _) = (Declarations().Skip(4).First()[0], 0);
        var run = GeneratorHarness.Run((string)declaration);
        var source = Assert.Single(run.GeneratedSources).Value;
        Assert.Contains("public double Loss(", source);
        Assert.DoesNotContain("Extensions", source);
    }
}
