using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using Xunit.Sdk;

namespace BackpropGen.Tests.Support;

/// <summary>
/// Snapshot testing with Verify's file conventions: the expected text lives beside the test as
/// <c>{TestFile}.{Member}[.{name}].verified.{extension}</c>; a mismatch writes <c>.received.</c> beside it and fails
/// with a line diff.
/// </summary>
public static class Snapshot
{
    /// <summary>Set to <c>1</c> to accept every received text as the new verified one, except on CI.</summary>
    public const string AcceptVariable = "BACKPROPGEN_ACCEPT_SNAPSHOTS";

    private const int MaxChangedLinesShown = 60;
    private const int ContextLines = 3;
    private const int NewSnapshotLinesShown = 40;
    private const string NoFinalLineBreak = @"\ No newline at end of file";

    private static readonly Encoding Utf8WithoutBom = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Compares <paramref name="actual"/> with the verified snapshot beside the calling test file.</summary>
    /// <param name="actual">The text produced by the test.</param>
    /// <param name="extension">The snapshot's file extension, without the dot: <c>tex</c>, <c>cs</c>, <c>txt</c>.</param>
    /// <param name="name">Distinguishes several snapshots of one test, such as a notation's name.</param>
    /// <param name="sourceFile">Filled in by the compiler: the calling test's source file.</param>
    /// <param name="member">Filled in by the compiler: the calling test method.</param>
    public static void Verify(
        string actual,
        string extension = "txt",
        string? name = null,
        [CallerFilePath] string sourceFile = "",
        [CallerMemberName] string member = "")
    {
        if (!File.Exists(sourceFile))
        {
            // A build with deterministic source paths maps caller paths to /_/...; the test project turns that off.
            throw new InvalidOperationException(
                $"The calling test's source file '{sourceFile}' does not exist on this machine, so its snapshot has no place to live. "
                + "Build the tests with DeterministicSourcePaths=false.");
        }

        var stem = Path.GetFileNameWithoutExtension(sourceFile) + "." + member + (name is null ? "" : "." + name);
        VerifyFile(actual, Path.Combine(Path.GetDirectoryName(sourceFile)!, stem), extension);
    }

    /// <summary>
    /// Compares <paramref name="actual"/> with <c>{pathStem}.verified.{extension}</c>, writing
    /// <c>{pathStem}.received.{extension}</c> on a mismatch.
    /// </summary>
    internal static void VerifyFile(string actual, string pathStem, string extension)
    {
        var verifiedPath = $"{pathStem}.verified.{extension}";
        var receivedPath = $"{pathStem}.received.{extension}";
        var received = NormalizeLineEndings(actual);
        var verified = File.Exists(verifiedPath) ? NormalizeLineEndings(File.ReadAllText(verifiedPath)) : null;

        if (verified == received)
        {
            File.Delete(receivedPath);
            return;
        }

        var onCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1" && !onCi)
        {
            File.WriteAllText(verifiedPath, received, Utf8WithoutBom);
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, received, Utf8WithoutBom);
        throw new XunitException(verified is null
            ? NewSnapshotMessage(verifiedPath, receivedPath, received, onCi)
            : MismatchMessage(verifiedPath, receivedPath, verified, received, onCi));
    }

    private static string NormalizeLineEndings(string text) => text.Replace("\r\n", "\n").Replace('\r', '\n');

    private static string NewSnapshotMessage(string verifiedPath, string receivedPath, string received, bool onCi)
    {
        var lines = received.Length == 0 ? Array.Empty<string>() : WithoutFinalLineBreak(received).Split('\n');
        var message = Header("New snapshot: there is no verified file yet.", verifiedPath, receivedPath, onCi)
            .AppendLine($"First {Math.Min(lines.Length, NewSnapshotLinesShown)} of {lines.Length} lines of the received text:");
        foreach (var line in lines.Take(NewSnapshotLinesShown))
        {
            message.AppendLine(line);
        }

        return message.ToString();
    }

    private static string MismatchMessage(string verifiedPath, string receivedPath, string verified, string received, bool onCi)
    {
        var message = Header("Snapshot mismatch: the received text differs from the verified one.", verifiedPath, receivedPath, onCi)
            .AppendLine("--- verified")
            .AppendLine("+++ received");
        AppendUnifiedDiff(message, verified, received);
        return message.ToString();
    }

    private static StringBuilder Header(string summary, string verifiedPath, string receivedPath, bool onCi)
    {
        var message = new StringBuilder()
            .AppendLine(summary)
            .AppendLine($"  verified: {verifiedPath}")
            .AppendLine($"  received: {receivedPath}")
            .AppendLine("To accept the received text, move the .received. file over the .verified. file after reading it, "
                + $"or run the tests with environment variable {AcceptVariable}=1.");
        return onCi ? message.AppendLine("This run is on CI (CI=true), where snapshots are never accepted.") : message;
    }

    /// <summary>
    /// Appends the changed lines with <c>-</c> (verified) and <c>+</c> (received) prefixes and a few lines of context
    /// around them, in hunks headed by their first line numbers; at most <see cref="MaxChangedLinesShown"/> changes.
    /// </summary>
    private static void AppendUnifiedDiff(StringBuilder message, string verified, string received)
    {
        var lines = DiffLines(verified, received);
        var changed = Enumerable.Range(0, lines.Count).Where(i => lines[i].Prefix != ' ').ToList();
        var end = changed.Count > MaxChangedLinesShown ? changed[MaxChangedLinesShown] : lines.Count;
        var shown = new SortedSet<int>(changed.Take(MaxChangedLinesShown).SelectMany(i =>
            Enumerable.Range(i - ContextLines, 2 * ContextLines + 1).Where(j => j >= 0 && j < end)));

        var previous = -2;
        foreach (var i in shown)
        {
            if (i != previous + 1)
            {
                message.AppendLine($"@@ -{lines[i].OldNumber} +{lines[i].NewNumber} @@");
            }

            message.Append(lines[i].Prefix).Append(' ').AppendLine(lines[i].Text);
            previous = i;
        }

        if (changed.Count > MaxChangedLinesShown)
        {
            message.AppendLine($"... {changed.Count - MaxChangedLinesShown} more changed lines not shown.");
        }
    }

    /// <summary>The inline diff's lines, each with its prefix and the line numbers it has in either text.</summary>
    private static List<DiffLine> DiffLines(string verified, string received)
    {
        var lines = new List<DiffLine>();
        int oldNumber = 1, newNumber = 1;
        foreach (var piece in InlineDiffBuilder.Diff(AsDiffed(verified), AsDiffed(received), ignoreWhiteSpace: false).Lines)
        {
            var prefix = piece.Type switch
            {
                ChangeType.Deleted => '-',
                ChangeType.Inserted => '+',
                _ => ' ',
            };
            lines.Add(new DiffLine(prefix, piece.Text ?? "", oldNumber, newNumber));
            oldNumber += prefix == '+' ? 0 : 1;
            newNumber += prefix == '-' ? 0 : 1;
        }

        return lines;
    }

    /// <summary>The text's lines as the diff sees them: a missing final line break shows as a marker line, as git shows it.</summary>
    private static string AsDiffed(string text) =>
        text.EndsWith("\n", StringComparison.Ordinal) ? WithoutFinalLineBreak(text) : text + "\n" + NoFinalLineBreak;

    private static string WithoutFinalLineBreak(string text) =>
        text.EndsWith("\n", StringComparison.Ordinal) ? text.Substring(0, text.Length - 1) : text;

    private sealed record DiffLine(char Prefix, string Text, int OldNumber, int NewNumber);
}
