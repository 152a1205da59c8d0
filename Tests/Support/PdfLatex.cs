using System;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace BackpropGen.Tests.Support;

/// <summary>Runs <c>pdflatex</c> on a document and reports its errors.</summary>
public static class PdfLatex
{
    public const string InstallHint =
        "pdflatex is not installed; install it with: sudo apt-get install texlive-latex-base texlive-latex-recommended texlive-pictures";

    public static bool IsAvailable { get; } = FindOnPath("pdflatex") is not null;

    /// <summary>True on CI, where a missing pdflatex is a failure, never a skip.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Compiles the document in a fresh folder, twice so that references resolve; returns the PDF path, or
    /// throws with the log's error lines.
    /// </summary>
    public static PdfLatexResult Compile(string document, string name = "document")
    {
        CompileOnce(document, name, out var folder);
        return RunPdfLatex(folder, name);
    }

    private static PdfLatexResult CompileOnce(string document, string name, out string folder)
    {
        if (!IsAvailable)
        {
            throw new InvalidOperationException(InstallHint);
        }

        folder = Path.Combine(Path.GetTempPath(), "backpropgen-latex-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, name + ".tex"), document);
        return RunPdfLatex(folder, name);
    }

    /// <summary>One pdflatex run; returns the PDF path and the log, or throws with the log's error lines.</summary>
    private static PdfLatexResult RunPdfLatex(string folder, string name)
    {
        var tex = Path.Combine(folder, name + ".tex");
        var start = new ProcessStartInfo("pdflatex", $"-interaction=nonstopmode -halt-on-error -no-shell-escape {name}.tex")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        process.StandardError.ReadToEnd();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("pdflatex did not finish within two minutes");
        }

        var pdf = Path.Combine(folder, name + ".pdf");
        var log = output.Result;
        if (process.ExitCode != 0 || !File.Exists(pdf))
        {
            var errors = log.Split('\n').SkipWhile(l => !l.StartsWith('!')).Take(12);
            throw new InvalidOperationException($"pdflatex failed (exit {process.ExitCode}) on {tex}:\n{string.Join("\n", errors)}");
        }

        return new PdfLatexResult(pdf, log);
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
}

/// <summary>The PDF pdflatex wrote and the output of its last run.</summary>
public sealed record PdfLatexResult(string PdfPath, string Log);

/// <summary>
/// A fact that needs pdflatex: skipped with the install command on a developer machine without it,
/// and run (so failing) on CI, where <c>.ci/run</c> installs it.
/// </summary>
public sealed class PdfLatexFactAttribute : FactAttribute
{
    public PdfLatexFactAttribute()
    {
        if (!PdfLatex.IsAvailable && !PdfLatex.IsCi)
        {
            Skip = PdfLatex.InstallHint;
        }
    }
}

/// <summary>A theory that needs pdflatex, skipped or run as <see cref="PdfLatexFactAttribute"/> is.</summary>
public sealed class PdfLatexTheoryAttribute : TheoryAttribute
{
    public PdfLatexTheoryAttribute()
    {
        if (!PdfLatex.IsAvailable && !PdfLatex.IsCi)
        {
            Skip = PdfLatex.InstallHint;
        }
    }
}
