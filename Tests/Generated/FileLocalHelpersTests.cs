using System.Linq;
using System.Reflection;
using BackpropGen.Generator;
using BackpropGen.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace BackpropGen.Tests.Generated;

/// <summary>
/// The helpers that read nothing of a network (squares, exponentials, SIMD kernels) go into one file-local class where
/// the language has them (C# 11), so the user's class holds only the network's members; before C# 11 they stay private
/// members, and the code still compiles.
/// </summary>
public class FileLocalHelpersTests
{
    private const string Networks = """
        using BackpropGen;

        namespace Samples
        {
            [Network(2)]
            [Dense(3, Activation.Sigmoid)]
            [Dense(2, Activation.Sigmoid)]
            public partial class NotesNet { }

            public partial class Outer
            {
                [Network(784, Loss = Loss.CrossEntropy, Precision = Precision.Single)]
                [Dense(16, Activation.Sigmoid)]
                [Dense(10, Activation.Softmax)]
                internal partial class WideNet { }
            }
        }

        [Network(2)]
        [Dense(2, Activation.Tanh)]
        [Dense(1, Activation.Identity)]
        public partial class GlobalNet { }

        public static class Probe
        {
            public static double CheckNotes() => new Samples.NotesNet().CheckGradient(new[] { 0.5, -1.0 }, new[] { 0.2, 0.8 });
        }
        """;

    [Theory]
    [InlineData(LanguageVersion.CSharp10, false)]
    [InlineData(LanguageVersion.CSharp11, true)]
    [InlineData(LanguageVersion.Latest, true)]
    public void Helpers_leave_the_network_class_where_the_language_has_file_local_types(LanguageVersion version, bool fileLocal)
    {
        var options = new CSharpParseOptions(version);
        var compilation = GeneratorHarness.CreateCompilation().AddSyntaxTrees(CSharpSyntaxTree.ParseText(Networks, options, "Networks.cs"));
        var driver = CSharpGeneratorDriver.Create(new[] { new BackpropGenerator().AsSourceGenerator() }, parseOptions: options);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        Assert.Empty(diagnostics);

        var sources = output.SyntaxTrees.Skip(compilation.SyntaxTrees.Count()).Select(t => t.ToString()).ToList();
        Assert.Equal(3, sources.Count);
        Assert.All(sources, source => Assert.Equal(fileLocal, source.Contains("file static class __", System.StringComparison.Ordinal)));

        var assembly = GeneratorHarness.EmitAndLoad(output);
        foreach (var name in new[] { "Samples.NotesNet", "Samples.Outer+WideNet", "GlobalNet" })
        {
            var type = assembly.GetType(name, throwOnError: true)!;
            var helpers = type.GetMethods(BindingFlags.NonPublic | BindingFlags.Static)
                .Select(m => m.Name)
                .Where(n => n is "__Square" or "__Exp" or "__Sigmoid" or "__Softmax" or "__Dot" or "__AddScaled" or "__MultiplyAdd" or "__AddOuterProducts")
                .Distinct()
                .ToList();
            if (fileLocal)
            {
                Assert.Empty(helpers);
            }
            else
            {
                Assert.NotEmpty(helpers);
            }
        }

        // Whichever way they are written, the gradient agrees with central differences.
        var check = (double)assembly.GetType("Probe")!.GetMethod("CheckNotes")!.Invoke(null, null)!;
        Assert.InRange(check, 0, 1e-6);
    }
}
