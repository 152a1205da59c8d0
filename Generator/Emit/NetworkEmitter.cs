using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using BackpropGen.Generator.Documents;
using BackpropGen.Generator.Model;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Networks;
using BackpropGen.Symbolic.Printing;
using static BackpropGen.Symbolic.Networks.NetworkSymbols;

namespace BackpropGen.Generator.Emit;

/// <summary>
/// Writes the generated C# of one network from its derivation: straight-line code printed from the
/// derivation's per-unit expressions, with common subexpressions computed once, every statement citing the
/// equation of <c>DerivationLatex</c> it computes. Forward values live in locals (h2_0), each δ is computed
/// once per unit, and weight gradients are δ times input.
/// </summary>
internal sealed partial class NetworkEmitter
{
    private const string Square = "__Square";

    private readonly NetworkTarget _target;
    private readonly Derivation _derivation;
    private readonly NetworkSpec _spec;
    private readonly CSharpPrinter _scalarPrinter;
    private readonly string _type;
    private readonly bool _single;
    private readonly ParameterLayout _layout;
    private readonly EmitOptions _options;
    private readonly DocumentNotation _notation;
    private EmitContext _context = new(new CodeWriter(), Access.Locals);

    /// <summary>The text of the method being written.</summary>
    private CodeWriter _w => _context.Writer;

    private Access _access => _context.Access;

    private readonly string _latex;

    private NetworkEmitter(NetworkTarget target, Derivation derivation, EmitOptions options, string latex)
    {
        _latex = latex;
        _target = target;
        _derivation = derivation;
        _spec = derivation.Spec;
        _options = options;
        _notation = DocumentNotation.For(_spec);
        var precision = options.Precision;
        _single = precision == NumericType.Single;
        _scalarPrinter = new CSharpPrinter(new CSharpPrinterOptions
        {
            Precision = precision,
            QualifyNames = true,
            SymbolName = Identifier,
            SquareFunction = Square,
        });
        _type = _scalarPrinter.TypeName;
        _layout = _spec.Layout;

        _loops = options.LoopLayers(_spec);

        // Softmax with a loss other than the cross-entropy keeps a sum over the Jacobian in each unit's δ, which
        // unrolled code writes out units² times: past the threshold that is a loop too.
        var output = derivation.OutputLayer;
        _loops[LayerCount - 1] |= output.DeltaForm == DeltaForm.SoftmaxJacobian && (long)output.Units * output.Units > options.MaxUnrolledWeights;
        _writers = _derivation.Layers.Select(l => LayerWriter.For(this, l)).ToArray();
        _scratch = _loops.Any(loop => loop) ? new ScratchLayout(_spec, _single, _writers, _loops, options.MaxTransposedWeights) : null;
        ChooseLaneWidths();
        _kernels = (options.Vectors & VectorSupport.FileTypes) != 0 ? new CodeWriter(new CodeWriter(), (target.Namespace is null ? 0 : 1) + 1) : null;
    }

    /// <summary>The complete generated file for <paramref name="target"/>, carrying <paramref name="latex"/>, its derivation document.</summary>
    public static string Emit(NetworkTarget target, Derivation derivation, EmitOptions options, string latex) =>
        new NetworkEmitter(target, derivation, options, latex).Write();

    private int LayerCount => _spec.Layers.Count;

    /// <summary>
    /// An attribute on a class binds its arguments with the class's members in scope, so a method named
    /// <c>Loss</c> would hide the enum in <c>[Network(2, Loss = Loss.CrossEntropy)]</c>. <c>Loss</c> is therefore an
    /// extension method, called the same way, wherever the class can be named from its namespace. The extension
    /// class lives in the global namespace, which every file sees, hidden from completion lists.
    /// </summary>
    private bool LossIsExtension => _target.Visibility is not null;

    private string LossSummary => $"The loss of one example, the {Escape(_spec.Loss.Name)} (equation {Number(EquationLabels.Loss)} of <see cref=\"{_target.TypeReference.Replace("global::", "")}.DerivationLatex\"/>).";

    private string LossParameters => $"<param name=\"input\">The {_spec.Inputs} inputs.</param>\n<param name=\"target\">The {_spec.Outputs} targets.</param>\n<returns>The loss.</returns>\n<exception cref=\"global::System.ArgumentException\">A span does not have the length the network needs.</exception>";

    private void WriteLossExtension()
    {
        _w.Doc($"<summary>Methods of <see cref=\"{_target.TypeReference.Replace("global::", "")}\"/> that are called like members of it.</summary>\n<remarks>\n<c>Loss</c> is an extension method so that <c>Loss = Loss.…</c> in the class's <c>[Network]</c> attribute still names\nthe enum: an attribute's arguments see the class's own members first.\n</remarks>");
        _w.Line($"[global::System.CodeDom.Compiler.GeneratedCode(\"BackpropGen\", \"{typeof(NetworkEmitter).Assembly.GetName().Version}\")]");
        _w.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
        // A symbol is either obsolete or experimental to the compiler, obsolete first; so [Obsolete] goes on the class
        // and [Experimental] on the method, and code in the method is inside both.
        var attributes = _target.ExtensionsAttributes.Split(new[] { '\n' }, StringSplitOptions.RemoveEmptyEntries);
        const string Experimental = "[global::System.Diagnostics.CodeAnalysis.Experimental";
        foreach (var attribute in attributes.Where(a => !a.StartsWith(Experimental, StringComparison.Ordinal)))
        {
            _w.Line(attribute);
        }

        using (_w.Open($"{_target.Visibility} static class {_target.ExtensionsName}"))
        {
            _w.Doc($"<summary>{LossSummary}</summary>\n<param name=\"network\">The network.</param>\n{LossParameters}");
            foreach (var attribute in attributes.Where(a => a.StartsWith(Experimental, StringComparison.Ordinal)))
            {
                _w.Line(attribute);
            }

            _w.Line($"public static {_type} Loss(this {_target.TypeReference} network, global::System.ReadOnlySpan<{_type}> input, global::System.ReadOnlySpan<{_type}> target) => network.__EvaluateLoss(input, target);");
        }
    }

    private string Write()
    {
        _w.Line("// <auto-generated/>");
        _w.Line("#nullable enable");
        _w.Line();
        var scopes = new Stack<CodeWriter.Block>();
        if (_target.Namespace is { } ns)
        {
            scopes.Push(_w.Open("namespace " + ns));
        }

        if (_kernels is not null)
        {
            _w.Line($"using static {KernelsName};");
            _w.Line();
        }

        foreach (var container in _target.ContainingTypes)
        {
            scopes.Push(_w.Open("partial " + container));
        }

        WriteClass();
        while (scopes.Count > (_target.Namespace is null ? 0 : 1))
        {
            scopes.Pop().Dispose();
        }

        WriteKernelsClass();
        while (scopes.Count > 0)
        {
            scopes.Pop().Dispose();
        }

        if (LossIsExtension)
        {
            _w.Line();
            WriteLossExtension();
        }

        return _w.ToString();
    }

    private void WriteClass()
    {
        _w.Doc(ClassSummary());
        _w.Line($"[global::System.CodeDom.Compiler.GeneratedCode(\"BackpropGen\", \"{typeof(NetworkEmitter).Assembly.GetName().Version}\")]");
        using (_w.Open("partial class " + _target.Name))
        {
            WriteConstantsAndState();
            WriteForward();
            WriteForwardBatch();
            WriteLoss();
            WriteGradient();
            WriteBatchGradient();
            WriteCheckGradient();
            WriteTrainStep();
            WriteTrainBatch();
            WriteApplyUpdate();
            WriteResetOptimizer();
            WritePersistence();
            if (_scratch is not null)
            {
                WriteBlockPhases();
            }

            WritePenaltyHelpers();
            InKernels(WriteLaneHelpers);
            WriteWorkers();
            WriteHelpers();
            WriteLatex();
        }
    }

    /// <summary>
    /// The helpers that read nothing of the network (exponentials, squares, the SIMD kernels), when the compilation has
    /// file-local types (C# 11): written into one <c>file static class</c> beside the network, which the file imports
    /// with <c>using static</c>, so the user's class holds only the network's own members. Null before C# 11: then they
    /// are private members of the class, as everything else.
    /// </summary>
    private readonly CodeWriter? _kernels;

    /// <summary>The file-local class of the helpers: <c>__NotesNetKernels</c>.</summary>
    private string KernelsName => "__" + _target.Name.TrimStart('@') + "Kernels";

    /// <summary>How a helper is declared: internal in the file-local class, private in the network.</summary>
    private string KernelAccess => _kernels is null ? "private" : "internal";

    /// <summary>Writes <paramref name="write"/>'s helpers into the file-local class when there is one, else where the writer is.</summary>
    private void InKernels(Action write)
    {
        if (_kernels is null)
        {
            write();
            return;
        }

        InContext(new EmitContext(_kernels, Access.Locals), write);
    }

    /// <summary>Writes <paramref name="write"/> into <paramref name="context"/>, then returns to the current one.</summary>
    private void InContext(EmitContext context, Action write)
    {
        var outer = _context;
        _context = context;
        try
        {
            write();
        }
        finally
        {
            _context = outer;
        }
    }

    /// <summary>The file-local class of the helpers, at namespace level, after the network and its containers.</summary>
    private void WriteKernelsClass()
    {
        if (_kernels is null)
        {
            return;
        }

        _w.Line();
        _w.Doc($"<summary>The helpers of <c>{_target.Name.TrimStart('@')}</c> that read nothing of it: its exponentials, squares and SIMD kernels.</summary>");
        using (_w.Open($"file static class {KernelsName}"))
        {
            _w.AppendBlock(_kernels);
        }
    }

    private string ClassSummary()
    {
        var layers = string.Join(" → ", _spec.Layers.Select((l, i) => $"{l.Units} {l.Activation.Name}").Prepend($"{_spec.Inputs} inputs"));
        var text = new StringBuilder();
        text.Append("<summary>\n");
        text.Append($"A dense network, {Escape(layers)}, trained on the {Escape(_spec.Loss.Name)}: forward pass, loss, gradient and\n");
        text.Append("fused training steps generated from its derivation (see <see cref=\"DerivationLatex\"/>).\n");
        text.Append("</summary>\n<remarks>\n");
        text.Append("<para>Parameter layout (<see cref=\"Parameters\"/>): for each layer in order, its weights as an inputs × units\n");
        text.Append("row-major block (index i * units + j is the weight from input i to unit j), then its biases.</para>\n<list type=\"bullet\">\n");
        for (var l = 1; l <= LayerCount; l++)
        {
            var inputs = _spec.UnitsOf(l - 1);
            var units = _spec.UnitsOf(l);
            text.Append($"<item><description>Layer {l}: weights [{_layout.WeightStart(l)}, {_layout.BiasStart(l)}) as {inputs} × {units}, biases [{_layout.BiasStart(l)}, {_layout.End(l)}).</description></item>\n");
        }

        text.Append("</list>\n");
        text.Append(LayerFormsRemark());
        text.Append($"<para>Training: {RuleSummary()}; equations {UpdateEquations()} of <see cref=\"DerivationLatex\"/>.</para>\n");
        text.Append("<para>Threads: <see cref=\"Forward\"/>, <see cref=\"ForwardBatch\"/>, <c>Loss</c>, <see cref=\"Gradient\"/>, <see cref=\"BatchGradient\"/>,\n");
        text.Append("<see cref=\"CheckGradient\"/>, <c>Save</c> and <c>ExportOnnx</c> only read the instance and may run on it from several\n");
        text.Append("threads at once. <see cref=\"TrainStep\"/>, <see cref=\"TrainBatch\"/>, <see cref=\"ResetOptimizer\"/>, <c>Load</c>,\n");
        text.Append("<c>ImportOnnx</c> and writes to <see cref=\"Parameters\"/> need exclusive access.</para>\n");
        text.Append($"<para>Cores: {ParallelismSentence}</para>\n</remarks>");
        return text.ToString();
    }

    private void WriteConstantsAndState()
    {
        _w.Doc("<summary>The number of inputs of one example.</summary>");
        _w.Line($"public const int InputCount = {_spec.Inputs};");
        _w.Line();
        _w.Doc("<summary>The number of outputs of one example.</summary>");
        _w.Line($"public const int OutputCount = {_spec.Outputs};");
        _w.Line();
        _w.Doc("<summary>The number of weights and biases: Σ over layers of (inputs + 1) × units.</summary>");
        _w.Line($"public const int ParameterCount = {_spec.ParameterCount};");
        _w.Line();
        _w.Doc("<summary>The seed of the parameterless constructor.</summary>");
        _w.Line("private const int __DefaultSeed = 1;");
        _w.Line();
        _w.Line($"private readonly {_type}[] __parameters = new {_type}[ParameterCount];");
        _w.Line();
        _w.Line($"private readonly {_type}[] __batchGradient = new {_type}[ParameterCount];");
        _w.Line();
        WriteOptimizerState();
        if (_scratch is not null)
        {
            WriteScratch();
        }

        _w.Doc("<summary>Creates the network with parameters initialised from a fixed seed, the same on every run.</summary>");
        using (_w.Open($"public {_target.Name}() : this(__DefaultSeed)"))
        {
        }

        _w.Line();
        _w.Doc("<summary>\nCreates the network with weights drawn uniformly from ±√(6 / fan), fan = inputs + units (Xavier) or, for\nReLU-like layers, fan = inputs (He); biases start at zero.\n</summary>\n<param name=\"seed\">The seed of the random draw; the same seed gives the same parameters.</param>");
        using (_w.Open($"public {_target.Name}(int seed)"))
        {
            _w.Line("global::System.Random random = new global::System.Random(seed);");
            for (var l = 1; l <= LayerCount; l++)
            {
                var inputs = _spec.UnitsOf(l - 1);
                var units = _spec.UnitsOf(l);
                var he = _spec.Layers[l - 1].Kind.Initialization == Initialization.He;
                var fan = he ? inputs : inputs + units;
                var limit = Math.Sqrt(6.0 / fan);
                var limitText = limit.ToString("R", CultureInfo.InvariantCulture);
                using (_w.Open($"for (int i = {_layout.WeightStart(l)}; i < {_layout.BiasStart(l)}; i++)"))
                {
                    _w.Line($"__parameters[i] = ({_type})((random.NextDouble() * 2.0 - 1.0) * {limitText}); // layer {l}, {(he ? "He" : "Xavier")} limit √(6 / {fan})");
                }
            }
        }

        _w.Line();
        _w.Doc("<summary>\nAll weights and biases as one flat span, in the layout of the class remarks. Writing to it changes the network.\n</summary>");
        _w.Line($"public global::System.Span<{_type}> Parameters => __parameters;");
        _w.Line();
        WriteParallelState();
    }

    private void WriteForward()
    {
        _w.Doc($"<summary>Computes the outputs for one example (equations {Range(EquationLabels.PreActivation(1), EquationLabels.Output(LayerCount))} of <see cref=\"DerivationLatex\"/>).</summary>\n<param name=\"input\">The {_spec.Inputs} inputs.</param>\n<param name=\"output\">Receives the {_spec.Outputs} outputs.</param>\n<exception cref=\"global::System.ArgumentException\">A span does not have the length the network needs.</exception>");
        using (_w.Open($"public void Forward(global::System.ReadOnlySpan<{_type}> input, global::System.Span<{_type}> output)"))
        {
            _w.Line("__CheckLength(input.Length, InputCount, \"input\");");
            _w.Line("__CheckLength(output.Length, OutputCount, \"output\");");
            if (_scratch is not null)
            {
                _w.Line($"{_type}[] scratch = __Scratch();");
                _w.Line("__ForwardBlock(__parameters, scratch, input, 1);");
                _w.Line($"new global::System.ReadOnlySpan<{_type}>(scratch, {_scratch.Outputs(LayerCount)}, OutputCount).CopyTo(output);");
            }
            else
            {
                _w.Line($"{_type}[] p = __parameters;");
                WriteLoadInputs("input", "0");
                WriteForwardPass();
                for (var j = 0; j < _spec.Outputs; j++)
                {
                    _w.Line($"output[{j}] = {Identifier(Output(LayerCount, j))};");
                }
            }
        }

        _w.Line();
    }

    private void WriteForwardBatch()
    {
        _w.Doc($"<summary>Computes the outputs of n examples packed row after row: <c>inputs.Length == n * InputCount</c>, <c>outputs.Length == n * OutputCount</c>.</summary>\n<param name=\"inputs\">n rows of {_spec.Inputs} inputs (n may be 0).</param>\n<param name=\"outputs\">Receives n rows of {_spec.Outputs} outputs.</param>\n<exception cref=\"global::System.ArgumentException\">The inputs are not whole rows, or the outputs are not as many rows.</exception>");
        using (_w.Open($"public void ForwardBatch(global::System.ReadOnlySpan<{_type}> inputs, global::System.Span<{_type}> outputs)"))
        {
            using (_w.Open("if (inputs.Length % InputCount != 0)"))
            {
                _w.Line($"throw new global::System.ArgumentException($\"{_target.Name} expects whole rows of {{InputCount}} inputs but got {{inputs.Length}} values.\", \"inputs\");");
            }

            _w.Line("int count = inputs.Length / InputCount;");
            _w.Line("__CheckLength(outputs.Length, count * OutputCount, \"outputs\");");
            if (!HasBatchSlots)
            {
                _w.Line($"{RangeCall(false, "__parameters", "inputs", "", "outputs", "0", "count", "")}; // on the calling thread; each example's outputs are the same in any slot");
            }
            else
            {
                _w.Line("int slots = __Slots(count, __ForwardSlotExamples);");
                using (_w.Open("if (slots == 1)"))
                {
                    _w.Line($"{RangeCall(false, "__parameters", "inputs", "", "outputs", "0", "count", "")};");
                    _w.Line("return;");
                }

                _w.Line();
                _w.Line("__Workers.Current.Forward(__parameters, inputs, outputs, count, slots, __maxDegreeOfParallelism);");
            }
        }

        _w.Line();
        if (_scratch is null)
        {
            return;
        }

        _w.Doc($"<summary>The outputs of examples [<paramref name=\"start\"/>, <paramref name=\"end\"/>) of <paramref name=\"inputs\"/>, into the same rows of <paramref name=\"outputs\"/>, a block of examples at a time.</summary>");
        using (_w.Open($"private static void __ForwardRange({_type}[] p, global::System.ReadOnlySpan<{_type}> inputs, int start, int end, global::System.Span<{_type}> outputs)"))
        {
            _w.Line($"{_type}[] scratch = __Scratch();");
            using (_w.Open("for (int first = start; first < end; first += __Block)"))
            {
                _w.Line("int n = global::System.Math.Min(__Block, end - first);");
                _w.Line("__ForwardBlock(p, scratch, inputs.Slice(first * InputCount, n * InputCount), n);");
                _w.Line($"new global::System.ReadOnlySpan<{_type}>(scratch, {_scratch.Outputs(LayerCount)}, n * OutputCount).CopyTo(outputs.Slice(first * OutputCount));");
            }
        }

        _w.Line();
    }

    private void WriteCheckGradient()
    {
        var single = _single;
        _w.Doc($"<summary>\nChecks <see cref=\"Gradient\"/> against central differences of the objective, (J(θ + h) − J(θ − h)) / 2h for every\nparameter with h = {(single ? "10⁻²" : "10⁻⁵")} · max(1, |θ|), and returns the largest relative error |analytic − numeric| / max(|analytic|, |numeric|, {(single ? "10⁻³" : "10⁻⁸")}).\nA correct gradient gives about {(single ? "10⁻³ or less in float" : "10⁻⁸ or less")}; a wrong derivative (a custom activation's, say) gives far more.\n</summary>\n<param name=\"input\">The {_spec.Inputs} inputs of one example.</param>\n<param name=\"target\">Its {_spec.Outputs} targets.</param>\n<returns>The largest relative error over the parameters.</returns>\n<remarks>Works on copies of the parameters (it allocates them), so other threads may read the instance meanwhile.</remarks>\n<exception cref=\"global::System.ArgumentException\">A span does not have the length the network needs.</exception>");
        using (_w.Open($"public double CheckGradient(global::System.ReadOnlySpan<{_type}> input, global::System.ReadOnlySpan<{_type}> target)"))
        {
            _w.Line("__CheckLength(input.Length, InputCount, \"input\");");
            _w.Line("__CheckLength(target.Length, OutputCount, \"target\");");
            _w.Line($"{_type}[] analytic = new {_type}[ParameterCount];");
            _w.Line("Gradient(input, target, analytic);");
            _w.Line($"{_type}[] p = ({_type}[])__parameters.Clone();");
            _w.Line("double worst = 0.0;");
            using (_w.Open("for (int k = 0; k < ParameterCount; k++)"))
            {
                _w.Line($"{_type} saved = p[k];");
                _w.Line($"{_type} h = {Literal(single ? 1e-2 : 1e-5)} * global::System.Math.Max({Literal(1)}, global::System.Math.Abs(saved));");
                _w.Line("p[k] = saved + h;");
                _w.Line("double plus = __Objective(p, input, target);");
                _w.Line("p[k] = saved - h;");
                _w.Line("double minus = __Objective(p, input, target);");
                _w.Line("p[k] = saved;");
                _w.Line("double numeric = (plus - minus) / (2.0 * h);");
                _w.Line($"double scale = global::System.Math.Max({(single ? "1e-3" : "1e-8")}, global::System.Math.Max(global::System.Math.Abs((double)analytic[k]), global::System.Math.Abs(numeric)));");
                _w.Line("double error = global::System.Math.Abs(analytic[k] - numeric) / scale;");
                using (_w.Open("if (double.IsNaN(error))"))
                {
                    _w.Line("return double.NaN; // a loss or gradient that is not a number");
                }

                _w.Line("worst = global::System.Math.Max(worst, error);");
            }

            _w.Line("return worst;");
        }

        _w.Line();
    }

    private void WriteLoss()
    {
        _w.Doc($"<summary>{LossSummary}{(LossIsExtension ? $" Call it as <c>network.Loss(input, target)</c>, through <see cref=\"{_target.ExtensionsName}\"/>." : "")}</summary>\n{LossParameters}");
        using (_w.Open(LossIsExtension
            ? $"internal {_type} __EvaluateLoss(global::System.ReadOnlySpan<{_type}> input, global::System.ReadOnlySpan<{_type}> target)"
            : $"public {_type} Loss(global::System.ReadOnlySpan<{_type}> input, global::System.ReadOnlySpan<{_type}> target)"))
        {
            _w.Line("__CheckLength(input.Length, InputCount, \"input\");");
            _w.Line("__CheckLength(target.Length, OutputCount, \"target\");");
            _w.Line("return __Objective(__parameters, input, target);");
        }

        _w.Line();
        _w.Doc($"<summary>The objective of one example with the parameters <paramref name=\"p\"/>{(HasPenalty ? ": its loss plus the penalty" : ", its loss")}.</summary>");
        using (_w.Open($"private static {_type} __Objective({_type}[] p, global::System.ReadOnlySpan<{_type}> input, global::System.ReadOnlySpan<{_type}> target)"))
        {
            if (_scratch is not null)
            {
                _w.Line($"{_type}[] scratch = __Scratch();");
                _w.Line("__ForwardBlock(p, scratch, input, 1);");
                _w.Line($"return __LossBlock(p, scratch, target, 1){PlusPenalty()};");
            }
            else
            {
                WriteLoadInputs("input", "0");
                WriteForwardPass();
                WriteLoadTargets("target", "0");
                WriteLossValue();
                _w.Line($"return loss{PlusPenalty()};");
            }
        }

        _w.Line();
    }

    private void WriteGradient()
    {
        _w.Doc($"<summary>\nOverwrites <paramref name=\"gradient\"/> with ∂L/∂θ for one example: δ of each unit by equations\n{DeltaEquations()}, then ∂L/∂w_ij = δ_j h_i and ∂L/∂b_j = δ_j.\n</summary>\n<param name=\"input\">The {_spec.Inputs} inputs.</param>\n<param name=\"target\">The {_spec.Outputs} targets.</param>\n<param name=\"gradient\">Receives the {_spec.ParameterCount} partial derivatives, in the layout of <see cref=\"Parameters\"/>.</param>\n<returns>The loss of the example.</returns>\n<exception cref=\"global::System.ArgumentException\">A span does not have the length the network needs.</exception>");
        using (_w.Open($"public {_type} Gradient(global::System.ReadOnlySpan<{_type}> input, global::System.ReadOnlySpan<{_type}> target, global::System.Span<{_type}> gradient)"))
        {
            _w.Line("__CheckLength(input.Length, InputCount, \"input\");");
            _w.Line("__CheckLength(target.Length, OutputCount, \"target\");");
            _w.Line("__CheckLength(gradient.Length, ParameterCount, \"gradient\");");
            _w.Line($"{_type}[] p = __parameters;");
            if (_scratch is not null)
            {
                _w.Line($"{_type}[] scratch = __Scratch();");
                _w.Line("__ForwardBlock(p, scratch, input, 1);");
                WriteTransposeCall();
                _w.Line($"{_type} loss = __BackwardBlock(p, scratch, target, 1);");
                _w.Line("gradient.Clear();");
                _w.Line($"__AddGradients(p, scratch, input, 1, gradient, {Literal(1)});");
            }
            else
            {
                WriteExample("input", "target", "0", "0");
                WriteParameterGradients((index, value) => $"gradient[{index}] = {_printer.Print(value)};");
            }

            if (HasPenalty)
            {
                _w.Line($"__AddPenaltyGradient(p, gradient); // ∂J/∂w = ∂L/∂w + λ w{Cite(EquationLabels.ObjectiveWeightGradient)}");
            }

            _w.Line($"return loss{PlusPenalty()};");
        }

        _w.Line();
    }

    private void WriteBatchGradient()
    {
        _w.Doc($"<summary>\nThe mean loss and mean gradient of a batch (equation {Number(EquationLabels.BatchMean)} of <see cref=\"DerivationLatex\"/>): n examples\npacked row after row, <c>inputs.Length == n * InputCount</c> and <c>targets.Length == n * OutputCount</c>.\n</summary>\n<param name=\"inputs\">n rows of {_spec.Inputs} inputs.</param>\n<param name=\"targets\">n rows of {_spec.Outputs} targets.</param>\n<param name=\"gradient\">Receives the mean of the examples' gradients, in the layout of <see cref=\"Parameters\"/>.</param>\n<returns>The mean loss of the examples.</returns>\n<exception cref=\"global::System.ArgumentException\">The spans are empty, not whole rows, of different row counts, or the gradient has the wrong length.</exception>");
        using (_w.Open($"public {_type} BatchGradient(global::System.ReadOnlySpan<{_type}> inputs, global::System.ReadOnlySpan<{_type}> targets, global::System.Span<{_type}> gradient)"))
        {
            _w.Line("int count = __CheckBatch(inputs.Length, targets.Length);");
            _w.Line("__CheckLength(gradient.Length, ParameterCount, \"gradient\");");
            _w.Line($"{_type} total = __AccumulateBatch(inputs, targets, gradient, count);");
            _w.Line($"{_type} scale = {Literal(1)} / count; // eq. ({Number(EquationLabels.BatchMean)}): the mean over the batch");
            var vectorized = _scratch is not null && HasVectors;
            if (vectorized)
            {
                _w.Line("int k = 0;");
                using (_w.Open($"if ({Accelerated})"))
                {
                    _w.Line($"{WritableVectors} vectors = {Marshal}.Cast<{_type}, {Vector}>(gradient);");
                    _w.Line($"{Vector} factor = new {Vector}(scale);");
                    using (_w.Open("for (int v = 0; v < vectors.Length; v++)"))
                    {
                        _w.Line("vectors[v] *= factor;");
                    }

                    _w.Line($"k = vectors.Length * {Vector}.Count;");
                }
            }

            using (_w.Open(vectorized ? "for (; k < ParameterCount; k++)" : "for (int k = 0; k < ParameterCount; k++)"))
            {
                _w.Line("gradient[k] *= scale;");
            }

            if (HasPenalty)
            {
                _w.Line($"__AddPenaltyGradient(__parameters, gradient); // ∂J/∂w = (1/n) Σ ∂L/∂w + λ w{Cite(EquationLabels.ObjectiveWeightGradient)}");
            }

            _w.Line($"return total * scale{PlusPenalty("__parameters")};");
        }

        _w.Line();
        _w.Doc($"<summary>\nOverwrites <paramref name=\"gradient\"/> with the sum of the examples' gradients; returns the sum of their losses. A batch of\nat least 2 × <see cref=\"__SlotExamples\"/> examples is split into slots (see <see cref=\"{(HasBatchSlots ? "__Workers" : "__AccumulateSlots")}\"/>).\n</summary>");
        using (_w.Open($"private {_type} __AccumulateBatch(global::System.ReadOnlySpan<{_type}> inputs, global::System.ReadOnlySpan<{_type}> targets, global::System.Span<{_type}> gradient, int count)"))
        {
            _w.Line("gradient.Clear();");
            _w.Line("int slots = __Slots(count, __SlotExamples);");
            using (_w.Open("if (slots == 1)"))
            {
                _w.Line($"return {RangeCall(true, "__parameters", "inputs", "targets", "", "0", "count", "gradient")};");
            }

            _w.Line();
            _w.Line(HasBatchSlots
                ? "return __Workers.Current.Accumulate(__parameters, inputs, targets, gradient, count, slots, __maxDegreeOfParallelism);"
                : "return __AccumulateSlots(inputs, targets, gradient, count, slots);");
        }

        _w.Line();
        if (_scratch is null)
        {
            WriteExamples();
            return;
        }

        _w.Doc("<summary>\nAdds the gradients of examples [<paramref name=\"start\"/>, <paramref name=\"end\"/>) of <paramref name=\"inputs\"/> and <paramref name=\"targets\"/> to\n<paramref name=\"gradient\"/>, a block of examples at a time; returns the sum of their losses.\n</summary>");
        using (_w.Open($"private static {_type} __AccumulateRange({_type}[] p, global::System.ReadOnlySpan<{_type}> inputs, global::System.ReadOnlySpan<{_type}> targets, int start, int end, global::System.Span<{_type}> gradient)"))
        {
            WriteBlockedAccumulation();
        }

        _w.Line();
    }

    private void WriteTrainStep()
    {
        _w.Doc($"<summary>\nOne fused training step on one example: forward, backward and the update of every parameter by\n{RuleSummary()} (equations {UpdateEquations()} of <see cref=\"DerivationLatex\"/>){(Rule.IsPlainStep && !HasPenalty ? ", in one pass without a gradient buffer" : "")}.\n</summary>\n<param name=\"input\">The {_spec.Inputs} inputs.</param>\n<param name=\"target\">The {_spec.Outputs} targets.</param>\n<param name=\"learningRate\">The step size η.</param>\n<returns>The objective of the example before the update.</returns>\n<exception cref=\"global::System.ArgumentException\">A span does not have the length the network needs.</exception>\n<remarks>Needs exclusive access to the instance.</remarks>");
        using (_w.Open($"public {_type} TrainStep(global::System.ReadOnlySpan<{_type}> input, global::System.ReadOnlySpan<{_type}> target, {_type} learningRate)"))
        {
            _w.Line("__CheckLength(input.Length, InputCount, \"input\");");
            _w.Line("__CheckLength(target.Length, OutputCount, \"target\");");
            _w.Line($"{_type}[] p = __parameters;");
            if (_scratch is not null)
            {
                _w.Line($"{_type}[] scratch = __Scratch();");
                _w.Line("__ForwardBlock(p, scratch, input, 1);");
                WriteTransposeCall();
                _w.Line($"{_type} loss = __BackwardBlock(p, scratch, target, 1){PlusPenalty()};");
                if (Rule.IsPlainStep && !HasPenalty)
                {
                    _w.Line("__AddGradients(p, scratch, input, 1, p, -learningRate); // θ ← θ − η ∂L/∂θ: every δ is computed before any weight changes");
                }
                else
                {
                    _w.Line($"{_type}[] g = __batchGradient;");
                    _w.Line("global::System.Array.Clear(g, 0, ParameterCount);");
                    _w.Line($"__AddGradients(p, scratch, input, 1, g, {Literal(1)});");
                    _w.Line($"__ApplyUpdate(g, {Literal(1)}, learningRate);");
                }
            }
            else
            {
                WriteExample("input", "target", "0", "0");
                if (HasPenalty)
                {
                    _w.Line($"loss += __Penalty(p); // J = L + (λ/2) Σ w², before the step{Cite(EquationLabels.Objective)}");
                }

                WriteParameterUpdates();
            }

            _w.Line("return loss;");
        }

        _w.Line();
    }

    private void WriteTrainBatch()
    {
        _w.Doc($"<summary>\nOne training step on the mean gradient of a batch: the examples' gradients summed, then every parameter updated by\n{RuleSummary()} with g the mean (equations {UpdateEquations()} of <see cref=\"DerivationLatex\"/>) in one pass.\nAllocates nothing: the sum goes to a buffer of the instance.\n</summary>\n<param name=\"inputs\">n rows of inputs.</param>\n<param name=\"targets\">n rows of targets.</param>\n<param name=\"learningRate\">The step size η.</param>\n<returns>The objective of the batch before the update: the mean loss{(HasPenalty ? " plus the penalty" : "")}.</returns>\n<exception cref=\"global::System.ArgumentException\">The spans are empty, not whole rows, or of different row counts.</exception>\n<remarks>Needs exclusive access to the instance.</remarks>");
        using (_w.Open($"public {_type} TrainBatch(global::System.ReadOnlySpan<{_type}> inputs, global::System.ReadOnlySpan<{_type}> targets, {_type} learningRate)"))
        {
            _w.Line("int count = __CheckBatch(inputs.Length, targets.Length);");
            _w.Line($"{_type}[] g = __batchGradient;");
            _w.Line($"{_type} total = __AccumulateBatch(inputs, targets, g, count);");
            _w.Line($"{_type} scale = {Literal(1)} / count; // the mean of eq. ({Number(EquationLabels.BatchMean)})");
            _w.Line($"{_type} loss = total * scale{PlusPenalty("__parameters")};");
            _w.Line("__ApplyUpdate(g, scale, learningRate);");
            _w.Line("return loss;");
        }

        _w.Line();
    }

    private void WriteHelpers()
    {
        if (_printer.UsesSquareFunction)
        {
            InKernels(() =>
            {
                _w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]");
                _w.Line($"{KernelAccess} static {_type} {Square}({_type} value) => value * value;");
                _w.Line();
            });
        }

        using (_w.Open("private static void __CheckLength(int actual, int expected, string name)"))
        {
            using (_w.Open("if (actual != expected)"))
            {
                _w.Line($"throw new global::System.ArgumentException($\"{_target.Name} expects {{expected}} values in '{{name}}' but got {{actual}}.\", name);");
            }
        }

        _w.Line();
        using (_w.Open("private static int __CheckBatch(int inputs, int targets)"))
        {
            using (_w.Open("if (inputs == 0 || inputs % InputCount != 0)"))
            {
                _w.Line($"throw new global::System.ArgumentException($\"{_target.Name} expects whole rows of {{InputCount}} inputs, at least one, but got {{inputs}} values.\", \"inputs\");");
            }

            _w.Line("int count = inputs / InputCount;");
            using (_w.Open("if (targets != count * OutputCount)"))
            {
                _w.Line($"throw new global::System.ArgumentException($\"{_target.Name} expects {{count * OutputCount}} targets for {{count}} examples but got {{targets}}.\", \"targets\");");
            }

            _w.Line("return count;");
        }

        _w.Line();
    }

    private void WriteLatex()
    {
        _w.Doc("<summary>\nThe derivation of every gradient this class computes, as a complete LaTeX document; the comments in the\ncode cite its equation numbers.\n</summary>");
        _w.Line("public static string DerivationLatex => __Latex;");
        _w.Line();
        _w.Line("private const string __Latex = @\"" + _latex.Replace("\"", "\"\"") + "\";");
    }

    /// <summary>Forward pass and loss, then every δ from the output layer down.</summary>
    private void WriteExample(string input, string target, string inputRow, string targetRow)
    {
        WriteLoadInputs(input, inputRow);
        WriteForwardPass();
        WriteLoadTargets(target, targetRow);
        WriteLossValue();
        WriteBackwardPass();
    }

    private void WriteLoadInputs(string span, string row)
    {
        for (int i = 0; i < _spec.Inputs; i++)
        {
            _w.Line($"{_type} {Identifier(Output(0, i))} = {span}[{Offset(row, i)}];");
        }
    }

    private void WriteLoadTargets(string span, string row)
    {
        for (var j = 0; j < _spec.Outputs; j++)
        {
            _w.Line($"{_type} {Identifier(Target(j))} = {span}[{Offset(row, j)}];");
        }
    }

    private static string Offset(string row, int index) => row == "0" ? index.ToString(CultureInfo.InvariantCulture) : $"{row} + {index}";

    private void WriteForwardPass()
    {
        foreach (var layer in _derivation.Layers)
        {
            WriteLayerForward(layer);
        }
    }

    /// <summary>One layer's weighted inputs and outputs, unit by unit.</summary>
    private void WriteLayerForward(LayerDerivation layer)
    {
        var l = layer.Number;
        WriteGroup($"f{l}_", Enumerable.Range(0, layer.Units).Select(j => new Statement(
            Identifier(PreActivation(l, j)),
            layer.PreActivationAt(j),
            PreActivationComment(layer, j))));

        Writer(layer).WriteOutputs();
    }

    /// <summary>The loss; from the weighted inputs where a logarithm of an output could overflow (see <see cref="Derivation.StableLoss"/>).</summary>
    private void WriteLossValue() =>
        WriteGroup("c", new[]
        {
            _derivation.StableLoss is { } stable
                ? new Statement("loss", stable.ExpandSums(), LossComment())
                : new Statement("loss", _derivation.Loss.ExpandSums(), LossComment()),
        });

    private void WriteBackwardPass()
    {
        foreach (var layer in _derivation.Layers.Reverse())
        {
            WriteLayerDelta(layer);
        }
    }

    /// <summary>One layer's δ, unit by unit.</summary>
    private void WriteLayerDelta(LayerDerivation layer)
    {
        var l = layer.Number;
        WriteGroup($"d{l}_", Enumerable.Range(0, layer.Units).Select(j => new Statement(
            Identifier(Delta(l, j)),
            layer.DeltaAt(j),
            DeltaComment(layer, j))));
    }

    /// <summary>One write per parameter: ∂L/∂w_ij = δ_j h_i (a weight) and ∂L/∂b_j = δ_j (a bias).</summary>
    private void WriteParameterGradients(Func<int, Expr, string> write)
    {
        foreach (var layer in _derivation.Layers)
        {
            WriteLayerParameterGradients(layer, write);
        }
    }

    private void WriteLayerParameterGradients(LayerDerivation layer, Func<int, Expr, string> write)
    {
        var l = layer.Number;
        for (int i = 0; i < layer.Inputs; i++)
        {
            for (var j = 0; j < layer.Units; j++)
            {
                _w.Line($"{write(WeightIndex(l, i, j), layer.WeightGradientAt(i, j))} // {WeightGradientComment(layer, i, j)}");
            }
        }

        for (var j = 0; j < layer.Units; j++)
        {
            _w.Line($"{write(BiasIndex(l, j), layer.BiasGradientAt(j))} // {BiasGradientComment(layer, j)}");
        }
    }

    /// <summary>
    /// The update rule's assignments of every parameter, compiled from its equations with the parameter's gradient of
    /// the objective put in for g: after every δ is computed, so no δ reads an updated weight. θ ← θ − η g is one
    /// statement per parameter; a rule with state or several equations is a block per parameter with g in a local.
    /// </summary>
    private void WriteParameterUpdates()
    {
        var rule = Rule.Equations[Rule.Equations.Count - 1];
        var compiled = Rule.IsPlainStep ? null : CompileRule(null);
        void Update(Symbol parameter, int index, Expr gradient, string label)
        {
            if (compiled is null)
            {
                var update = rule.Instantiate(parameter, WithValues(gradient), LearningRateIn("learningRate"));
                _w.Line($"{Identifier(update.Target)} = {_printer.Print(update.Value)}; // {UpdateComment(rule, parameter, label)}");
                return;
            }

            _w.Line($"// {Text(parameter)}: g = {Partial(Objective, parameter)}");
            using (_w.Open(""))
            {
                compiled(index.ToString(CultureInfo.InvariantCulture), WithValues(gradient));
            }
        }

        foreach (var layer in _derivation.Layers)
        {
            var l = layer.Number;
            for (int i = 0; i < layer.Inputs; i++)
            {
                for (var j = 0; j < layer.Units; j++)
                {
                    Update(Weight(l, i, j), WeightIndex(l, i, j), _derivation.ObjectiveWeightGradientAt(layer, i, j), EquationLabels.WeightUpdate(l));
                }
            }

            for (var j = 0; j < layer.Units; j++)
            {
                Update(Bias(l, j), BiasIndex(l, j), layer.BiasGradientAt(j), EquationLabels.BiasUpdate(l));
            }
        }
    }

    /// <summary>The objective's symbol: J with a penalty, L without.</summary>
    private Symbol Objective => HasPenalty ? Derivation.Objective : Loss;

    /// <summary>λ of the penalty replaced by its value.</summary>
    private Expr WithValues(Expr e) => HasPenalty
        ? e.Rewrite(s => s.Equals(Derivation.L2Strength) ? Literal(_derivation.L2, s) : s, i => i)
        : e;

    /// <summary>Puts the learning rate's local, <paramref name="name"/>, in for η.</summary>
    private static Func<Symbol, Expr> LearningRateIn(string name) =>
        s => TagOf(s)?.Role == SymbolRole.LearningRate ? new Symbol(name) : s;

    /// <summary>
    /// Statements that depend only on values computed before them: their common subexpressions become locals
    /// first (named <paramref name="prefix"/>0, 1, …), then each statement assigns its local.
    /// </summary>
    private void WriteGroup(string prefix, IEnumerable<Statement> statements)
    {
        var list = statements.ToList();

        // Forward, Loss, Gradient, TrainStep and the batch methods write the same groups in locals: each is eliminated
        // and printed once. (Symbols in buffers record their uses in the method being written, so those groups are not kept.)
        var key = _access == Access.Locals ? new GroupKey(_printer, _localType, prefix, list) : null;
        if (key is null || !_groups.TryGetValue(key, out var lines))
        {
            var cse = CommonSubexpressions.Eliminate(list.Select(s => s.Value).ToList(), prefix);
            lines = cse.Bindings.Select(binding => $"{_localType} {binding.Name.Name} = {_printer.Print(binding.Value)}; // shared by the statements below")
                .Concat(list.Select((statement, n) => $"{Declared(statement.Target)} = {_printer.Print(cse.Results[n])}; // {statement.Comment}"))
                .ToArray();
            if (key is not null)
            {
                _groups.Add(key, lines);
            }
        }

        foreach (var line in lines)
        {
            _w.Line(line);
        }
    }

    /// <summary>The lines of each group written in locals, by printer, local type, prefix and statements.</summary>
    private readonly Dictionary<GroupKey, string[]> _groups = new();

    /// <summary>A group of statements as <see cref="WriteGroup"/> prints it: equal keys print the same lines.</summary>
    private sealed class GroupKey : IEquatable<GroupKey>
    {
        private readonly CSharpPrinter _printer;
        private readonly string _localType;
        private readonly string _prefix;
        private readonly List<Statement> _statements;
        private readonly int _hash;

        public GroupKey(CSharpPrinter printer, string localType, string prefix, List<Statement> statements)
        {
            _printer = printer;
            _localType = localType;
            _prefix = prefix;
            _statements = statements;
            var hash = StringComparer.Ordinal.GetHashCode(prefix);
            foreach (var statement in statements)
            {
                hash = unchecked(hash * 31 + statement.Value.GetHashCode());
            }

            _hash = hash;
        }

        public bool Equals(GroupKey? other) =>
            other is not null && other._hash == _hash && ReferenceEquals(other._printer, _printer) && other._localType == _localType
            && other._prefix == _prefix && other._statements.Count == _statements.Count
            && _statements.Select((statement, n) => (statement, other._statements[n])).All(pair =>
                pair.Item1.Target == pair.Item2.Target && pair.Item1.Comment == pair.Item2.Comment
                && (ReferenceEquals(pair.Item1.Value, pair.Item2.Value) || pair.Item1.Value.Equals(pair.Item2.Value)));

        public override bool Equals(object? obj) => Equals(obj as GroupKey);

        public override int GetHashCode() => _hash;
    }

    /// <summary>The left side of an assignment: a new local (<c>double h1_0</c>), or an element of a buffer as it is.</summary>
    private string Declared(string target) => target.EndsWith("]", StringComparison.Ordinal) ? target : _localType + " " + target;

    /// <summary>The C# name of a derivation symbol: x0, h2_1, a1_0, delta2_0, t1, p[17]; CSE temporaries keep their names.</summary>
    private string Identifier(Symbol symbol)
    {
        if (!TryClassify(symbol, out SymbolRole role, out int layer))
        {
            return symbol.Name;
        }

        if (_access != Access.Locals)
        {
            return BufferIdentifier(symbol, role, layer);
        }

        int Index(int n) => symbol.Indices[n].IsConcrete
            ? symbol.Indices[n].Value
            : throw new InvalidOperationException($"the symbol {symbol} still has a named index where code needs a concrete one");

        return role switch
        {
            SymbolRole.Input => $"x{Index(0)}",
            SymbolRole.Output => $"h{layer}_{Index(0)}",
            SymbolRole.PreActivation => $"a{layer}_{Index(0)}",
            SymbolRole.Weight => $"p[{WeightIndex(layer, Index(0), Index(1))}]",
            SymbolRole.Bias => $"p[{BiasIndex(layer, Index(0))}]",
            SymbolRole.Target => $"t{Index(0)}",
            SymbolRole.Delta => $"delta{layer}_{Index(0)}",
            SymbolRole.SoftmaxMax => $"max{layer}",
            SymbolRole.SoftmaxSum => $"sum{layer}",
            _ => throw new InvalidOperationException($"the symbol {symbol} has no place in generated code"),
        };
    }

    private int WeightIndex(int layer, int from, int to) => _layout.WeightIndex(layer, from, to);

    private int BiasIndex(int layer, int unit) => _layout.BiasIndex(layer, unit);

    private string Literal(double value) => _printer.Literal(value);

    private int Number(string label) => _derivation.EquationNumber(label);

    private string Range(string first, string last) => $"{Number(first)}–{Number(last)}";

    private string DeltaEquations() => string.Join(", ", _derivation.Layers.Reverse().Select(l => $"({Number(EquationLabels.Delta(l.Number))})"));

    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    private sealed class Statement
    {
        public Statement(string target, Expr value, string comment)
        {
            Target = target;
            Value = value;
            Comment = comment;
        }

        public string Target { get; }

        public Expr Value { get; }

        public string Comment { get; }
    }
}
