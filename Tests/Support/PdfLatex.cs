using System;
using System.IO;
using System.Linq;
using BackpropGen.Samples;

namespace BackpropGen.Tests.Support;

/// <summary>Compiles LaTeX documents in the tests, with the same runner as the samples.</summary>
public static class PdfLatex
{
    public const string InstallHint = LatexToPdf.InstallHint;

    public static bool IsAvailable => LatexToPdf.IsInstalled;

    /// <summary>True on CI, where a missing pdflatex is a failure, never a skip.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Compiles the document in a fresh folder; returns the PDF path and the last run's output, or throws with the errors.</summary>
    public static PdfLatexResult Compile(string document, string name = "document")
    {
        if (!IsAvailable)
        {
            throw new InvalidOperationException(InstallHint);
        }

        var folder = Path.Combine(Path.GetTempPath(), "backpropgen-latex-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var tex = Path.Combine(folder, name + ".tex");
        File.WriteAllText(tex, document);
        var run = LatexToPdf.Compile(tex);
        return run.Succeeded ? new PdfLatexResult(run.PdfPath!, run.Log) : throw new InvalidOperationException(run.Message);
    }
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

/// <summary>pdftotext (poppler-utils), to read a PDF's text back; installed by <c>.ci/run</c>.</summary>
public static class PdfText
{
    public static bool IsAvailable { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(Path.PathSeparator).Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, "pdftotext"))) || PdfLatex.IsCi;

    public static string Extract(string pdf) => System.Text.RegularExpressions.Regex.Replace(Raw(pdf), @"\s+", " ");

    /// <summary>The text of each page, whitespace collapsed.</summary>
    public static string[] ExtractPages(string pdf) =>
        Raw(pdf).Split('\f').Select(page => System.Text.RegularExpressions.Regex.Replace(page, @"\s+", " ")).ToArray();

    /// <summary>The number of lines of text on each page, as pdftotext reads them (a fraction's parts are lines of their own).</summary>
    public static int[] LineCounts(string pdf)
    {
        var pages = Raw(pdf).Split('\f').Select(page => page.Split('\n').Count(line => line.Trim().Length > 0)).ToList();

        // pdftotext ends every page, the last too, with a form feed.
        if (pages.Count > 1 && pages[pages.Count - 1] == 0)
        {
            pages.RemoveAt(pages.Count - 1);
        }

        return pages.ToArray();
    }

    private static string Raw(string pdf)
    {
        var start = new System.Diagnostics.ProcessStartInfo("pdftotext", $"\"{pdf}\" -") { RedirectStandardOutput = true, UseShellExecute = false };
        using var process = System.Diagnostics.Process.Start(start)!;
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit(60_000);
        return text;
    }
}
