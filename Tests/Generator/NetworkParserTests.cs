using System.Linq;
using BackpropGen.Generator;
using BackpropGen.Generator.Model;
using BackpropGen.Generator.Parsing;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Networks;
using BackpropGen.Tests.Support;

namespace BackpropGen.Tests.Generator;

/// <summary>What the parser reads from a declaration: the network, its precision and where its code goes.</summary>
public class NetworkParserTests
{
    [Theory]
    [MemberData(nameof(Placements))]
    public void A_valid_network_generates_one_file_named_after_the_class(string source, string hintName)
    {
        var run = GeneratorHarness.Run(source);

        // Whether each file compiles is the emitter tests' business; here the placement and the name are.
        Assert.Empty(run.Diagnostics);
        Assert.Equal(hintName, Assert.Single(run.GeneratedSources).Key);
    }

    public static TheoryData<string, string> Placements => new()
    {
        { "using BackpropGen;\nnamespace Samples.Nets;\n" + NotesNet("public"), "Samples.Nets.NotesNet.g.cs" },
        { "using BackpropGen;\nnamespace Samples\n{\n" + NotesNet("public") + "}\n", "Samples.NotesNet.g.cs" },
        { "using BackpropGen;\n" + NotesNet("public"), "NotesNet.g.cs" },
        { "using BackpropGen;\nnamespace Samples;\npublic partial class Outer\n{\n" + NotesNet("private") + "}\n", "Samples.Outer.NotesNet.g.cs" },
        { "using BackpropGen;\n" + NotesNet("internal sealed"), "NotesNet.g.cs" },
        { "[BackpropGen.Network(2)]\n[BackpropGen.DenseAttribute(3, BackpropGen.Activation.Sigmoid)]\npartial class NotesNet { }\n", "NotesNet.g.cs" },
    };

    [Fact]
    public void Layers_are_read_in_the_order_written_across_attribute_lists()
    {
        var spec = Parse("""
            [Dense(3, Activation.Tanh)]
            [Network(2)]
            [Dense(4, Activation.ReLU), Dense(5, "x / (1 + abs(x))")]
            [Dense(activation: Activation.Sigmoid, units: 6)]
            public partial class Net { }
            """).Spec!;

        Assert.Equal(2, spec.Inputs);
        Assert.Equal(new[] { 3, 4, 5, 6 }, spec.Layers.Select(l => l.Units));
        Assert.Equal(
            new[] { ActivationSpec.Tanh, ActivationSpec.ReLU, ActivationSpec.Custom(Expr.Parse("x / (1 + abs(x))"), "x / (1 + abs(x))"), ActivationSpec.Sigmoid },
            spec.Layers.Select(l => l.Activation));
        Assert.Equal("Net", spec.Name);
    }

    [Theory]
    [InlineData("Identity", "identity")]
    [InlineData("Sigmoid", "sigmoid")]
    [InlineData("Tanh", "tanh")]
    [InlineData("ReLU", "ReLU")]
    [InlineData("LeakyReLU", "leaky ReLU")]
    [InlineData("Softplus", "softplus")]
    [InlineData("Softmax", "softmax")]
    public void Each_activation_maps_to_its_spec(string member, string name) =>
        Assert.Equal(name, Parse($"[Network(2)]\n[Dense(3, Activation.{member})]\npublic partial class Net {{ }}").Spec!.Layers[0].Activation.Name);

    [Theory]
    [InlineData("HalfSquaredError", LossKind.HalfSquaredError)]
    [InlineData("SquaredError", LossKind.SquaredError)]
    [InlineData("MeanSquaredError", LossKind.MeanSquaredError)]
    [InlineData("BinaryCrossEntropy", LossKind.BinaryCrossEntropy)]
    [InlineData("CrossEntropy", LossKind.CrossEntropy)]
    public void Each_loss_maps_to_its_spec(string member, LossKind kind) =>
        Assert.Equal(kind, Parse($"[Network(2, Loss = Loss.{member})]\n[Dense(3, Activation.Softmax)]\npublic partial class Net {{ }}").Spec!.Loss.Kind);

    [Fact]
    public void The_network_attribute_properties_are_read()
    {
        var declaration = Parse("""
            [Network(inputs: 4, Notation = Notation.Vectorized, Precision = Precision.Single, LossExpression = "softplus(y - t) + softplus(t - y)")]
            [Dense(1, Activation.Identity)]
            public partial class Net { }
            """);

        Assert.Equal(NumericType.Single, declaration.Precision);
        Assert.Equal(NotationStyle.Vectorized, declaration.Spec!.Notation);
        Assert.Equal(LossSpec.Custom(Expr.Parse("softplus(y - t) + softplus(t - y)"), "softplus(y - t) + softplus(t - y)"), declaration.Spec.Loss);
        Assert.Equal(4, declaration.Spec.Inputs);
    }

    [Fact]
    public void The_defaults_are_half_squared_error_notes_and_double()
    {
        var declaration = Parse("[Network(2)]\n[Dense(1, Activation.Sigmoid)]\npublic partial class Net { }");

        Assert.Equal(NumericType.Double, declaration.Precision);
        Assert.Equal(NotationStyle.Notes, declaration.Spec!.Notation);
        Assert.Equal(LossSpec.HalfSquaredError, declaration.Spec.Loss);
        Assert.Equal(NetworkLimits.DefaultMaxUnrolledWeights, declaration.MaxUnrolledWeights);
    }

    [Fact]
    public void The_attribute_documents_the_generator_s_default_threshold() =>
        Assert.Equal(NetworkLimits.DefaultMaxUnrolledWeights, new BackpropGen.NetworkAttribute(2).MaxUnrolledWeights);

    [Fact]
    public void MaxUnrolledWeights_is_read()
    {
        var declaration = Parse("[Network(2, MaxUnrolledWeights = 7)]\n[Dense(1, Activation.Sigmoid)]\npublic partial class Net { }");

        Assert.Equal(7, declaration.MaxUnrolledWeights);
    }

    [Fact]
    public void The_target_lists_the_containing_types_outermost_first_as_declaration_heads()
    {
        var target = Parse("""
            namespace Deep.Space;
            public partial class Outer
            {
                partial struct Holder
                {
                    partial record Model
                    {
                        partial record struct Pair
                        {
                            [Network(2)]
                            [Dense(1, Activation.Sigmoid)]
                            public partial class Net { }
                        }
                    }
                }
            }
            """).Target!;

        Assert.Equal("Deep.Space", target.Namespace);
        Assert.Equal(new[] { "class Outer", "struct Holder", "record Model", "record struct Pair" }, target.ContainingTypes);
        Assert.Equal("Net", target.Name);
        Assert.Equal("Deep.Space.Outer.Holder.Model.Pair.Net.g.cs", target.HintName);
    }

    [Fact]
    public void Names_that_are_keywords_are_escaped_for_the_emitter()
    {
        var run = GeneratorHarness.Run("using BackpropGen;\nnamespace @namespace.Nets;\npublic partial class @class\n{\n    [Network(2)]\n    [Dense(1, Activation.Sigmoid)]\n    public partial class @event { }\n}");
        var target = ((NetworkDeclaration)run.RunResult.Results[0].TrackedSteps[TrackingNames.Networks][0].Outputs[0].Value).Target!;

        Assert.Equal(("@namespace.Nets", "class @class", "@event"), (target.Namespace, Assert.Single(target.ContainingTypes), target.Name));
        Assert.Empty(run.Diagnostics);
        Assert.Equal("namespace.Nets.class.event.g.cs", Assert.Single(run.GeneratedSources).Key);
    }

    [Fact]
    public void A_network_in_the_global_namespace_has_no_namespace()
    {
        var target = Parse("[Network(2)]\n[Dense(1, Activation.Sigmoid)]\npublic partial class Net { }").Target!;

        Assert.Null(target.Namespace);
        Assert.Empty(target.ContainingTypes);
    }

    [Fact]
    public void Layers_may_be_on_another_declaration_than_the_network_when_they_are_all_on_one()
    {
        var spec = Parse("[Network(2)]\npublic partial class Net { }\n[Dense(3, Activation.Tanh)]\n[Dense(1, Activation.Sigmoid)]\npublic partial class Net { }").Spec!;

        Assert.Equal(new[] { 3, 1 }, spec.Layers.Select(l => l.Units));
    }

    [Fact]
    public void A_warning_still_yields_the_network()
    {
        var declaration = Parse("[Network(2, Loss = Loss.CrossEntropy)]\n[Dense(2, Activation.Tanh)]\npublic partial class Net { }");

        Assert.NotNull(declaration.Spec);
        Assert.Equal("BPG0018", Assert.Single(declaration.Diagnostics).Descriptor.Id);
    }

    [Fact]
    public void A_network_at_the_size_limits_is_accepted()
    {
        // 64 inputs and three layers of 64: 4096 weights per layer, 12480 parameters in all.
        var spec = Parse("[Network(64)]\n" + string.Concat(Enumerable.Repeat("[Dense(64, Activation.Tanh)]\n", 3)) + "public partial class Net { }").Spec!;

        Assert.Equal(12480, spec.ParameterCount);
    }

    /// <summary>The declaration the parser produced for the one network in <paramref name="body"/>.</summary>
    private static NetworkDeclaration Parse(string body)
    {
        var run = GeneratorHarness.Run("using BackpropGen;\n" + body);
        var step = Assert.Single(run.RunResult.Results[0].TrackedSteps[TrackingNames.Networks]);
        return (NetworkDeclaration)Assert.Single(step.Outputs).Value;
    }

    private static string NotesNet(string modifiers) =>
        $"[Network(2)]\n[Dense(3, Activation.Sigmoid)]\n[Dense(2, Activation.Sigmoid)]\n{modifiers} partial class NotesNet {{ }}\n";
}
