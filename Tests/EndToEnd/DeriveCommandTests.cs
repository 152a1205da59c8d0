using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using BackpropGen.Tests.Support;

namespace BackpropGen.Tests.EndToEnd;

/// <summary>
/// <c>backpropgen derive</c> called in-process: its files are the ones a build makes (the generated source, byte for
/// byte, and the compiled class's <c>DerivationLatex</c>), a notation changes only the document, and errors come out
/// in the compiler's format with exit code 1.
/// </summary>
public sealed class DeriveCommandTests : IDisposable
{
    private const string Declaration = """
        using BackpropGen;

        namespace Demo;

        [Network(2, Loss = Loss.HalfSquaredError{0})]
        [Dense(3, Activation.Tanh)]
        [Dense(2, Activation.Sigmoid)]
        public partial class Net { }

        """;

    private readonly string _folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "backpropgen-derive-" + Guid.NewGuid().ToString("N"))).FullName;

    /// <summary>The declaration, with <paramref name="moreArguments"/> after the loss in <c>[Network]</c>.</summary>
    private static string Network(string moreArguments = "") => Declaration.Replace("{0}", moreArguments, StringComparison.Ordinal);

    [Fact]
    public void Derive_writes_the_generated_source_and_the_classes_DerivationLatex()
    {
        var (exitCode, output) = Derive(Write("Net.cs", Network()), "--out", Path.Combine(_folder, "out"));
        var build = GeneratorHarness.Run(Network());

        Assert.True(exitCode == 0, output);
        var generated = build.GeneratedSources["Demo.Net.g.cs"];
        Assert.Equal(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(generated)), File.ReadAllBytes(Path.Combine(_folder, "out", "Net.g.cs")));
        Assert.Equal(DerivationLatex(build), File.ReadAllText(Path.Combine(_folder, "out", "Net.tex")));
        Assert.Contains("Demo.Net", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_notation_rewrites_the_document_as_the_attribute_would_and_leaves_the_code()
    {
        var source = Write("Net.cs", Network());
        Derive(source, "--out", Path.Combine(_folder, "notes"));

        var (exitCode, output) = Derive(source, "--out", Path.Combine(_folder, "layered"), "--notation", "layered");

        Assert.True(exitCode == 0, output);
        Assert.Equal(File.ReadAllBytes(Path.Combine(_folder, "notes", "Net.g.cs")), File.ReadAllBytes(Path.Combine(_folder, "layered", "Net.g.cs")));
        var layered = DerivationLatex(GeneratorHarness.Run(Network(", Notation = Notation.Layered")));
        Assert.Equal(layered, File.ReadAllText(Path.Combine(_folder, "layered", "Net.tex")));
        Assert.NotEqual(layered, File.ReadAllText(Path.Combine(_folder, "notes", "Net.tex")));
    }

    [Fact]
    public void An_error_is_one_line_in_compiler_format_and_exits_1()
    {
        var path = Write("Broken.cs", Network().Replace("Activation.Tanh", "\"sigmod(x)\"", StringComparison.Ordinal));

        var (exitCode, output) = Derive(path, "--out", _folder);

        Assert.Equal(1, exitCode);
        Assert.Matches(new Regex("^" + Regex.Escape(path) + @"\(6,\d+\): error BPG0012: .+$", RegexOptions.Multiline), output);
        Assert.False(File.Exists(Path.Combine(_folder, "Net.g.cs")));
    }

    [Fact]
    public void A_warning_is_one_line_in_compiler_format_and_exits_0()
    {
        var path = Write("Net.cs", Network().Replace("HalfSquaredError", "BinaryCrossEntropy", StringComparison.Ordinal).Replace("Activation.Sigmoid", "Activation.Tanh", StringComparison.Ordinal));

        var (exitCode, output) = Derive(path, "--out", _folder);

        Assert.True(exitCode == 0, output);
        Assert.Matches(new Regex("^" + Regex.Escape(path) + @"\(\d+,\d+\): warning BPG0019: .+$", RegexOptions.Multiline), output);
        Assert.True(File.Exists(Path.Combine(_folder, "Net.g.cs")), output);
    }

    [Fact]
    public void A_file_without_networks_writes_nothing_and_exits_0()
    {
        var (exitCode, output) = Derive(Write("Plain.cs", "namespace Demo;\n\npublic class Plain { }\n"), "--out", _folder);

        Assert.True(exitCode == 0, output);
        Assert.Contains("No network was generated", output, StringComparison.Ordinal);
        Assert.Equal(new[] { "Plain.cs" }, Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public void A_missing_file_is_named_and_exits_1()
    {
        var missing = Path.Combine(_folder, "Missing.cs");

        var (exitCode, output) = Derive(missing);

        Assert.Equal(1, exitCode);
        Assert.Contains($"'{missing}' does not exist", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_lists_the_derive_command_and_exits_0()
    {
        var (exitCode, output) = Run("--help");

        Assert.Equal(0, exitCode);
        Assert.Matches(new Regex(@"^\s+derive <files>", RegexOptions.Multiline), output);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string source)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, source);
        return path;
    }

    private static (int ExitCode, string Output) Derive(params string[] arguments) => Run(new[] { "derive" }.Concat(arguments).ToArray());

    /// <summary>The tool's entry point, with standard output and error written to one string.</summary>
    private static (int ExitCode, string Output) Run(params string[] arguments)
    {
        var output = new StringWriter();
        var exitCode = BackpropGen.Tool.Program.Run(arguments, output, output);
        return (exitCode, output.ToString());
    }

    /// <summary>The compiled network's <c>DerivationLatex</c>.</summary>
    private static string DerivationLatex(GeneratorRun build) =>
        (string)build.EmitAndLoad().GetType("Demo.Net")!.GetProperty("DerivationLatex")!.GetValue(null)!;
}
