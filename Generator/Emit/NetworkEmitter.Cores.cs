using System;
using System.Globalization;
using System.Linq;
using BackpropGen.Generator.Model;

namespace BackpropGen.Generator.Emit;

/// <summary>
/// Batches on several cores. <c>ForwardBatch</c>, <c>BatchGradient</c> and <c>TrainBatch</c> split a large batch into slots of
/// whole blocks whose number depends on the batch size alone (1, 2 or 4); each slot is computed by one call of the range
/// body, into a gradient of its own, and the slots' gradients and losses are added in slot order. The sums are then the
/// same whichever thread computes a slot and however many cores there are. The split itself is the runtime library's
/// <c>BackpropGen.Runtime.BatchSlots&lt;T&gt;</c> (its build for .NET 8 and later): each network gets a small nested
/// <c>__Workers</c> derived from it with its sizes and per-range bodies. A compilation without it gets the same slots
/// one after another on the calling thread (<c>__AccumulateSlots</c>), so its sums are the same bit for bit.
/// </summary>
internal sealed partial class NetworkEmitter
{
    /// <summary>The most slots a batch is split into: as many cores as one call can use (the runtime's <c>BatchSlots&lt;T&gt;.MaxSlots</c>).</summary>
    private const int MaxSlots = 4;

    /// <summary>The forward pass alone is about a third of the work of an example's gradient.</summary>
    private const int ForwardShare = 3;

    /// <summary>
    /// An unrolled layer's parameter costs about this many times a loop layer's per example (scalar statements against SIMD
    /// kernels): 2.1 ns against 0.2 ns in the <c>CoreThreshold</c> benchmarks of 4-8-3 and 64-32-10.
    /// </summary>
    private const int UnrolledCost = 10;

    /// <summary>The work of one example's gradient in units of a loop layer's parameter.</summary>
    private long WorkPerExample
    {
        get
        {
            long work = 0;
            for (var l = 1; l <= LayerCount; l++)
            {
                var parameters = (long)(_spec.UnitsOf(l - 1) + 1) * _spec.UnitsOf(l);
                work += IsLoop(l) ? parameters : UnrolledCost * parameters;
            }

            return work;
        }
    }

    /// <summary>
    /// What slot boundaries are multiples of: a block of the loop form, the widest lane of unrolled code in SIMD
    /// lanes (so a split batch takes its examples in the same vectors as the whole one), else one example.
    /// </summary>
    private int Granule => _scratch?.Block ?? (HasLanes ? _laneWidths.Max(l => l.Count) : 1);

    private int SlotExamples => RoundUp(Math.Max(_options.MinSlotRows, CeilingDivide(_options.MinSlotWork, WorkPerExample)));

    private int ForwardSlotExamples => RoundUp(CeilingDivide(_options.MinSlotWork * ForwardShare, WorkPerExample));

    private int RoundUp(long examples)
    {
        var granules = Math.Max(1, CeilingDivide(Math.Min(examples, int.MaxValue / 2), Granule));
        return (int)Math.Min(int.MaxValue / 8, granules * Granule);
    }

    private static long CeilingDivide(long value, long divisor) => (value + divisor - 1) / divisor;

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Whether the compilation references the runtime library's <c>BatchSlots&lt;T&gt;</c> (its build for .NET 8 and later): then the
    /// slots run on several cores through a nested <c>__Workers</c> derived from it, else one after another on the calling thread.
    /// </summary>
    private bool HasBatchSlots => (_options.Vectors & VectorSupport.BatchSlots) != 0;

    /// <summary>What slot boundaries are whole multiples of, in the documentation.</summary>
    private string GranuleUnit => _scratch is null ? (HasLanes ? "vectors of the widest lane" : "examples") : "blocks";

    private string ParallelismSentence => HasBatchSlots
        ? $"<c>ForwardBatch</c> (from {Int(2 * ForwardSlotExamples)} examples), <c>BatchGradient</c> and <c>TrainBatch</c> (from {Int(2 * SlotExamples)} examples) split a batch into 2 slots (4 from 8 times as many)\n"
            + "computed on up to <see cref=\"MaxDegreeOfParallelism\"/> cores; the slots depend on the batch size alone, so the results are the\n"
            + "same bit for bit on any number of cores."
        : $"<c>BatchGradient</c> and <c>TrainBatch</c> split a batch into 2 slots from {Int(2 * SlotExamples)} examples (4 from 8 times as many), computed\n"
            + "one after another on the calling thread: this compilation does not reference <c>BackpropGen.Runtime.BatchSlots</c> (the BackpropGen\n"
            + "library's build for .NET 8 and later), which runs them on several cores. The sums are those it computes, bit for bit.";

    /// <summary>The constants of the split, the degree of parallelism and its property.</summary>
    private void WriteParallelState()
    {
        _w.Doc($"<summary>The fewest examples of a slot of <see cref=\"__AccumulateBatch\"/>: about {_options.MinSlotWork.ToString(CultureInfo.InvariantCulture)} (examples × parameters of loop layers, {Int(UnrolledCost)} × of unrolled ones) of work, and at least {Int(_options.MinSlotRows)} examples.</summary>");
        _w.Line($"private const int __SlotExamples = {Int(SlotExamples)};");
        _w.Line();
        if (HasBatchSlots)
        {
            _w.Doc("<summary>The fewest examples of a slot of <see cref=\"ForwardBatch\"/>, whose examples are a third of the work of a gradient's.</summary>");
            _w.Line($"private const int __ForwardSlotExamples = {Int(ForwardSlotExamples)};");
            _w.Line();
        }

        _w.Line("private int __maxDegreeOfParallelism = -1;");
        _w.Line();
        var cores = HasBatchSlots
            ? ""
            : "\n<para>Several cores need <c>BackpropGen.Runtime.BatchSlots</c>, in the BackpropGen library's build for .NET 8 and later; this\ncompilation does not reference it, so every batch runs on the calling thread whatever the value.</para>";
        _w.Doc($"<summary>\nThe most cores one call of <see cref=\"ForwardBatch\"/>, <see cref=\"BatchGradient\"/> or <see cref=\"TrainBatch\"/> uses: −1 (the\ndefault) for every core of the machine, 1 for the calling thread alone. The results do not depend on it.\n</summary>{(cores.Length == 0 ? "" : "\n<remarks>" + cores.Substring(1) + "</remarks>")}\n<exception cref=\"global::System.ArgumentOutOfRangeException\">The value is 0 or less than −1.</exception>");
        using (_w.Open("public int MaxDegreeOfParallelism"))
        {
            _w.Line("get => __maxDegreeOfParallelism;");
            using (_w.Open("set"))
            {
                using (_w.Open("if (value == 0 || value < -1)"))
                {
                    _w.Line("throw new global::System.ArgumentOutOfRangeException(nameof(value), value, \"MaxDegreeOfParallelism is -1 (every core) or at least 1.\");");
                }

                _w.Line();
                _w.Line("__maxDegreeOfParallelism = value;");
            }
        }

        _w.Line();
    }

    /// <summary>How many slots a batch has, and what runs them: the runtime's slots on several cores, or the calling thread.</summary>
    private void WriteWorkers()
    {
        _w.Doc($"<summary>\nThe slots a batch of <paramref name=\"count\"/> examples is split into: 2 from 2 × <paramref name=\"perSlot\"/> examples, 4 from 16 ×, as each\nslot's gradient costs one more addition over the parameters. It depends on the batch size alone, never on the cores, so the sums\ncome out the same on any machine.\n</summary>");
        using (_w.Open("private static int __Slots(int count, int perSlot)"))
        {
            _w.Line("int slots = 1;");
            using (_w.Open($"while (slots < {Int(MaxSlots)} && count / (2 * slots) >= perSlot * slots * slots)"))
            {
                _w.Line("slots *= 2;");
            }

            _w.Line();
            _w.Line("return slots;");
        }

        _w.Line();
        if (HasBatchSlots)
        {
            WriteWorkersClass();
        }
        else
        {
            WriteCallingThreadSlots();
        }
    }

    /// <summary>
    /// The network's part of the runtime's <c>BatchSlots&lt;T&gt;</c>, which holds the whole split (the slots, the caller's spans
    /// pinned for the pool's threads, the slot-order sums): its sizes, one instance per calling thread, and its two per-range bodies.
    /// </summary>
    private void WriteWorkersClass()
    {
        var t = _type;
        var span = $"global::System.Span<{t}>";
        var readOnly = $"global::System.ReadOnlySpan<{t}>";
        _w.Doc($"<summary>\nThis network's slots of a large batch, on up to <see cref=\"MaxDegreeOfParallelism\"/> cores: slot s holds the examples [start(s), start(s + 1)),\nstart(s) = ⌊s · granules / slots⌋ whole {GranuleUnit}, each computed by one call and added in slot order (see\n<see cref=\"global::BackpropGen.Runtime.BatchSlots{{T}}\"/>). One per calling thread, so that methods that do not train can run on one\ninstance from several threads at once.\n</summary>");
        using (_w.Open($"private sealed class __Workers : global::BackpropGen.Runtime.BatchSlots<{t}>"))
        {
            _w.Line("[global::System.ThreadStatic]");
            _w.Line("private static __Workers? _current;");
            _w.Line();
            _w.Line($"private __Workers() : base(ParameterCount, InputCount, OutputCount, {Int(Granule)})");
            _w.Line("{");
            _w.Line("}");
            _w.Line();
            _w.Doc("<summary>This thread's slots, allocated on its first large batch.</summary>");
            _w.Line("public static __Workers Current => _current ??= new __Workers();");
            _w.Line();
            _w.Line($"protected override {t} AccumulateRange({t}[] parameters, {readOnly} inputs, {readOnly} targets, int start, int end, {span} gradient) =>");
            _w.Line($"    {RangeCall(true, "parameters", "inputs", "targets", "", "start", "end", "gradient")};");
            _w.Line();
            _w.Line($"protected override void ForwardRange({t}[] parameters, {readOnly} inputs, int start, int end, {span} outputs) =>");
            _w.Line($"    {RangeCall(false, "parameters", "inputs", "", "outputs", "start", "end", "")};");
        }

        _w.Line();
    }

    /// <summary>
    /// Without the runtime's <c>BatchSlots&lt;T&gt;</c>: the same slots one after another on the calling thread, so a
    /// batch's sums are those the runtime computes on any number of cores.
    /// </summary>
    private void WriteCallingThreadSlots()
    {
        var t = _type;
        var span = $"global::System.Span<{t}>";
        var readOnly = $"global::System.ReadOnlySpan<{t}>";
        var granule = Int(Granule);
        _w.Doc("<summary>The gradient of a slot after the first, one per thread; allocated by the thread's first split batch.</summary>");
        _w.Line("[global::System.ThreadStatic]");
        _w.Line($"private static {t}[]? __slotGradient;");
        _w.Line();
        _w.Doc($"<summary>\nThe slots of a batch one after another on the calling thread, as <c>BackpropGen.Runtime.BatchSlots</c> computes them on several\ncores: slot s holds the examples [start(s), start(s + 1)), start(s) = ⌊s · granules / slots⌋ whole {GranuleUnit}, each by one\ncall; slot 0 into <paramref name=\"gradient\"/>, each other into a gradient of its own added to it in slot order.\n</summary>");
        using (_w.Open($"private {t} __AccumulateSlots({readOnly} inputs, {readOnly} targets, {span} gradient, int count, int slots)"))
        {
            _w.Line($"long granules = (count + {granule}L - 1) / {granule};");
            _w.Line($"{t} total = 0;");
            using (_w.Open("for (int s = 0; s < slots; s++)"))
            {
                _w.Line($"int first = (int)global::System.Math.Min(count, s * granules / slots * {granule});");
                _w.Line($"int last = (int)global::System.Math.Min(count, (s + 1) * granules / slots * {granule});");
                _w.Line($"{t}[] own = __slotGradient ??= new {t}[ParameterCount];");
                _w.Line($"{span} target = s == 0 ? gradient : own;");
                _w.Line("target.Clear();");
                _w.Line($"total += {RangeCall(true, "__parameters", "inputs", "targets", "", "first", "last", "target")};");
                using (_w.Open("if (s > 0)"))
                {
                    using (_w.Open("for (int k = 0; k < ParameterCount; k++)"))
                    {
                        _w.Line("gradient[k] += own[k];");
                    }
                }
            }

            _w.Line();
            _w.Line("return total;");
        }

        _w.Line();
    }
}
