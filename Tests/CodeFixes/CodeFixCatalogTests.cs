using System;
using System.Composition;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using BackpropGen.CodeFixes;
using BackpropGen.Tests.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace BackpropGen.Tests.CodeFixes;

/// <summary>The code-fix assembly as an IDE finds it, and its documentation.</summary>
public class CodeFixCatalogTests
{
    private static readonly Type[] Providers = typeof(MakePartialCodeFixProvider).Assembly.GetTypes()
        .Where(type => typeof(CodeFixProvider).IsAssignableFrom(type) && !type.IsAbstract)
        .OrderBy(type => type.Name, StringComparer.Ordinal)
        .ToArray();

    [Fact]
    public void Every_provider_is_exported_for_CSharp_as_a_shared_part_with_Fix_All()
    {
        Assert.Equal(5, Providers.Length);
        Assert.All(Providers, type =>
        {
            var export = type.GetCustomAttribute<ExportCodeFixProviderAttribute>();
            Assert.True(export is not null && export.Languages.SequenceEqual(new[] { LanguageNames.CSharp }), $"{type.Name} is not exported for C#");
            Assert.True(type.GetCustomAttribute<SharedAttribute>() is not null, $"{type.Name} is not [Shared]");
            Assert.Same(WellKnownFixAllProviders.BatchFixer, ((CodeFixProvider)Activator.CreateInstance(type)!).GetFixAllProvider());
        });
    }

    [Fact]
    public void The_fixable_IDs_are_the_generator_descriptors_the_fixes_are_for()
    {
        var descriptors = DiagnosticTable.Descriptors.ToDictionary(d => d.Id, d => d.Title.ToString());

        Assert.Equal(
            new[]
            {
                "BPG0001 Network class must be partial",
                "BPG0002 Type containing a network must be partial",
                "BPG0004 Network class must not be static",
                "BPG0012 Activation expression does not parse",
                "BPG0014 Loss expression does not parse",
                "BPG0016 Both Loss and LossExpression are set",
                "BPG0024 Loss in the attribute names the generated method",
            },
            FixableIds().Select(id => id + " " + descriptors[id]));
    }

    [Fact]
    public void DIAGNOSTICS_md_lists_a_code_fix_for_exactly_the_fixable_IDs()
    {
        var documented = File.ReadAllLines(Path.Combine(GeneratorFolder(), "DIAGNOSTICS.md"))
            .Select(line => line.Trim('|', ' ').Split('|').Select(cell => cell.Trim()).ToArray())
            .Where(cells => cells.Length == 2 && cells[0].StartsWith("BPG", StringComparison.Ordinal))
            .Select(cells => cells[0]);

        Assert.Equal(FixableIds(), documented);
    }

    private static string[] FixableIds() => Providers
        .SelectMany(type => ((CodeFixProvider)Activator.CreateInstance(type)!).FixableDiagnosticIds)
        .Distinct()
        .OrderBy(id => id, StringComparer.Ordinal)
        .ToArray();

    private static string GeneratorFolder([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", "Generator"));
}
