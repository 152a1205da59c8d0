using System.Threading.Tasks;
using BackpropGen.Tests.Support;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace BackpropGen.Tests.CodeFixes;

/// <summary>
/// A code-fix test on the generator's real diagnostics: the source is compiled against the framework and the
/// BackpropGen attributes, <see cref="GeneratorDiagnosticsAnalyzer"/> reports what the generator reports (at the spans
/// marked <c>{|BPG0001:…|}</c>), the fix is applied one diagnostic at a time and through Fix All in the document,
/// project and solution, and each result must equal the fixed source and have no diagnostic left.
/// </summary>
public sealed class GeneratorCodeFixTest<TCodeFix> : CSharpCodeFixTest<GeneratorDiagnosticsAnalyzer, TCodeFix, DefaultVerifier>
    where TCodeFix : CodeFixProvider, new()
{
    public GeneratorCodeFixTest()
    {
        // No reference-assembly package to download: the compilation gets the running framework's assemblies.
        ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        TestState.AdditionalReferences.AddRange(GeneratorHarness.References);
    }
}

/// <summary>Runs <see cref="GeneratorCodeFixTest{TCodeFix}"/>s.</summary>
public static class CodeFixVerifier<TCodeFix>
    where TCodeFix : CodeFixProvider, new()
{
    /// <summary>
    /// Applies the fix with <paramref name="equivalenceKey"/> (the only one offered when null) to every marked
    /// diagnostic of <paramref name="source"/> and checks the result is <paramref name="fixedSource"/>, without
    /// diagnostics, and that the fix applied is titled <paramref name="title"/> (unless null).
    /// </summary>
    public static Task VerifyAsync(string source, string fixedSource, string? title = null, string? equivalenceKey = null)
    {
        var test = new GeneratorCodeFixTest<TCodeFix> { TestCode = source, FixedCode = fixedSource, CodeActionEquivalenceKey = equivalenceKey };
        if (title is not null)
        {
            test.CodeActionVerifier = (action, verifier) => verifier.Equal(title, action.Title, "the title of the code fix");
        }

        return test.RunAsync();
    }
}
