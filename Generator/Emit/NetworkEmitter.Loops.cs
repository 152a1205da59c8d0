using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BackpropGen.Generator.Model;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Networks;
using static BackpropGen.Symbolic.Networks.NetworkSymbols;

namespace BackpropGen.Generator.Emit;

/// <summary>
/// The loop form, for networks with a layer wider than the unroll threshold. Every layer's values live in buffers of
/// the instance, a block of examples at a time, and four private phases do the work: <c>__ForwardBlock</c>,
/// <c>__LossBlock</c>, <c>__BackwardBlock</c> and <c>__AddGradients</c>. A wide layer is written as loops over spans with
/// SIMD, its cost in code independent of its width; a narrow layer in the same network keeps its unrolled statements,
/// run once per example of the block. With a block of examples, each row of a wide layer's weights is read once for
/// all of them (matrix–matrix rather than repeated matrix–vector).
/// </summary>
internal sealed partial class NetworkEmitter
{
    private readonly bool[] _loops;
    private readonly ScratchLayout? _scratch;


    private bool IsLoop(int layer) => _loops[layer - 1];

    private string SpanType => $"global::System.Span<{_type}>";

    private string ReadOnlySpanType => $"global::System.ReadOnlySpan<{_type}>";

    private string Vector => $"global::System.Numerics.Vector<{_type}>";

    private string MathType => _single ? "global::System.MathF" : "global::System.Math";

    /// <summary>The <c>scale</c> parameter of <c>__AddGradients</c>, as a factor of the printed gradients.</summary>
    private static readonly Symbol Scale = new("scale");

    private string Marshal => "global::System.Runtime.InteropServices.MemoryMarshal";

    private string Vectors => $"global::System.ReadOnlySpan<{Vector}>";

    private string WritableVectors => $"global::System.Span<{Vector}>";

    private string Accelerated => "global::System.Numerics.Vector.IsHardwareAccelerated";

    private bool HasVectors => (_options.Vectors & VectorSupport.Vectors) != 0;

    private bool HasVectorMath => (_options.Vectors & VectorSupport.VectorMath) != 0;

    private string LayerFormsRemark()
    {
        var loops = Enumerable.Range(1, LayerCount).Where(IsLoop).ToList();
        if (loops.Count == 0)
        {
            return $"<para>Every layer has at most {_options.MaxUnrolledWeights} weights (<c>MaxUnrolledWeights</c>), so all are unrolled into straight-line code.</para>\n";
        }

        var simd = HasVectors ? "loops over spans with SIMD (<c>System.Numerics.Vector&lt;T&gt;</c>)" : "loops over spans (the target framework has no <c>Vector&lt;T&gt;</c>)";
        var reasons = loops.Select(l => $"layer {l} ({LoopReason(l)})");
        return $"<para>Written as {simd}: {string.Join("; ", reasons)}. The other layers are unrolled. Batches are computed {_scratch!.Block} examples at a time.</para>\n";
    }

    /// <summary>Why layer <paramref name="layer"/> is a loop, for the class remarks.</summary>
    private string LoopReason(int layer)
    {
        var weights = (long)_spec.UnitsOf(layer - 1) * _spec.UnitsOf(layer);
        if (weights > _options.MaxUnrolledWeights)
        {
            return $"{weights} weights, more than <c>MaxUnrolledWeights</c> = {_options.MaxUnrolledWeights}";
        }

        return layer == LayerCount && _derivation.OutputLayer.DeltaForm == DeltaForm.SoftmaxJacobian && (long)_spec.Outputs * _spec.Outputs > _options.MaxUnrolledWeights
            ? $"its softmax δ sums a Jacobian of {_spec.Outputs}² terms, more than <c>MaxUnrolledWeights</c> = {_options.MaxUnrolledWeights}"
            : $"the unrolled layers before it already use the {Parsing.NetworkLimits.MaxUnrolledParameters} parameters unrolled code may have";
    }

    private void WriteScratch()
    {
        _w.Doc($"<summary>Examples computed together by <see cref=\"__AccumulateRange\"/> and <see cref=\"__ForwardRange\"/>, so each row of a wide layer's weights is read once per block.</summary>");
        _w.Line($"private const int __Block = {_scratch!.Block};");
        _w.Line();
        _w.Doc("<summary>\nThe weighted inputs, outputs and δ of every layer for a block of examples (layout in <c>__ForwardBlock</c>), one array per\nthread, so that methods that do not train can run on one instance from several threads at once.\n</summary>");
        _w.Line("[global::System.ThreadStatic]");
        _w.Line($"private static {_type}[]? __scratch;");
        _w.Line();
        _w.Doc("<summary>This thread's block buffers, allocated on its first call.</summary>");
        _w.Line($"private static {_type}[] __Scratch() => __scratch ??= new {_type}[{_scratch.Length}];");
        _w.Line();
    }

    /// <summary>The four phases every method of the loop form is made of, then the loops' helpers.</summary>
    private void WriteBlockPhases()
    {
        WritePhase(
            "<summary>\nThe forward pass of n examples packed row after row: each layer's weighted inputs a = b + Σ_i h_i w_i,: and its\noutputs, into the block buffers.\n</summary>",
            $"private static void __ForwardBlock({_type}[] p, {_type}[] scratch, {ReadOnlySpanType} inputs, int n)",
            WriteForwardBlock);
        WritePhase(
            "<summary>The sum of the losses of the n examples whose forward pass is in the block buffers.</summary>",
            $"private static {_type} __LossBlock({_type}[] p, {_type}[] scratch, {ReadOnlySpanType} targets, int n)",
            () =>
            {
                _w.Line($"{_type} total = {Literal(0)};");
                using (_w.Open("for (int e = 0; e < n; e++)"))
                {
                    WriteExampleLoss();
                    _w.Line("total += loss;");
                }

                _w.Line("return total;");
            });
        if (_scratch!.HasTransposed)
        {
            WritePhase(
                "<summary>\nThe weights that <see cref=\"__BackwardBlock\"/> multiplies by, transposed into the block buffers: once per call that computes\nδs, not once per block.\n</summary>",
                $"private static void __TransposeWeights({_type}[] p, {_type}[] scratch)",
                WriteTransposeWeights);
        }

        WritePhase(
            "<summary>\nThe losses and every layer's δ for the n examples whose forward pass is in the block buffers, from the output layer\ndown (after <c>__TransposeWeights</c> where the scratch keeps weights transposed); returns the sum of the losses.\n</summary>",
            $"private static {_type} __BackwardBlock({_type}[] p, {_type}[] scratch, {ReadOnlySpanType} targets, int n)",
            WriteBackwardBlock);
        WritePhase(
            "<summary>\nAdds <paramref name=\"scale\"/> times the gradients of the n examples in the block buffers to <paramref name=\"target\"/>:\nthe gradient itself with scale 1, the descent step θ ← θ − η ∂L/∂θ with the parameters and scale −η.\n</summary>",
            $"private static void __AddGradients({_type}[] p, {_type}[] scratch, {ReadOnlySpanType} inputs, int n, {SpanType} target, {_type} scale)",
            WriteAddGradients);
        InKernels(WriteLoopHelpers);
    }

    /// <summary>A private method whose body is written first, so that it declares only the block buffers it uses.</summary>
    private void WritePhase(string doc, string signature, Action body)
    {
        var phase = new EmitContext(new CodeWriter(_context.Writer, 1), Access.Row);
        InContext(phase, body);

        _w.Doc(doc);
        using (_w.Open(signature))
        {
            foreach (var (name, offset, length) in _scratch!.Buffers().Where(b => phase.Uses(b.Name)))
            {
                _w.Line($"{SpanType} {name} = new {SpanType}(scratch, {offset}, {length});");
            }

            _w.Append(phase.Writer);
        }

        _w.Line();
    }

    private void WriteForwardBlock()
    {
        foreach (var layer in _derivation.Layers)
        {
            var l = layer.Number;
            var inputs = layer.Inputs;
            var units = layer.Units;
            var below = l == 1 ? "inputs" : H(l - 1);
            if (!IsLoop(l))
            {
                using (_w.Open("for (int e = 0; e < n; e++)"))
                {
                    WriteLayerForward(layer);
                    Writer(layer).StoreForLoss();
                }

                continue;
            }

            _w.Line($"// {Text(PreActivation(l, Unit))} = {Text(layer.PreActivation)} for every example of the block, as one matrix product{Cite(EquationLabels.PreActivation(l))}");
            using (_w.Open("for (int e = 0; e < n; e++)"))
            {
                _w.Line($"new {ReadOnlySpanType}({_context.Parameters()}, {BiasIndex(l, 0)}, {units}).CopyTo({A(l)}.Slice({RowStart(units)}, {units}));");
            }

            _w.Line(MultiplyAddCall(below, "n", inputs, WeightIndex(l, 0, 0), units, A(l)));

            Writer(layer).WriteLoopOutputs();
        }
    }

    /// <summary>The loss of example e of the block, into a local <c>loss</c>.</summary>
    private void WriteExampleLoss()
    {
        var output = _derivation.OutputLayer;
        var l = output.Number;
        var expression = _derivation.StableLoss ?? _derivation.Loss;
        Writer(output).LoadForLoss(expression);

        if (!IsLoop(l))
        {
            WriteLossValue();
            return;
        }

        var lowered = _derivation.LoopLoss;
        WriteSums(lowered.PerExample);
        WriteGroup("c", new[] { new Statement("loss", lowered.Value, LossComment()) });
    }

    private void WriteBackwardBlock()
    {
        var output = _derivation.OutputLayer;
        var top = output.Number;
        _w.Line($"{_type} total = {Literal(0)};");
        using (_w.Open("for (int e = 0; e < n; e++)"))
        {
            WriteExampleLoss();
            _w.Line("total += loss;");
            if (!IsLoop(top))
            {
                WriteLayerDelta(output);
            }
            else
            {
                var lowered = output.LoopDelta;
                WriteSums(lowered.PerExample);
                using (_w.Open($"for (int j = 0; j < {output.Units}; j++)"))
                {
                    WriteSums(lowered.PerUnit);
                    WriteGroup($"d{top}_", new[] { new Statement($"{D(top)}[{RowStart(output.Units)} + j]", lowered.Value, Equation(Delta(top, Unit), output.Delta, EquationLabels.Delta(top))) });
                }
            }
        }

        foreach (var layer in _derivation.Layers.Reverse().Skip(1))
        {
            var l = layer.Number;
            if (!IsLoop(l) && !IsLoop(l + 1))
            {
                using (_w.Open("for (int e = 0; e < n; e++)"))
                {
                    WriteLayerDelta(layer);
                }

                continue;
            }

            var above = layer.Units;
            var next = _spec.UnitsOf(l + 1);
            if (_scratch!.Transposed(l + 1) is { } transposed)
            {
                _w.Line($"// {Partial(Loss, Output(l, Unit))} = {Text(layer.LossByOutput)} for every example, as one matrix product with the weights of layer {l + 1} transposed (by __TransposeWeights){Cite(EquationLabels.Delta(l))}");
                _w.Line($"{D(l)}.Clear();");
                _w.Line(MultiplyAddCall(D(l + 1), "n", next, _context.Buffer(transposed), above, D(l)));
            }
            else
            {
                _w.Line($"// {Partial(Loss, Output(l, Unit))} = {Text(layer.LossByOutput)} for every example: the weights of layer {l + 1} from unit j are one contiguous row{Cite(EquationLabels.Delta(l))}");
                using (_w.Open($"for (int j = 0; j < {above}; j++)"))
                {
                    UseHelper("__Dot", WriteDot);
                    _w.Line($"{ReadOnlySpanType} row = new {ReadOnlySpanType}({_context.Parameters()}, {Offset(WeightIndex(l + 1, 0, 0), "j * " + next)}, {next});");
                    using (_w.Open("for (int e = 0; e < n; e++)"))
                    {
                        _w.Line($"{D(l)}[{RowStart(above)} + j] = __Dot(row, {D(l + 1)}.Slice({RowStart(next)}, {next}));");
                    }
                }
            }

            var factor = layer.BackpropagatedFactor
                ?? throw new InvalidOperationException($"δ of layer {l} is not a factor times Σ_k δ_k w_jk: {layer.Delta}");
            if (!factor.Equals(Delta(l, Unit)))
            {
                using (_w.Open($"for (int j = 0; j < n * {above}; j++)"))
                using (_context.In(Access.Flat))
                {
                    WriteGroup($"d{l}_", new[] { new Statement($"{D(l)}[j]", factor, $"{Equation(Delta(l, Unit), layer.Delta, EquationLabels.Delta(l))}, the sum above in place of Σ") });
                }
            }
        }

        _w.Line("return total;");
    }

    private void WriteAddGradients()
    {
        foreach (var layer in _derivation.Layers)
        {
            var l = layer.Number;
            var inputs = layer.Inputs;
            var units = layer.Units;
            var below = l == 1 ? "inputs" : H(l - 1);
            if (!IsLoop(l))
            {
                using (_w.Open("for (int e = 0; e < n; e++)"))
                {
                    WriteLayerParameterGradients(layer, (index, value) => $"target[{index}] += {_printer.Print(new Product(Scale, value))};");
                }

                continue;
            }

            _w.Line($"// {Partial(Loss, Weight(l, From, Unit))} = {Text(layer.WeightGradient)}, summed over the block as one matrix product{Cite(EquationLabels.WeightGradient(l))}");
            _w.Line(AddOuterProductsCall(below, "n", inputs, D(l), units, "scale", $"target.Slice({WeightIndex(l, 0, 0)}, {inputs * units})"));

            _w.Line($"{SpanType} biases{l} = target.Slice({BiasIndex(l, 0)}, {units}); // {Partial(Loss, Bias(l, Unit))} = {Text(layer.BiasGradient)}{Cite(EquationLabels.BiasGradient(l))}");
            using (_w.Open("for (int e = 0; e < n; e++)"))
            {
                _w.Line($"__AddScaled({D(l)}.Slice({RowStart(units)}, {units}), scale, biases{l});");
            }
        }
    }

    /// <summary>Each layer's weights the scratch keeps transposed: units(l) rows of units(l − 1).</summary>
    private void WriteTransposeWeights()
    {
        for (var l = 2; l <= LayerCount; l++)
        {
            if (_scratch!.Transposed(l) is not { } transposed)
            {
                continue;
            }

            var above = _spec.UnitsOf(l - 1);
            var next = _spec.UnitsOf(l);
            var weights = _context.Buffer(transposed);
            using (_w.Open($"for (int j = 0; j < {above}; j++)"))
            using (_w.Open($"for (int k = 0; k < {next}; k++)"))
            {
                _w.Line($"{weights}[k * {above} + j] = {_context.Parameters()}[{Offset(WeightIndex(l, 0, 0), $"j * {next} + k")}];");
            }
        }
    }

    /// <summary>Before the δs of a call: <c>__TransposeWeights</c>, where the scratch keeps weights transposed.</summary>
    private void WriteTransposeCall()
    {
        if (_scratch!.HasTransposed)
        {
            _w.Line("__TransposeWeights(p, scratch);");
        }
    }

    /// <summary>__AccumulateRange of the loop form: examples [start, end) a block at a time, through the four phases.</summary>
    private void WriteBlockedAccumulation()
    {
        _w.Line($"{_type}[] scratch = __Scratch();");
        WriteTransposeCall();
        _w.Line($"{_type} total = {Literal(0)};");
        using (_w.Open("for (int first = start; first < end; first += __Block)"))
        {
            _w.Line("int n = global::System.Math.Min(__Block, end - first);");
            _w.Line($"{ReadOnlySpanType} block = inputs.Slice(first * InputCount, n * InputCount);");
            _w.Line("__ForwardBlock(p, scratch, block, n);");
            _w.Line("total += __BackwardBlock(p, scratch, targets.Slice(first * OutputCount, n * OutputCount), n);");
            _w.Line($"__AddGradients(p, scratch, block, n, gradient, {Literal(1)});");
        }

        _w.Line("return total;");
    }

    /// <summary>Writes, for each sum taken out of the statement that follows, a local and the loop that adds up its terms.</summary>
    private void WriteSums(IReadOnlyList<Accumulator> sums)
    {
        foreach (var accumulator in sums)
        {
            var (name, sum) = (accumulator.Name.Name, accumulator.Sum);
            var body = HoistInvariants(sum.Body, sum.Index, name);
            _w.Line($"{_type} {name} = {Literal(0)};");
            using (_w.Open($"for (int {sum.Index} = 0; {sum.Index} < {accumulator.Count}; {sum.Index}++)"))
            {
                _w.Line($"{name} += {_printer.Print(body)};");
            }
        }
    }

    /// <summary>
    /// Function calls in a loop's body that do not depend on its index (log S of a softmax), computed once into locals
    /// before the loop (named after <paramref name="sum"/>) instead of once per iteration.
    /// </summary>
    private Expr HoistInvariants(Expr body, string index, string sum)
    {
        var count = 0;
        return body.ReplaceTopDown(e =>
        {
            if (e is not Call || e.ContainsIndex(index))
            {
                return null;
            }

            var local = new Symbol($"{sum}_{count++.ToString(CultureInfo.InvariantCulture)}");
            _w.Line($"{_type} {local.Name} = {_printer.Print(e)}; // the same for every term of the sum below");
            return local;
        });
    }

    /// <summary>The block buffer of layer <paramref name="layer"/>'s weighted inputs, its use recorded.</summary>
    private string A(int layer) => _context.Buffer("a" + layer.ToString(CultureInfo.InvariantCulture));

    /// <summary>The block buffer of layer <paramref name="layer"/>'s outputs (the inputs for layer 0), its use recorded.</summary>
    private string H(int layer) => layer == 0 ? "inputs" : _context.Buffer("h" + layer.ToString(CultureInfo.InvariantCulture));

    /// <summary>The block buffer of layer <paramref name="layer"/>'s δ, its use recorded.</summary>
    private string D(int layer) => _context.Buffer("delta" + layer.ToString(CultureInfo.InvariantCulture));

    /// <summary>The start of example e's row in a buffer of rows <paramref name="width"/> wide.</summary>
    private static string RowStart(int width) => width == 1 ? "e" : $"e * {width}";

    private static string RowIndex(int width, Subscript index) =>
        index.IsConcrete
            ? index.Value == 0 ? RowStart(width) : $"{RowStart(width)} + {index.Value}"
            : $"{RowStart(width)} + {index.Name}";

    private static string Offset(int start, string offset) => start == 0 ? offset : $"{start} + {offset}";

    /// <summary>A derivation symbol in the block buffers (see <see cref="Access"/>).</summary>
    private string BufferIdentifier(Symbol symbol, SymbolRole role, int layer)
    {
        var index = symbol.Indices.Count > 0 ? symbol.Indices[0] : default;
        string Element(string buffer, int width) => _access == Access.Flat
            ? $"{buffer}[{(index.IsConcrete ? throw new InvalidOperationException($"{symbol} in an element-wise loop") : index.Name)}]"
            : $"{buffer}[{RowIndex(width, index)}]";

        string Parameter(int start, int width, Subscript from, Subscript to)
        {
            if (from.IsConcrete && to.IsConcrete)
            {
                return $"{_context.Parameters()}[{start + from.Value * width + to.Value}]";
            }

            var row = from.IsConcrete ? (from.Value * width).ToString(CultureInfo.InvariantCulture) : $"{from.Name} * {width}";
            var column = to.IsConcrete ? to.Value.ToString(CultureInfo.InvariantCulture) : to.Name;
            return $"{_context.Parameters()}[{start} + {row} + {column}]";
        }

        return role switch
        {
            SymbolRole.Input => Element("inputs", _spec.Inputs),
            SymbolRole.Output => Element(H(layer), _spec.UnitsOf(layer)),
            SymbolRole.PreActivation => Element(A(layer), _spec.UnitsOf(layer)),
            SymbolRole.Delta => Element(D(layer), _spec.UnitsOf(layer)),
            SymbolRole.Target => Element("targets", _spec.Outputs),
            SymbolRole.Weight => Parameter(WeightIndex(layer, 0, 0), _spec.UnitsOf(layer), symbol.Indices[0], symbol.Indices[1]),
            SymbolRole.Bias => Parameter(BiasIndex(layer, 0), 1, 0, index),
            SymbolRole.SoftmaxMax => $"max{layer}",
            SymbolRole.SoftmaxSum => $"sum{layer}",
            _ => throw new InvalidOperationException($"the symbol {symbol} has no place in generated code"),
        };
    }

    /// <summary>The static helpers of the loops: the scaled addition of spans, then those the code asked for (kernels, dot product, sigmoid and softmax of a span).</summary>
    private void WriteLoopHelpers()
    {
        var marshal = Marshal;
        var vectors = Vectors;
        var writableVectors = WritableVectors;
        var accelerated = Accelerated;

        _w.Doc("<summary>target[j] += scale · source[j] for every j, a SIMD vector at a time.</summary>");
        using (_w.Open($"{KernelAccess} static void __AddScaled({ReadOnlySpanType} source, {_type} scale, {SpanType} target)"))
        {
            _w.Line("int j = 0;");
            if (HasVectors)
            {
                using (_w.Open($"if ({accelerated})"))
                {
                    _w.Line($"{vectors} s = {marshal}.Cast<{_type}, {Vector}>(source);");
                    _w.Line($"{writableVectors} t = {marshal}.Cast<{_type}, {Vector}>(target);");
                    _w.Line($"{Vector} c = new {Vector}(scale);");
                    using (_w.Open("for (int v = 0; v < s.Length; v++)"))
                    {
                        _w.Line("t[v] += s[v] * c;");
                    }

                    _w.Line($"j = s.Length * {Vector}.Count;");
                }
            }

            using (_w.Open("for (; j < source.Length; j++)"))
            {
                _w.Line("target[j] += scale * source[j];");
            }
        }

        foreach (var helper in _helpers)
        {
            _w.Line();
            helper.Value();
        }

        _w.Line();
    }

    /// <summary>The dot product of the back-product along the rows of weights not kept transposed.</summary>
    private void WriteDot()
    {
        _w.Doc("<summary>Σ_j x[j] y[j], a SIMD vector at a time.</summary>");
        using (_w.Open($"{KernelAccess} static {_type} __Dot({ReadOnlySpanType} x, {ReadOnlySpanType} y)"))
        {
            _w.Line($"{_type} sum = {Literal(0)};");
            _w.Line("int j = 0;");
            if (HasVectors)
            {
                using (_w.Open($"if ({Accelerated} && x.Length >= {Vector}.Count)"))
                {
                    _w.Line($"{Vectors} xs = {Marshal}.Cast<{_type}, {Vector}>(x);");
                    _w.Line($"{Vectors} ys = {Marshal}.Cast<{_type}, {Vector}>(y);");
                    _w.Line($"{Vector} products = {Vector}.Zero;");
                    using (_w.Open("for (int v = 0; v < xs.Length; v++)"))
                    {
                        _w.Line("products += xs[v] * ys[v];");
                    }

                    _w.Line($"sum = global::System.Numerics.Vector.Dot(products, {Vector}.One);");
                    _w.Line($"j = xs.Length * {Vector}.Count;");
                }
            }

            using (_w.Open("for (; j < x.Length; j++)"))
            {
                _w.Line("sum += x[j] * y[j];");
            }

            _w.Line("return sum;");
        }
    }

    /// <summary>Where each layer's buffers start in the instance's scratch array, for a block of examples.</summary>
    private sealed class ScratchLayout
    {
        private readonly List<(string Name, int Offset, int Width)> _buffers = new();

        private readonly List<(string Name, int Offset, int Length)> _fixed = new();

        public ScratchLayout(NetworkSpec spec, bool single, IEnumerable<LayerWriter> writers, IReadOnlyList<bool> loops, int maxTransposed)
        {
            // Each row of the widest layer should stay in the first-level cache for a whole block; at most 32 examples,
            // and the scratch array stays within an int.
            var widest = spec.Layers.Max(l => l.Units);
            var units = spec.Layers.Sum(l => (long)l.Units);
            var bytes = (long)widest * (single ? 4 : 8);
            Block = (int)Math.Max(1, Math.Min(32, Math.Min(32768 / bytes, (1 << 24) / (3 * units + 2))));
            var offset = 0;
            for (var l = 1; l <= spec.Layers.Count; l++)
            {
                var width = spec.UnitsOf(l);
                foreach (var name in new[] { "a", "h", "delta" })
                {
                    _buffers.Add((name + l.ToString(CultureInfo.InvariantCulture), offset, width));
                    offset += Block * width;
                }
            }

            foreach (var (name, width) in writers.Select(w => w.ExtraBuffer).OfType<(string, int)>())
            {
                _buffers.Add((name, offset, width));
                offset += Block * width;
            }

            // The weights of layer l + 1 transposed, units(l + 1) rows of units(l), where the δ of layer l is a loop's product
            // (EmitOptions.MaxTransposedWeights).
            for (var l = 1; l < spec.Layers.Count; l++)
            {
                var weights = (long)spec.UnitsOf(l) * spec.UnitsOf(l + 1);
                if ((loops[l - 1] || loops[l]) && weights <= maxTransposed)
                {
                    _fixed.Add((TransposedName(l + 1), offset, (int)weights));
                    offset += (int)weights;
                }
            }

            Length = offset;
        }

        public int Block { get; }

        public int Length { get; }

        /// <summary>Where the outputs of layer <paramref name="layer"/> start.</summary>
        public int Outputs(int layer) => _buffers.First(b => b.Name == "h" + layer.ToString(CultureInfo.InvariantCulture)).Offset;

        /// <summary>The per-example buffers (<c>n × Width</c> elements in a block of n) and the fixed ones (<c>Length</c> elements).</summary>
        public IEnumerable<(string Name, int Offset, string Length)> Buffers() =>
            _buffers.Select(b => (b.Name, b.Offset, $"n * {b.Width.ToString(CultureInfo.InvariantCulture)}"))
                .Concat(_fixed.Select(b => (b.Name, b.Offset, b.Length.ToString(CultureInfo.InvariantCulture))));

        /// <summary>The buffer of layer <paramref name="layer"/>'s weights transposed, or null when the scratch does not hold it.</summary>
        public string? Transposed(int layer) => _fixed.Any(b => b.Name == TransposedName(layer)) ? TransposedName(layer) : null;

        /// <summary>Whether the scratch keeps any layer's weights transposed.</summary>
        public bool HasTransposed => _fixed.Count > 0;

        private static string TransposedName(int layer) => "weights" + layer.ToString(CultureInfo.InvariantCulture) + "T";
    }
}
