using System;
using System.Globalization;
using System.Linq;
using BackpropGen.Generator.Diagnostics;
using BackpropGen.Generator.Generation;
using BackpropGen.Generator.Model;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Networks;
using BackpropGen.Tests.Support;
using Microsoft.CodeAnalysis;

namespace BackpropGen.Tests.Generator;

/// <summary>
/// One test per diagnostic: the declaration that causes it, its ID and severity, the exact span it points at
/// (marked <c>[|…|]</c>) in the user's syntax tree, where pragmas apply, the words of its message that say what is
/// wrong and how to fix it, and that the user's code still compiles beside it.
/// </summary>
public class DiagnosticTests
{
    private const string Layers = "[Dense(3, Activation.Sigmoid)]\n[Dense(1, Activation.Sigmoid)]\n";

    [Fact]
    public void BPG0001_network_class_not_partial() => AssertDiagnostic(
        "using BackpropGen;\n[Network(2)]\n" + Layers + "public class [|Net|] { }",
        "BPG0001", DiagnosticSeverity.Error, "'Net'", "not partial", "add the 'partial' modifier");

    [Fact]
    public void BPG0002_containing_type_not_partial() => AssertDiagnostic(
        "using BackpropGen;\npublic partial class Top\n{\n    public class [|Outer|]\n    {\n        [Network(2)]\n        [Dense(1, Activation.Sigmoid)]\n        public partial class Net { }\n    }\n}",
        "BPG0002", DiagnosticSeverity.Error, "'Outer'", "'Net'", "add the 'partial' modifier to 'Outer'");

    [Fact]
    public void BPG0003_generic_network_class() => AssertDiagnostic(
        "using BackpropGen;\n[Network(2)]\n" + Layers + "public partial class [|Net|]<T> { }",
        "BPG0003", DiagnosticSeverity.Error, "'Net'", "generic", "remove its type parameters");

    [Fact]
    public void BPG0004_static_network_class() => AssertDiagnostic(
        "using BackpropGen;\n[Network(2)]\n" + Layers + "public static partial class [|Net|] { }",
        "BPG0004", DiagnosticSeverity.Error, "'Net'", "static", "remove the 'static' modifier");

    [Fact]
    public void BPG0005_network_in_a_generic_type() => AssertDiagnostic(
        "using BackpropGen;\npublic partial class [|Outer|]<T>\n{\n    [Network(2)]\n    [Dense(1, Activation.Sigmoid)]\n    public partial class Net { }\n}",
        "BPG0005", DiagnosticSeverity.Error, "'Net'", "generic type 'Outer'", "move the network");

    [Fact]
    public void BPG0006_network_in_a_static_type() => AssertDiagnostic(
        "using BackpropGen;\npublic static partial class [|Outer|]\n{\n    [Network(2)]\n    [Dense(1, Activation.Sigmoid)]\n    public partial class Net { }\n}",
        "BPG0006", DiagnosticSeverity.Error, "'Net'", "static type 'Outer'", "move the network");

    [Fact]
    public void BPG0007_network_on_a_record() => AssertDiagnostic(
        "using BackpropGen;\n[Network(2)]\n" + Layers + "public partial record [|Net|];",
        "BPG0007", DiagnosticSeverity.Error, "'Net' is a record", "declare the network as a 'partial class'");

    [Fact]
    public void BPG0008_no_inputs() => AssertDiagnostic(
        "using BackpropGen;\n[Network([|0|])]\n" + Layers + "public partial class Net { }",
        "BPG0008", DiagnosticSeverity.Error, "'Net' has 0 inputs", "at least 1");

    [Fact]
    public void BPG0009_layer_without_units() => AssertDiagnostic(
        "using BackpropGen;\n[Network(2)]\n[Dense(3, Activation.Sigmoid)]\n[Dense(units: [|-2|], activation: Activation.Sigmoid)]\npublic partial class Net { }",
        "BPG0009", DiagnosticSeverity.Error, "Layer 2 of 'Net' has -2 units", "at least 1");

    [Fact]
    public void BPG0010_no_layers() => AssertDiagnostic(
        "using BackpropGen;\n[[|Network(2)|]]\npublic partial class Net { }",
        "BPG0010", DiagnosticSeverity.Error, "'Net' has no layers", "add a [Dense(units, activation)] attribute");

    [Fact]
    public void BPG0011_layers_on_several_partial_declarations() => AssertDiagnostic(
        "using BackpropGen;\n[Network(2)]\n[Dense(3, Activation.Sigmoid)]\npublic partial class Net { }\n\n[[|Dense(1, Activation.Sigmoid)|]]\npublic partial class Net { }",
        "BPG0011", DiagnosticSeverity.Error, "spread over several partial declarations", "order is ambiguous", "on one declaration of 'Net'");

    [Theory]
    [InlineData("\"x + [|)|]\"", "unexpected ')' at 4")]
    [InlineData("\"[|sigmod|](x)\"", "did you mean 'sigmoid'?")]
    [InlineData("\"(x + 1[|\"|]", "expected ')' at end of input")]
    [InlineData("[|\"x\\t+ )\"|]", "unexpected ')' at 4")]
    [InlineData("[|@\"x + )\"|]", "unexpected ')' at 4")]
    [InlineData("[|null|]", "expected an expression but got null")]
    public void BPG0012_activation_that_does_not_parse(string argument, string parserMessage) => AssertDiagnostic(
        "using BackpropGen;\n[Network(2)]\n[Dense(3, " + argument + ")]\n[Dense(1, Activation.Sigmoid)]\npublic partial class Net { }",
        "BPG0012", DiagnosticSeverity.Error, "activation of layer 1", parserMessage, "write an expression in x");

    [Fact]
    public void BPG0013_activation_with_another_variable() => AssertDiagnostic(
        "using BackpropGen;\n[Network(2)]\n[Dense(3, Activation.Tanh)]\n[Dense(1, \"x * exp([|z|]) + z\")]\npublic partial class Net { }",
        "BPG0013", DiagnosticSeverity.Error, "activation of layer 2", "variable 'z'", "only x");

    [Theory]
    [InlineData("\"(y - t[|\"|]", "expected ')' at end of input to close the '(' at 0")]
    [InlineData("\"1/2 * (y - t)^[|^|]2\"", "unexpected '^' at 14")]
    public void BPG0014_loss_that_does_not_parse(string argument, string parserMessage) => AssertDiagnostic(
        "using BackpropGen;\n[Network(2, LossExpression = " + argument + ")]\n" + Layers + "public partial class Net { }",
        "BPG0014", DiagnosticSeverity.Error, "loss expression is not a valid expression", parserMessage, "expression in y and t");

    [Fact]
    public void BPG0015_loss_with_another_variable() => AssertDiagnostic(
        "using BackpropGen;\n[Network(2, LossExpression = \"(y - [|target|])^2\")]\n" + Layers + "public partial class Net { }",
        "BPG0015", DiagnosticSeverity.Error, "variable 'target'", "only y (the output) and t (the target)");

    [Fact]
    public void BPG0016_loss_and_loss_expression_both_set() => AssertDiagnostic(
        "using BackpropGen;\n[Network(2, Loss = Loss.SquaredError, [|LossExpression = \"(y - t)^2\"|])]\n" + Layers + "public partial class Net { }",
        "BPG0016", DiagnosticSeverity.Error, "'Net' sets both Loss and LossExpression", "keep one");

    [Fact]
    public void BPG0017_softmax_on_a_hidden_layer() => AssertDiagnostic(
        "using BackpropGen;\n[Network(2, Loss = Loss.CrossEntropy)]\n[[|Dense(3, Activation.Softmax)|]]\n[Dense(2, Activation.Softmax)]\npublic partial class Net { }",
        "BPG0017", DiagnosticSeverity.Error, "Layer 1 of 'Net'", "Activation.Softmax", "only on the last layer");

    // The warnings leave the network generated, and in a class with a generated Loss method the name Loss in the
    // class's own attributes means that method, so these declarations name the enum with its namespace.
    [Fact]
    public void BPG0018_cross_entropy_without_probabilities() => AssertDiagnostic(
        "using BackpropGen;\n[Network(2, Loss = [|BackpropGen.Loss.CrossEntropy|])]\n[Dense(3, Activation.Sigmoid)]\n[Dense(2, Activation.Tanh)]\npublic partial class Net { }",
        "BPG0018", DiagnosticSeverity.Warning, "Loss.CrossEntropy", "output layer is Activation.Tanh", "make the last layer Activation.Softmax");

    [Fact]
    public void BPG0019_binary_cross_entropy_without_sigmoid() => AssertDiagnostic(
        "using BackpropGen;\n[Network(2, Loss = [|BackpropGen.Loss.BinaryCrossEntropy|])]\n[Dense(3, Activation.Sigmoid)]\n[Dense(1, \"x / (1 + abs(x))\")]\npublic partial class Net { }",
        "BPG0019", DiagnosticSeverity.Warning, "Loss.BinaryCrossEntropy", "the custom activation \"x / (1 + abs(x))\"", "make the last layer Activation.Sigmoid");

    [Fact]
    public void BPG0020_undefined_enum_value() => AssertDiagnostic(
        "using BackpropGen;\n[Network(2)]\n[Dense(3, [|(Activation)42|])]\n[Dense(1, Activation.Sigmoid)]\npublic partial class Net { }",
        "BPG0020", DiagnosticSeverity.Error, "(Activation)42 is not a defined Activation value", "Activation.Identity, Activation.Sigmoid");

    [Theory]
    [InlineData("-1")]
    [InlineData("4097")]
    [InlineData("int.MinValue")]
    public void BPG0021_max_unrolled_weights_out_of_range(string value) => AssertDiagnostic(
        "using BackpropGen;\n[Network(2, MaxUnrolledWeights = [|" + value + "|])]\n" + Layers + "public partial class Net { }",
        "BPG0021", DiagnosticSeverity.Error,
        "MaxUnrolledWeights of 'Net' is " + (value == "int.MinValue" ? int.MinValue.ToString(CultureInfo.InvariantCulture) : value),
        "use a value from 0 (every layer a loop) to 4096");

    [Fact]
    public void BPG0021_max_unrolled_weights_of_0_is_accepted() => AssertThresholdAccepted(0, loops: true);

    /// <summary>Slow: the compiler checks 4096 unrolled weights' statements.</summary>
    [Fact]
    [Trait("Category", "Slow")]
    public void BPG0021_max_unrolled_weights_of_4096_is_accepted() => AssertThresholdAccepted(4096, loops: false);

    private static void AssertThresholdAccepted(int threshold, bool loops)
    {
        // 64 × 64 = 4096 weights: the widest layer 4096 still unrolls, and 0 makes every layer a loop.
        var run = GeneratorHarness.Run($"using BackpropGen;\n[Network(64, MaxUnrolledWeights = {threshold})]\n[Dense(64, Activation.Tanh)]\n[Dense(2, Activation.Sigmoid)]\npublic partial class Net {{ }}");

        Assert.Empty(run.Diagnostics);
        Assert.Equal(loops, Assert.Single(run.GeneratedSources).Value.Contains("void __ForwardBlock(", StringComparison.Ordinal));
        Assert.Empty(run.OutputCompilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Theory]
    [InlineData("Beta1", "1.0", "it is a decay rate, so set it to a number in [0, 1), such as 0.9")]
    [InlineData("Beta2", "-0.5", "it is a decay rate, so set it to a number in [0, 1), such as 0.999")]
    [InlineData("Rho", "double.NaN", "set it to a finite number in [0, 1), such as 0.99")]
    [InlineData("Momentum", "2", "it is a decay rate, so set it to a number in [0, 1), such as 0.9")]
    [InlineData("Epsilon", "-1e-8", "set it to a number of at least 0, such as 1e-8, or 0 for none")]
    [InlineData("L2", "double.PositiveInfinity", "set it to a finite number of at least 0, such as 1e-4")]
    [InlineData("WeightDecay", "-0.01", "set it to a number of at least 0, such as 0.01, or 0 for none")]
    public void BPG0034_hyperparameter_out_of_range(string property, string value, string fix)
    {
        var optimizer = property switch
        {
            "Momentum" => "Momentum",
            "Rho" => "RMSProp",
            _ => "Adam",
        };
        AssertDiagnostic(
            "using BackpropGen;\n[Network(2, Optimizer = Optimizer." + optimizer + ", " + property + " = [|" + value + "|])]\n" + Layers + "public partial class Net { }",
            "BPG0034", DiagnosticSeverity.Error, property + " of the network 'Net' is", fix);
    }

    [Theory]
    [InlineData("StochasticGradientDescent", "Momentum = 0.5", "Momentum", "Optimizer.Momentum, Optimizer.Nesterov")]
    [InlineData("Momentum", "Beta1 = 0.8", "Beta1", "Optimizer.Adam, Optimizer.AdamW")]
    [InlineData("Adam", "Rho = 0.9", "Rho", "Optimizer.RMSProp")]
    [InlineData("Nesterov", "Epsilon = 1e-6", "Epsilon", "Optimizer.Adam, Optimizer.AdamW, Optimizer.RMSProp")]
    public void BPG0035_hyperparameter_the_optimizer_does_not_use(string optimizer, string setting, string property, string users) => AssertDiagnostic(
        "using BackpropGen;\n[Network(2, Optimizer = Optimizer." + optimizer + ", [|" + setting + "|])]\n" + Layers + "public partial class Net { }",
        "BPG0035", DiagnosticSeverity.Warning, property + " is set on the network 'Net', but Optimizer." + optimizer + " does not use it", users);

    [Fact]
    public void Hyperparameters_the_optimizer_uses_are_accepted_and_generate_compiling_code()
    {
        var run = GeneratorHarness.Run("using BackpropGen;\n[Network(2, Optimizer = Optimizer.AdamW, Beta1 = 0.8, Beta2 = 0.99, Epsilon = 0, L2 = 0.001, WeightDecay = 0.05)]\n" + Layers + "public partial class Net { }");
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.OutputCompilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        var source = Assert.Single(run.GeneratedSources).Value;
        Assert.Contains("private readonly double[] __m = new double[ParameterCount];", source, StringComparison.Ordinal);
        Assert.Contains("__step++;", source, StringComparison.Ordinal);
    }

    [Fact]
    public void BPG0022_network_too_large() => AssertDiagnostic(
        "using BackpropGen;\n[[|Network(4096)|]]\n[Dense(4096, Activation.Tanh)]\npublic partial class Net { }",
        "BPG0022", DiagnosticSeverity.Error, "'Net' has 16781312 parameters", "more than the 16777216 a generated network can have", "fewer or narrower layers");

    [Fact]
    public void BPG0022_a_network_of_exactly_2_to_the_24_parameters_is_generated()
    {
        // (4095 + 1) × 4096 = 2²⁴ weights and biases: at the limit, not over it.
        var run = GeneratorHarness.Run("using BackpropGen;\n[Network(4095)]\n[Dense(4096, Activation.Tanh)]\npublic partial class Net { }");

        Assert.Empty(run.Diagnostics);
        Assert.Contains("public const int ParameterCount = 16777216;", Assert.Single(run.GeneratedSources).Value);
        Assert.Empty(run.OutputCompilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Fact]
    public void BPG0023_an_exception_while_generating_becomes_an_internal_error()
    {
        var declaration = new NetworkDeclaration(
            new NetworkTarget("Samples", new[] { "class Outer" }, "Net", "public"),
            SampleNetworks.Notes,
            NumericType.Double,
            EquatableArray<DiagnosticInfo>.Empty);

        var generated = NetworkGeneration.Generate(declaration.Model!, VectorSupport.None, (_, _, _) => throw new InvalidOperationException("the emitter broke"));

        Assert.Null(generated.Source);
        var diagnostic = Assert.Single(generated.Diagnostics).ToDiagnostic(null);
        Assert.Equal("BPG0023", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(Location.None, diagnostic.Location);
        var message = diagnostic.GetMessage(CultureInfo.InvariantCulture);
        Assert.Contains("'Samples.Outer.Net'", message);
        Assert.Contains("System.InvalidOperationException: the emitter broke", message);
        Assert.Contains("please report it", message);
    }

    [Fact]
    public void Every_descriptor_has_a_test_here()
    {
        var tested = typeof(DiagnosticTests).GetMethods().Select(m => m.Name).Where(n => n.StartsWith("BPG", StringComparison.Ordinal)).Select(n => n.Substring(0, 7));
        Assert.Equal(DiagnosticTable.Descriptors.Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal), tested.Distinct().OrderBy(id => id, StringComparer.Ordinal));
    }

    [Fact]
    public void BPG0024_loss_enum_hidden_by_the_generated_method_of_a_privately_nested_network()
    {
        var (source, span) = SourceMarkup.Parse(
            "using BackpropGen;\npublic partial class Outer\n{\n    [Network(2, Loss = [|Loss|].CrossEntropy)]\n    [Dense(2, Activation.Softmax)]\n    private partial class Net { }\n}");
        var run = GeneratorHarness.Run(source);

        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("BPG0024", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(span, diagnostic.Location.GetLineSpan().Span);
        var message = diagnostic.GetMessage(CultureInfo.InvariantCulture);
        Assert.Contains("'Net' is nested where no extension method can reach it", message);
        Assert.Contains("write 'Loss = global::BackpropGen.Loss.CrossEntropy'", message);

        // Nothing is generated, so the compiler adds no CS0119 of its own; the suggested fix compiles.
        Assert.Empty(run.GeneratedSources);
        Assert.DoesNotContain(run.OutputCompilation.GetDiagnostics(), d => d.Id == "CS0119");
        var fixedRun = GeneratorHarness.Run(source.Replace("Loss = Loss.", "Loss = global::BackpropGen.Loss."));
        Assert.Empty(fixedRun.Diagnostics);
        Assert.Empty(fixedRun.OutputCompilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void BPG0025_file_local_network_class() => AssertDiagnostic(
        "using BackpropGen;\n[Network(2)]\n" + Layers + "file partial class [|Net|] { }",
        "BPG0025", DiagnosticSeverity.Error, "'Net' is declared 'file'", "in a file of their own", "remove the 'file' modifier");

    [Fact]
    public void BPG0026_activation_too_complex_to_unroll() => AssertDiagnostic(
        "using BackpropGen;\n[Network(1, MaxUnrolledWeights = 1000)]\n[[|Dense(1000, \"x" + TwentySines + "\")|]]\npublic partial class Net { }",
        "BPG0026", DiagnosticSeverity.Error, "The activation of layer 1 of 'Net' and its derivative are", "nodes long as written in C#, once for each of 1000 units", "more than the 250000", "simplify the expression or use fewer units");

    [Fact]
    public void BPG0026_counts_the_expression_of_a_loop_layer_once()
    {
        // The activation that is too complex to unroll on 1000 units is written once in a loop over them.
        var run = GeneratorHarness.Run("using BackpropGen;\n[Network(1, MaxUnrolledWeights = 999)]\n[Dense(1000, \"x" + TwentySines + "\")]\npublic partial class Net { }");

        Assert.Empty(run.Diagnostics);
        Assert.Contains("void __ForwardBlock(", Assert.Single(run.GeneratedSources).Value);
        Assert.Empty(run.OutputCompilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Theory]
    [InlineData("\"1/[|0|]\"", "dividing by 0 is undefined")]
    [InlineData("\"x/[|0|]\"", "dividing by 0 is undefined")]
    [InlineData("\"x / [|(x - x)|]\"", "dividing by '(x - x)', which is 0 for every x, is undefined")]
    [InlineData("\"[|log(0)|] + x\"", "'log(0)' is undefined, since log needs an argument above 0")]
    [InlineData("\"x * [|log(x - x - 1)|]\"", "its argument is -1 for every x")]
    [InlineData("\"[|sqrt(-1)|] * x\"", "'sqrt(-1)' is undefined, since sqrt needs an argument of at least 0")]
    [InlineData("\"x * [|1e309|]\"", "'1e309' is beyond the largest double")]
    [InlineData("\"[|2^1100|] * x\"", "'2^1100' is beyond the largest double")]
    [InlineData("\"[|exp(1000)|] * x\"", "'exp(1000)' is beyond the largest double")]
    [InlineData("\"[|x * 1e200 * 1e200|]\"", "folds to a constant of 401 digits, beyond the largest double")]
    [InlineData("\"[|1e308 * x^2|]\"", "its derivative by x has a constant of 309 digits, beyond the largest double")]
    public void BPG0027_activation_undefined_or_overflowing(string activation, string fix) => AssertDiagnostic(
        "using BackpropGen;\n[Network(2)]\n[Dense(3, Activation.Tanh)]\n[Dense(1, " + activation + ")]\npublic partial class Net { }",
        "BPG0027", DiagnosticSeverity.Error, "The activation of layer 2 of 'Net'", fix);

    [Fact]
    public void BPG0027_float_network_with_a_constant_beyond_float() => AssertDiagnostic(
        "using BackpropGen;\n[Network(2, Precision = Precision.Single)]\n[Dense(1, \"x * [|1e39|]\")]\npublic partial class Net { }",
        "BPG0027", DiagnosticSeverity.Error, "'1e39' is about 1E+39, more than the largest float (3.4E+38)", "use smaller constants or Precision.Double");

    [Fact]
    public void BPG0027_loss_dividing_by_zero() => AssertDiagnostic(
        "using BackpropGen;\n[Network(2, LossExpression = \"(y - t)^2 / [|(t - t)|]\")]\n" + Layers + "public partial class Net { }",
        "BPG0027", DiagnosticSeverity.Error, "The loss expression of 'Net'", "dividing by '(t - t)', which is 0 for every t, is undefined");

    [Theory]
    [InlineData("x * 1e400^(1/2)")]
    [InlineData("x * (1e200 * 1e200) / 1e300")]
    [InlineData("x * 1e38")]
    [InlineData("log(1 + exp(x))")]
    [InlineData("x / (1 + abs(x))")]
    public void Constants_that_fold_into_range_are_accepted(string activation)
    {
        var run = GeneratorHarness.Run("using BackpropGen;\n[Network(2)]\n[Dense(1, \"" + activation + "\")]\npublic partial class Net { }");

        Assert.Empty(run.Diagnostics);
        Assert.Single(run.GeneratedSources);
    }

    [Fact]
    public void BPG0028_dense_without_network() => AssertDiagnostic(
        "using BackpropGen;\n[[|Dense(3, Activation.Sigmoid)|]]\n[Dense(1, Activation.Sigmoid)]\npublic partial class Net { }",
        "BPG0028", DiagnosticSeverity.Warning, "'Net' has [Dense] layers but no [Network] attribute", "add [Network(inputs)] to 'Net'");

    [Fact]
    public void Dense_on_one_partial_declaration_and_Network_on_another_is_no_BPG0028()
    {
        var run = GeneratorHarness.Run("using BackpropGen;\n[Network(2)]\npublic partial class Net { }\n[Dense(1, Activation.Sigmoid)]\npublic partial class Net { }");

        Assert.Empty(run.Diagnostics);
        Assert.Single(run.GeneratedSources);
    }

    [Fact]
    public void BPG0019_names_what_goes_wrong_for_outputs_that_are_in_0_1()
    {
        foreach (var output in new[] { "Activation.Softmax", "\"(1 + tanh(x/2))/2\"" })
        {
            var run = GeneratorHarness.Run("using BackpropGen;\n[Network(2, Loss = Loss.BinaryCrossEntropy)]\n[Dense(2, " + output + ")]\npublic partial class Net { }");

            var message = Assert.Single(run.Diagnostics, d => d.Id == "BPG0019").GetMessage(CultureInfo.InvariantCulture);
            Assert.DoesNotContain("not in (0, 1)", message);
            Assert.Contains("not recognized as the sigmoid", message);
            Assert.Contains("log(1 - y)", message);
        }
    }

    private static string TwentySines => string.Concat(Enumerable.Range(1, 20).Select(k => $" * sin(x + {k})"));

    [Fact]
    public void BPG0029_network_class_named_like_a_generated_member() => AssertDiagnostic(
        "using BackpropGen;\n[Network(2)]\n" + Layers + "public partial class [|TrainStep|] { }",
        "BPG0029", DiagnosticSeverity.Error, "The network class 'TrainStep' has the name of the member 'TrainStep' generated in it", "rename the class");

    [Fact]
    public void BPG0030_user_method_with_a_generated_methods_name_and_parameters() => AssertDiagnostic(
        "using BackpropGen;\nusing System;\n[Network(2)]\n" + Layers + "public partial class Net\n{\n    public double [|Gradient|](ReadOnlySpan<double> x, ReadOnlySpan<double> t, Span<double> g) => 0;\n}",
        "BPG0030", DiagnosticSeverity.Error, "The method 'Net.Gradient(ReadOnlySpan<double>, ReadOnlySpan<double>, Span<double>)' of the network 'Net'",
        "clashes with the generated method 'Gradient(ReadOnlySpan<double> input, ReadOnlySpan<double> target, Span<double> gradient)'", "rename it");

    [Fact]
    public void BPG0030_user_constructor_with_the_seed_constructors_parameters() => AssertDiagnostic(
        "using BackpropGen;\n[Network(2)]\n" + Layers + "public partial class Net\n{\n    private [|Net|](in int size) { }\n}",
        "BPG0030", DiagnosticSeverity.Error, "The constructor 'Net.Net(in int)' of the network 'Net'", "the generated constructor 'Net(int seed)'", "remove it");

    [Fact]
    public void BPG0030_an_overload_and_members_of_other_names_are_generated()
    {
        var run = GeneratorHarness.Run("using BackpropGen;\n[Network(2, Precision = Precision.Single)]\n" + Layers
            + "public partial class Net\n{\n    public void Forward(System.ReadOnlySpan<double> input, System.Span<double> output) { }\n    public void Forward<T>(System.ReadOnlySpan<float> input, System.Span<float> output) { }\n    public Net(string name) : this(3) { }\n    private readonly double[] _parameters = new double[1];\n    public double First => _parameters[0] + Parameters[0];\n}");
        Assert.Empty(run.Diagnostics);
        Assert.Single(run.GeneratedSources);
        Assert.Empty(run.OutputCompilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Fact]
    public void BPG0031_primary_constructor() => AssertDiagnostic(
        "using BackpropGen;\n[Network(2)]\n" + Layers + "public partial class Net[|(double scale)|]\n{\n    public double Scale => scale;\n}",
        "BPG0031", DiagnosticSeverity.Error, "The network class 'Net' has a primary constructor", "'Net()' and 'Net(int seed)' cannot call", "remove the parameter list");

    [Fact]
    public void BPG0032_base_class_without_a_parameterless_constructor() => AssertDiagnostic(
        "using BackpropGen;\npublic class Model\n{\n    protected Model(string name) { }\n}\n[Network(2)]\n" + Layers + "public partial class Net : [|Model|]\n{\n    public Net(double x) : base(\"net\") { }\n}",
        "BPG0032", DiagnosticSeverity.Error, "The base class 'Model' of the network 'Net' has no accessible constructor that takes no arguments", "add one to 'Model' (it may be protected)");

    [Fact]
    public void BPG0033_type_named_like_the_extension_class() => AssertDiagnostic(
        "using BackpropGen;\nnamespace Demo\n{\n    [Network(2)]\n    [Dense(1, Activation.Sigmoid)]\n    public partial class Net { }\n}\ninternal static class [|__Demo_NetExtensions|] { }",
        "BPG0033", DiagnosticSeverity.Error, "The type '__Demo_NetExtensions' has the name of the class generated in the global namespace for the extension methods of the network 'Demo.Net'", "rename the type");

    private static void AssertDiagnostic(string marked, string id, DiagnosticSeverity severity, params string[] messageParts)
    {
        var (source, span) = SourceMarkup.Parse(marked);
        var run = GeneratorHarness.Run(source);

        Assert.All(run.RunResult.Results, r => Assert.Null(r.Exception));
        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(severity, diagnostic.Severity);
        Assert.Equal(("File0.cs", span), (diagnostic.Location.GetLineSpan().Path, diagnostic.Location.GetLineSpan().Span));
        Assert.Same(run.InputCompilation.SyntaxTrees.Single(), diagnostic.Location.SourceTree);
        var message = diagnostic.GetMessage(CultureInfo.InvariantCulture);
        Assert.All(messageParts, part => Assert.Contains(part, message));
        Assert.Empty(run.OutputCompilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }
}
