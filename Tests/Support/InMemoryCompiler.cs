using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace BackpropGen.Tests.Support;

/// <summary>Compiles C# source in memory against the running framework and loads the assembly.</summary>
public static class InMemoryCompiler
{
    private static readonly Lazy<MetadataReference[]> TrustedPlatformReferences = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => p.EndsWith(".dll", StringComparison.Ordinal))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToArray());

    /// <summary>Every assembly the test process may load: the framework and the test project's dependencies.</summary>
    public static IReadOnlyList<MetadataReference> FrameworkReferences => TrustedPlatformReferences.Value;

    /// <summary>Compiles with warnings as errors; throws with every diagnostic when it does not compile.</summary>
    public static Assembly Compile(string source, string assemblyName = "Generated")
    {
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create(
            assemblyName + "_" + Guid.NewGuid().ToString("N"),
            new[] { tree },
            TrustedPlatformReferences.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release));
        return EmitAndLoad(compilation);
    }

    /// <summary>
    /// Emits <paramref name="compilation"/> with warnings as errors and loads it; throws with the errors and every
    /// source file when it does not compile.
    /// </summary>
    public static Assembly EmitAndLoad(Compilation compilation)
    {
        compilation = compilation.WithOptions(compilation.Options.WithGeneralDiagnosticOption(ReportDiagnostic.Error));
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        if (!result.Success)
        {
            var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(20);
            var sources = compilation.SyntaxTrees.Select(t => "// " + t.FilePath + "\n" + t);
            throw new InvalidOperationException("the C# did not compile:\n" + string.Join("\n", errors) + "\n\n" + string.Join("\n\n", sources));
        }

        return Assembly.Load(stream.ToArray());
    }
}
