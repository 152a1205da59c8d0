using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using BackpropGen.Generator.Diagnostics;
using BackpropGen.Generator.Parsing;
using Microsoft.CodeAnalysis;

namespace BackpropGen.Tests.Generator;

/// <summary>Every descriptor of <see cref="DiagnosticDescriptors"/>, read by reflection.</summary>
internal static class DiagnosticTable
{
    public static IReadOnlyList<DiagnosticDescriptor> Descriptors { get; } = typeof(DiagnosticDescriptors)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
        .ToList();
}

public class DiagnosticTableTests
{
    [Fact]
    public void IDs_are_sequential_from_BPG0001_in_category_BackpropGen()
    {
        Assert.Equal(
            Enumerable.Range(1, DiagnosticTable.Descriptors.Count).Select(n => $"BPG{n:0000}"),
            DiagnosticTable.Descriptors.Select(d => d.Id));
        Assert.All(DiagnosticTable.Descriptors, d => Assert.Equal("BackpropGen", d.Category));
        Assert.All(DiagnosticTable.Descriptors, d => Assert.True(d.IsEnabledByDefault));
    }

    [Fact]
    public void DIAGNOSTICS_md_lists_every_descriptor_with_its_severity_and_title()
    {
        var rows = Rows(Path.Combine(GeneratorFolder(), "DIAGNOSTICS.md"))
            .Where(cells => cells.Length == 4 && cells[0].StartsWith("BPG", StringComparison.Ordinal))
            .Select(cells => (cells[0], cells[1], cells[2]));
        Assert.Equal(DiagnosticTable.Descriptors.Select(d => (d.Id, d.DefaultSeverity.ToString(), d.Title.ToString())), rows);
    }

    [Fact]
    public void README_lists_every_descriptor_with_its_severity_and_title()
    {
        var rows = Rows(Path.Combine(GeneratorFolder(), "..", "README.md"))
            .Where(cells => cells.Length == 3 && cells[0].StartsWith("BPG", StringComparison.Ordinal))
            .Select(cells => (cells[0], cells[1], cells[2]));
        Assert.Equal(DiagnosticTable.Descriptors.Select(d => (d.Id, d.DefaultSeverity.ToString(), d.Title.ToString())), rows);
    }

    [Fact]
    public void The_unshipped_release_lists_every_descriptor_with_its_category_and_severity()
    {
        // The release-tracking analyzers check this file at build time too; this states the same fact in a test.
        var rows = Rows(Path.Combine(GeneratorFolder(), "AnalyzerReleases.Unshipped.md"))
            .Where(cells => cells.Length == 4 && cells[0].StartsWith("BPG", StringComparison.Ordinal))
            .Select(cells => (cells[0], cells[1], cells[2]));
        Assert.Equal(DiagnosticTable.Descriptors.Select(d => (d.Id, d.Category, d.DefaultSeverity.ToString())), rows);
    }

    [Fact]
    public void The_parser_knows_the_attribute_enums_member_for_member()
    {
        Assert.Equal(Members<Activation>(), NetworkParser.Activations.Select(a => a.Name));
        Assert.Equal(Members<Loss>(), NetworkParser.Losses.Select(l => l.Name));
        Assert.Equal(Members<Notation>(), NetworkParser.Notations.Select(n => n.Name));
        Assert.Equal(Members<Precision>(), NetworkParser.Precisions.Select(p => p.Name));
    }

    [Fact]
    public void The_attribute_names_are_the_attributes_full_names()
    {
        Assert.Equal(NetworkParser.NetworkAttributeName, typeof(NetworkAttribute).FullName);
        Assert.Equal(NetworkParser.DenseAttributeName, typeof(DenseAttribute).FullName);
    }

    /// <summary>The member names in value order, checking the values are 0, 1, 2, … as the parser's tables assume.</summary>
    private static IEnumerable<string> Members<T>()
        where T : struct, Enum
    {
        var values = Enum.GetValues<T>().Select(v => Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Enumerable.Range(0, Enum.GetValues<T>().Length), values);
        return Enum.GetValues<T>().Select(v => v.ToString());
    }

    private static IEnumerable<string[]> Rows(string markdown) =>
        File.ReadAllLines(markdown).Select(line => line.Trim('|', ' ').Split('|').Select(cell => cell.Trim()).ToArray());

    private static string GeneratorFolder([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", "Generator"));
}
