using System;
using System.IO;
using System.Linq;
using System.Text;
using Xunit.Sdk;

namespace BackpropGen.Tests.Support;

/// <summary>
/// The snapshot tests change the process's environment variables, so they run alone, after every parallel test:
/// no other test may read <see cref="Snapshot.AcceptVariable"/> while one of these has set it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "Process environment";
}

[Collection(ProcessEnvironmentCollection.Name)]
public sealed class SnapshotTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "backpropgen-snapshot-" + Guid.NewGuid().ToString("N"));
    private readonly string? _savedAccept = Environment.GetEnvironmentVariable(Snapshot.AcceptVariable);
    private readonly string? _savedCi = Environment.GetEnvironmentVariable("CI");

    public SnapshotTests()
    {
        Directory.CreateDirectory(_folder);
        Environment.SetEnvironmentVariable(Snapshot.AcceptVariable, null);
        Environment.SetEnvironmentVariable("CI", null);
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(Snapshot.AcceptVariable, _savedAccept);
        Environment.SetEnvironmentVariable("CI", _savedCi);
        Directory.Delete(_folder, recursive: true);
    }

    private string Stem => Path.Combine(_folder, "DocumentTests.Notes_network");

    private string VerifiedPath => Stem + ".verified.tex";

    private string ReceivedPath => Stem + ".received.tex";

    [Fact]
    public void Equal_text_passes_and_deletes_a_stale_received_file()
    {
        File.WriteAllText(VerifiedPath, "same line\n");
        File.WriteAllText(ReceivedPath, "stale line\n");

        Snapshot.VerifyFile("same line\n", Stem, "tex");

        Assert.False(File.Exists(ReceivedPath));
    }

    [Fact]
    public void Different_text_fails_writes_the_received_file_and_shows_the_diff()
    {
        File.WriteAllText(VerifiedPath, "first\nold line\nlast\n");

        var failure = Assert.Throws<XunitException>(() => Snapshot.VerifyFile("first\nnew line\nlast\n", Stem, "tex"));

        Assert.Equal("first\nnew line\nlast\n", File.ReadAllText(ReceivedPath));
        Assert.Equal("first\nold line\nlast\n", File.ReadAllText(VerifiedPath));
        Assert.Contains("  first\n- old line\n+ new line\n  last\n", failure.Message.Replace("\r\n", "\n"));
        Assert.Contains(VerifiedPath, failure.Message);
        Assert.Contains(ReceivedPath, failure.Message);
        Assert.Contains("move the .received. file over the .verified. file after reading it", failure.Message);
        Assert.Contains(Snapshot.AcceptVariable + "=1", failure.Message);
    }

    [Fact]
    public void A_long_diff_shows_sixty_changed_lines_with_context_and_counts_the_rest()
    {
        var verified = string.Join("\n", Enumerable.Range(1, 200).Select(i => $"line {i}"));
        var received = string.Join("\n", Enumerable.Range(1, 200).Select(i => i > 100 && i <= 150 ? $"changed {i}" : $"line {i}"));
        File.WriteAllText(VerifiedPath, verified);

        var message = Assert.Throws<XunitException>(() => Snapshot.VerifyFile(received, Stem, "tex")).Message;

        var diffLines = message.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal(60, diffLines.Count(l => l.StartsWith("- ", StringComparison.Ordinal) || l.StartsWith("+ ", StringComparison.Ordinal)));
        Assert.Contains("@@ -98 +98 @@", diffLines);
        Assert.Contains("  line 98", diffLines);
        Assert.DoesNotContain("  line 97", diffLines);
        Assert.Contains("- line 150", diffLines);
        Assert.Contains("+ changed 110", diffLines);
        Assert.DoesNotContain("+ changed 111", diffLines);
        Assert.Contains("... 40 more changed lines not shown.", diffLines);
    }

    [Fact]
    public void A_missing_final_line_break_shows_in_the_diff()
    {
        File.WriteAllText(VerifiedPath, "one\ntwo");

        var message = Assert.Throws<XunitException>(() => Snapshot.VerifyFile("one\ntwo\n", Stem, "tex")).Message;

        Assert.Contains("  two\n- \\ No newline at end of file\n", message.Replace("\r\n", "\n"));
    }

    [Fact]
    public void A_missing_verified_file_fails_as_new_and_shows_the_received_text()
    {
        var received = string.Join("\n", Enumerable.Range(1, 50).Select(i => $"line {i}"));

        var message = Assert.Throws<XunitException>(() => Snapshot.VerifyFile(received, Stem, "tex")).Message;

        Assert.Equal(received, File.ReadAllText(ReceivedPath));
        Assert.False(File.Exists(VerifiedPath));
        Assert.StartsWith("New snapshot", message);
        Assert.Contains("First 40 of 50 lines", message);
        Assert.Contains(VerifiedPath, message);
        Assert.Contains(ReceivedPath, message);
        var messageLines = message.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Contains("line 40", messageLines);
        Assert.DoesNotContain("line 41", messageLines);
    }

    [Fact]
    public void Windows_and_Unix_line_endings_compare_equal()
    {
        File.WriteAllText(VerifiedPath, "a\nb\n");
        Snapshot.VerifyFile("a\r\nb\r\n", Stem, "tex");

        File.WriteAllText(VerifiedPath, "a\r\nb\r\n");
        Snapshot.VerifyFile("a\nb\n", Stem, "tex");
    }

    [Fact]
    public void The_received_file_is_written_with_unix_line_endings_and_no_byte_order_mark()
    {
        Assert.Throws<XunitException>(() => Snapshot.VerifyFile("é\r\nb\r\n", Stem, "tex"));

        Assert.Equal(Encoding.UTF8.GetBytes("é\nb\n"), File.ReadAllBytes(ReceivedPath));
    }

    [Fact]
    public void Accept_mode_writes_the_verified_file_off_CI()
    {
        File.WriteAllText(VerifiedPath, "old\n");
        File.WriteAllText(ReceivedPath, "older\n");
        Environment.SetEnvironmentVariable(Snapshot.AcceptVariable, "1");

        Snapshot.VerifyFile("new\r\n", Stem, "tex");

        Assert.Equal(Encoding.UTF8.GetBytes("new\n"), File.ReadAllBytes(VerifiedPath));
        Assert.False(File.Exists(ReceivedPath));
    }

    [Fact]
    public void Accept_mode_never_accepts_on_CI()
    {
        Environment.SetEnvironmentVariable(Snapshot.AcceptVariable, "1");
        Environment.SetEnvironmentVariable("CI", "true");

        var missing = Assert.Throws<XunitException>(() => Snapshot.VerifyFile("new\n", Stem, "tex"));
        Assert.False(File.Exists(VerifiedPath));
        Assert.Contains("CI=true", missing.Message);

        File.WriteAllText(VerifiedPath, "old\n");
        Assert.Throws<XunitException>(() => Snapshot.VerifyFile("new\n", Stem, "tex"));
        Assert.Equal("old\n", File.ReadAllText(VerifiedPath));
        Assert.Equal("new\n", File.ReadAllText(ReceivedPath));
    }

    [Fact]
    public void The_snapshot_is_named_after_the_test_file_member_and_name()
    {
        var testFile = Path.Combine(_folder, "DocumentTests.cs");
        File.WriteAllText(testFile, "");

        Assert.Throws<XunitException>(() => Snapshot.Verify("x", "tex", sourceFile: testFile, member: "Notes_network"));
        Assert.Throws<XunitException>(() => Snapshot.Verify("x", "tex", "Layered", testFile, "Notes_network"));

        Assert.True(File.Exists(Path.Combine(_folder, "DocumentTests.Notes_network.received.tex")));
        Assert.True(File.Exists(Path.Combine(_folder, "DocumentTests.Notes_network.Layered.received.tex")));
    }

    [Fact]
    public void A_caller_path_that_is_not_on_this_machine_is_an_error_not_a_new_snapshot()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Snapshot.Verify("x", sourceFile: "/_/Tests/Documents/DocumentTests.cs", member: "Notes_network"));

        Assert.Contains("DeterministicSourcePaths", error.Message);
    }
}
