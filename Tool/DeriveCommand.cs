using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using BackpropGen.Generator.Documents;
using BackpropGen.Generator.Parsing;
using BackpropGen.Samples;
using BackpropGen.Symbolic.Networks;
using Microsoft.CodeAnalysis.CSharp;
using Spectre.Console;

namespace BackpropGen.Tool;

/// <summary>
/// <c>backpropgen derive &lt;file.cs&gt;... [--out DIR] [--pdf] [--notation notes|layered|vectorized] [--format tex|md]</c>:
/// writes each network's <c>.g.cs</c>, its document as <c>.tex</c> (or, with <c>--format md</c>, as GitHub Markdown in
/// <c>.md</c>) and, with <c>--pdf</c>, <c>.pdf</c>. Diagnostics go to standard output in
/// the compiler's format, one per line (C# syntax errors too, and then nothing is generated); any other failure is one
/// line <c>backpropgen: error: …</c> on standard error. The exit code is 1 when a file is missing or not C# text, the
/// output cannot be written (nothing is then left half-written), a diagnostic is an error or a PDF asked for could not
/// be made.
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

    private static readonly Option<string> Format = CreateFormatOption();

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
            Format,
        };
        command.SetAction(Run);
        return command;
    }

    private static Option<string> CreateFormatOption()
    {
        var option = new Option<string>("--format")
        {
            Description = "The document's format: tex (LaTeX) or md (GitHub Markdown, with $…$ and $$…$$ math).",
            DefaultValueFactory = _ => "tex",
        };
        option.AcceptOnlyFromAmong("tex", "md");
        return option;
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

    /// <summary>Runs the command; every failure is one line <c>backpropgen: error: …</c> on standard error and exit code 1.</summary>
    private static int Run(ParseResult parse)
    {
        var error = parse.InvocationConfiguration.Error;
        try
        {
            return Derive(parse, parse.InvocationConfiguration.Output, error);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Fail(error, exception.Message);
            return 1;
        }
        catch (Exception exception)
        {
            Fail(error, $"{exception.GetType().Name}: {exception.Message} This is a bug in backpropgen; please report it with the files.");
            return 1;
        }
    }

    private static int Derive(ParseResult parse, TextWriter output, TextWriter error)
    {
        // A file named twice (or by two spellings of one path) is compiled once; twice it would be two declarations of each class.
        var paths = parse.GetRequiredValue(Files)
            .Select(f => f.FullName)
            .Distinct(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal)
            .ToList();
        var sources = paths.Select(path => Read(path, error)).ToList();
        var folder = parse.GetRequiredValue(Out).FullName;
        if (File.Exists(folder))
        {
            Fail(error, $"'{folder}', given as --out, is a file; give a folder to write to.");
            return 1;
        }

        for (var above = Path.GetDirectoryName(folder); !string.IsNullOrEmpty(above); above = Path.GetDirectoryName(above))
        {
            if (File.Exists(above))
            {
                Fail(error, $"'{above}' is a file, so the --out folder '{folder}' cannot be made in it; give a folder to write to.");
                return 1;
            }
        }

        if (sources.Any(source => source is null))
        {
            return 1;
        }

        NotationStyle? notation = parse.GetValue(Notation) is { } name ? Notations[name] : null;
        var result = SourceDerivation.Run(sources!, notation);
        foreach (var diagnostic in result.Diagnostics)
        {
            output.WriteLine(CSharpDiagnosticFormatter.Instance.Format(diagnostic, CultureInfo.InvariantCulture));
        }

        if (result.SyntaxErrors)
        {
            Fail(error, $"the C# above does not parse ({result.Diagnostics.Count} syntax error{(result.Diagnostics.Count == 1 ? "" : "s")}); fix it and run again. Nothing was written.");
            return 1;
        }

        var pdf = parse.GetValue(Pdf);
        var markdown = parse.GetValue(Format) == "md";
        if (pdf && markdown)
        {
            Fail(error, "--pdf compiles the LaTeX document; it cannot be combined with --format md. Nothing was written.");
            return 1;
        }

        if (result.Networks.Count > 0 && !WriteAll(result.Networks, folder, markdown, error))
        {
            return 1;
        }

        var written = result.Networks.Select(network => MakePdf(network, folder, pdf, markdown, error)).ToList();
        Summarize(output, folder, written);
        return result.HasErrors || written.Any(w => !w.Complete) ? 1 : 0;
    }

    /// <summary>The text of a C# file; null (reported) for a folder, a missing or unreadable file, or one that is not text.</summary>
    private static SourceFile? Read(string path, TextWriter error)
    {
        if (Directory.Exists(path))
        {
            Fail(error, $"'{path}' is a directory; pass the .cs files in it.");
            return null;
        }

        if (!File.Exists(path))
        {
            Fail(error, $"the file '{path}' does not exist.");
            return null;
        }

        string text;
        try
        {
            // Strict UTF-8 unless a byte order mark says otherwise, as the compiler reads a file.
            using var reader = new StreamReader(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
            text = reader.ReadToEnd();
        }
        catch (DecoderFallbackException)
        {
            Fail(error, $"'{path}' is not C# text: it is not valid UTF-8 (is it a binary file?).");
            return null;
        }

        var control = Array.FindIndex(text.ToCharArray(), c => char.IsControl(c) && c is not ('\t' or '\n' or '\r' or '\f' or '\v' or '\u001A' or '\u0085'));
        if (control >= 0)
        {
            Fail(error, $"'{path}' is not C# text: it has the control character U+{(int)text[control]:X4} at offset {control} (is it a binary file?).");
            return null;
        }

        return new SourceFile(path, text);
    }

    /// <summary>
    /// Writes every network's document (<c>.tex</c>, or <c>.md</c>) and <c>.g.cs</c> into <paramref name="folder"/>, all or nothing: each file is
    /// written beside its final name first, and only when all are written are they renamed; on failure the partial
    /// files, and the folder if this call created it, are removed.
    /// </summary>
    private static bool WriteAll(IReadOnlyList<DerivedNetwork> networks, string folder, bool markdown, TextWriter error)
    {
        var created = new List<string>();
        for (var missing = folder; !string.IsNullOrEmpty(missing) && !Directory.Exists(missing) && !File.Exists(missing); missing = Path.GetDirectoryName(missing))
        {
            created.Add(missing);
        }

        var staged = new List<(string Temporary, string Final)>();
        try
        {
            Directory.CreateDirectory(folder);
            var document = markdown ? ".md" : ".tex";
            if (networks.SelectMany(n => new[] { n.FileName + document, n.FileName + ".g.cs" }).FirstOrDefault(name => Directory.Exists(Path.Combine(folder, name))) is { } taken)
            {
                throw new IOException($"'{taken}' there is a folder, where a file of that name is to be written.");
            }

            foreach (var network in networks)
            {
                Stage(Path.Combine(folder, network.FileName + document), stream =>
                {
                    using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
                    writer.Write(markdown ? MarkdownDocument.FromLatex(network.Latex) : network.Latex);
                });

                // As the compiler writes a generated file (EmitCompilerGeneratedFiles): in the source text's own encoding.
                Stage(Path.Combine(folder, network.FileName + ".g.cs"), stream =>
                {
                    using var writer = new StreamWriter(stream, network.Code.Encoding ?? Encoding.UTF8);
                    network.Code.Write(writer);
                });
            }

            foreach (var (temporary, final) in staged)
            {
                File.Move(temporary, final, overwrite: true);
            }

            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            foreach (var (temporary, _) in staged.Where(s => File.Exists(s.Temporary)))
            {
                File.Delete(temporary);
            }

            foreach (var directory in created.Where(Directory.Exists))
            {
                if (!Directory.EnumerateFileSystemEntries(directory).Any())
                {
                    Directory.Delete(directory);
                }
            }

            Fail(error, $"cannot write to '{folder}': {exception.Message}");
            return false;
        }

        void Stage(string final, Action<Stream> write)
        {
            var temporary = final + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp";
            staged.Add((temporary, final));
            using var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write);
            write(stream);
        }
    }

    /// <summary>The files written for one network; not complete when a PDF was asked for and could not be made.</summary>
    private sealed record Written(DerivedNetwork Network, IReadOnlyList<string> Files, bool Complete);

    private static Written MakePdf(DerivedNetwork network, string folder, bool pdf, bool markdown, TextWriter error)
    {
        var files = new List<string> { network.FileName + (markdown ? ".md" : ".tex"), network.FileName + ".g.cs" };
        if (!pdf)
        {
            return new Written(network, files, true);
        }

        var latex = LatexToPdf.Compile(Path.Combine(folder, network.FileName + ".tex"));
        if (!latex.Succeeded)
        {
            Fail(error, $"no PDF for {network.FullName}: {latex.Message}");
            return new Written(network, files, false);
        }

        files.Add(Path.GetFileName(latex.PdfPath!));
        return new Written(network, files, true);
    }

    /// <summary>Writes one line <c>backpropgen: error: …</c>, the message's own line breaks made spaces.</summary>
    private static void Fail(TextWriter error, string message) =>
        error.WriteLine("backpropgen: error: " + message.Replace("\r\n", " ").Replace('\n', ' ').Replace('\r', ' '));

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
