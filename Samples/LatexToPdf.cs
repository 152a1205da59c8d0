using System;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace BackpropGen.Samples;

/// <summary>The outcome of compiling a LaTeX file: the PDF, or why there is none, and pdflatex's output.</summary>
internal sealed record LatexRun(bool Succeeded, string? PdfPath, string Log, string Message);

/// <summary>Runs pdflatex, when it is installed, to turn a derivation into a PDF. Also used by the tests.</summary>
internal static class LatexToPdf
{
    public const string InstallHint =
        "pdflatex is not installed, so no PDF was made. Install it with: sudo apt-get install texlive-latex-base texlive-latex-recommended texlive-pictures lmodern";

    public static bool IsInstalled { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(Path.PathSeparator)
        .Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, "pdflatex")));

    /// <summary>Compiles <paramref name="texPath"/> twice, so references resolve, in the file's own folder.</summary>
    public static LatexRun Compile(string texPath)
    {
        if (!IsInstalled)
        {
            return new LatexRun(false, null, "", InstallHint);
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(texPath))!;
        var name = Path.GetFileNameWithoutExtension(texPath);
        var log = "";
        for (var run = 0; run < 2; run++)
        {
            var start = new ProcessStartInfo("pdflatex", $"-interaction=nonstopmode -halt-on-error -no-shell-escape \"{name}.tex\"")
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
                return new LatexRun(false, null, log, "pdflatex did not finish within two minutes; the .tex file is complete.");
            }

            log = output.Result;
            if (process.ExitCode != 0)
            {
                var error = string.Join("\n", log.Split('\n').SkipWhile(l => !l.StartsWith('!')).Take(12)).Trim();
                return new LatexRun(false, null, log, $"pdflatex failed (exit {process.ExitCode}) on {texPath}:\n{error}\n(see {Path.Combine(folder, name + ".log")})");
            }
        }

        var pdf = Path.Combine(folder, name + ".pdf");
        return new LatexRun(true, pdf, log, pdf);
    }
}
