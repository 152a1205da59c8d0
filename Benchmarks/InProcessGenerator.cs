using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using BackpropGen.Hosting;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace BackpropGen.Benchmarks;

/// <summary>
/// Runs <see cref="BackpropGenerator"/> in this process the way a build does: C# files of the repository compiled
/// against the framework and the BackpropGen attributes, then a fresh generator driver over them.
/// </summary>
public sealed class InProcessGenerator
{
    private readonly ImmutableArray<SyntaxTree> _trees;

    /// <summary>Parses files given relative to the repository root, such as <c>Samples/Networks.cs</c>.</summary>
    public InProcessGenerator(params string[] relativePaths)
    {
        var root = RepositoryRoot();
        _trees = relativePaths
            .Select(relative => Path.Combine(root, relative))
            .Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), GeneratorHost.ParseOptions, path, Encoding.UTF8))
            .ToImmutableArray();
    }

    /// <summary>One full generator run on a new compilation of the parsed files, with a new driver: nothing is cached.</summary>
    public GeneratorRunResult Run()
    {
        var compilation = GeneratorHost.Compile("InProcessGenerator", _trees);
        var driver = GeneratorHost.CreateDriver(trackSteps: false);
        return driver.RunGenerators(compilation).GetRunResult().Results.Single();
    }

    /// <summary>The folder that holds BackpropGen.sln, found by walking up from this program's folder.</summary>
    public static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "BackpropGen.sln")))
            {
                return folder.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no folder above {AppContext.BaseDirectory} holds BackpropGen.sln");
    }
}
