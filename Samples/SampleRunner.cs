using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace BackpropGen.Samples;

/// <summary>What a sample reached, and where its files are.</summary>
internal sealed record SampleResult(
    Sample Sample,
    ISampleNetwork Network,
    Dataset Data,
    double[] Losses,
    double? Accuracy,
    bool GoalMet,
    TimeSpan TrainingTime,
    string TexPath,
    string PlotPath,
    LatexRun Pdf,
    string? Deployment = null)
{
    public double FinalLoss => Losses[^1];

    /// <summary>The figure the goal is about: the accuracy on the held-out examples, or the final mean loss.</summary>
    public string Reached => Accuracy is { } accuracy
        ? string.Create(CultureInfo.InvariantCulture, $"accuracy {accuracy:P1}")
        : string.Create(CultureInfo.InvariantCulture, $"mean loss {FinalLoss:G3}");
}

/// <summary>Trains a sample with its generated code and writes its derivation, PDF and loss curve.</summary>
internal static class SampleRunner
{
    public static SampleResult Run(Sample sample, string outputFolder, Action<int, double> onEpoch)
    {
        var data = sample.Data();
        var network = sample.Create();
        var losses = new double[sample.Epochs + 1];
        losses[0] = MeanLoss(network, data.Inputs, data.Targets);
        onEpoch(0, losses[0]);

        int inputCount = data.Inputs[0].Length, outputCount = data.Targets[0].Length, count = data.Inputs.Length;
        var batchInputs = new double[sample.BatchSize * inputCount];
        var batchTargets = new double[sample.BatchSize * outputCount];
        var order = Enumerable.Range(0, count).ToArray();
        var random = new Random(1);
        var clock = Stopwatch.StartNew();
        for (var epoch = 1; epoch <= sample.Epochs; epoch++)
        {
            Shuffle(order, random);
            for (var start = 0; start < count; start += sample.BatchSize)
            {
                var rows = Math.Min(sample.BatchSize, count - start);
                if (rows == 1)
                {
                    network.TrainStep(data.Inputs[order[start]], data.Targets[order[start]], sample.LearningRate);
                    continue;
                }

                for (var r = 0; r < rows; r++)
                {
                    data.Inputs[order[start + r]].CopyTo(batchInputs, r * inputCount);
                    data.Targets[order[start + r]].CopyTo(batchTargets, r * outputCount);
                }

                network.TrainBatch(batchInputs.AsSpan(0, rows * inputCount), batchTargets.AsSpan(0, rows * outputCount), sample.LearningRate);
            }

            losses[epoch] = MeanLoss(network, data.Inputs, data.Targets);
            onEpoch(epoch, losses[epoch]);
        }

        var time = clock.Elapsed;
        var accuracy = sample.Goal.IsAccuracy ? Accuracy(network, data.TestInputs, data.TestTargets) : (double?)null;
        var met = accuracy is { } a ? a >= sample.Goal.Threshold : losses[^1] < sample.Goal.Threshold;

        Directory.CreateDirectory(outputFolder);
        var tex = Path.Combine(outputFolder, sample.TypeName + ".tex");
        File.WriteAllText(tex, network.DerivationLatex);
        File.WriteAllText(Path.ChangeExtension(tex, ".md"), MarkdownDocument.FromLatex(network.DerivationLatex));
        var plot = Path.Combine(outputFolder, sample.TypeName + "-loss.png");
        LossPlot.Write(plot, sample.TypeName, losses);
        string? deployment = null;
        if (sample.Deploy is { } deploy)
        {
            try
            {
                deployment = deploy(network, data, outputFolder);
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or InvalidDataException)
            {
                deployment = "deployment failed: " + e.Message;
                met = false;
            }
        }

        return new SampleResult(sample, network, data, losses, accuracy, met, time, tex, plot, LatexToPdf.Compile(tex), deployment);
    }

    public static double MeanLoss(ISampleNetwork network, double[][] inputs, double[][] targets) =>
        inputs.Select((x, n) => network.Loss(x, targets[n])).Average();

    /// <summary>The share of examples whose predicted class is the target's: the largest output, or output &gt; ½ for one output.</summary>
    public static double Accuracy(ISampleNetwork network, double[][] inputs, double[][] targets)
    {
        var output = new double[network.OutputCount];
        var right = 0;
        for (var n = 0; n < inputs.Length; n++)
        {
            network.Forward(inputs[n], output);
            right += output.Length == 1
                ? (output[0] > 0.5) == (targets[n][0] > 0.5) ? 1 : 0
                : ArgMax(output) == ArgMax(targets[n]) ? 1 : 0;
        }

        return (double)right / inputs.Length;
    }

    private static int ArgMax(double[] values) => Array.IndexOf(values, values.Max());

    private static void Shuffle(int[] order, Random random)
    {
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
    }

    /// <summary>The document's sections with the numbers of the equations each holds, for the summary on screen.</summary>
    public static (string Title, string Equations)[] Outline(string latex)
    {
        var parts = Regex.Split(latex, @"\\section\{").Skip(1);
        return parts.Select(part =>
        {
            var title = part.Substring(0, part.IndexOf('}'));
            var tags = Regex.Matches(part, @"\\tag\{(\d+)\}").Select(m => m.Groups[1].Value).ToList();
            return (title, tags.Count == 0 ? "" : tags.Count == 1 ? $"({tags[0]})" : $"({tags[0]})–({tags[^1]})");
        }).ToArray();
    }
}

/// <summary>The loss curve as a PNG.</summary>
internal static class LossPlot
{
    public static void Write(string path, string name, double[] losses)
    {
        var plot = new ScottPlot.Plot();
        var epochs = Enumerable.Range(0, losses.Length).Select(e => (double)e).ToArray();
        var logLoss = losses.Select(l => Math.Log10(Math.Max(l, 1e-12))).ToArray();
        var line = plot.Add.Scatter(epochs, logLoss);
        line.MarkerSize = 0;
        line.LineWidth = 2;
        plot.Title($"{name}: mean loss while training");
        plot.XLabel("epoch");
        plot.YLabel("log10 of the mean loss");
        plot.SavePng(path, 800, 450);
    }
}
