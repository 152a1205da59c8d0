using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BackpropGen.Generator.Model;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Networks;
using BackpropGen.Symbolic.Printing;
using static BackpropGen.Symbolic.Networks.NetworkSymbols;

namespace BackpropGen.Generator.Emit;

/// <summary>
/// Examples in SIMD lanes, for networks whose every layer is unrolled: the straight-line code of one example, printed
/// again with every value a <c>Vector512&lt;T&gt;</c> or <c>Vector256&lt;T&gt;</c> of consecutive examples, one per lane.
/// The inputs and targets of W examples are transposed into lanes, each parameter's gradient is summed in a vector and
/// added horizontally once per call, and the examples left over (fewer than W) run the scalar code. The width is chosen
/// at run time: 512 bits where <c>Vector512.IsHardwareAccelerated</c> (networks of up to 128 parameters), then 256 bits
/// for what is left, then scalars.
/// Exponentials are a polynomial and functions without a vector form (tanh, sin, cos, a non-integer power) are computed
/// lane by lane with the scalar method: the runtime library's <c>LaneMath</c> where the compilation has it, else the same
/// written into the network as <c>__Exp</c>, <c>__Tanh</c>, …. Logarithms are <c>LaneMath.Log</c> (inlined) where the
/// runtime has it, else the vector class's <c>Log</c>.
/// </summary>
internal sealed partial class NetworkEmitter
{
    /// <summary>The widths the lanes are written for, widest first; empty where the compilation lacks the APIs or a layer is a loop.</summary>
    private LaneWidth[] _laneWidths = Array.Empty<LaneWidth>();

    /// <summary>The width whose code is being written; null while scalar code is.</summary>
    private LaneWidth? _lane;

    /// <summary>True once lanes code asked for <c>__Exp</c> outside the printer (the softmax).</summary>
    private bool _lanesUseExp;

    /// <summary>The printer of the code being written: the lanes printer of the width being written, else the scalar one.</summary>
    private CSharpPrinter _printer => _lane?.Printer ?? _scalarPrinter;

    /// <summary>The type of a local of the code being written: the vector type in lanes, else the number type.</summary>
    private string _localType => _lane?.Type ?? _type;

    private bool HasLanes => _laneWidths.Length > 0;

    /// <summary>True where the runtime library's <c>LaneMath</c> provides the lanes' exponential and lane-by-lane functions.</summary>
    private bool HasLaneMath => (_options.Vectors & VectorSupport.LaneMath) != 0;

    /// <summary>The method of a lanes function by its name in the expression language: the runtime's, else the network's own.</summary>
    private string LaneFunction(string name)
    {
        var method = char.ToUpperInvariant(name[0]) + name.Substring(1);
        return HasLaneMath ? "global::BackpropGen.Runtime.LaneMath." + method : "__" + method;
    }

    /// <summary>A SIMD width of the lanes and its printer.</summary>
    private sealed class LaneWidth
    {
        public LaneWidth(NetworkEmitter emitter, int bits)
        {
            Bits = bits;
            Class = "global::System.Runtime.Intrinsics.Vector" + bits.ToString(CultureInfo.InvariantCulture);
            Type = $"{Class}<{emitter._type}>";
            Count = emitter._single ? bits / 32 : bits / 64;
            Printer = new CSharpPrinter(new CSharpPrinterOptions
            {
                Precision = emitter._options.Precision,
                QualifyNames = true,
                SymbolName = s => TryClassify(s, out var role, out _) && role is SymbolRole.Weight or SymbolRole.Bias
                    ? $"{Class}.Create({emitter.Identifier(s)})"
                    : emitter.Identifier(s),
                SquareFunction = Square,
                Lanes = Class,
                LaneHelper = name => emitter.LaneFunction(name),
                LogByLaneHelper = emitter.HasLaneMath,
            });
        }

        public int Bits { get; }

        /// <summary>The static class: <c>global::System.Runtime.Intrinsics.Vector512</c>.</summary>
        public string Class { get; }

        /// <summary>The vector type: <c>global::System.Runtime.Intrinsics.Vector512&lt;double&gt;</c>.</summary>
        public string Type { get; }

        /// <summary>Examples per vector.</summary>
        public int Count { get; }

        public CSharpPrinter Printer { get; }

        public string Accelerated => Class + ".IsHardwareAccelerated";

        public string Suffix => Bits.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Networks of at most this many parameters get 512-bit lanes besides the 256-bit ones; larger ones only 256-bit lanes,
    /// since each width writes the whole example again (a line per parameter), and AVX-512 machines run 256 bits too.
    /// </summary>
    private const int MaxParametersForTwoWidths = 128;

    /// <summary>Called once by the constructor: the lane widths, when every layer is unrolled and the compilation has the APIs.</summary>
    private void ChooseLaneWidths()
    {
        if (_scratch is null && (_options.Vectors & VectorSupport.Lanes) != 0)
        {
            _laneWidths = _spec.ParameterCount <= MaxParametersForTwoWidths
                ? new[] { new LaneWidth(this, 512), new LaneWidth(this, 256) }
                : new[] { new LaneWidth(this, 256) };
        }
    }

    /// <summary>Writes code of width <paramref name="lane"/> until the returned scope is disposed.</summary>
    private IDisposable InLanes(LaneWidth lane)
    {
        _lane = lane;
        return new LaneScope(this);
    }

    private sealed class LaneScope : IDisposable
    {
        private readonly NetworkEmitter _emitter;

        public LaneScope(NetworkEmitter emitter) => _emitter = emitter;

        public void Dispose() => _emitter._lane = null;
    }

    /// <summary>The larger of two values of the code being written (<c>Math.Max</c>, or the vector class's in lanes).</summary>
    private string MaxOf(string a, string b) => $"{_lane?.Class ?? MathType}.Max({a}, {b})";

    /// <summary>e^x of the code being written (<c>Math.Exp</c>, or <c>LaneMath.Exp</c> / <c>__Exp</c> in lanes).</summary>
    private string ExpOf(string x)
    {
        if (_lane is null)
        {
            return $"{MathType}.Exp({x})";
        }

        _lanesUseExp = true;
        return $"{LaneFunction("exp")}({x})";
    }

    /// <summary>
    /// Before the scalar loop over examples from <c>e</c> to <paramref name="end"/>: the calls of the lanes methods
    /// (<paramref name="call"/> with {0} for the method's name), each width taking the examples its vectors fill. Returns
    /// the header of the scalar loop, which takes the rest.
    /// </summary>
    private string WriteLanesBefore(string start, string end, string call)
    {
        if (!HasLanes)
        {
            return $"for (int e = {start}; e < {end}; e++)";
        }

        _w.Line($"int e = {start};");
        foreach (var lane in _laneWidths)
        {
            using (_w.Open($"if ({lane.Accelerated} && {end} - e >= {lane.Count})"))
            {
                _w.Line(string.Format(CultureInfo.InvariantCulture, call, lane.Suffix) + $" // {lane.Count} examples at a time in {lane.Bits}-bit lanes");
            }
        }

        return $"for (; e < {end}; e++)";
    }

    /// <summary>
    /// <c>__ForwardRange</c> or <c>__AccumulateRange</c> with its arguments: of the loop form, or the one method
    /// <c>__Examples&lt;TPass&gt;</c> of the unrolled form with the pass as its type argument.
    /// </summary>
    private string RangeCall(bool gradient, string p, string inputs, string targets, string outputs, string start, string end, string sums)
    {
        if (_scratch is not null)
        {
            return gradient ? $"__AccumulateRange({p}, {inputs}, {targets}, {start}, {end}, {sums})" : $"__ForwardRange({p}, {inputs}, {start}, {end}, {outputs})";
        }

        return gradient
            ? $"__Examples<__GradientPass>({p}, {inputs}, {targets}, default, {start}, {end}, {sums})"
            : $"__Examples<__ForwardPass>({p}, {inputs}, default, {outputs}, {start}, {end}, default)";
    }

    /// <summary>The condition, in code of the unrolled form, that the pass being compiled is the forward one.</summary>
    private const string IsForwardPass = "typeof(TPass) == typeof(__ForwardPass)";

    /// <summary>
    /// <c>__Examples&lt;TPass&gt;</c> of the unrolled form: examples [start, end), in lanes where the compilation has them, then
    /// one at a time; with <c>__ForwardPass</c> their outputs, with <c>__GradientPass</c> their gradients added to the gradient
    /// and the sum of their losses. The pass is a struct type argument, so the JIT compiles each pass on its own with the
    /// other's branch removed: one body shared by <c>ForwardBatch</c> and the batch gradient, at no cost to either. It reads
    /// nothing of the instance, so any range can run on any thread.
    /// </summary>
    private void WriteExamples()
    {
        _w.Doc($"<summary>\nExamples [<paramref name=\"start\"/>, <paramref name=\"end\"/>) with parameters <paramref name=\"p\"/>{(HasLanes ? ", whole SIMD vectors of them in lanes,\nthe rest one at a time" : "")}: with <see cref=\"__ForwardPass\"/> writes their outputs to the same rows of\n<paramref name=\"outputs\"/> and returns 0; with <see cref=\"__GradientPass\"/> adds their gradients to <paramref name=\"gradient\"/>\nand returns the sum of their losses.\n</summary>");
        using (_w.Open($"private static {_type} __Examples<TPass>({_type}[] p, {ReadOnlySpanType} inputs, {ReadOnlySpanType} targets, {SpanType} outputs, int start, int end, {SpanType} gradient) where TPass : struct"))
        {
            _w.Line($"{_type} total = {Literal(0)};");
            using (_w.Open(WriteLanesBefore("start", "end", "total += __Lanes{0}<TPass>(p, inputs, targets, outputs, ref e, end, gradient);")))
            {
                _w.Line("int inputRow = e * InputCount;");
                _w.Line("int outputRow = e * OutputCount;");
                WriteLoadInputs("inputs", "inputRow");
                WriteForwardPass();
                using (_w.Open($"if ({IsForwardPass})"))
                {
                    for (var j = 0; j < _spec.Outputs; j++)
                    {
                        _w.Line($"outputs[{Offset("outputRow", j)}] = {Identifier(Output(LayerCount, j))};");
                    }

                    _w.Line("continue;");
                }

                WriteLoadTargets("targets", "outputRow");
                WriteLossValue();
                WriteBackwardPass();
                _w.Line("total += loss;");
                WriteParameterGradients((index, value) => $"gradient[{index}] += {_printer.Print(value)};");
            }

            _w.Line("return total;");
        }

        _w.Line();
        foreach (var lane in _laneWidths)
        {
            WriteLanes(lane);
        }

        InKernels(() =>
        {
            _w.Line($"{KernelAccess} struct __ForwardPass {{ }} // the type argument of __Examples that computes outputs");
            _w.Line($"{KernelAccess} struct __GradientPass {{ }} // the type argument of __Examples that computes gradients and losses");
            _w.Line();
        });
    }

    /// <summary>One width's lanes of <c>__Examples</c>.</summary>
    private void WriteLanes(LaneWidth lane)
    {
        var v = lane.Class;
        _w.Doc($"<summary>\nThe examples from <paramref name=\"start\"/> on, {lane.Count} at a time while {lane.Count} remain before <paramref name=\"end\"/>, each\nvalue a vector of them, as <see cref=\"__Examples\"/> computes them (each gradient summed in its vector, added once at the\nend); advances <paramref name=\"start\"/> past them.\n</summary>");
        using (_w.Open($"private static {_type} __Lanes{lane.Suffix}<TPass>({_type}[] p, {ReadOnlySpanType} inputs, {ReadOnlySpanType} targets, {SpanType} outputs, ref int start, int end, {SpanType} gradient) where TPass : struct"))
        using (InLanes(lane))
        {
            _w.Line($"global::System.Span<{lane.Type}> sums = {IsForwardPass} ? default : stackalloc {lane.Type}[ParameterCount];");
            _w.Line($"{lane.Type} total = {lane.Type}.Zero;");
            _w.Line("int e = start;");
            using (_w.Open($"for (; e <= end - {lane.Count}; e += {lane.Count})"))
            {
                _w.Line("int inputRow = e * InputCount;");
                _w.Line("int outputRow = e * OutputCount;");
                WriteLaneLoads("inputs", "inputRow", "InputCount", _spec.Inputs, i => Identifier(Output(0, i)));
                WriteForwardPass();
                using (_w.Open($"if ({IsForwardPass})"))
                {
                    if (_spec.Outputs == 1)
                    {
                        _w.Line($"{v}.CopyTo({Identifier(Output(LayerCount, 0))}, outputs.Slice(outputRow)); // one output: the examples' outputs are consecutive");
                    }
                    else
                    {
                        using (_w.Open($"for (int k = 0; k < {lane.Count}; k++)"))
                        {
                            for (var j = 0; j < _spec.Outputs; j++)
                            {
                                _w.Line($"outputs[outputRow + k * OutputCount + {j}] = {Identifier(Output(LayerCount, j))}[k];");
                            }
                        }
                    }

                    _w.Line("continue;");
                }

                WriteLaneLoads("targets", "outputRow", "OutputCount", _spec.Outputs, j => Identifier(Target(j)));
                WriteLossValue();
                WriteBackwardPass();
                _w.Line("total += loss;");
                WriteParameterGradients((index, value) => $"sums[{index}] = {LaneSum($"sums[{index}]", value)};");
            }

            _w.Line("start = e;");
            using (_w.Open("for (int k = 0; k < sums.Length; k++)"))
            {
                _w.Line($"gradient[k] += {v}.Sum(sums[k]);");
            }

            _w.Line($"return {v}.Sum(total);");
        }

        _w.Line();
    }

    /// <summary><paramref name="sum"/> + <paramref name="term"/> in lanes, fused where the term is a product of two values (δ h).</summary>
    private string LaneSum(string sum, Expr term) =>
        term is Product { Factors.Count: 2 } product && product.Factors.All(f => f is not BackpropGen.Symbolic.Number)
            ? $"{_lane!.Class}.FusedMultiplyAdd({_printer.Print(product.Factors[0])}, {_printer.Print(product.Factors[1])}, {sum})"
            : $"{sum} + {_printer.Print(term)}";

    /// <summary>Rows of at most this many values are transposed into lanes by shuffles of whole vectors; wider ones lane by lane.</summary>
    private const int MaxShuffledColumns = 4;

    /// <summary>
    /// Column <c>i</c> of the rows of W consecutive examples, for each of the <paramref name="count"/> columns: the i-th
    /// value of each example in its lane. Narrow rows are loaded as <paramref name="count"/> whole vectors and each column
    /// gathered from them by shuffles (an index past the vector selects 0) joined with |.
    /// </summary>
    private void WriteLaneLoads(string span, string row, string width, int count, Func<int, string> name)
    {
        var lane = _lane!;
        if (count <= MaxShuffledColumns)
        {
            for (var s = 0; s < count; s++)
            {
                _w.Line($"{lane.Type} {span}{s} = {lane.Class}.Create({span}.Slice({row}{(s == 0 ? "" : $" + {s * lane.Count}")}));");
            }

            var suffix = _single ? "" : "L";
            for (var i = 0; i < count; i++)
            {
                var parts = new List<string>();
                for (var s = 0; s < count; s++)
                {
                    var indices = Enumerable.Range(0, lane.Count).Select(m => m * count + i).Select(g => g / lane.Count == s ? g % lane.Count : lane.Count).ToList();
                    if (indices.Any(k => k < lane.Count))
                    {
                        parts.Add($"{lane.Class}.Shuffle({span}{s}, {lane.Class}.Create({string.Join(", ", indices.Select(k => k.ToString(CultureInfo.InvariantCulture) + suffix))}))");
                    }
                }

                _w.Line($"{lane.Type} {name(i)} = {string.Join(" | ", parts)}; // column {i} of the {lane.Count} rows");
            }

            return;
        }

        for (var i = 0; i < count; i++)
        {
            var lanes = Enumerable.Range(0, _lane!.Count).Select(k => $"{span}[{row} + {(k == 0 ? "" : k.ToString(CultureInfo.InvariantCulture) + " * " + width + " + ")}{i}]");
            _w.Line($"{_lane.Type} {name(i)} = {_lane.Class}.Create({string.Join(", ", lanes)});");
        }
    }

    /// <summary>The helpers the lanes code called, per width: <c>__Square</c>, and <c>__Exp</c> and the lane-by-lane functions where the runtime's <c>LaneMath</c> is missing.</summary>
    private void WriteLaneHelpers()
    {
        foreach (var lane in _laneWidths)
        {
            var used = new SortedSet<string>(lane.Printer.UsedLaneHelpers, StringComparer.Ordinal);
            if (_lanesUseExp)
            {
                used.Add("exp");
            }

            foreach (var function in HasLaneMath ? Enumerable.Empty<string>() : used)
            {
                if (function == "exp")
                {
                    WriteLaneExp(lane);
                }
                else
                {
                    WriteLaneByLane(lane, function);
                }
            }

            if (lane.Printer.UsesSquareFunction)
            {
                _w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]");
                _w.Line($"{KernelAccess} static {lane.Type} {Square}({lane.Type} value) => value * value;");
                _w.Line();
            }
        }
    }

    /// <summary>The scalar <c>Math</c> method of a function the vector classes lack, by its name in the expression language.</summary>
    private static readonly IReadOnlyDictionary<string, string> LaneByLaneMethods = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["tanh"] = "Tanh",
        ["sin"] = "Sin",
        ["cos"] = "Cos",
        ["pow"] = "Pow",
    };

    /// <summary>A function without a vector form, lane by lane with the scalar method: the same values as the scalar code.</summary>
    private void WriteLaneByLane(LaneWidth lane, string function)
    {
        var method = LaneByLaneMethods[function];
        var binary = function == "pow";
        _w.Doc($"<summary>{method} of every lane, one lane at a time: the vector classes have no {function}.</summary>");
        using (_w.Open($"{KernelAccess} static {lane.Type} __{method}({lane.Type} x{(binary ? $", {lane.Type} y" : "")})"))
        {
            _w.Line($"global::System.Span<{_type}> lanes = stackalloc {_type}[{lane.Count}];");
            _w.Line($"{lane.Class}.CopyTo(x, lanes);");
            using (_w.Open("for (int k = 0; k < lanes.Length; k++)"))
            {
                _w.Line($"lanes[k] = {MathType}.{method}(lanes[k]{(binary ? ", y[k]" : "")});");
            }

            _w.Line($"return {lane.Class}.Create<{_type}>(lanes);");
        }

        _w.Line();
    }

    /// <summary>
    /// e^x in every lane: x = n ln 2 + r with n the nearest integer to x / ln 2 (rounded by adding and subtracting
    /// 1.5 · 2^52, or 1.5 · 2^23 in float) and |r| ≤ ln 2 / 2 (ln 2 in two parts, so r is exact), e^r by its Taylor
    /// polynomial (degree 13 in double, 7 in float), then scaled by 2^n as 2^(n − m) · 2^m with m ≈ n/2, each factor a
    /// normal number built in the exponent bits: so e^x overflows to ∞ and underflows through the subnormals to 0 where
    /// <c>Math.Exp</c> does. x is clamped to [−760, 720] ([−104, 89] in float), beyond which e^x is 0 or ∞ anyway; NaN
    /// stays NaN. Relative error under 2 ulp against <c>Math.Exp</c> / <c>MathF.Exp</c> (tested over ±750).
    /// </summary>
    private void WriteLaneExp(LaneWidth lane)
    {
        var v = lane.Class;
        var t = lane.Type;
        var bits = _single ? "Int32" : "Int64";
        string C(double value) => $"{v}.Create({Literal(value)})";
        var shift = _single ? 12582912.0 : 6755399441055744.0;
        var degree = _single ? 7 : 13;
        _w.Doc($"<summary>\ne^x in every lane, within 2 ulp of <c>{MathType.Replace("global::System.", "")}.Exp</c>: the nearest n to x / ln 2, e^r for r = x − n ln 2 by its Taylor\npolynomial of degree {degree}, times 2^n built in the exponent bits in two halves, so that large x overflow to ∞ and\nvery negative x underflow through the subnormals to 0 as the scalar exponential does.\n</summary>");
        _w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]");
        using (_w.Open($"{KernelAccess} static {t} __Exp({t} x)"))
        {
            _w.Line($"{t} shift = {C(shift)}; // adding and subtracting 1.5 · 2^{(_single ? 23 : 52)} rounds to an integer");
            _w.Line($"x = {v}.Min({v}.Max(x, {C(_single ? -104 : -760)}), {C(_single ? 89 : 720)}); // e^x is 0 or ∞ beyond; NaN stays NaN");
            _w.Line($"{t} n = {v}.FusedMultiplyAdd(x, {C(1 / Math.Log(2))}, shift) - shift; // the nearest integer to x / ln 2");
            _w.Line($"{t} r = {v}.FusedMultiplyAdd(n, {C(_single ? -0.693359375 : -0.6931471803691238)}, x); // r = x − n ln 2, ln 2 in two parts: the first product is exact");
            _w.Line($"r = {v}.FusedMultiplyAdd(n, {C(_single ? 2.12194440e-4 : -1.9082149292705877e-10)}, r);");
            var factorial = 1.0;
            for (var k = 1; k <= degree; k++)
            {
                factorial *= k;
            }

            _w.Line($"{t} e = {C(1 / factorial)}; // e^r = Σ r^k / k!");
            for (var k = degree - 1; k >= 0; k--)
            {
                factorial /= k + 1;
                _w.Line($"e = {v}.FusedMultiplyAdd(e, r, {C(1 / factorial)});");
            }

            _w.Line($"{t} half = {v}.FusedMultiplyAdd(n, {C(0.5)}, shift) - shift; // 2^n = 2^half · 2^(n − half), both normal");
            _w.Line($"{t} bias = {C((_single ? 127 : 1023) + shift)}; // the exponent bias, in the low bits after the shift");
            var number = _single ? "Single" : "Double";
            _w.Line($"{t} first = {v}.As{number}({v}.ShiftLeft({v}.As{bits}(half + bias), {(_single ? 23 : 52)}));");
            _w.Line($"{t} second = {v}.As{number}({v}.ShiftLeft({v}.As{bits}(n - half + bias), {(_single ? 23 : 52)}));");
            _w.Line("return e * first * second;");
        }

        _w.Line();
    }
}
