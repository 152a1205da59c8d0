using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace BackpropGen.Tests.Runtime;

/// <summary>Runs a model in ONNX Runtime, the independent judge of the exported graphs.</summary>
internal static class OnnxRunner
{
    public static double[] Run(byte[] model, double[] inputs, int rows, int width, string inputName = "input")
    {
        using var session = new InferenceSession(model);
        var tensor = new DenseTensor<double>(inputs, new[] { rows, width });
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(inputName, tensor) });
        return results.Single().AsTensor<double>().ToArray();
    }

    public static double[] Run(byte[] model, float[] inputs, int rows, int width, string inputName = "input")
    {
        using var session = new InferenceSession(model);
        var tensor = new DenseTensor<float>(inputs, new[] { rows, width });
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(inputName, tensor) });
        return results.Single().AsTensor<float>().Select(v => (double)v).ToArray();
    }

    /// <summary>The model's input and output names, symbolic and fixed dimensions, as ONNX Runtime reads them.</summary>
    public static (string Name, string[] Symbolic, int[] Dims, System.Type Type)[] Signature(byte[] model)
    {
        using var session = new InferenceSession(model);
        return session.InputMetadata.Concat(session.OutputMetadata)
            .Select(p => (p.Key, p.Value.SymbolicDimensions, p.Value.Dimensions, p.Value.ElementType))
            .ToArray();
    }
}
