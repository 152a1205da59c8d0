using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

namespace BackpropGen.Tests.EndToEnd;

/// <summary>What a process did: its command line, exit code and everything it printed.</summary>
public sealed record ProcessResult(string CommandLine, int ExitCode, string Output, bool TimedOut)
{
    /// <summary>For assertion messages: the command, how it ended and its output.</summary>
    public override string ToString() =>
        $"$ {CommandLine}\n{(TimedOut ? "timed out" : $"exit code {ExitCode}")}\n{Output}";
}

/// <summary>Runs the .NET CLI and other programs with a time limit, capturing standard output and error together.</summary>
public static class ProcessRunner
{
    /// <summary>The folder of the .NET installation running the tests (DOTNET_ROOT for an installed tool).</summary>
    public static string DotnetRoot { get; } = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));

    /// <summary>The <c>dotnet</c> executable of that installation.</summary>
    public static string Dotnet { get; } = Path.Combine(DotnetRoot, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");

    /// <summary>
    /// Runs <paramref name="program"/> in <paramref name="folder"/>. The environment is the test's, without the
    /// MSBuild variables <c>dotnet test</c> sets for itself, with MSBuild nodes not kept alive after the build,
    /// plus <paramref name="environment"/>. Kills the process tree when it does not finish within <paramref name="timeout"/>.
    /// </summary>
    public static ProcessResult Run(string program, IEnumerable<string> arguments, string folder, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var output = new StringBuilder();
        void Append(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    output.Append(e.Data).Append('\n');
                }
            }
        }

        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += Append;
        process.ErrorDataReceived += Append;
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // Waits for the exit and for the end of both streams, so the last lines are read.
        var timedOut = false;
        using (var cancellation = new CancellationTokenSource(timeout))
        {
            try
            {
                process.WaitForExitAsync(cancellation.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                timedOut = !process.HasExited;
                process.Kill(entireProcessTree: true);
            }
        }

        var commandLine = string.Join(" ", new[] { program }.Concat(start.ArgumentList).Select(a => a.Contains(' ') ? $"\"{a}\"" : a));
        lock (output)
        {
            return new ProcessResult(commandLine, timedOut ? -1 : process.ExitCode, output.ToString(), timedOut);
        }
    }
}
