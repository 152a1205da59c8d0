using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;

namespace BackpropGen.Tests.EndToEnd;

/// <summary>
/// BackpropGen as a user meets it: both packages packed into a folder, a fresh console project that references the
/// BackpropGen package from there, built with warnings as errors and run, and the backpropgen tool installed from
/// the same folder and run on that project's network. Slow (a minute or two), so it runs alone.
/// </summary>
[Trait("Category", "Slow")]
[Collection(nameof(PackageTests))]
public sealed class PackageTests : IClassFixture<PackedConsumer>
{
    private readonly PackedConsumer _consumer;

    public PackageTests(PackedConsumer consumer) => _consumer = consumer;

    [Fact]
    public void A_fresh_project_builds_with_the_package_and_its_gradient_matches_finite_differences()
    {
        var run = _consumer.Run.Value;

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(17, int.Parse(Printed(run, "parameters"), CultureInfo.InvariantCulture));
        Assert.True(double.Parse(Printed(run, "gradient norm"), CultureInfo.InvariantCulture) > 1e-3, run.ToString());
        var difference = double.Parse(Printed(run, "largest difference"), CultureInfo.InvariantCulture);
        Assert.True(difference < 1e-6, $"largest |gradient - finite difference| = {difference}\n{run}");
        Assert.True(double.Parse(Printed(run, "check gradient"), CultureInfo.InvariantCulture) < 1e-6, run.ToString());
        Assert.Equal("same", Printed(run, "save and load"));
        Assert.Equal("same", Printed(run, "onnx round trip"));
        Assert.Equal("4", Printed(run, "forward batch"));
    }

    [Fact]
    public void The_package_carries_the_generator_and_the_code_fixes_as_analyzers_no_Roslyn_assembly_and_the_runtime_for_both_targets()
    {
        _ = _consumer.Pack.Value;
        using var package = ZipFile.OpenRead(Path.Combine(_consumer.Feed, $"BackpropGen.{PackedConsumer.Version}.nupkg"));
        var analyzers = package.Entries.Select(e => e.FullName).Where(name => name.StartsWith("analyzers/", StringComparison.Ordinal)).ToList();

        Assert.Contains("analyzers/dotnet/cs/BackpropGen.Generator.dll", analyzers);
        Assert.Contains("analyzers/dotnet/cs/BackpropGen.CodeFixes.dll", analyzers);
        Assert.DoesNotContain(analyzers, name => name.Contains("Microsoft.CodeAnalysis", StringComparison.Ordinal));
        Assert.Equal(analyzers.Count, analyzers.Distinct(StringComparer.Ordinal).Count());

        // The runtime library for every consumer, and its build for .NET 8 and later with the multi-core batches.
        var libraries = package.Entries.Select(e => e.FullName).Where(name => name.StartsWith("lib/", StringComparison.Ordinal)).ToList();
        Assert.Contains("lib/netstandard2.0/BackpropGen.dll", libraries);
        Assert.Contains("lib/net8.0/BackpropGen.dll", libraries);
    }

    [Fact]
    public void The_installed_tool_derives_what_the_build_generated()
    {
        var tool = _consumer.InstallTool.Value;
        var run = _consumer.Run.Value;
        Assert.True(run.ExitCode == 0, run.ToString());
        var derived = Path.Combine(_consumer.Root, "derived");

        var derive = tool.Run(_consumer.Project, "derive", "Net.cs", "--out", derived);

        Assert.True(derive.ExitCode == 0, derive.ToString());
        var built = Directory.GetFiles(Path.Combine(_consumer.Project, "obj"), "Consumer.Net.g.cs", SearchOption.AllDirectories);
        Assert.True(built.Length == 1, $"the build's generated files: {string.Join(", ", built)}\n{_consumer.Build.Value}");
        Assert.Equal(File.ReadAllBytes(built[0]), File.ReadAllBytes(Path.Combine(derived, "Net.g.cs")));
        Assert.Equal(File.ReadAllBytes(_consumer.DerivationLatexPath), File.ReadAllBytes(Path.Combine(derived, "Net.tex")));
        Assert.StartsWith(@"\documentclass", File.ReadAllText(Path.Combine(derived, "Net.tex")), StringComparison.Ordinal);
    }

    [Fact]
    public void The_installed_tool_reports_an_error_in_compiler_format_and_exits_1()
    {
        var tool = _consumer.InstallTool.Value;
        var folder = Directory.CreateDirectory(Path.Combine(_consumer.Root, "broken")).FullName;
        File.WriteAllText(Path.Combine(folder, "Broken.cs"), PackedConsumer.NetworkSource.Replace("Activation.Tanh", "\"sigmod(x)\"", StringComparison.Ordinal));

        var derive = tool.Run(folder, "derive", "Broken.cs");

        Assert.True(derive.ExitCode == 1, derive.ToString());
        Assert.Matches(new Regex(@"^.*Broken\.cs\(\d+,\d+\): error BPG\d{4}: .+$", RegexOptions.Multiline), derive.Output);
    }

    [Fact]
    public void The_installed_tool_answers_help_and_version()
    {
        var tool = _consumer.InstallTool.Value;

        var help = tool.Run(_consumer.Root, "--help");
        var version = tool.Run(_consumer.Root, "--version");

        Assert.True(help.ExitCode == 0 && help.Output.Contains("derive", StringComparison.Ordinal), help.ToString());
        Assert.True(version.ExitCode == 0 && version.Output.StartsWith(PackedConsumer.Version, StringComparison.Ordinal), version.ToString());
    }

    /// <summary>The value of the line <c>{label}: value</c> the program printed.</summary>
    private static string Printed(ProcessResult run, string label)
    {
        var match = Regex.Match(run.Output, "^" + Regex.Escape(label) + @": (\S+)$", RegexOptions.Multiline);
        Assert.True(match.Success, $"no line '{label}: …' in the output\n{run}");
        return match.Groups[1].Value;
    }
}

/// <summary>The test collection of <see cref="PackageTests"/>: run apart from every other test, so builds do not compete.</summary>
[CollectionDefinition(nameof(PackageTests), DisableParallelization = true)]
public sealed class PackageTestsCollection
{
}

/// <summary>
/// Everything <see cref="PackageTests"/> shares, each step done once on first use: the packages packed into a
/// temporary folder, the console project created, built and run, and the tool installed. All of it lives in one
/// temporary folder of this run, with its own NuGet package folder, so no earlier 0.1.0 is ever reused.
/// </summary>
public sealed class PackedConsumer : IDisposable
{
    /// <summary>The version of both packages (the tool's assembly carries it).</summary>
    public static readonly string Version = typeof(BackpropGen.Tool.Program).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];

    /// <summary>The network of the consumer project, as its own file.</summary>
    public const string NetworkSource = """
        using BackpropGen;

        namespace Consumer;

        [Network(2, Loss = Loss.HalfSquaredError, Optimizer = Optimizer.Adam, L2 = 1e-3)]
        [Dense(3, Activation.Tanh)]
        [Dense(2, Activation.Sigmoid)]
        public partial class Net { }

        """;

    /// <summary>Checks the generated Gradient against central differences of the generated Loss, for every parameter.</summary>
    private const string ProgramSource = """
        using System.Globalization;
        using Consumer;

        var network = new Net(7);
        double[] input = { 0.3, -0.8 };
        double[] target = { 0.25, 0.75 };
        var gradient = new double[Net.ParameterCount];
        network.Gradient(input, target, gradient);

        const double h = 1e-6;
        var largest = 0.0;
        for (var k = 0; k < Net.ParameterCount; k++)
        {
            var saved = network.Parameters[k];
            network.Parameters[k] = saved + h;
            var plus = network.Loss(input, target);
            network.Parameters[k] = saved - h;
            var minus = network.Loss(input, target);
            network.Parameters[k] = saved;
            largest = Math.Max(largest, Math.Abs((plus - minus) / (2 * h) - gradient[k]));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"parameters: {Net.ParameterCount}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gradient norm: {Math.Sqrt(gradient.Sum(g => g * g)):R}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"largest difference: {largest:R}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"check gradient: {network.CheckGradient(input, target):R}"));

        // Train with Adam, save, load into another instance, export and import ONNX: the same parameters each time.
        double[] inputs = { 0.3, -0.8, -0.5, 0.1 };
        double[] targets = { 0.25, 0.75, 0.6, 0.4 };
        for (var step = 0; step < 10; step++)
        {
            network.TrainBatch(inputs, targets, 0.01);
        }

        var file = new MemoryStream();
        network.Save(file);
        var loaded = new Net(99);
        loaded.Load(new MemoryStream(file.ToArray()));
        Console.WriteLine($"save and load: {(loaded.Parameters.SequenceEqual(network.Parameters) ? "same" : "different")}");
        var model = new MemoryStream();
        network.ExportOnnx(model);
        var imported = new Net(98);
        imported.ImportOnnx(new MemoryStream(model.ToArray()));
        Console.WriteLine($"onnx round trip: {(imported.Parameters.SequenceEqual(network.Parameters) ? "same" : "different")}");
        var outputs = new double[2 * Net.OutputCount];
        network.ForwardBatch(inputs, outputs);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"forward batch: {outputs.Length}"));
        File.WriteAllText(args[0], Net.DerivationLatex);

        """;

    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    public PackedConsumer()
    {
        Root = Path.Combine(Path.GetTempPath(), "backpropgen-e2e-" + Guid.NewGuid().ToString("N"));
        Feed = Directory.CreateDirectory(Path.Combine(Root, "feed")).FullName;
        Project = Directory.CreateDirectory(Path.Combine(Root, "consumer")).FullName;
        ConsumerEnvironment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(Root, "nuget-packages") };
        Pack = new Lazy<IReadOnlyList<ProcessResult>>(PackBoth);
        Build = new Lazy<ProcessResult>(CreateAndBuild);
        Run = new Lazy<ProcessResult>(RunProgram);
        InstallTool = new Lazy<InstalledTool>(Install);
    }

    /// <summary>This run's temporary folder.</summary>
    public string Root { get; }

    /// <summary>The folder the packages are packed into, a package source of the consumer and the tool install.</summary>
    public string Feed { get; }

    /// <summary>The console project's folder.</summary>
    public string Project { get; }

    /// <summary>Where the program wrote <c>Net.DerivationLatex</c>.</summary>
    public string DerivationLatexPath => Path.Combine(Root, "DerivationLatex.tex");

    public Lazy<IReadOnlyList<ProcessResult>> Pack { get; }

    public Lazy<ProcessResult> Build { get; }

    public Lazy<ProcessResult> Run { get; }

    public Lazy<InstalledTool> InstallTool { get; }

    private IReadOnlyDictionary<string, string> ConsumerEnvironment { get; }

    private IReadOnlyList<ProcessResult> PackBoth()
    {
        var repository = RepositoryRoot();
        var results = new[] { "Abstractions/BackpropGen.csproj", "Tool/BackpropGen.Tool.csproj" }
            .Select(project => ProcessRunner.Run(ProcessRunner.Dotnet, new[] { "pack", project, "-o", Feed }, repository, BuildTimeout))
            .ToList();
        foreach (var result in results)
        {
            Assert.True(result.ExitCode == 0, result.ToString());
        }

        foreach (var package in new[] { "BackpropGen", "BackpropGen.Tool" })
        {
            Assert.True(File.Exists(Path.Combine(Feed, $"{package}.{Version}.nupkg")), $"{package}.{Version}.nupkg is not in {Feed}\n{string.Join("\n", results)}");
        }

        return results;
    }

    private ProcessResult CreateAndBuild()
    {
        _ = Pack.Value;
        File.WriteAllText(Path.Combine(Project, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="BackpropGen" Version="{Version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(Project, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="backpropgen-e2e" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(Project, "Net.cs"), NetworkSource);
        File.WriteAllText(Path.Combine(Project, "Program.cs"), ProgramSource);

        var build = ProcessRunner.Run(ProcessRunner.Dotnet, new[] { "build" }, Project, BuildTimeout, ConsumerEnvironment);
        Assert.True(build.ExitCode == 0, build.ToString());
        return build;
    }

    private ProcessResult RunProgram()
    {
        _ = Build.Value;
        return ProcessRunner.Run(ProcessRunner.Dotnet, new[] { "run", "--no-build", "--", DerivationLatexPath }, Project, RunTimeout, ConsumerEnvironment);
    }

    private InstalledTool Install()
    {
        _ = Pack.Value;
        var toolPath = Path.Combine(Root, "tools");
        var install = ProcessRunner.Run(
            ProcessRunner.Dotnet,
            new[] { "tool", "install", "BackpropGen.Tool", "--tool-path", toolPath, "--add-source", Feed, "--version", Version },
            Root,
            BuildTimeout,
            ConsumerEnvironment);
        Assert.True(install.ExitCode == 0, install.ToString());
        return new InstalledTool(Path.Combine(toolPath, OperatingSystem.IsWindows() ? "backpropgen.exe" : "backpropgen"));
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "BackpropGen.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException($"no BackpropGen.sln above {AppContext.BaseDirectory}");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // A process that outlived its test may still hold a file; the folder is in the temporary folder.
        }
    }
}

/// <summary>The backpropgen command installed with <c>dotnet tool install --tool-path</c>.</summary>
public sealed class InstalledTool
{
    public InstalledTool(string executable) => Executable = executable;

    public string Executable { get; }

    /// <summary>Runs the command in <paramref name="folder"/>, telling its launcher where .NET is.</summary>
    public ProcessResult Run(string folder, params string[] arguments) =>
        ProcessRunner.Run(Executable, arguments, folder, TimeSpan.FromMinutes(1), new Dictionary<string, string> { ["DOTNET_ROOT"] = ProcessRunner.DotnetRoot });
}
