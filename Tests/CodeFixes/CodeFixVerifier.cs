using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BackpropGen.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;

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

/// <summary>
/// One code fix applied to one chosen diagnostic, as a user applies it from the light bulb, where the testing
/// library would apply the fix of the first diagnostic in the file: the source is a document of a workspace, the
/// generator runs on its compilation, and the fix of the first diagnostic with the given ID is applied.
/// </summary>
public static class SingleCodeFix
{
    /// <summary>The source after the only fix <paramref name="provider"/> offers for the first <paramref name="id"/>, and that fix's title.</summary>
    public static async Task<(string Source, string Title)> ApplyAsync(CodeFixProvider provider, string source, string id)
    {
        using var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(),
            VersionStamp.Default,
            "Test",
            "Test",
            LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary),
            parseOptions: GeneratorHarness.ParseOptions,
            metadataReferences: GeneratorHarness.References));
        var document = workspace.AddDocument(DocumentInfo.Create(
            DocumentId.CreateNewId(project.Id), "Net.cs", loader: TextLoader.From(TextAndVersion.Create(SourceText.From(source), VersionStamp.Default)), filePath: "Net.cs"));
        var compilation = (await document.Project.GetCompilationAsync())!;
        var diagnostic = GeneratorHarness.Run(compilation).Diagnostics.First(d => d.Id == id);

        var actions = new List<CodeAction>();
        await provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
        var action = Assert.Single(actions);
        var operation = Assert.Single((await action.GetOperationsAsync(CancellationToken.None)).OfType<ApplyChangesOperation>());
        var text = await operation.ChangedSolution.GetDocument(document.Id)!.GetTextAsync();
        return (text.ToString(), action.Title);
    }
}
