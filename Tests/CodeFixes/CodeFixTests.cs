using System;
using System.Threading.Tasks;
using BackpropGen.CodeFixes;
using BackpropGen.Tests.Support;

namespace BackpropGen.Tests.CodeFixes;

/// <summary>
/// Each code fix on the diagnostic the generator reports for a declaration: the source before (the diagnostic's span
/// marked <c>{|ID:…|}</c>), the source after, and no diagnostic left once it is applied (see
/// <see cref="GeneratorCodeFixTest{TCodeFix}"/>, which also applies each fix through Fix All).
/// </summary>
public class CodeFixTests
{
    private const string Layers = "[Dense(3, Activation.Sigmoid)]\n[Dense(1, Activation.Sigmoid)]\n";

    [Fact]
    public Task BPG0001_makes_the_network_class_partial() => CodeFixVerifier<MakePartialCodeFixProvider>.VerifyAsync(
        "using BackpropGen;\n\n[Network(2)]\n" + Layers + "public sealed class {|BPG0001:Net|} { }\n",
        "using BackpropGen;\n\n[Network(2)]\n" + Layers + "public sealed partial class Net { }\n",
        "Make 'Net' partial");

    [Fact]
    public Task BPG0001_on_a_class_without_modifiers_puts_partial_where_the_class_keyword_was() => CodeFixVerifier<MakePartialCodeFixProvider>.VerifyAsync(
        """
        using BackpropGen;

        namespace Models
        {
            [Network(2)]
            [Dense(1, Activation.Sigmoid)]
            class {|BPG0001:Net|}
            {
            }
        }

        """,
        """
        using BackpropGen;

        namespace Models
        {
            [Network(2)]
            [Dense(1, Activation.Sigmoid)]
            partial class Net
            {
            }
        }

        """,
        "Make 'Net' partial");

    [Fact]
    public Task BPG0001_and_BPG0002_make_the_class_and_every_containing_type_partial() => CodeFixVerifier<MakePartialCodeFixProvider>.VerifyAsync(
        """
        using BackpropGen;

        public class {|BPG0002:Outer|}
        {
            internal class {|BPG0002:Inner|}
            {
                [Network(2)]
                [Dense(1, Activation.Sigmoid)]
                public class {|BPG0001:Net|} { }
            }
        }

        """,
        """
        using BackpropGen;

        public partial class Outer
        {
            internal partial class Inner
            {
                [Network(2)]
                [Dense(1, Activation.Sigmoid)]
                public partial class Net { }
            }
        }

        """);

    [Fact]
    public async Task BPG0001_makes_the_class_and_the_types_around_it_partial_in_one_step()
    {
        const string Source = """
            using BackpropGen;

            public class Outer
            {
                internal struct Middle
                {
                    public partial class Inner
                    {
                        [Network(2)]
                        [Dense(1, Activation.Sigmoid)]
                        public class Net { }
                    }
                }
            }

            """;

        var (fixedSource, title) = await SingleCodeFix.ApplyAsync(new MakePartialCodeFixProvider(), Source, "BPG0001");

        Assert.Equal("Make 'Net' and the types around it partial", title);
        Assert.Equal(
            Source.Replace("public class Outer", "public partial class Outer", StringComparison.Ordinal)
                .Replace("internal struct Middle", "internal partial struct Middle", StringComparison.Ordinal)
                .Replace("public class Net", "public partial class Net", StringComparison.Ordinal),
            fixedSource);
        Assert.Empty(GeneratorHarness.Run(fixedSource).Diagnostics);
    }

    [Fact]
    public Task BPG0004_removes_static() => CodeFixVerifier<RemoveStaticCodeFixProvider>.VerifyAsync(
        "using BackpropGen;\n\n[Network(2)]\n" + Layers + "public static partial class {|BPG0004:Net|} { }\n",
        "using BackpropGen;\n\n[Network(2)]\n" + Layers + "public partial class Net { }\n",
        "Remove 'static' from 'Net'");

    [Fact]
    public Task BPG0004_removes_a_leading_static_and_keeps_the_indentation() => CodeFixVerifier<RemoveStaticCodeFixProvider>.VerifyAsync(
        """
        using BackpropGen;

        namespace Models
        {
            [Network(2)]
            [Dense(1, Activation.Sigmoid)]
            static partial class {|BPG0004:Net|} { }
        }

        """,
        """
        using BackpropGen;

        namespace Models
        {
            [Network(2)]
            [Dense(1, Activation.Sigmoid)]
            partial class Net { }
        }

        """,
        "Remove 'static' from 'Net'");

    [Fact]
    public async Task BPG0004_removes_static_from_the_partial_declaration_in_another_file_that_has_it()
    {
        var test = new GeneratorCodeFixTest<RemoveStaticCodeFixProvider>();
        test.TestState.Sources.Add(("Net.cs", "using BackpropGen;\n\n[Network(2)]\n" + Layers + "public partial class {|BPG0004:Net|} { }\n"));
        test.TestState.Sources.Add(("Net.Helpers.cs", "public static partial class Net\n{\n    public static int Answer => 42;\n}\n"));
        test.FixedState.Sources.Add(("Net.cs", "using BackpropGen;\n\n[Network(2)]\n" + Layers + "public partial class Net { }\n"));
        test.FixedState.Sources.Add(("Net.Helpers.cs", "public partial class Net\n{\n    public static int Answer => 42;\n}\n"));
        await test.RunAsync();
    }

    [Fact]
    public Task BPG0012_replaces_an_unknown_activation_function_by_the_suggested_one() => CodeFixVerifier<ReplaceUnknownFunctionCodeFixProvider>.VerifyAsync(
        "using BackpropGen;\n\n[Network(2)]\n[Dense(3, \"{|BPG0012:sigmod|}(x)\")]\n[Dense(1, Activation.Sigmoid)]\npublic partial class Net { }\n",
        "using BackpropGen;\n\n[Network(2)]\n[Dense(3, \"sigmoid(x)\")]\n[Dense(1, Activation.Sigmoid)]\npublic partial class Net { }\n",
        "Replace 'sigmod' with 'sigmoid'");

    [Fact]
    public Task BPG0012_replaces_the_misspelt_names_of_every_layer() => CodeFixVerifier<ReplaceUnknownFunctionCodeFixProvider>.VerifyAsync(
        "using BackpropGen;\n\n[Network(2)]\n[Dense(3, \"x / (1 + {|BPG0012:ab|}(x))\")]\n[Dense(1, \"{|BPG0012:sigmod|}(2 * x)\")]\npublic partial class Net { }\n",
        "using BackpropGen;\n\n[Network(2)]\n[Dense(3, \"x / (1 + abs(x))\")]\n[Dense(1, \"sigmoid(2 * x)\")]\npublic partial class Net { }\n");

    [Fact]
    public Task BPG0014_replaces_an_unknown_loss_function_by_the_suggested_one() => CodeFixVerifier<ReplaceUnknownFunctionCodeFixProvider>.VerifyAsync(
        "using BackpropGen;\n\n[Network(2, LossExpression = \"-t * {|BPG0014:logg|}(y)\")]\n" + Layers + "public partial class Net { }\n",
        "using BackpropGen;\n\n[Network(2, LossExpression = \"-t * log(y)\")]\n" + Layers + "public partial class Net { }\n",
        "Replace 'logg' with 'log'");

    [Fact]
    public Task BPG0012_without_a_suggestion_offers_no_fix()
    {
        const string Source = "using BackpropGen;\n\n[Network(2)]\n[Dense(3, \"{|BPG0012:qwerty|}(x)\")]\n[Dense(1, Activation.Sigmoid)]\npublic partial class Net { }\n";
        return CodeFixVerifier<ReplaceUnknownFunctionCodeFixProvider>.VerifyAsync(Source, Source);
    }

    [Fact]
    public Task BPG0012_in_a_verbatim_string_offers_no_fix()
    {
        const string Source = "using BackpropGen;\n\n[Network(2)]\n[Dense(3, {|BPG0012:@\"sigmod(x)\"|})]\n[Dense(1, Activation.Sigmoid)]\npublic partial class Net { }\n";
        return CodeFixVerifier<ReplaceUnknownFunctionCodeFixProvider>.VerifyAsync(Source, Source);
    }

    [Fact]
    public Task BPG0016_can_remove_Loss_and_keep_LossExpression() => CodeFixVerifier<RemoveLossArgumentCodeFixProvider>.VerifyAsync(
        "using BackpropGen;\n\n[Network(2, Loss = Loss.SquaredError, {|BPG0016:LossExpression = \"(y - t)^2\"|})]\n" + Layers + "public partial class Net { }\n",
        "using BackpropGen;\n\n[Network(2, LossExpression = \"(y - t)^2\")]\n" + Layers + "public partial class Net { }\n",
        "Remove 'Loss' and keep 'LossExpression'",
        RemoveLossArgumentCodeFixProvider.RemoveLossKey);

    [Fact]
    public Task BPG0016_can_remove_LossExpression_and_keep_Loss() => CodeFixVerifier<RemoveLossArgumentCodeFixProvider>.VerifyAsync(
        "using BackpropGen;\n\n[Network(2, Loss = Loss.SquaredError, {|BPG0016:LossExpression = \"(y - t)^2\"|})]\n" + Layers + "public partial class Net { }\n",
        "using BackpropGen;\n\n[Network(2, Loss = Loss.SquaredError)]\n" + Layers + "public partial class Net { }\n",
        "Remove 'LossExpression' and keep 'Loss'",
        RemoveLossArgumentCodeFixProvider.RemoveLossExpressionKey);

    [Fact]
    public Task BPG0016_removes_an_argument_on_a_line_of_its_own_with_its_line() => CodeFixVerifier<RemoveLossArgumentCodeFixProvider>.VerifyAsync(
        """
        using BackpropGen;

        [Network(
            2,
            {|BPG0016:LossExpression = "(y - t)^2"|},
            Loss = Loss.SquaredError,
            Notation = Notation.Layered)]
        [Dense(1, Activation.Sigmoid)]
        public partial class Net { }

        """,
        """
        using BackpropGen;

        [Network(
            2,
            LossExpression = "(y - t)^2",
            Notation = Notation.Layered)]
        [Dense(1, Activation.Sigmoid)]
        public partial class Net { }

        """,
        equivalenceKey: RemoveLossArgumentCodeFixProvider.RemoveLossKey);

    [Fact]
    public Task BPG0016_removes_the_last_argument_with_the_comma_before_it() => CodeFixVerifier<RemoveLossArgumentCodeFixProvider>.VerifyAsync(
        """
        using BackpropGen;

        [Network(
            2,
            Loss = Loss.SquaredError,
            {|BPG0016:LossExpression = "(y - t)^2"|})]
        [Dense(1, Activation.Sigmoid)]
        public partial class Net { }

        """,
        """
        using BackpropGen;

        [Network(
            2,
            Loss = Loss.SquaredError)]
        [Dense(1, Activation.Sigmoid)]
        public partial class Net { }

        """,
        equivalenceKey: RemoveLossArgumentCodeFixProvider.RemoveLossExpressionKey);

    [Fact]
    public Task BPG0024_writes_the_fully_qualified_Loss_enum() => CodeFixVerifier<QualifyLossEnumCodeFixProvider>.VerifyAsync(
        """
        using BackpropGen;

        public partial class Outer
        {
            [Network(4, Loss = {|BPG0024:Loss|}.CrossEntropy)]
            [Dense(3, Activation.Softmax)]
            private partial class Net { }
        }

        """,
        """
        using BackpropGen;

        public partial class Outer
        {
            [Network(4, Loss = global::BackpropGen.Loss.CrossEntropy)]
            [Dense(3, Activation.Softmax)]
            private partial class Net { }
        }

        """,
        "Write 'global::BackpropGen.Loss.CrossEntropy'");
}
