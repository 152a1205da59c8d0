using System;
using System.Globalization;
using System.IO;

namespace BackpropGen.Runtime;

/// <summary>
/// Writes a network's forward pass as an ONNX model and reads the parameters of an ONNX model of the same layer
/// structure back (docs/FILE-FORMAT.md describes the graph and what is accepted).
/// </summary>
/// <remarks>
/// <para>
/// The model has IR version 8 and imports the default operator set at version 17. Its input <c>input</c> is
/// [N, <see cref="NetworkShape.Inputs"/>] and its output <c>output</c> is [N, <see cref="NetworkShape.Outputs"/>], of
/// element type FLOAT or DOUBLE by the network's precision. Each layer k is a <c>Gemm</c> of the previous value with the
/// initializers <c>layerk.weight</c> ([in × out]) and <c>layerk.bias</c> ([out]), followed by its activation; custom
/// activations become a sub-graph of ONNX operators built from their expression.
/// </para>
/// <para>
/// Import accepts this library's own export and the usual export of a PyTorch <c>nn.Sequential</c> of <c>Linear</c>
/// layers (<c>Gemm</c> with <c>transB = 1</c> and [out × in] weights), as well as <c>MatMul</c> followed by <c>Add</c>.
/// </para>
/// </remarks>
public static class OnnxModel
{
    /// <summary>The IR version written.</summary>
    public const int IrVersion = 8;

    /// <summary>The version of the default ONNX operator set written.</summary>
    public const int OpsetVersion = 17;

    private const int ElementFloat = 1;
    private const int ElementDouble = 11;

    /// <summary>Writes an ONNX model of the forward pass of a network with <paramref name="parameters"/>.</summary>
    /// <param name="stream">A writable stream; the model is written at its position.</param>
    /// <param name="shape">The network's structure; <see cref="NetworkShape.Single"/> must be false.</param>
    /// <param name="parameters">The <see cref="NetworkShape.ParameterCount"/> parameters in the layout of <see cref="NetworkShape"/>.</param>
    /// <param name="graphName">The name of the ONNX graph, for example the network's class name.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The shape is of float precision, or the array's length is not the parameter count.</exception>
    public static void Export(Stream stream, NetworkShape shape, double[] parameters, string graphName)
    {
        NetworkFile.Check(stream, shape, parameters?.Length, single: false, nameof(parameters));
        var raw = new byte[parameters!.Length * 8];
        for (var i = 0; i < parameters.Length; i++)
        {
            LittleEndian.WriteDouble(raw, 8 * i, parameters[i]);
        }

        Write(stream, shape, raw, graphName ?? throw new ArgumentNullException(nameof(graphName)));
    }

    /// <summary>Writes an ONNX model of the forward pass of a network with <paramref name="parameters"/>.</summary>
    /// <param name="stream">A writable stream; the model is written at its position.</param>
    /// <param name="shape">The network's structure; <see cref="NetworkShape.Single"/> must be true.</param>
    /// <param name="parameters">The <see cref="NetworkShape.ParameterCount"/> parameters in the layout of <see cref="NetworkShape"/>.</param>
    /// <param name="graphName">The name of the ONNX graph, for example the network's class name.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The shape is of double precision, or the array's length is not the parameter count.</exception>
    public static void Export(Stream stream, NetworkShape shape, float[] parameters, string graphName)
    {
        NetworkFile.Check(stream, shape, parameters?.Length, single: true, nameof(parameters));
        var raw = new byte[parameters!.Length * 4];
        for (var i = 0; i < parameters.Length; i++)
        {
            LittleEndian.WriteSingle(raw, 4 * i, parameters[i]);
        }

        Write(stream, shape, raw, graphName ?? throw new ArgumentNullException(nameof(graphName)));
    }

    /// <summary>
    /// Reads the parameters of the ONNX model in <paramref name="stream"/> (read to its end) into
    /// <paramref name="parameters"/>; the parameters are unchanged when it throws.
    /// </summary>
    /// <param name="stream">A readable stream holding one ONNX model.</param>
    /// <param name="shape">The network's structure; <see cref="NetworkShape.Single"/> must be false.</param>
    /// <param name="parameters">Receives the <see cref="NetworkShape.ParameterCount"/> parameters.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The shape is of float precision, or the array's length is not the parameter count.</exception>
    /// <exception cref="InvalidDataException">
    /// The stream is not an ONNX model, or its linear layers, their shapes or the activations between them do not match
    /// <paramref name="shape"/>; the message says what did not match.
    /// </exception>
    public static void Import(Stream stream, NetworkShape shape, double[] parameters)
    {
        NetworkFile.Check(stream, shape, parameters?.Length, single: false, nameof(parameters));
        var values = OnnxImport.Read(ReadToEnd(stream), shape);
        Array.Copy(values, parameters!, values.Length);
    }

    /// <summary>
    /// Reads the parameters of the ONNX model in <paramref name="stream"/> (read to its end) into
    /// <paramref name="parameters"/>; the parameters are unchanged when it throws. DOUBLE initializers are rounded to
    /// the nearest float.
    /// </summary>
    /// <param name="stream">A readable stream holding one ONNX model.</param>
    /// <param name="shape">The network's structure; <see cref="NetworkShape.Single"/> must be true.</param>
    /// <param name="parameters">Receives the <see cref="NetworkShape.ParameterCount"/> parameters.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The shape is of double precision, or the array's length is not the parameter count.</exception>
    /// <exception cref="InvalidDataException">
    /// The stream is not an ONNX model, or its linear layers, their shapes or the activations between them do not match
    /// <paramref name="shape"/>; the message says what did not match.
    /// </exception>
    public static void Import(Stream stream, NetworkShape shape, float[] parameters)
    {
        NetworkFile.Check(stream, shape, parameters?.Length, single: true, nameof(parameters));
        var values = OnnxImport.Read(ReadToEnd(stream), shape);
        for (var i = 0; i < values.Length; i++)
        {
            parameters![i] = (float)values[i];
        }
    }

    private static byte[] ReadToEnd(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static void Write(Stream stream, NetworkShape shape, byte[] raw, string graphName)
    {
        var size = shape.Single ? 4 : 8;
        var graph = new OnnxGraphBuilder(shape.Single);
        var current = "input";
        var offset = 0;
        for (var k = 0; k < shape.Layers.Count; k++)
        {
            var layer = shape.Layers[k];
            var n = (k + 1).ToString(CultureInfo.InvariantCulture);
            var inputs = shape.LayerInputs(k);
            var last = k == shape.Layers.Count - 1;
            var weight = "layer" + n + ".weight";
            var bias = "layer" + n + ".bias";
            graph.AddInitializer(weight, new long[] { inputs, layer.Units }, Slice(raw, offset * size, inputs * layer.Units * size));
            offset += inputs * layer.Units;
            graph.AddInitializer(bias, new long[] { layer.Units }, Slice(raw, offset * size, layer.Units * size));
            offset += layer.Units;

            var linear = last && layer.Activation == "Identity" ? "output" : "layer" + n + ".linear";
            graph.AddNode("Gemm", "layer" + n + ".gemm", new[] { current, weight, bias }, linear, OnnxGraphBuilder.IntAttribute("transB", 0));
            var target = last ? "output" : "layer" + n + ".output";
            current = graph.AddActivation(layer, "layer" + n, linear, target);
        }

        var model = new ProtoWriter();
        model.WriteInt64(1, IrVersion);
        model.WriteString(2, "BackpropGen");
        model.WriteString(3, typeof(OnnxModel).Assembly.GetName().Version?.ToString() ?? "0");
        model.WriteMessage(7, graph.ToGraph(graphName, shape));
        var opset = new ProtoWriter();
        opset.WriteString(1, string.Empty);
        opset.WriteInt64(2, OpsetVersion);
        model.WriteMessage(8, opset);
        var bytes = model.ToArray();
        stream.Write(bytes, 0, bytes.Length);
    }

    private static byte[] Slice(byte[] raw, int offset, int count)
    {
        var slice = new byte[count];
        Buffer.BlockCopy(raw, offset, slice, 0, count);
        return slice;
    }

    /// <summary>The ONNX element type of a precision: FLOAT (1) or DOUBLE (11).</summary>
    internal static int ElementType(bool single) => single ? ElementFloat : ElementDouble;
}
