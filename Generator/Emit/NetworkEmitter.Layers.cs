using System.Collections.Generic;
using System.Linq;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Networks;
using static BackpropGen.Symbolic.Networks.NetworkSymbols;

namespace BackpropGen.Generator.Emit;

/// <summary>
/// What differs between kinds of layer in the generated code: how a layer's outputs come from its weighted inputs,
/// unrolled and in loops, what it keeps for the loss besides a, h and δ, and the helpers its loops call. The rest of
/// the emitter asks the layer's writer and never the kind.
/// </summary>
internal sealed partial class NetworkEmitter
{
    private readonly LayerWriter[] _writers;

    /// <summary>Helpers the loops call, by name, each written once after the phases that use them.</summary>
    private readonly List<KeyValuePair<string, System.Action>> _helpers = new();

    private LayerWriter Writer(LayerDerivation layer) => _writers[layer.Number - 1];

    /// <summary>Asks for a helper by name; it is written once, whoever asks.</summary>
    private void UseHelper(string name, System.Action write)
    {
        if (!_helpers.Any(h => h.Key == name))
        {
            _helpers.Add(new KeyValuePair<string, System.Action>(name, write));
        }
    }

    private abstract class LayerWriter
    {
        protected LayerWriter(NetworkEmitter emitter, LayerDerivation layer)
        {
            E = emitter;
            Layer = layer;
        }

        protected NetworkEmitter E { get; }

        protected LayerDerivation Layer { get; }

        /// <summary>The writer of <paramref name="layer"/>'s kind.</summary>
        public static LayerWriter For(NetworkEmitter emitter, LayerDerivation layer) =>
            layer.Kind is SoftmaxLayer ? new SoftmaxWriter(emitter, layer) : new ElementwiseWriter(emitter, layer);

        /// <summary>A buffer the layer keeps per example besides a, h and δ (name and width), or null.</summary>
        public virtual (string Name, int Width)? ExtraBuffer => null;

        /// <summary>Unrolled: the outputs from the weighted inputs in locals.</summary>
        public abstract void WriteOutputs();

        /// <summary>Loop form: the outputs of every example of the block from the weighted inputs in the buffers.</summary>
        public abstract void WriteLoopOutputs();

        /// <summary>In a block, after the unrolled outputs of example e: what the loss will read back.</summary>
        public virtual void StoreForLoss()
        {
        }

        /// <summary>Before the loss of example e: the values <paramref name="loss"/> reads that this layer kept.</summary>
        public virtual void LoadForLoss(Expr loss)
        {
        }
    }

    /// <summary>h_j = f(a_j) unit by unit: statements printed from the derivation, or one element-wise loop.</summary>
    private sealed class ElementwiseWriter : LayerWriter
    {
        public ElementwiseWriter(NetworkEmitter emitter, LayerDerivation layer) : base(emitter, layer)
        {
        }

        public override void WriteOutputs()
        {
            var l = Layer.Number;
            E.WriteGroup($"g{l}_", Enumerable.Range(0, Layer.Units).Select(j => new Statement(
                E.Identifier(Output(l, j)),
                Layer.OutputAt(j),
                E.OutputComment(Layer, j))));
        }

        public override void WriteLoopOutputs()
        {
            var l = Layer.Number;
            var comment = E.Equation(Output(l, Unit), Layer.Output, EquationLabels.Output(l));
            if (Layer.Activation.IsSigmoid)
            {
                E.UseHelper("__Sigmoid", WriteSigmoidHelper);
                E._w.Line($"__Sigmoid({E.A(l)}, {E.H(l)}); // {comment}, every unit of every example");
                return;
            }

            using (E._w.Open($"for (int j = 0; j < n * {Layer.Units}; j++)"))
            using (E._context.In(Access.Flat))
            {
                E.WriteGroup($"g{l}_", new[] { new Statement($"{E.H(l)}[j]", Layer.Output, comment) });
            }
        }

        private void WriteSigmoidHelper()
        {
            E._w.Doc($"<summary>h[j] = σ(a[j]) = 1 / (1 + e^(−a[j])) for every j{(E.HasVectorMath ? ", the exponentials a SIMD vector at a time" : "")}.</summary>");
            using (E._w.Open($"{E.KernelAccess} static void __Sigmoid({E.ReadOnlySpanType} a, {E.SpanType} h)"))
            {
                E._w.Line("int j = 0;");
                if (E.HasVectorMath)
                {
                    using (E._w.Open($"if ({E.Accelerated})"))
                    {
                        E._w.Line($"{E.Vectors} av = {E.Marshal}.Cast<{E._type}, {E.Vector}>(a);");
                        E._w.Line($"{E.WritableVectors} hv = {E.Marshal}.Cast<{E._type}, {E.Vector}>(h);");
                        using (E._w.Open("for (int v = 0; v < av.Length; v++)"))
                        {
                            E._w.Line($"hv[v] = {E.Vector}.One / ({E.Vector}.One + global::System.Numerics.Vector.Exp(-av[v]));");
                        }

                        E._w.Line($"j = av.Length * {E.Vector}.Count;");
                    }
                }

                using (E._w.Open("for (; j < a.Length; j++)"))
                {
                    E._w.Line($"h[j] = {E.Literal(1)} / ({E.Literal(1)} + {E.MathType}.Exp(-a[j]));");
                }
            }
        }
    }

    /// <summary>Softmax with the largest weighted input subtracted first: the same quotient, and no exponential can overflow.</summary>
    private sealed class SoftmaxWriter : LayerWriter
    {
        public SoftmaxWriter(NetworkEmitter emitter, LayerDerivation layer) : base(emitter, layer)
        {
        }

        private string Buffer => "softmax" + Layer.Number.ToString(System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>The largest weighted input m and the sum S of the example, for the loss computed from the weighted inputs.</summary>
        public override (string Name, int Width)? ExtraBuffer => (Buffer, 2);

        public override void WriteOutputs()
        {
            var l = Layer.Number;
            var inputs = Enumerable.Range(0, Layer.Units).Select(j => E.Identifier(PreActivation(l, j))).ToList();
            var max = inputs[0];
            foreach (var next in inputs.Skip(1))
            {
                max = E.MaxOf(max, next);
            }

            var m = SoftmaxMax(l);
            E._w.Line($"{E._localType} max{l} = {max}; // {E.Text(m)} = max{E.UnicodeIndex(Next)} {E.Text(PreActivation(l, Next))}: the softmax of eq. ({E.Number(EquationLabels.Output(l))}) is unchanged by subtracting it");
            for (var j = 0; j < Layer.Units; j++)
            {
                E._w.Line($"{E._localType} exp{l}_{j} = {E.ExpOf($"{inputs[j]} - max{l}")}; // {E.Text(Expr.Exp(new Sum(PreActivation(l, j), Expr.Negate(m))))}");
            }

            var sum = SoftmaxSum(l);
            E._w.Line($"{E._localType} sum{l} = {string.Join(" + ", Enumerable.Range(0, Layer.Units).Select(j => $"exp{l}_{j}"))}; // {E.Text(sum)} = {E.Text(new IndexedSum(Next, Expr.Exp(new Sum(PreActivation(l, Next), Expr.Negate(m)))))}");
            for (var j = 0; j < Layer.Units; j++)
            {
                E._w.Line($"{E.Declared(E.Identifier(Output(l, j)))} = exp{l}_{j} / sum{l}; // {E.Equation(Output(l, j), new Product(Expr.Exp(new Sum(PreActivation(l, j), Expr.Negate(m))), new Power(sum, Expr.Constant(-1, 1))), EquationLabels.Output(l))}");
            }
        }

        public override void WriteLoopOutputs()
        {
            var l = Layer.Number;
            var units = Layer.Units;
            var comment = E.Equation(Output(l, Unit), Layer.Output, EquationLabels.Output(l));
            E.UseHelper("__Softmax", WriteSoftmaxHelper);
            using (E._w.Open("for (int e = 0; e < n; e++)"))
            {
                E._w.Line($"__Softmax({E.A(l)}.Slice({RowStart(units)}, {units}), {E.H(l)}.Slice({RowStart(units)}, {units}), {E._context.Buffer(Buffer)}.Slice({RowStart(2)}, 2)); // {comment}");
            }
        }

        public override void StoreForLoss()
        {
            var l = Layer.Number;
            E._w.Line($"{E._context.Buffer(Buffer)}[{RowStart(2)}] = max{l}; // kept for the loss, which is computed from the weighted inputs");
            E._w.Line($"{Buffer}[{RowStart(2)} + 1] = sum{l};");
        }

        public override void LoadForLoss(Expr loss)
        {
            var l = Layer.Number;
            if (loss.Contains(SoftmaxMax(l)) || loss.Contains(SoftmaxSum(l)))
            {
                E._w.Line($"{E._type} max{l} = {E._context.Buffer(Buffer)}[{RowStart(2)}];");
                E._w.Line($"{E._type} sum{l} = {Buffer}[{RowStart(2)} + 1];");
            }
        }

        private void WriteSoftmaxHelper()
        {
            E._w.Doc("<summary>\nh = softmax(a) with the largest a subtracted first, so no exponential overflows; writes that largest a and\nthe sum of the exponentials to <paramref name=\"maxAndSum\"/>, for the loss.\n</summary>");
            using (E._w.Open($"{E.KernelAccess} static void __Softmax({E.ReadOnlySpanType} a, {E.SpanType} h, {E.SpanType} maxAndSum)"))
            {
                E._w.Line($"{E._type} max = a[0];");
                using (E._w.Open("for (int j = 1; j < a.Length; j++)"))
                {
                    E._w.Line($"max = {E.MathType}.Max(max, a[j]);");
                }

                E._w.Line("int k = 0;");
                if (E.HasVectorMath)
                {
                    using (E._w.Open($"if ({E.Accelerated})"))
                    {
                        E._w.Line($"{E.Vectors} av = {E.Marshal}.Cast<{E._type}, {E.Vector}>(a);");
                        E._w.Line($"{E.WritableVectors} hv = {E.Marshal}.Cast<{E._type}, {E.Vector}>(h);");
                        E._w.Line($"{E.Vector} m = new {E.Vector}(max);");
                        using (E._w.Open("for (int v = 0; v < av.Length; v++)"))
                        {
                            E._w.Line("hv[v] = global::System.Numerics.Vector.Exp(av[v] - m);");
                        }

                        E._w.Line($"k = av.Length * {E.Vector}.Count;");
                    }
                }

                using (E._w.Open("for (; k < a.Length; k++)"))
                {
                    E._w.Line($"h[k] = {E.MathType}.Exp(a[k] - max);");
                }

                E._w.Line($"{E._type} sum = {E.Literal(0)};");
                using (E._w.Open("for (int j = 0; j < h.Length; j++)"))
                {
                    E._w.Line("sum += h[j];");
                }

                using (E._w.Open("for (int j = 0; j < h.Length; j++)"))
                {
                    E._w.Line("h[j] /= sum;");
                }

                E._w.Line("maxAndSum[0] = max;");
                E._w.Line("maxAndSum[1] = sum;");
            }
        }
    }
}
