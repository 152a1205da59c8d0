using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace BackpropGen.Samples;

/// <summary>Examples as rows of inputs and targets; the test rows are held out of training.</summary>
internal sealed record Dataset(double[][] Inputs, double[][] Targets, double[][] TestInputs, double[][] TestTargets)
{
    public static Dataset TrainOnly(double[][] inputs, double[][] targets) => new(inputs, targets, inputs, targets);
}

/// <summary>What a sample must reach: a mean loss below, or an accuracy at least, the threshold.</summary>
internal sealed record Goal(bool IsAccuracy, double Threshold)
{
    public override string ToString() => IsAccuracy
        ? string.Create(CultureInfo.InvariantCulture, $"accuracy ≥ {Threshold:P0}")
        : string.Create(CultureInfo.InvariantCulture, $"mean loss < {Threshold:G3}");
}

/// <summary>
/// A named sample: a generated network, its data, how to train it (<see cref="BatchSize"/> 1 uses the fused
/// TrainStep, more uses TrainBatch on the batch mean) and the goal it reaches.
/// </summary>
internal sealed record Sample(
    string Name,
    string TypeName,
    string Summary,
    Func<ISampleNetwork> Create,
    Func<Dataset> Data,
    int Epochs,
    double LearningRate,
    int BatchSize,
    Goal Goal,
    Func<ISampleNetwork, Dataset, string, string>? Deploy = null);

internal static class Catalog
{
    public static IReadOnlyList<Sample> All { get; } = new[]
    {
        new Sample("notes", nameof(NotesNet), "the 365 notes' 2-3-2 sigmoid network, ½ Σ (y − t)², Notes notation",
            () => new NotesNet(), NotesData, Epochs: 4000, LearningRate: 2.0, BatchSize: 1, new Goal(false, 1e-3)),
        new Sample("chain", nameof(ChainNet), "the 3Blue1Brown chain, one sigmoid neuron per layer, trained on the batch mean, Layered notation",
            () => new ChainNet(), ChainData, Epochs: 4000, LearningRate: 4.0, BatchSize: 9, new Goal(false, 2e-3)),
        new Sample("logistic", nameof(LogisticRegression), "Coursera's logistic regression, binary cross-entropy, Vectorized notation",
            () => new LogisticRegression(), LogisticData, Epochs: 200, LearningRate: 1.0, BatchSize: 20, new Goal(true, 0.95)),
        new Sample("xor", nameof(XorNet), "XOR with a tanh hidden layer",
            () => new XorNet(), XorData, Epochs: 2000, LearningRate: 0.5, BatchSize: 1, new Goal(true, 1.0)),
        new Sample("iris", nameof(IrisNet), "softmax and cross-entropy on Fisher's iris flowers (Data/iris.csv) with Adam and L2, accuracy on 30 held-out flowers; saved, reloaded and served by ONNX Runtime",
            () => new IrisNet(), IrisData, Epochs: 100, LearningRate: 0.01, BatchSize: 1, new Goal(true, 0.9), Deployment.Run),
        new Sample("custom", nameof(CustomNet), "a custom activation x / (1 + |x|) and a custom smooth absolute loss, fitting sin(x)",
            () => new CustomNet(), CustomData, Epochs: 1500, LearningRate: 0.05, BatchSize: 1, new Goal(false, 0.01)),
    };

    /// <summary>Two outputs: whether the inputs differ, whether they agree.</summary>
    private static Dataset NotesData() => Dataset.TrainOnly(
        new[] { new[] { 0.0, 0.0 }, new[] { 0.0, 1.0 }, new[] { 1.0, 0.0 }, new[] { 1.0, 1.0 } },
        new[] { new[] { 0.1, 0.9 }, new[] { 0.9, 0.1 }, new[] { 0.9, 0.1 }, new[] { 0.1, 0.9 } });

    /// <summary>A monotone curve, 0.2 + 0.6 σ(4x), at nine points of [−1, 1].</summary>
    private static Dataset ChainData()
    {
        var xs = Enumerable.Range(0, 9).Select(i => -1 + i / 4.0).ToArray();
        return Dataset.TrainOnly(
            xs.Select(x => new[] { x }).ToArray(),
            xs.Select(x => new[] { 0.2 + 0.6 / (1 + Math.Exp(-4 * x)) }).ToArray());
    }

    /// <summary>200 points of [−1, 1]³ labelled by the side of a plane, 1.5 x₁ − x₂ + 0.5 x₃ + 0.2 > 0; 40 held out.</summary>
    private static Dataset LogisticData()
    {
        var random = new Random(7);
        var points = Enumerable.Range(0, 200).Select(_ => Enumerable.Range(0, 3).Select(_ => random.NextDouble() * 2 - 1).ToArray()).ToArray();
        var labels = points.Select(p => new[] { 1.5 * p[0] - p[1] + 0.5 * p[2] + 0.2 > 0 ? 1.0 : 0.0 }).ToArray();
        return new Dataset(points.Take(160).ToArray(), labels.Take(160).ToArray(), points.Skip(160).ToArray(), labels.Skip(160).ToArray());
    }

    private static Dataset XorData() => Dataset.TrainOnly(
        new[] { new[] { 0.0, 0.0 }, new[] { 0.0, 1.0 }, new[] { 1.0, 0.0 }, new[] { 1.0, 1.0 } },
        new[] { new[] { 0.0 }, new[] { 1.0 }, new[] { 1.0 }, new[] { 0.0 } });

    /// <summary>Fisher's iris flowers, standardised; every fifth flower is held out for testing.</summary>
    private static Dataset IrisData()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Data", "iris.csv");
        var species = new[] { "Iris-setosa", "Iris-versicolor", "Iris-virginica" };
        var rows = File.ReadAllLines(path).Skip(1).Where(l => l.Length > 0).Select(line => line.Split(',')).ToArray();
        var features = rows.Select(r => r.Take(4).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        var targets = rows.Select(r => species.Select(s => s == r[4] ? 1.0 : 0.0).ToArray()).ToArray();
        bool Test(int i) => i % 5 == 4;
        var train = Enumerable.Range(0, rows.Length).Where(i => !Test(i)).ToArray();
        var mean = Enumerable.Range(0, 4).Select(f => train.Average(i => features[i][f])).ToArray();
        var deviation = Enumerable.Range(0, 4).Select(f => Math.Sqrt(train.Average(i => Math.Pow(features[i][f] - mean[f], 2)))).ToArray();
        var scaled = features.Select(x => x.Select((v, f) => (v - mean[f]) / deviation[f]).ToArray()).ToArray();
        var test = Enumerable.Range(0, rows.Length).Where(Test).ToArray();
        return new Dataset(train.Select(i => scaled[i]).ToArray(), train.Select(i => targets[i]).ToArray(),
            test.Select(i => scaled[i]).ToArray(), test.Select(i => targets[i]).ToArray());
    }

    /// <summary>sin(x) at 41 points of [−3, 3].</summary>
    private static Dataset CustomData()
    {
        var xs = Enumerable.Range(0, 41).Select(i => -3 + i * 0.15).ToArray();
        return Dataset.TrainOnly(xs.Select(x => new[] { x }).ToArray(), xs.Select(x => new[] { Math.Sin(x) }).ToArray());
    }
}
