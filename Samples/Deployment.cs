using System;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace BackpropGen.Samples;

/// <summary>
/// Train, save, deploy: the trained iris network saved to a file and loaded into a fresh instance, then exported as
/// ONNX and run by ONNX Runtime, each checked against the trained network's own predictions.
/// </summary>
internal static class Deployment
{
    public static string Run(ISampleNetwork network, Dataset data, string folder)
    {
        var trained = (IrisNet)network;
        var rows = data.TestInputs.Length;
        var inputs = data.TestInputs.SelectMany(x => x).ToArray();
        var predicted = new double[rows * IrisNet.OutputCount];
        trained.ForwardBatch(inputs, predicted);

        // Save the parameters, load them into a network that started from other ones: the same predictions.
        var file = Path.Combine(folder, "IrisNet.bpgn");
        using (var stream = File.Create(file))
        {
            trained.Save(stream);
        }

        var reloaded = new IrisNet(seed: 2024);
        using (var stream = File.OpenRead(file))
        {
            reloaded.Load(stream);
        }

        var again = new double[predicted.Length];
        reloaded.ForwardBatch(inputs, again);
        if (!again.SequenceEqual(predicted))
        {
            throw new InvalidOperationException($"the network loaded from {file} predicts otherwise than the one saved");
        }

        // Export ONNX and serve it with ONNX Runtime: the same probabilities, to rounding.
        var model = Path.Combine(folder, "IrisNet.onnx");
        using (var stream = File.Create(model))
        {
            trained.ExportOnnx(stream);
        }

        using var session = new InferenceSession(model);
        var tensor = new DenseTensor<double>(inputs, new[] { rows, IrisNet.InputCount });
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor("input", tensor) });
        var served = results.Single().AsTensor<double>().ToArray();
        var largest = served.Zip(predicted, (a, b) => Math.Abs(a - b)).Max();
        if (largest > 1e-9)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"ONNX Runtime's outputs differ from the network's by up to {largest:G3}"));
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"saved to {Path.GetFileName(file)} and reloaded: the same predictions; exported to {Path.GetFileName(model)}: ONNX Runtime's probabilities for the {rows} held-out flowers are within {largest:G2} of the network's");
    }
}
