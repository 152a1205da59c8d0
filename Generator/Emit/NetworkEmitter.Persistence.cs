using System;
using System.Globalization;
using System.Linq;
using System.Text;
using BackpropGen.Generator.Model;
using BackpropGen.Generator.Parsing;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Networks;

namespace BackpropGen.Generator.Emit;

/// <summary>
/// Save, Load, ExportOnnx and ImportOnnx: the network's shape as data (<c>BackpropGen.Runtime.NetworkShape</c>) and
/// calls into the runtime library of the BackpropGen package, which writes and reads the formats.
/// </summary>
internal sealed partial class NetworkEmitter
{
    private const string Runtime = "global::BackpropGen.Runtime";

    private void WritePersistence()
    {
        if ((_options.Vectors & VectorSupport.Runtime) == 0)
        {
            return;
        }

        var layers = string.Join(", ", _spec.Layers.Select(l => $"new {Runtime}.LayerShape({l.Units}, {StringLiteral(RuntimeActivation(l.Activation))})"));
        _w.Doc("<summary>The layer structure and precision that files and ONNX models of this network must have.</summary>");
        _w.Line($"private static readonly {Runtime}.NetworkShape __shape = new {Runtime}.NetworkShape(InputCount, new {Runtime}.LayerShape[] {{ {layers} }}, {(_single ? "true" : "false")});");
        _w.Line();

        const string Stream = "global::System.IO.Stream";
        const string NullStream = "<exception cref=\"global::System.ArgumentNullException\"><paramref name=\"stream\"/> is null.</exception>";
        _w.Doc($"<summary>\nWrites the parameters to <paramref name=\"stream\"/> in the BackpropGen network format: a header that identifies the layer\nstructure, activations and precision, the {_spec.ParameterCount} parameters little-endian, and a checksum (docs/FILE-FORMAT.md).\n</summary>\n<param name=\"stream\">A writable stream; the record is written at its position, and the stream is left open.</param>\n{NullStream}");
        _w.Line($"public void Save({Stream} stream) => {Runtime}.NetworkFile.Save(stream, __shape, __parameters);");
        _w.Line();
        _w.Doc($"<summary>\nReads parameters written by <see cref=\"Save\"/> for a network of the same layer structure, activations and precision.\n</summary>\n<param name=\"stream\">A readable stream positioned at a record; it is read to the record's end and left open.</param>\n<exception cref=\"global::System.IO.InvalidDataException\">The stream is empty, not a network file, of another version, shape or precision,\ntruncated or corrupt; the message says which, and the parameters are unchanged.</exception>\n{NullStream}\n<remarks>Needs exclusive access to the instance. The optimizer's state is not part of the file and is left as it is.</remarks>");
        _w.Line($"public void Load({Stream} stream) => {Runtime}.NetworkFile.Load(stream, __shape, __parameters);");
        _w.Line();
        _w.Doc($"<summary>\nWrites an ONNX model (opset 17) of the forward pass with the current parameters: input <c>\"input\"</c> of shape\n[N, {_spec.Inputs}], output <c>\"output\"</c> of shape [N, {_spec.Outputs}], element type {(_single ? "float" : "double")}; one Gemm and an activation per layer.\n</summary>\n<param name=\"stream\">A writable stream; it is left open.</param>\n{NullStream}");
        _w.Line($"public void ExportOnnx({Stream} stream) => {Runtime}.OnnxModel.Export(stream, __shape, __parameters, {StringLiteral(_target.Name.TrimStart('@'))});");
        _w.Line();
        _w.Doc("<summary>\nReads the parameters of an ONNX model of the same layer structure: one written by <see cref=\"ExportOnnx\"/>, or the\nusual export of an equivalent PyTorch <c>nn.Sequential</c> of <c>Linear</c> layers (Gemm with transB = 1).\n</summary>\n<param name=\"stream\">A readable stream holding the model; it is left open.</param>\n<exception cref=\"global::System.IO.InvalidDataException\">The model is not ONNX, or its layers, shapes or activations are not this\nnetwork's; the message says what did not match, and the parameters are unchanged.</exception>\n" + NullStream + "\n<remarks>Needs exclusive access to the instance.</remarks>");
        _w.Line($"public void ImportOnnx({Stream} stream) => {Runtime}.OnnxModel.Import(stream, __shape, __parameters);");
        _w.Line();
    }

    /// <summary>A C# string literal of <paramref name="text"/>.</summary>
    private static string StringLiteral(string text) => Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(text, quote: true);

    /// <summary>
    /// The built-in activations the runtime library knows by name (<c>LayerShape.BuiltInActivations</c> of the package's
    /// runtime, which the tests compare with this list): it writes them as ONNX's own operators. Any other activation,
    /// a built-in one added later included, travels as its expression tree, which the runtime turns into operators.
    /// </summary>
    internal static readonly string[] RuntimeActivationNames = { "Identity", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Softplus", "Softmax" };

    /// <summary>The runtime's name of a built-in activation it knows (<c>Sigmoid</c>), or else the expression tree: <c>expr:(div x (add 1 (abs x)))</c>.</summary>
    internal static string RuntimeActivation(ActivationSpec activation)
    {
        if (!activation.IsCustom)
        {
            foreach (var (name, value) in NetworkParser.Activations)
            {
                if (value.Equals(activation) && System.Array.IndexOf(RuntimeActivationNames, name) >= 0)
                {
                    return name;
                }
            }
        }

        return "expr:" + Prefix(activation.Expression!);
    }

    /// <summary>An expression in the runtime's prefix form, which it turns into ONNX operators.</summary>
    internal static string Prefix(Expr e)
    {
        var text = new StringBuilder();
        void Write(Expr node)
        {
            switch (node)
            {
                case Number number:
                    text.Append(number.Value.ToDouble().ToString("R", CultureInfo.InvariantCulture));
                    break;
                case Symbol symbol:
                    text.Append(symbol.Name);
                    break;
                case Sum sum:
                    Apply("add", sum.Terms);
                    break;
                case Product product:
                    Apply("mul", product.Factors);
                    break;
                case Power power:
                    Apply("pow", new[] { power.Base, power.Exponent });
                    break;
                case Call call:
                    Apply(call.Function.Name, call.Arguments);
                    break;
                default:
                    throw new InvalidOperationException($"{node} cannot be written as an ONNX operator");
            }
        }

        void Apply(string op, System.Collections.Generic.IEnumerable<Expr> arguments)
        {
            text.Append('(').Append(op);
            foreach (var argument in arguments)
            {
                text.Append(' ');
                Write(argument);
            }

            text.Append(')');
        }

        Write(e);
        return text.ToString();
    }
}
