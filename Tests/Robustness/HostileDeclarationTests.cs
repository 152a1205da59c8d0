using System;
using System.Collections.Generic;
using BackpropGen.Symbolic;
using System.Globalization;
using System.Linq;
using BackpropGen.Tests.Generator;
using BackpropGen.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Xunit.Abstractions;

namespace BackpropGen.Tests.Robustness;

/// <summary>
/// A corpus of malformed and hostile declarations, each with what the generator and the compiler must say about
/// it and nothing else: the generator's diagnostics exactly (at the span marked <c>[|…|]</c>, if any), the
/// compiler's own errors and warnings exactly (where no diagnostic of ours is right, the compiler's is the
/// answer), no generator exception, an unrelated network beside it still generated and compiling, and the engine's
/// work bounded (counted in steps, not timed).
/// </summary>
public class HostileDeclarationTests
{
    /// <summary>
    /// The most steps of the algebra engine (nodes built, rationals made, root iterations: <see cref="EngineWork"/>) one
    /// case may take, a bound on runaway work rather than a performance claim. The most a case takes is about 2.1 million
    /// (3000 layers, generated); a clock would fail on a loaded machine, a count does not.
    /// </summary>
    private const long WorkBound = 20_000_000;

    private const string Head = "using BackpropGen;\n";

    private const string TwoLayers = "[Dense(3, Activation.Sigmoid)]\n[Dense(1, Activation.Sigmoid)]\n";

    /// <summary>Separates the files of a case that spans several (File0.cs, File1.cs, …).</summary>
    private const string NextFile = "\n// ---- next file ----\n";

    /// <summary>
    /// A network and a plain class that every case compiles beside, in a file of their own: whatever the case
    /// does, this network is generated and this file compiles. Fully qualified, so a hostile type named like an
    /// attribute or an enum cannot capture its names.
    /// </summary>
    private const string Bystander = """
        namespace Bystanders
        {
            [global::BackpropGen.Network(2)]
            [global::BackpropGen.Dense(2, global::BackpropGen.Activation.Tanh)]
            [global::BackpropGen.Dense(1, global::BackpropGen.Activation.Sigmoid)]
            public partial class Bystander { }

            public static class Plain
            {
                public static int Twice(int value) => 2 * value;
            }
        }
        """;

    private const string BystanderPath = "Bystander.cs";

    private const string BystanderHintName = "Bystanders.Bystander.g.cs";

    private static readonly object LongestLock = new();
    private static (long Steps, string Case) _longest;

    private readonly ITestOutputHelper _output;

    public HostileDeclarationTests(ITestOutputHelper output) => _output = output;

    /// <summary>
    /// (name, source with the expected span marked, expected IDs). The IDs are separated by spaces: BPG… are the
    /// generator's diagnostics, CS… the compiler's errors and warnings on the whole output, each set exact; the
    /// marked span is where a diagnostic with the first ID is. Files of one case are separated by <see cref="NextFile"/>.
    /// </summary>
    public static TheoryData<string, string, string> Corpus() => new()
    {
        // ----- every diagnostic of the generator (BPG0023, the internal error, is what no case may produce) -----
        { "BPG0001 network class not partial", Head + "[Network(2)]\n" + TwoLayers + "public class [|Net|] { }", "BPG0001" },
        { "BPG0002 containing type not partial", Head + "public partial class Top\n{\n    public class [|Outer|]\n    {\n        [Network(2)]\n        [Dense(1, Activation.Sigmoid)]\n        public partial class Net { }\n    }\n}", "BPG0002" },
        { "BPG0003 generic network class", Head + "[Network(2)]\n" + TwoLayers + "public partial class [|Net|]<T> { }", "BPG0003" },
        { "BPG0004 static network class", Head + "[Network(2)]\n" + TwoLayers + "public static partial class [|Net|] { }", "BPG0004" },
        { "BPG0005 network in a generic containing type", Head + "public partial class [|Outer|]<T>\n{\n    [Network(2)]\n    [Dense(1, Activation.Sigmoid)]\n    public partial class Net { }\n}", "BPG0005" },
        { "BPG0006 network in a static containing type", Head + "public static partial class [|Outer|]\n{\n    [Network(2)]\n    [Dense(1, Activation.Sigmoid)]\n    public partial class Net { }\n}", "BPG0006" },
        { "BPG0006 and BPG0005 network in a generic type in a static type", Head + "public static partial class [|Outer|]\n{\n    public partial class Inner<T>\n    {\n        [Network(2)]\n        [Dense(1, Activation.Sigmoid)]\n        public partial class Net { }\n    }\n}", "BPG0006 BPG0005" },
        { "BPG0007 network on a record class", Head + "[Network(2)]\n" + TwoLayers + "public partial record [|Net|](int Seed);", "BPG0007" },
        { "BPG0008 no inputs", Head + "[Network([|0|])]\n" + TwoLayers + "public partial class Net { }", "BPG0008" },
        { "BPG0008 int.MinValue inputs", Head + "[Network(inputs: [|int.MinValue|])]\n" + TwoLayers + "public partial class Net { }", "BPG0008" },
        { "BPG0009 negative units", Head + "[Network(2)]\n[Dense(3, Activation.Sigmoid)]\n[Dense(units: [|-2|], activation: Activation.Sigmoid)]\npublic partial class Net { }", "BPG0009" },
        { "BPG0009 zero units, named arguments in reverse order", Head + "[Network(2)]\n[Dense(activation: Activation.Tanh, units: [|0|])]\npublic partial class Net { }", "BPG0009" },
        { "BPG0010 no layers", Head + "[[|Network(2)|]]\npublic partial class Net { }", "BPG0010" },
        { "BPG0011 layers on partial declarations in two files", Head + "[Network(2)]\n[Dense(3, Activation.Sigmoid)]\npublic partial class Net { }" + NextFile + Head + "[[|Dense(1, Activation.Sigmoid)|]]\npublic partial class Net { }", "BPG0011" },
        { "BPG0012 activation that does not parse", Head + "[Network(2)]\n[Dense(3, \"x + [|)|]\")]\npublic partial class Net { }", "BPG0012" },
        { "BPG0013 activation with another variable", Head + "[Network(2)]\n[Dense(3, \"x * exp([|z|])\")]\npublic partial class Net { }", "BPG0013" },
        { "BPG0014 loss that does not parse", Head + "[Network(2, LossExpression = \"1/2 * (y - t)^[|^|]2\")]\n" + TwoLayers + "public partial class Net { }", "BPG0014" },
        { "BPG0015 loss with another variable", Head + "[Network(2, LossExpression = \"(y - [|target|])^2\")]\n" + TwoLayers + "public partial class Net { }", "BPG0015" },
        { "BPG0016 Loss and LossExpression both set", Head + "[Network(2, Loss = Loss.SquaredError, [|LossExpression = \"(y - t)^2\"|])]\n" + TwoLayers + "public partial class Net { }", "BPG0016" },
        { "BPG0017 softmax on a hidden layer", Head + "[Network(2, Loss = Loss.CrossEntropy)]\n[[|Dense(3, Activation.Softmax)|]]\n[Dense(2, Activation.Softmax)]\npublic partial class Net { }", "BPG0017" },
        { "BPG0018 cross-entropy after tanh (a warning; generated)", Head + "[Network(2, Loss = [|BackpropGen.Loss.CrossEntropy|])]\n[Dense(3, Activation.Sigmoid)]\n[Dense(2, Activation.Tanh)]\npublic partial class Net { }", "BPG0018" },
        { "BPG0019 binary cross-entropy after a custom activation (a warning; generated)", Head + "[Network(2, Loss = [|BackpropGen.Loss.BinaryCrossEntropy|])]\n[Dense(3, Activation.Sigmoid)]\n[Dense(1, \"x / (1 + abs(x))\")]\npublic partial class Net { }", "BPG0019" },
        { "BPG0020 undefined activation", Head + "[Network(2)]\n[Dense(3, [|(Activation)42|])]\npublic partial class Net { }", "BPG0020" },
        { "BPG0020 Loss = (Loss)99", Head + "[Network(2, Loss = [|(Loss)99|])]\n" + TwoLayers + "public partial class Net { }", "BPG0020" },
        { "BPG0020 undefined notation and precision", Head + "[Network(2, Notation = [|(Notation)(-1)|], Precision = (Precision)7)]\n" + TwoLayers + "public partial class Net { }", "BPG0020" },
        { "BPG0021 MaxUnrolledWeights = -1", Head + "[Network(2, MaxUnrolledWeights = [|-1|])]\n" + TwoLayers + "public partial class Net { }", "BPG0021" },
        { "BPG0021 MaxUnrolledWeights = int.MaxValue", Head + "[Network(2, MaxUnrolledWeights = [|int.MaxValue|])]\n" + TwoLayers + "public partial class Net { }", "BPG0021" },
        { "BPG0022 more than 2^24 parameters", Head + "[[|Network(4096)|]]\n[Dense(4096, Activation.Tanh)]\npublic partial class Net { }", "BPG0022" },
        { "a 100 × 41 layer, once too large to unroll, is a loop (generated)", Head + "[Network(100)]\n[Dense(41, Activation.Tanh)]\n[Dense(1, Activation.Sigmoid)]\npublic partial class Net { }", "" },
        { "four 64 × 64 layers, once too many parameters to unroll (generated)", Head + "[Network(64)]\n" + Repeat("[Dense(64, Activation.Tanh)]\n", 4) + "public partial class Net { }", "" },
        { "BPG0024 Loss enum hidden in a privately nested network", Head + "public partial class Outer\n{\n    [Network(2, Loss = [|Loss|].CrossEntropy)]\n    [Dense(2, Activation.Softmax)]\n    private partial class Net { }\n}", "BPG0024" },
        { "BPG0025 file-local network class", Head + "[Network(2)]\n" + TwoLayers + "file partial class [|Net|] { }", "BPG0025" },
        { "BPG0025 network in a file-local type", Head + "file partial class [|Outer|]\n{\n    [Network(2)]\n    [Dense(1, Activation.Sigmoid)]\n    public partial class Net { }\n}", "BPG0025" },
        { "BPG0026 a product of 250 sines, just under the length limit", Head + "[Network(2)]\n[[|Dense(2, \"x" + Sines("x", 250) + "\")|]]\n[Dense(1, Activation.Sigmoid)]\npublic partial class Net { }", "BPG0026" },
        { "BPG0026 a 25-factor activation on 4096 unrolled units", Head + "[Network(1, MaxUnrolledWeights = 4096)]\n[[|Dense(4096, \"x" + Sines("x", 25) + "\")|]]\npublic partial class Net { }", "BPG0026" },
        { "BPG0026 a loss of 250 factors", Head + "[Network(2, [|LossExpression = \"(y - t)" + Sines("y", 250) + "\"|])]\n" + TwoLayers + "public partial class Net { }", "BPG0026" },
        { "BPG0026 softplus nested 20 deep (its C# repeats the argument at every level)", Head + "[Network(2)]\n[[|Dense(2, \"" + Repeat("softplus(", 20) + "x" + Repeat(")", 20) + "\")|]]\npublic partial class Net { }", "BPG0026" },
        { "BPG0026 sign nested 30 deep in a loss", Head + "[Network(2, [|LossExpression = \"" + Repeat("sign(", 30) + "y - t" + Repeat(")", 30) + "\"|])]\n" + TwoLayers + "public partial class Net { }", "BPG0026" },
        { "softplus nested 8 deep, within the unrolling limit (generated)", Head + "[Network(2)]\n[Dense(2, \"" + Repeat("softplus(", 8) + "x" + Repeat(")", 8) + "\")]\npublic partial class Net { }", "" },
        { "sigmoid nested 24 deep (generated)", Head + "[Network(2)]\n[Dense(2, \"" + Repeat("sigmoid(", 24) + "x" + Repeat(")", 24) + "\")]\npublic partial class Net { }", "" },
        { "a continued fraction 24 deep (generated)", Head + "[Network(2)]\n[Dense(2, \"" + Repeat("1 + 1 / (", 24) + "x" + Repeat(")", 24) + "\")]\npublic partial class Net { }", "" },
        { "a product of 60 sines on 2 units, within the unrolling limit (generated)", Head + "[Network(2)]\n[Dense(2, \"x" + Sines("x", 60) + "\")]\n[Dense(1, Activation.Sigmoid)]\npublic partial class Net { }", "" },

        // ----- huge sizes and thousands of layers -----
        { "Network(int.MaxValue)", Head + "[[|Network(int.MaxValue)|]]\n[Dense(1, Activation.Sigmoid)]\npublic partial class Net { }", "BPG0022" },
        { "Dense(int.MaxValue)", Head + "[[|Network(2)|]]\n[Dense(int.MaxValue, Activation.Sigmoid)]\npublic partial class Net { }", "BPG0022" },
        { "units × inputs overflows int (65536 × 65536)", Head + "[[|Network(65536)|]]\n[Dense(65536, Activation.Tanh)]\npublic partial class Net { }", "BPG0022" },
        { "parameters overflow long (three layers of int.MaxValue)", Head + "[[|Network(int.MaxValue)|]]\n" + Repeat("[Dense(int.MaxValue, Activation.Tanh)]\n", 3) + "public partial class Net { }", "BPG0022" },
        { "3000 layers over the parameter limit", Head + "[[|Network(75)|]]\n" + Repeat("[Dense(75, Activation.Tanh)]\n", 3000) + "public partial class Net { }", "BPG0022" },
        { "3000 layers without units", Head + "[Network(2)]\n[Dense([|0|], Activation.Tanh)]\n" + Repeat("[Dense(0, Activation.Tanh)]\n", 2999) + "public partial class Net { }", "BPG0009" },

        // ----- deeply nested and very long expressions -----
        { "parentheses 1000 deep in an activation (the 101st is marked)", Activation(Repeat("(", 100) + "[|(|]" + Repeat("(", 899) + "x" + Repeat(")", 1000)), "BPG0012" },
        { "parentheses 1000 deep in a loss", Loss(Repeat("(", 100) + "[|(|]" + Repeat("(", 899) + "y - t" + Repeat(")", 1000)), "BPG0014" },
        { "parentheses 100 deep, the stated limit (generated)", Activation(Repeat("(", 100) + "x" + Repeat(")", 100)), "" },
        { "parentheses 60 deep (generated)", Activation(Repeat("(", 60) + "x" + Repeat(")", 60)), "" },
        { "calls 600 deep in an activation (1000 would meet the length limit first)", Activation(Repeat("sin(", 100) + "sin[|(|]" + Repeat("sin(", 499) + "x" + Repeat(")", 600)), "BPG0012" },
        { "1000 minus signs in an activation", Activation(Repeat("-", 100) + "[|-|]" + Repeat("-", 899) + "x"), "BPG0012" },
        { "a power tower 1000 high in a loss", Loss(Repeat("y^", 100) + "y[|^|]" + Repeat("y^", 899) + "t"), "BPG0014" },
        { "a 100 KB activation", Activation(LongText("x + ", 100 * 1024)), "BPG0012" },
        { "a 100 KB loss", Loss(LongText("y - t + ", 100 * 1024)), "BPG0014" },
        { "a 4.4 KB activation concatenated from 1101 constants (the whole argument is marked)", Head + "[Network(2)]\n[Dense(1, [|\"x\"" + Repeat(" + \" + x\"", 1100) + "|])]\npublic partial class Net { }", "BPG0012" },
        { "BPG0027 division by zero, log(0) and huge constants in an activation (the first is marked)", Head + "[Network(2)]\n[Dense(2, \"x / [|0|] + log(0) + 0^(-1) + x * 1e400 + x^1e300 + 9^9^9\")]\n[Dense(1, Activation.Sigmoid)]\npublic partial class Net { }", "BPG0027" },
        { "BPG0027 1/0", Activation("1/[|0|]"), "BPG0027" },
        { "BPG0027 x/0", Activation("x/[|0|]"), "BPG0027" },
        { "BPG0027 x / (x - x)", Activation("x / [|(x - x)|]"), "BPG0027" },
        { "BPG0027 log(0) + x", Activation("[|log(0)|] + x"), "BPG0027" },
        { "BPG0027 sqrt(-1) * x", Activation("[|sqrt(-1)|] * x"), "BPG0027" },
        { "BPG0027 x * 1e309", Activation("x * [|1e309|]"), "BPG0027" },
        { "BPG0027 2^1100 * x", Activation("[|2^1100|] * x"), "BPG0027" },
        { "BPG0027 x * 1e39 in a float network", Head + "[Network(2, Precision = Precision.Single)]\n[Dense(3, \"x * [|1e39|]\")]\npublic partial class Net { }", "BPG0027" },
        { "BPG0027 a loss dividing by (y - y)", Loss("(y - t)^2 / [|(y - y)|]"), "BPG0027" },
        { "x * 1e39 in a double network (generated)", Activation("x * 1e39"), "" },
        { "x * 1e400^(1/2), which folds to x * 1e200 (generated)", Activation("x * 1e400^(1/2)"), "" },
        { "the square root of a 200-bit integer (generated)", Activation("x * 1606938044258990278329555242157490496423093597478467198255105^(1/2)"), "" },
        { "BPG0028 Dense without Network (a warning)", Head + "[[|Dense(3, Activation.Sigmoid)|]]\n[Dense(1, Activation.Sigmoid)]\npublic partial class Net { }", "BPG0028" },

        // ----- unicode and control characters -----
        { "é in an activation", Activation("x + [|é|]"), "BPG0012" },
        { "é written as a C# escape (the whole argument is marked)", Head + "[Network(2)]\n[Dense(3, [|\"x + \\u00e9\"|])]\npublic partial class Net { }", "BPG0012" },
        { "NUL written as a C# escape", Head + "[Network(2)]\n[Dense(3, [|\"x\\0\"|])]\npublic partial class Net { }", "BPG0012" },
        { "a right-to-left mark in an activation", Activation("x[|\u200F|] + 1"), "BPG0012" },
        { "a right-to-left override in a loss", Loss("(y - t)[|\u202E|]^2"), "BPG0014" },
        { "an emoji in an activation (the whole surrogate pair is marked)", Activation("x + [|\U0001F600|]"), "BPG0012" },
        { "a non-breaking space in an activation", Activation("x[|\u00A0|]+ 1"), "BPG0012" },
        { "an Arabic-Indic digit in an activation", Activation("x + [|\u0663|]"), "BPG0012" },
        { "a Unicode line separator written as a C# escape", Head + "[Network(2)]\n[Dense(3, [|\"x\\u2028+ 1\"|])]\npublic partial class Net { }", "BPG0012" },
        { "tabs and line breaks inside an activation (generated)", Head + "[Network(2)]\n[Dense(3, \"x *\\r\\n(1 +\\tx)\")]\n[Dense(1, Activation.Sigmoid)]\npublic partial class Net { }", "" },
        { "a verbatim multi-line loss (generated)", Head + "[Network(2, LossExpression = @\"(y - t)^2\n    + abs(y - t)\")]\n" + TwoLayers + "public partial class Net { }", "" },

        // ----- missing or null arguments -----
        { "Dense(3, (string)null)", Head + "[Network(2)]\n[Dense(3, [|(string)null|])]\npublic partial class Net { }", "BPG0012 CS8600 CS8625" },
        { "Dense(3, null)", Head + "[Network(2)]\n[Dense(3, [|null|])]\npublic partial class Net { }", "BPG0012 CS8625" },
        { "an empty activation", Head + "[Network(2)]\n[Dense(3, \"[|\"|])]\npublic partial class Net { }", "BPG0012" },
        { "a blank loss", Head + "[Network(2, LossExpression = \"   [|\"|])]\n" + TwoLayers + "public partial class Net { }", "BPG0014" },
        { "LossExpression = null means the built-in loss (generated)", Head + "[Network(2, LossExpression = null)]\n" + TwoLayers + "public partial class Net { }", "" },
        // The compiler reports a missing constructor argument or an unknown member; the generator adds nothing.
        { "Network() is the compiler's CS7036", Head + "[[|Network()|]]\n" + TwoLayers + "public partial class Net { }", "CS7036" },
        { "Network without parentheses is the compiler's CS7036", Head + "[[|Network|]]\n" + TwoLayers + "public partial class Net { }", "CS7036" },
        { "Dense without arguments is the compiler's CS1729", Head + "[Network(2)]\n[[|Dense|]]\npublic partial class Net { }", "CS1729" },
        { "Network(\"two\") is the compiler's CS1503", Head + "[Network([|\"two\"|])]\n" + TwoLayers + "public partial class Net { }", "CS1503" },
        { "a misspelled activation is the compiler's CS0117", Head + "[Network(2)]\n[Dense(3, Activation.[|Sigmod|])]\npublic partial class Net { }", "CS0117" },

        // ----- duplicate or conflicting attributes: the compiler's errors -----
        { "Network twice is the compiler's CS0579", Head + "[Network(2)]\n[[|Network|](3)]\n" + TwoLayers + "public partial class Net { }", "CS0579" },
        { "Network on two partial declarations is the compiler's CS0579", Head + "[Network(2)]\n" + TwoLayers + "public partial class Net { }" + NextFile + Head + "[[|Network|](2)]\npublic partial class Net { }", "CS0579" },
        { "LossExpression set twice is the compiler's CS0643", Head + "[Network(2, LossExpression = \"y\", [|LossExpression = \"t\"|])]\n" + TwoLayers + "public partial class Net { }", "CS0643" },
        { "Loss set twice is the compiler's CS0643", Head + "[Network(2, Loss = BackpropGen.Loss.SquaredError, [|Loss = BackpropGen.Loss.CrossEntropy|])]\n" + TwoLayers + "public partial class Net { }", "CS0643" },

        // ----- where the network is declared -----
        { "network nested in an interface (generated)", Head + "public partial interface IHost\n{\n    [Network(2)]\n    " + TwoLayers.Replace("\n", "\n    ") + "public partial class Net { }\n}", "" },
        { "network nested in a struct (generated)", Head + "public partial struct Holder\n{\n    [Network(2)]\n    " + TwoLayers.Replace("\n", "\n    ") + "public partial class Net { }\n}", "" },
        { "network nested in a record struct (generated)", Head + "public partial record struct Holder(int Value)\n{\n    [Network(2)]\n    " + TwoLayers.Replace("\n", "\n    ") + "public partial class Net { }\n}", "" },
        { "network nested in keyword-named types in a keyword-named namespace (generated)", Head + "namespace @if.@while\n{\n    public partial struct @struct\n    {\n        public partial class @class\n        {\n            [Network(2)]\n            [Dense(1, Activation.Sigmoid)]\n            public partial class @event { }\n        }\n    }\n}", "" },
        { "network class named @class (generated)", Head + "[Network(2)]\n" + TwoLayers + "public partial class @class { }", "" },
        { "network in namespace Demo.System.Math (generated)", Head + "namespace Demo.System.Math\n{\n    [Network(2, Precision = Precision.Single)]\n    [Dense(2, Activation.Softplus)]\n    public partial class Net { }\n}", "" },
        { "network class named Math with its own Math members (generated)", Head + "[Network(2)]\n" + TwoLayers + "public partial class Math\n{\n    private static class System { }\n    private static int Exp(int value) => value;\n}", "" },
        { "partial declarations in two files, the layers on one (generated)", Head + "[Network(2)]\n" + TwoLayers + "public partial class Net { }" + NextFile + "public partial class Net\n{\n    public double Run()\n    {\n        global::System.Span<double> output = stackalloc double[OutputCount];\n        Forward(stackalloc double[InputCount], output);\n        return output[0];\n    }\n}", "" },
        // Attribute usage allows classes only; the compiler says so, and the generator looks only at classes.
        { "Network on a struct is the compiler's CS0592", Head + "[[|Network|](2)]\n" + TwoLayers + "public partial struct Net { }", "CS0592" },
        { "Network on a record struct is the compiler's CS0592", Head + "[[|Network|](2)]\n" + TwoLayers + "public partial record struct Net;", "CS0592" },
        { "Network on an interface is the compiler's CS0592", Head + "[[|Network|](2)]\n" + TwoLayers + "public partial interface INet { }", "CS0592" },

        // ----- names that meet the generated members -----
        { "network class named Loss (generated)", Head + "[Network(2)]\n" + TwoLayers + "public partial class Loss { }", "" },
        // A member cannot be named like its class: a class named like a public generated member is reported at its
        // name; the private generated members all start with "__", so a class named like one of their old names is generated.
        { "network class named Forward is BPG0029", Head + "[Network(2)]\n" + TwoLayers + "public partial class [|Forward|] { }", "BPG0029" },
        { "network class named Parameters is BPG0029", Head + "[Network(2)]\n" + TwoLayers + "public partial class [|Parameters|] { }", "BPG0029" },
        { "network class named InputCount is BPG0029", Head + "[Network(2)]\n" + TwoLayers + "public partial class [|InputCount|] { }", "BPG0029" },
        { "network class named DerivationLatex is BPG0029", Head + "[Network(2)]\n" + TwoLayers + "public partial class [|DerivationLatex|] { }", "BPG0029" },
        { "network class named __Square is BPG0029", Head + "[Network(2)]\n" + TwoLayers + "public partial class [|__Square|] { }", "BPG0029" },
        { "a privately nested network class named Loss is BPG0029", Head + "public partial class Outer\n{\n    [Network(2)]\n    " + TwoLayers.Replace("\n", "\n    ") + "private partial class [|Loss|] { }\n}", "BPG0029" },
        { "network class named var without @ (generated)", Head + "[Network(2)]\n" + TwoLayers + "public partial class var { }", "" },
        { "network class named Square (generated)", Head + "[Network(2)]\n" + TwoLayers + "public partial class Square { }", "" },
        { "network class named Latex (generated)", Head + "[Network(2)]\n" + TwoLayers + "public partial class Latex { }", "" },
        { "network class named CheckLength (generated)", Head + "[Network(2)]\n" + TwoLayers + "public partial class CheckLength { }", "" },
        { "network class named EvaluateLoss (generated)", Head + "[Network(2)]\n" + TwoLayers + "public partial class EvaluateLoss { }", "" },
        { "network class named Block, in loops (generated)", Head + "[Network(2, MaxUnrolledWeights = 0)]\n" + TwoLayers + "public partial class Block { }", "" },
        { "network class named Dot, in loops (generated)", Head + "[Network(2, MaxUnrolledWeights = 0)]\n" + TwoLayers + "public partial class Dot { }", "" },
        { "network class named Sigmoid, in loops (generated)", Head + "[Network(2, MaxUnrolledWeights = 0)]\n" + TwoLayers + "public partial class Sigmoid { }", "" },
        { "network class named Softmax, in loops (generated)", Head + "[Network(2, Loss = Loss.HalfSquaredError, MaxUnrolledWeights = 0)]\n[Dense(3, Activation.Tanh)]\n[Dense(2, Activation.Softmax)]\npublic partial class Softmax { }", "" },
        { "network class named AccumulateBatch, in loops (generated)", Head + "[Network(2, MaxUnrolledWeights = 0)]\n" + TwoLayers + "public partial class AccumulateBatch { }", "" },
        { "network class named @var (generated)", Head + "[Network(2)]\n" + TwoLayers + "public partial class @var { }", "" },
        { "network class named @var, in loops (generated)", Head + "[Network(2, MaxUnrolledWeights = 0)]\n" + TwoLayers + "public partial class @var { }", "" },
        { "network class named @nameof (generated)", Head + "[Network(2)]\n" + TwoLayers + "public partial class @nameof { }", "" },
        { "network class named @class, in loops (generated)", Head + "[Network(2, MaxUnrolledWeights = 0)]\n" + TwoLayers + "public partial class @class { }", "" },
        // A user member with a public generated member's name (a method: and parameters) is reported at the member.
        { "a user Forward with the generated signature is BPG0030", Head + "[Network(2)]\n" + TwoLayers + "public partial class Net\n{\n    public void [|Forward|](global::System.ReadOnlySpan<double> input, global::System.Span<double> output) { }\n}", "BPG0030" },
        { "a user static TrainStep with the generated signature in float is BPG0030", Head + "[Network(2, Precision = Precision.Single)]\n" + TwoLayers + "public partial class Net\n{\n    private static float [|TrainStep|](System.ReadOnlySpan<float> a, System.ReadOnlySpan<float> b, float c) => c;\n}", "BPG0030" },
        { "a user property named Forward is BPG0030", Head + "[Network(2)]\n" + TwoLayers + "public partial class Net\n{\n    public int [|Forward|] => 0;\n}", "BPG0030" },
        { "a user constant named InputCount is BPG0030", Head + "[Network(2)]\n" + TwoLayers + "public partial class Net\n{\n    public const int [|InputCount|] = 3;\n}", "BPG0030" },
        { "a user nested class named Parameters is BPG0030", Head + "[Network(2)]\n" + TwoLayers + "public partial class Net\n{\n    public class [|Parameters|] { }\n}", "BPG0030" },
        { "a user field named __parameters is BPG0030", Head + "[Network(2)]\n" + TwoLayers + "public partial class Net\n{\n    private int [|__parameters|] = 1;\n    public int Read() => __parameters;\n}", "BPG0030" },
        { "a user (int seed) constructor is BPG0030", Head + "[Network(2)]\n" + TwoLayers + "public partial class Net\n{\n    public [|Net|](int seed) { }\n}", "BPG0030" },
        { "a user parameterless constructor is BPG0030", Head + "[Network(2)]\n" + TwoLayers + "public partial class Net\n{\n    public [|Net|]() { }\n}", "BPG0030" },
        { "a user constructor with other parameters (generated)", Head + "[Network(2)]\n" + TwoLayers + "public partial class Net\n{\n    public Net(double scale) : this(7) { Parameters[0] = scale; }\n}", "" },
        // The old names of the private members are free for the user.
        { "user members named like the private members of the generated code (generated)", Head + "[Network(2, MaxUnrolledWeights = 0)]\n" + TwoLayers + "public partial class Net\n{\n    private readonly int[] _parameters = new int[1];\n    private readonly int[] _scratch = new int[1];\n    private readonly int[] _batchGradient = new int[1];\n    private const string Latex = \"\";\n    private const int DefaultSeed = 2;\n    private const int Block = 3;\n    private static void CheckLength() { }\n    private static int CheckBatch(int a, int b) => a;\n    private static double Square(double v) => v;\n    private static void AddScaled() { }\n    private static void Dot() { }\n    private static void Sigmoid() { }\n    private static void Softmax() { }\n    private void AccumulateBatch() { }\n    private void ForwardBlock() { }\n    private void LossBlock() { }\n    private void BackwardBlock() { }\n    private void AddGradients() { }\n    internal double EvaluateLoss(global::System.ReadOnlySpan<double> input, global::System.ReadOnlySpan<double> target) => 0;\n    public int Sum() => _parameters[0] + _scratch[0] + _batchGradient[0] + Latex.Length + DefaultSeed + Block;\n}", "" },
        { "a user nested class named Math and a method named Exp (generated)", Head + "[Network(2, Precision = Precision.Single)]\n" + TwoLayers + "public partial class Net\n{\n    private static class Math { }\n    private static class MathF { }\n    private static float Exp(float value) => value;\n}", "" },
        { "two networks whose names differ only in case (both generated)", Head + "[Network(2)]\n" + TwoLayers + "public partial class Net { }\n[Network(2)]\n" + TwoLayers + "public partial class NET { }", "" },
        { "two networks whose full names differ only in dots and underscores (both generated)", Head + "namespace A_B { [Network(2)] [Dense(1, Activation.Sigmoid)] public partial class Net { } }\nnamespace A.B { [Network(2)] [Dense(1, Activation.Sigmoid)] public partial class Net { } }", "" },
        // The extension class of a network is "__" + its full name + "Extensions", in the global namespace: the
        // names people give classes meet nothing, and a type of exactly that name is reported at the type.
        { "a user class named NetExtensions beside a global network Net (generated)", Head + "[Network(2)]\n" + TwoLayers + "public partial class Net { }\npublic static class NetExtensions { }", "" },
        { "networks Probe and ProbeExtensions (both generated)", Head + "[Network(2)]\n" + TwoLayers + "public partial class Probe { }\n[Network(2)]\n" + TwoLayers + "public partial class ProbeExtensions { }", "" },
        { "a user class named like the generated extensions class is BPG0033", Head + "[Network(2)]\n" + TwoLayers + "public partial class Net { }\npublic static class [|__NetExtensions|] { }", "BPG0033" },
        // Training hyperparameters out of range, and one the chosen optimizer does not read.
        { "Beta2 of 1 is BPG0034", Head + "[Network(2, Optimizer = Optimizer.Adam, Beta2 = [|1|])]\n" + TwoLayers + "public partial class Net { }", "BPG0034" },
        { "a NaN learning-rate decay is BPG0034", Head + "[Network(2, Optimizer = Optimizer.RMSProp, Rho = [|0.0 / 0.0|])]\n" + TwoLayers + "public partial class Net { }", "BPG0034" },
        { "Rho with Adam is BPG0035", Head + "[Network(2, Optimizer = Optimizer.Adam, [|Rho = 0.9|])]\n" + TwoLayers + "public partial class Net { }", "BPG0035" },
        // The generated members hide the base network's, as any hand-written ones would: the compiler's warning.
        { "a network deriving from a network is the compiler's CS0108", Head + "[Network(2)]\n" + TwoLayers + "public partial class Base { }\n[Network(2)]\n" + TwoLayers + "public partial class Derived : Base { }", "CS0108" },
        // The generated constructors cannot call a primary constructor or a base constructor that needs arguments.
        { "a network with a primary constructor is BPG0031", Head + "[Network(2)]\n" + TwoLayers + "public partial class Net[|(int size)|] { public int Size => size; }", "BPG0031" },
        { "a base class without a parameterless constructor is BPG0032", Head + "public class Base { public Base(int size) { } }\n[Network(2)]\n" + TwoLayers + "public partial class Net : [|Base|] { }", "BPG0032 CS7036" },
        { "a base class with a private parameterless constructor is BPG0032", Head + "public class Base { private Base() { } public Base(int size) { } }\n[Network(2)]\n" + TwoLayers + "public partial class Net : [|Base|] { public Net(double x) : base(1) { } }", "BPG0032" },
        { "a base class with a protected parameterless constructor (generated)", Head + "public abstract class Base { protected Base() { } protected Base(int size) { } }\n[Network(2)]\n" + TwoLayers + "public partial class Net : Base { }", "" },
        { "a base class whose constructor has only optional parameters (generated)", Head + "public class Base { public Base(int size = 3, params int[] more) { } }\n[Network(2)]\n" + TwoLayers + "public partial class Net : Base { }", "" },
        // [Obsolete] on the network or a container is copied onto the extension class, which names the network.
        { "an obsolete network with error = true (generated)", Head + "[global::System.Obsolete(\"use V2\", true)]\n[Network(2)]\n" + TwoLayers + "public partial class Net { }", "" },
        { "an obsolete network (generated)", Head + "[global::System.Obsolete(\"a \\\"quoted\\\" reason\")]\n[Network(2)]\n" + TwoLayers + "public partial class Net { }", "" },
        { "a network in an obsolete container (generated)", Head + "[global::System.Obsolete(\"old\", true)]\npublic partial class Outer\n{\n    [Network(2)]\n    " + TwoLayers.Replace("\n", "\n    ") + "public partial class Net { }\n}", "" },
        { "an experimental network (generated)", Head + "[global::System.Diagnostics.CodeAnalysis.Experimental(\"BPX001\", UrlFormat = \"https://example.org/{0}\")]\n[Network(2)]\n" + TwoLayers + "public partial class Net { }", "" },
        { "an experimental network in an obsolete container (generated)", Head + "[global::System.Obsolete(\"old\", true)]\npublic partial class Outer\n{\n    [global::System.Diagnostics.CodeAnalysis.Experimental(\"BPX002\")]\n    [Network(2)]\n    " + TwoLayers.Replace("\n", "\n    ") + "public partial class Net { }\n}", "" },
        { "an obsolete network without a message (generated)", Head + "[global::System.Obsolete]\n[Network(2)]\n" + TwoLayers + "public partial class Net { }", "" },
        { "an abstract network class (generated)", Head + "[Network(2)]\n" + TwoLayers + "public abstract partial class Net { }", "" },
        { "a user Forward overload with other parameters (generated)", Head + "[Network(2)]\n" + TwoLayers + "public partial class Net\n{\n    public double Forward(double x, double y) => x + y;\n}", "" },
    };

    /// <summary>Cases of the corpus whose compiled output takes a minute or more to check (tagged Slow).</summary>
    public static TheoryData<string, string, string> SlowCorpus() => new()
    {
        { "3000 layers within the size limits (generated)", Head + "[Network(1)]\n" + Repeat("[Dense(1, Activation.Tanh)]\n", 3000) + "public partial class Net { }", "" },
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public void A_hostile_declaration_gets_exactly_its_diagnostics_and_nothing_else(string name, string marked, string expected) =>
        AssertExactly(name, marked, expected);

    [Theory]
    [Trait("Category", "Slow")]
    [MemberData(nameof(SlowCorpus))]
    public void A_hostile_declaration_slow_to_compile_gets_exactly_its_diagnostics_and_nothing_else(string name, string marked, string expected) =>
        AssertExactly(name, marked, expected);

    private void AssertExactly(string name, string marked, string expected)
    {
        var files = marked.Split(new[] { NextFile }, StringSplitOptions.None);
        var markedFile = Array.FindIndex(files, f => f.Contains("[|", StringComparison.Ordinal));
        LinePositionSpan? span = null;
        if (markedFile >= 0)
        {
            (files[markedFile], var parsed) = SourceMarkup.Parse(files[markedFile]);
            span = parsed;
        }

        var compilation = GeneratorHarness.CreateCompilation(files).AddSyntaxTrees(GeneratorHarness.Parse(Bystander, BystanderPath));
        var before = EngineWork.Steps;
        var run = GeneratorHarness.Run(compilation);
        var steps = EngineWork.Steps - before;
        Record(name, steps);

        // No exception, in the generator or reported as one.
        Assert.All(run.RunResult.Results, r => Assert.Null(r.Exception));
        var compilerDiagnostics = run.OutputCompilation.GetDiagnostics();
        Assert.DoesNotContain(run.Diagnostics.Concat(compilerDiagnostics), d => d.Id is "CS8784" or "CS8785" or "AD0001" or "BPG0023");

        // Whatever the case, no error is inside a generated file (the full semantic pass: declarations and bodies).
        var inputTrees = run.InputCompilation.SyntaxTrees.ToHashSet();
        Assert.True(
            !compilerDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree is { } tree && !inputTrees.Contains(tree)),
            $"{name}: errors in generated files:\n{Describe(compilerDiagnostics.Where(d => d.Location.SourceTree is { } tree && !inputTrees.Contains(tree)))}");

        // Exactly the expected diagnostics, ours and the compiler's.
        var ids = expected.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(
            Sorted(ids.Where(id => id.StartsWith("BPG", StringComparison.Ordinal))).SequenceEqual(Sorted(run.Diagnostics.Select(d => d.Id))),
            $"{name}: expected {expected}, the generator reported:\n{Describe(run.Diagnostics)}");
        var compilerFindings = compilerDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(
            Sorted(ids.Where(id => id.StartsWith("CS", StringComparison.Ordinal))).SequenceEqual(Sorted(compilerFindings.Select(d => d.Id))),
            $"{name}: expected {expected}, the compiler reported:\n{Describe(compilerFindings)}");

        if (span is { } expectedSpan)
        {
            var path = $"File{markedFile}.cs";
            var located = run.Diagnostics.Concat(compilerFindings).Where(d => d.Id == ids[0]).Select(d => d.Location.GetLineSpan()).ToList();
            Assert.True(
                located.Any(l => l.Path == path && l.Span == expectedSpan),
                $"{name}: expected {ids[0]} at {path}{expectedSpan}, found it at {string.Join(", ", located.Select(l => l.Path + l.Span))}");
        }

        // An error of ours generates nothing for the declaration; the bystander is generated and compiles cleanly.
        Assert.Contains(BystanderHintName, run.GeneratedSources.Keys);
        if (run.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            Assert.Single(run.GeneratedSources);
        }

        Assert.DoesNotContain(compilerDiagnostics, d => d.Location.SourceTree?.FilePath is { } file
            && (file == BystanderPath || file.EndsWith(BystanderHintName, StringComparison.Ordinal)));

        Assert.True(steps > 0 && steps < WorkBound, $"{name}: the engine took {steps} steps");
    }

    [Fact]
    public void The_corpus_has_at_least_40_cases_and_every_diagnostic_but_the_internal_error()
    {
        var cases = Corpus().Concat(SlowCorpus()).Select(row => (Name: (string)row[0], Expected: (string)row[2])).ToList();
        var expectedIds = cases.SelectMany(c => c.Expected.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToHashSet();

        Assert.True(cases.Count >= 40, $"{cases.Count} cases");
        Assert.Equal(cases.Count, cases.Select(c => c.Name).Distinct().Count());
        // BPG0023 is what every case asserts is absent; DiagnosticTests raises it by making the emitter throw.
        Assert.Equal(
            DiagnosticTable.Descriptors.Select(d => d.Id).Where(id => id != "BPG0023"),
            DiagnosticTable.Descriptors.Select(d => d.Id).Where(expectedIds.Contains));
    }

    [Fact]
    public void Sizes_that_overflow_int_or_long_are_reported_with_their_exact_counts()
    {
        var run = GeneratorHarness.Run(Head + "[Network(int.MaxValue)]\n" + Repeat("[Dense(int.MaxValue, Activation.Tanh)]\n", 3) + "public partial class Net { }");

        // (2³¹ − 1)² weights per layer, and three of those plus their biases: past long.MaxValue.
        var message = Assert.Single(run.Diagnostics).GetMessage(CultureInfo.InvariantCulture);
        Assert.Contains("has 13835058048839712768 parameters", message, StringComparison.Ordinal);

        // 65536 × 65536 weights and 65536 biases: past int.MaxValue.
        run = GeneratorHarness.Run(Head + "[Network(65536)]\n[Dense(65536, Activation.Tanh)]\npublic partial class Net { }");
        message = Assert.Single(run.Diagnostics).GetMessage(CultureInfo.InvariantCulture);
        Assert.Contains("has 4295032832 parameters", message, StringComparison.Ordinal);
    }

    private void Record(string name, long steps)
    {
        lock (LongestLock)
        {
            if (steps > _longest.Steps)
            {
                _longest = (steps, name);
            }

            _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"generator run: {steps} engine steps; most so far: {_longest.Steps} ({_longest.Case})"));
        }
    }

    private static IEnumerable<string> Sorted(IEnumerable<string> ids) => ids.Distinct().OrderBy(id => id, StringComparer.Ordinal);

    private static string Describe(IEnumerable<Diagnostic> diagnostics) =>
        string.Join("\n", diagnostics.Take(10).Select(d => d.ToString().Length > 400 ? d.ToString().Substring(0, 400) + "…" : d.ToString()));

    private static string Repeat(string text, int count) => string.Concat(Enumerable.Repeat(text, count));

    /// <summary>At least <paramref name="length"/> characters of <paramref name="unit"/> repeated, with the character at the parser's length limit marked.</summary>
    private static string LongText(string unit, int length)
    {
        var text = Repeat(unit, length / unit.Length + 1);
        const int Limit = 4096;
        return text.Substring(0, Limit) + "[|" + text[Limit] + "|]" + text.Substring(Limit + 1);
    }

    /// <summary><c> * sin(v + 1) * … * sin(v + count)</c>: distinct factors, so the derivative has count² nodes.</summary>
    private static string Sines(string variable, int count) =>
        string.Concat(Enumerable.Range(1, count).Select(k => $" * sin({variable} + {k})"));

    private static string Activation(string expression) =>
        Head + "[Network(2)]\n[Dense(3, \"" + expression + "\")]\npublic partial class Net { }";

    private static string Loss(string expression) =>
        Head + "[Network(2, LossExpression = \"" + expression + "\")]\n" + TwoLayers + "public partial class Net { }";
}
