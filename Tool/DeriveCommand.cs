using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using BackpropGen.Generator.Parsing;
using BackpropGen.Samples;
using BackpropGen.Symbolic.Networks;
using Microsoft.CodeAnalysis.CSharp;
using Spectre.Console;

namespace BackpropGen.Tool;

/// <summary>
/// <c>backpropgen derive &lt;file.cs&gt;... [--out DIR] [--pdf] [--notation notes|layered|vectorized]</c>: writes each
/// network's <c>.g.cs</c>, <c>.tex</c> and, with <c>--pdf</c>, <c>.pdf</c>. Diagnostics go to standard output in
/// the compiler's format, one per line; the exit code is 1 when a file is missing, a diagnostic is an error or a
/// PDF asked for could not be made.
/// </summary>
internal static class DeriveCommand
{
    private static readonly Argument<FileInfo[]> Files = new("files")
    {
        Description = "The C# files to derive, compiled together as one project.",
        Arity = ArgumentArity.OneOrMore,
    };

    private static readonly Option<DirectoryInfo> Out = new("--out")
    {
        Description = "The folder to write to (created if missing).",
        HelpName = "dir",
        DefaultValueFactory = _ => new DirectoryInfo("."),
    };

    private static readonly Option<bool> Pdf = new("--pdf")
    {
        Description = "Also compile each document to a PDF with pdflatex.",
    };

    /// <summary>The values of <c>--notation</c>: the members of the <c>Notation</c> enum, in lower case.</summary>
    private static readonly IReadOnlyDictionary<string, NotationStyle> Notations =
        NetworkParser.Notations.ToDictionary(n => n.Name.ToLowerInvariant(), n => n.Value, StringComparer.Ordinal);

    private static readonly Option<string?> Notation = CreateNotationOption();

    public static Command Create()
    {
        var command = new Command("derive", "Derive the [Network] classes of C# files: <Type>.tex, <Type>.g.cs and, with --pdf, <Type>.pdf.")
        {
            Files,
            Out,
            Pdf,
            Notation,
        };
        command.SetAction(Run);
        return command;
    }

    private static Option<string?> CreateNotationOption()
    {
        var option = new Option<string?>("--notation")
        {
            Description = "Write the documents in this notation instead of each network's own (the code is the same).",
        };
        option.AcceptOnlyFromAmong(Notations.Keys.ToArray());
        return option;
    }

    private static int Run(ParseResult parse)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        var files = parse.GetRequiredValue(Files);
        var missing = files.Where(f => !f.Exists).ToList();
        foreach (var file in missing)
        {
            error.WriteLine($"backpropgen: error: the file '{file.FullName}' does not exist.");
        }

        if (missing.Count > 0)
        {
            return 1;
        }

        NotationStyle? notation = parse.GetValue(Notation) is { } name ? Notations[name] : null;
        var result = SourceDerivation.Run(files.Select(f => f.FullName).ToList(), notation);
        foreach (var diagnostic in result.Diagnostics)
        {
            output.WriteLine(CSharpDiagnosticFormatter.Instance.Format(diagnostic, CultureInfo.InvariantCulture));
        }

        var folder = parse.GetRequiredValue(Out);
        var pdf = parse.GetValue(Pdf);
        folder.Create();
        var written = result.Networks.Select(network => Write(network, folder.FullName, pdf, error)).ToList();
        Summarize(output, folder.FullName, written);
        return result.HasErrors || written.Any(w => !w.Complete) ? 1 : 0;
    }

    /// <summary>The files written for one network; not complete when a PDF was asked for and could not be made.</summary>
    private sealed record Written(DerivedNetwork Network, IReadOnlyList<string> Files, bool Complete);

    private static Written Write(DerivedNetwork network, string folder, bool pdf, TextWriter error)
    {
        var texPath = Path.Combine(folder, network.FileName + ".tex");
        var codePath = Path.Combine(folder, network.FileName + ".g.cs");
        File.WriteAllText(texPath, network.Latex, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));

        // As the compiler writes a generated file (EmitCompilerGeneratedFiles): in the source text's own encoding.
        using (var writer = new StreamWriter(codePath, append: false, network.Code.Encoding ?? Encoding.UTF8))
        {
            network.Code.Write(writer);
        }

        var files = new List<string> { Path.GetFileName(texPath), Path.GetFileName(codePath) };
        if (!pdf)
        {
            return new Written(network, files, true);
        }

        var latex = LatexToPdf.Compile(texPath);
        if (!latex.Succeeded)
        {
            error.WriteLine($"backpropgen: error: no PDF for {network.FullName}: {latex.Message}");
            return new Written(network, files, false);
        }

        files.Add(Path.GetFileName(latex.PdfPath!));
        return new Written(network, files, true);
    }

    private static void Summarize(TextWriter output, string folder, IReadOnlyList<Written> written)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        if (written.Count == 0)
        {
            console.WriteLine("No network was generated: the files have no error-free partial class marked [BackpropGen.Network].");
            return;
        }

        var table = new Table()
            .AddColumn("network")
            .AddColumn("notation")
            .AddColumn("files");
        foreach (var item in written)
        {
            table.AddRow(
                Markup.Escape(item.Network.FullName),
                Notations.First(n => n.Value == item.Network.Notation).Key,
                Markup.Escape(string.Join(", ", item.Files)));
        }

        console.MarkupLineInterpolated($"Wrote {written.Count} network{(written.Count == 1 ? "" : "s")} to [bold]{folder}[/]:");
        console.Write(table);
    }
}
