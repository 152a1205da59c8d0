using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using BackpropGen.Samples;
using Spectre.Console;

// The samples: networks declared with attributes, trained with their generated code, their derivations
// written out as LaTeX (and PDF when pdflatex is installed) beside a plot of the loss.
var output = Path.Combine(Environment.CurrentDirectory, "backpropgen-output");

if (args.Length == 1 && args[0] is "--help" or "-h" or "help")
{
    PrintHelp();
    return 0;
}

if (args.Length == 1 && args[0] == "engine")
{
    EngineTour.Run();
    return 0;
}

var names = args.Length == 0 ? new[] { "notes" } : args.SelectMany(a => a == "all" ? Catalog.All.Select(s => s.Name) : new[] { a }).Distinct().ToArray();
var unknown = names.Where(n => Catalog.All.All(s => s.Name != n)).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"unknown sample '{unknown[0]}'.");
    PrintHelp();
    return 2;
}

var results = new List<SampleResult>();
foreach (var sample in names.Select(n => Catalog.All.Single(s => s.Name == n)))
{
    var network = sample.Create();
    AnsiConsole.MarkupLine($"[bold]{sample.TypeName}[/]: {Markup.Escape(sample.Summary)}");
    AnsiConsole.MarkupLine($"  goal: {Markup.Escape(sample.Goal.ToString())}; {sample.Epochs} epochs, {(sample.BatchSize == 1 ? "TrainStep on each example" : $"TrainBatch on batches of {sample.BatchSize}")}, learning rate {sample.LearningRate.ToString(CultureInfo.InvariantCulture)}");
    if (args.Length == 0)
    {
        AnsiConsole.MarkupLine("  its derivation, in the document the generated class carries:");
        foreach (var (title, equations) in SampleRunner.Outline(network.DerivationLatex))
        {
            AnsiConsole.MarkupLine($"    {Markup.Escape(title),-42} {equations}");
        }
    }

    results.Add(Train(sample));
    var result = results[^1];
    AnsiConsole.MarkupLine($"  reached {result.Reached} in {result.TrainingTime.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture)} ms: {(result.GoalMet ? "[green]goal met[/]" : "[red]goal missed[/]")}");
    if (result.Deployment is { } deployment)
    {
        AnsiConsole.MarkupLine("  " + Markup.Escape(deployment));
    }

    if (args.Length == 0)
    {
        PrintPredictions(result);
    }

    AnsiConsole.WriteLine();
}

var table = new Table().AddColumns("sample", "reached", "goal", "document", "loss curve");
foreach (var r in results)
{
    table.AddRow(r.Sample.Name, r.Reached, (r.GoalMet ? "[green]met[/] " : "[red]missed[/] ") + Markup.Escape(r.Sample.Goal.ToString()),
        Markup.Escape(Path.GetFileName(r.Pdf.PdfPath ?? r.TexPath)), Markup.Escape(Path.GetFileName(r.PlotPath)));
}

AnsiConsole.Write(table);
AnsiConsole.MarkupLine($"Files written to [bold]{Markup.Escape(output)}[/]");
if (results.Any(r => !r.Pdf.Succeeded))
{
    AnsiConsole.MarkupLine(Markup.Escape(results.First(r => !r.Pdf.Succeeded).Pdf.Message));
}

return results.All(r => r.GoalMet) ? 0 : 1;

SampleResult Train(Sample sample)
{
    if (!AnsiConsole.Profile.Capabilities.Interactive)
    {
        // Redirected output: a line at each eighth of the training instead of a live bar.
        var every = Math.Max(1, sample.Epochs / 8);
        return SampleRunner.Run(sample, output, (epoch, loss) =>
        {
            if (epoch % every == 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  epoch {epoch,5}   mean loss {loss:F6}"));
            }
        });
    }

    SampleResult? result = null;
    AnsiConsole.Progress()
        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
        .Start(context =>
        {
            var task = context.AddTask("training", maxValue: sample.Epochs);
            result = SampleRunner.Run(sample, output, (epoch, loss) =>
            {
                task.Value = epoch;
                task.Description = string.Create(CultureInfo.InvariantCulture, $"  mean loss {loss:F6}");
            });
        });
    return result!;
}

static void PrintPredictions(SampleResult result)
{
    var data = result.Data;
    var output = new double[result.Network.OutputCount];
    AnsiConsole.MarkupLine("  predictions of the trained network:");
    foreach (var n in Enumerable.Range(0, Math.Min(8, data.TestInputs.Length)))
    {
        result.Network.Forward(data.TestInputs[n], output);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    x = ({string.Join(", ", data.TestInputs[n])})   y = ({string.Join(", ", output.Select(v => v.ToString("F3", CultureInfo.InvariantCulture)))})   t = ({string.Join(", ", data.TestTargets[n])})"));
    }
}

static void PrintHelp()
{
    Console.WriteLine("Usage: dotnet run --project Samples [-- <sample>... | all | engine | --help]");
    Console.WriteLine();
    Console.WriteLine("With no sample, runs 'notes'. Each sample trains its network with the generated code and writes");
    Console.WriteLine("<Network>.tex, <Network>.pdf (when pdflatex is installed) and <Network>-loss.png to ./backpropgen-output.");
    Console.WriteLine();
    foreach (var sample in Catalog.All)
    {
        Console.WriteLine($"  {sample.Name,-9} {sample.Summary} (goal: {sample.Goal})");
    }

    Console.WriteLine($"  {"all",-9} every sample above");
    Console.WriteLine($"  {"engine",-9} a tour of the algebra engine on the formulas of the notes");
}
