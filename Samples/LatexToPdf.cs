using System;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace BackpropGen.Samples;

/// <summary>Runs pdflatex, when it is installed, to turn a derivation into a PDF.</summary>
internal static class LatexToPdf
{
    public const string InstallHint =
        "pdflatex is not installed, so no PDF was made. Install it with: sudo apt-get install texlive-latex-base texlive-latex-recommended texlive-pictures";

    /// <summary>Compiles <paramref name="texPath"/> twice (so references resolve); the message is the PDF's path or why there is none.</summary>
    public static bool TryCompile(string texPath, out string message)
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, "pdflatex")));
        if (!onPath)
        {
            message = InstallHint;
            return false;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(texPath))!;
        var name = Path.GetFileNameWithoutExtension(texPath);
        for (var run = 0; run < 2; run++)
        {
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
            var log = process.StandardOutput.ReadToEndAsync();
            process.StandardError.ReadToEnd();
            if (!process.WaitForExit(120_000))
            {
                process.Kill(entireProcessTree: true);
                message = "pdflatex did not finish within two minutes; the .tex file is complete.";
                return false;
            }

            if (process.ExitCode != 0)
            {
                var error = log.Result.Split('\n').SkipWhile(l => !l.StartsWith('!')).Take(3);
                message = $"pdflatex failed on {texPath}: {string.Join(" ", error).Trim()} (see {Path.Combine(folder, name + ".log")})";
                return false;
            }
        }

        message = Path.Combine(folder, name + ".pdf");
        return true;
    }
}
