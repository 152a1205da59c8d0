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
    public void The_markdown_format_writes_the_document_in_githubs_math_syntax_instead_of_latex()
    {
        var (exitCode, output) = Derive(Write("Net.cs", Network()), "--out", Path.Combine(_folder, "md"), "--format", "md");

        Assert.True(exitCode == 0, output);
        var expected = BackpropGen.Generator.Documents.MarkdownDocument.FromLatex(DerivationLatex(GeneratorHarness.Run(Network())));
        Assert.Equal(expected, File.ReadAllText(Path.Combine(_folder, "md", "Net.md")));
        Assert.False(File.Exists(Path.Combine(_folder, "md", "Net.tex")));
        Assert.True(File.Exists(Path.Combine(_folder, "md", "Net.g.cs")));

        var (pdfExit, _) = Derive(Write("Net.cs", Network()), "--out", Path.Combine(_folder, "md-pdf"), "--format", "md", "--pdf");
        Assert.Equal(1, pdfExit);
        Assert.False(Directory.Exists(Path.Combine(_folder, "md-pdf")));
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
    public void An_out_path_that_is_a_file_is_one_error_line_and_nothing_is_written()
    {
        var source = Write("Net.cs", Network());
        var taken = Write("taken", "not a folder");

        var (exitCode, output, error) = DeriveSeparately(source, "--out", taken);

        Assert.Equal(1, exitCode);
        Assert.Equal($"backpropgen: error: '{taken}', given as --out, is a file; give a folder to write to.", OneErrorLine(error));
        Assert.DoesNotContain("Unhandled", output + error, StringComparison.Ordinal);
        Assert.Equal("not a folder", File.ReadAllText(taken));
        Assert.Equal(new[] { "Net.cs", "taken" }, Entries(_folder));
    }

    [Fact]
    public void An_out_folder_that_cannot_be_created_is_one_error_line_and_nothing_is_written()
    {
        // A folder under a regular file cannot be made, by root either (a read-only folder would not stop root).
        var source = Write("Net.cs", Network());
        var taken = Write("taken", "not a folder");
        var below = Path.Combine(taken, "new", "deeper");

        var (exitCode, output, error) = DeriveSeparately(source, "--out", below);

        Assert.Equal(1, exitCode);
        Assert.Equal($"backpropgen: error: '{taken}' is a file, so the --out folder '{below}' cannot be made in it; give a folder to write to.", OneErrorLine(error));
        Assert.DoesNotContain("Unhandled", output + error, StringComparison.Ordinal);
        Assert.Equal(new[] { "Net.cs", "taken" }, Entries(_folder));
    }

    [Fact]
    public void A_failed_write_leaves_no_file_behind()
    {
        // A folder where Net.g.cs is to go: Net.tex could be written, but nothing is, so no network is half there.
        var out_ = Path.Combine(_folder, "out");
        Directory.CreateDirectory(Path.Combine(out_, "Net.g.cs"));

        var (exitCode, _, error) = DeriveSeparately(Write("Net.cs", Network()), "--out", out_);

        Assert.Equal(1, exitCode);
        Assert.Equal($"backpropgen: error: cannot write to '{out_}': 'Net.g.cs' there is a folder, where a file of that name is to be written.", OneErrorLine(error));
        Assert.Equal(new[] { "Net.g.cs" }, Entries(out_));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(out_, "Net.g.cs")));
    }

    [Fact]
    public void A_write_that_fails_halfway_removes_what_it_wrote_and_the_folder_it_made()
    {
        // A class name of 238 characters: "<name>.tex" and its temporary name (255 bytes) can be written on Linux,
        // the temporary name of "<name>.g.cs" (256 bytes) cannot, even by root. The .tex already written must go.
        Assert.True(OperatingSystem.IsLinux(), "this test relies on Linux's 255-byte limit on a file name");
        var name = "N" + new string('n', 237);
        var source = Write("Long.cs", Network().Replace("class Net", "class " + name, StringComparison.Ordinal));
        var out_ = Path.Combine(_folder, "new", "out");

        var (exitCode, _, error) = DeriveSeparately(source, "--out", out_);

        Assert.Equal(1, exitCode);
        Assert.StartsWith($"backpropgen: error: cannot write to '{out_}': ", OneErrorLine(error), StringComparison.Ordinal);
        Assert.Equal(new[] { "Long.cs" }, Entries(_folder));
    }

    [Fact]
    public void A_new_out_folder_is_created_with_its_parents()
    {
        var out_ = Path.Combine(_folder, "a", "b", "c");

        var (exitCode, output, error) = DeriveSeparately(Write("Net.cs", Network()), "--out", out_);

        Assert.True(exitCode == 0, output + error);
        Assert.Equal(new[] { "Net.g.cs", "Net.tex" }, Entries(out_));
    }

    [Fact]
    public void CSharp_syntax_errors_are_reported_in_compiler_format_and_nothing_is_generated()
    {
        var valid = Write("Net.cs", Network());
        var broken = Write("Broken.cs", "namespace Demo;\n\npublic class Broken\n{\n    public int M() { int x = 1 return x; }\n}\n");

        var (exitCode, output, error) = DeriveSeparately(valid, broken, "--out", Path.Combine(_folder, "out"));

        Assert.Equal(1, exitCode);
        Assert.Matches(new Regex("^" + Regex.Escape(broken) + @"\(5,32\): error CS1002: ; expected
?$", RegexOptions.Multiline), output);
        Assert.StartsWith("backpropgen: error: the C# above does not parse (1 syntax error)", OneErrorLine(error), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folder, "out")));
    }

    [Theory]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52 }, "it is not valid UTF-8")]
    [InlineData(new byte[] { (byte)'c', (byte)'l', (byte)'a', (byte)'s', (byte)'s', (byte)' ', 0xC3, 0x28 }, "it is not valid UTF-8")]
    [InlineData(new byte[] { (byte)'c', (byte)'l', (byte)'a', (byte)'s', (byte)'s', 0x00, 0x00, 0x01 }, "it has the control character U+0000 at offset 5")]
    [InlineData(new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F', 0x02, 0x01, 0x01, 0x00 }, "it has the control character U+007F at offset 0")]
    public void A_file_that_is_not_text_is_rejected(byte[] content, string reason)
    {
        var path = Path.Combine(_folder, "image.cs");
        File.WriteAllBytes(path, content);

        var (exitCode, output, error) = DeriveSeparately(path, "--out", Path.Combine(_folder, "out"));

        Assert.Equal(1, exitCode);
        Assert.Equal($"backpropgen: error: '{path}' is not C# text: {reason} (is it a binary file?).", OneErrorLine(error));
        Assert.DoesNotContain("No network", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folder, "out")));
    }

    [Fact]
    public void A_directory_is_called_a_directory()
    {
        var directory = Directory.CreateDirectory(Path.Combine(_folder, "src")).FullName;

        var (exitCode, _, error) = DeriveSeparately(directory);

        Assert.Equal(1, exitCode);
        Assert.Equal($"backpropgen: error: '{directory}' is a directory; pass the .cs files in it.", OneErrorLine(error));
    }

    [Fact]
    public void A_file_given_twice_is_derived_once()
    {
        var path = Write("Net.cs", Network());
        var sameFile = Path.Combine(_folder, ".", "Net.cs");

        var (exitCode, output, error) = DeriveSeparately(path, sameFile, path, "--out", Path.Combine(_folder, "out"));

        Assert.True(exitCode == 0, output + error);
        Assert.Empty(error);
        Assert.Equal(new[] { "Net.g.cs", "Net.tex" }, Entries(Path.Combine(_folder, "out")));
        Assert.Equal(
            Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(GeneratorHarness.Run(Network()).GeneratedSources["Demo.Net.g.cs"])),
            File.ReadAllBytes(Path.Combine(_folder, "out", "Net.g.cs")));
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

    /// <summary><c>backpropgen derive</c> with standard output and standard error apart.</summary>
    private static (int ExitCode, string Output, string Error) DeriveSeparately(params string[] arguments)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = BackpropGen.Tool.Program.Run(new[] { "derive" }.Concat(arguments).ToArray(), output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    /// <summary>The one line on standard error, without its line break; fails unless there is exactly one.</summary>
    private static string OneErrorLine(string error) =>
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.TrimEnd('\r')));

    /// <summary>The names of the files and folders in <paramref name="folder"/>, sorted.</summary>
    private static string[] Entries(string folder) =>
        Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).OrderBy(name => name, StringComparer.Ordinal).ToArray()!;

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
