using System;
using System.Globalization;
using System.Linq;
using BackpropGen.Generator.Model;

namespace BackpropGen.Generator.Emit;

/// <summary>
/// Batches on several cores. <c>ForwardBatch</c>, <c>BatchGradient</c> and <c>TrainBatch</c> split a large batch into slots of
/// whole blocks whose number depends on the batch size alone (1, 2 or 4); each slot is computed in pieces of a fixed number
/// of examples, into a gradient of its own, and the slots' gradients and losses are added in slot order. The sums are then the
/// same whichever thread computes a slot and however many cores there are. The calling thread computes the first slot from
/// its spans; threads of the pool, which cannot read the caller's spans, compute the others from copies of their pieces.
/// </summary>
internal sealed partial class NetworkEmitter
{
    /// <summary>The most slots a batch is split into: as many cores as one call can use.</summary>
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

    /// <summary>The most bytes the copies of the pieces of one round take, for the slots the calling thread does not compute.</summary>
    private const int StagingBytes = 1 << 21;

    /// <summary>
    /// What slot and round boundaries are multiples of: a block of the loop form, the widest lane of unrolled code in SIMD
    /// lanes (so a split batch takes its examples in the same vectors as the whole one), else one example.
    /// </summary>
    private int Granule => _scratch?.Block ?? (HasLanes ? _laneWidths.Max(l => l.Count) : 1);

    private int SlotExamples => RoundUp(Math.Max(_options.MinSlotRows, CeilingDivide(_options.MinSlotWork, WorkPerExample)));

    private int ForwardSlotExamples => RoundUp(CeilingDivide(_options.MinSlotWork * ForwardShare, WorkPerExample));

    /// <summary>The examples of a slot computed between two waits of the calling thread: as many as the staging bytes hold.</summary>
    private int Piece
    {
        get
        {
            long row = (long)(_spec.Inputs + _spec.Outputs) * (_single ? 4 : 8);
            var rows = StagingBytes / ((MaxSlots - 1) * row) / Granule * Granule;
            return (int)Math.Max(Granule, rows);
        }
    }

    private int RoundUp(long examples)
    {
        var granules = Math.Max(1, CeilingDivide(Math.Min(examples, int.MaxValue / 2), Granule));
        return (int)Math.Min(int.MaxValue / 8, granules * Granule);
    }

    private static long CeilingDivide(long value, long divisor) => (value + divisor - 1) / divisor;

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Whether the framework has <c>IThreadPoolWorkItem</c>, which queues a preallocated object without allocating.</summary>
    private bool HasWorkItems => (_options.Vectors & VectorSupport.WorkItems) != 0;

    private string ParallelismSentence =>
        $"<c>ForwardBatch</c> (from {Int(2 * ForwardSlotExamples)} examples), <c>BatchGradient</c> and <c>TrainBatch</c> (from {Int(2 * SlotExamples)} examples) split a batch into 2 slots (4 from 8 times as many)\n"
        + "computed on up to <see cref=\"MaxDegreeOfParallelism\"/> cores; the slots depend on the batch size alone, so the results are the\n"
        + "same bit for bit on any number of cores.";

    /// <summary>The constants of the split, the degree of parallelism and its property.</summary>
    private void WriteParallelState()
    {
        _w.Doc($"<summary>The fewest examples of a slot of <see cref=\"__AccumulateBatch\"/>: about {_options.MinSlotWork.ToString(CultureInfo.InvariantCulture)} (examples × parameters of loop layers, {Int(UnrolledCost)} × of unrolled ones) of work, and at least {Int(_options.MinSlotRows)} examples.</summary>");
        _w.Line($"private const int __SlotExamples = {Int(SlotExamples)};");
        _w.Line();
        _w.Doc("<summary>The fewest examples of a slot of <see cref=\"ForwardBatch\"/>, whose examples are a third of the work of a gradient's.</summary>");
        _w.Line($"private const int __ForwardSlotExamples = {Int(ForwardSlotExamples)};");
        _w.Line();
        _w.Doc("<summary>The most slots a batch is split into.</summary>");
        _w.Line($"private const int __MaxSlots = {Int(MaxSlots)};");
        _w.Line();
        _w.Doc("<summary>The examples of a slot computed in one round; a multiple of the block, and what the copies of a round hold per slot.</summary>");
        _w.Line($"private const int __Piece = {Int(Piece)};");
        _w.Line();
        _w.Line("private int __maxDegreeOfParallelism = -1;");
        _w.Line();
        _w.Doc("<summary>\nThe most cores one call of <see cref=\"ForwardBatch\"/>, <see cref=\"BatchGradient\"/> or <see cref=\"TrainBatch\"/> uses: −1 (the\ndefault) for every core of the machine, 1 for the calling thread alone. The results do not depend on it.\n</summary>\n<exception cref=\"global::System.ArgumentOutOfRangeException\">The value is 0 or less than −1.</exception>");
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

    /// <summary>How many slots a batch has, how many threads help, and the class that runs the slots.</summary>
    private void WriteWorkers()
    {
        _w.Doc("<summary>\nThe slots a batch of <paramref name=\"count\"/> examples is split into: 2 from 2 × <paramref name=\"perSlot\"/> examples, 4 from 16 ×, as each\nslot's gradient costs one more addition over the parameters. It depends on the batch size alone, never on the cores, so the sums\ncome out the same on any machine.\n</summary>");
        using (_w.Open("private static int __Slots(int count, int perSlot)"))
        {
            _w.Line("int slots = 1;");
            using (_w.Open("while (slots < __MaxSlots && count / (2 * slots) >= perSlot * slots * slots)"))
            {
                _w.Line("slots *= 2;");
            }

            _w.Line();
            _w.Line("return slots;");
        }

        _w.Line();
        _w.Doc("<summary>How many threads of the pool may help the calling thread: one fewer than <see cref=\"MaxDegreeOfParallelism\"/> or the cores.</summary>");
        using (_w.Open("private int __Helpers()"))
        {
            _w.Line("int cores = global::System.Environment.ProcessorCount;");
            _w.Line("int degree = __maxDegreeOfParallelism;");
            _w.Line("return (degree < 0 || degree > cores ? cores : degree) - 1;");
        }

        _w.Line();
        WriteWorkersClass();
    }

    private void WriteWorkersClass()
    {
        var t = _type;
        var span = $"global::System.Span<{t}>";
        var readOnly = $"global::System.ReadOnlySpan<{t}>";
        var threading = "global::System.Threading";
        _w.Doc($"<summary>\nOne calling thread's slots. Slot s holds the examples [start(s), start(s + 1)), start(s) = ⌊s · granules / slots⌋ whole\n{(_scratch is null ? "examples" : "blocks")}, and is computed in rounds of <see cref=\"__Piece\"/> examples; slot 0 into the caller's gradient, the others each into a\ngradient of their own, each round's loss added to its slot's. Then the slots' gradients and losses are added in slot order. Every\nsum is fixed by the batch size, so it is the same whichever thread computes a slot. The calling thread computes slot 0 from its\nspans; the pool's threads, which cannot read those spans, compute the others from copies of their rounds' rows.\n</summary>\n<remarks>One per calling thread, so that methods that do not train can run on one instance from several threads at once.</remarks>");
        var header = HasWorkItems ? $"private sealed class __Workers : {threading}.IThreadPoolWorkItem" : "private sealed class __Workers";
        using (_w.Open(header))
        {
            _w.Doc("<summary>The claim counter between rounds: far above any slot, so a late thread of an earlier round claims nothing.</summary>");
            _w.Line("private const int Idle = int.MaxValue / 2;");
            _w.Line();
            if (!HasWorkItems)
            {
                _w.Line($"private static readonly {threading}.WaitCallback ExecuteCallback = state => ((__Workers)state!).Execute();");
                _w.Line();
            }

            _w.Line("[global::System.ThreadStatic]");
            _w.Line("private static __Workers? _current;");
            _w.Line();
            _w.Doc("<summary>The rows of slots 1, 2, … of this round, <see cref=\"__Piece\"/> rows each; allocated by the first call with helpers.</summary>");
            _w.Line($"private {t}[]? _inputs;");
            _w.Line();
            _w.Doc("<summary>Their targets, or the outputs <see cref=\"ForwardBatch\"/> computes for them.</summary>");
            _w.Line($"private {t}[]? _rows;");
            _w.Line();
            _w.Line($"private readonly {t}[] _losses = new {t}[__MaxSlots];");
            _w.Line();
            _w.Line("private readonly int[] _starts = new int[__MaxSlots];");
            _w.Line();
            _w.Line("private readonly int[] _ends = new int[__MaxSlots];");
            _w.Line();
            _w.Line($"private readonly {threading}.ManualResetEventSlim _done = new {threading}.ManualResetEventSlim(false);");
            _w.Line();
            _w.Doc("<summary>The gradients of slots 1, 2, …, allocated by the first call that needs them.</summary>");
            _w.Line($"private {t}[][]? _gradients;");
            _w.Line();
            _w.Line($"private {t}[]? _parameters;");
            _w.Line();
            _w.Line("private bool _forward;");
            _w.Line();
            _w.Line("private bool _firstRound;");
            _w.Line();
            _w.Line("private int _slots;");
            _w.Line();
            _w.Line("private int _next = Idle;");
            _w.Line();
            _w.Line("private int _remaining;");
            _w.Line();
            _w.Line("private global::System.Exception? _error;");
            _w.Line();
            _w.Doc("<summary>This thread's slots, allocated on its first large batch.</summary>");
            _w.Line("public static __Workers Current => _current ??= new __Workers();");
            _w.Line();
            _w.Doc("<summary>The sum of the examples' losses, their gradients' sum added to <paramref name=\"gradient\"/> (zero on entry), slot by slot.</summary>");
            using (_w.Open($"public {t} Accumulate({t}[] p, {readOnly} inputs, {readOnly} targets, {span} gradient, int count, int slots, int helpers)"))
            {
                using (_w.Open("if (_gradients is null)"))
                {
                    _w.Line($"_gradients = new {t}[__MaxSlots - 1][];");
                    using (_w.Open("for (int s = 0; s < _gradients.Length; s++)"))
                    {
                        _w.Line($"_gradients[s] = new {t}[ParameterCount];");
                    }
                }

                _w.Line();
                _w.Line("Begin(p, slots, false);");
                using (_w.Open("try"))
                {
                    using (_w.Open("for (int round = 0; Plan(round, count); round++)"))
                    {
                        _w.Line("_firstRound = round == 0;");
                        using (_w.Open("if (helpers == 0)"))
                        {
                            using (_w.Open("for (int s = 0; s < slots; s++)"))
                            {
                                _w.Line($"{span} target = s == 0 ? gradient : ClearedGradient(s);");
                                _w.Line("_losses[s] += __AccumulateRange(p, inputs, targets, _starts[s], _ends[s], target);");
                            }

                            _w.Line();
                            _w.Line("continue;");
                        }

                        _w.Line();
                        _w.Line("Stage(inputs, targets);");
                        _w.Line("Start(helpers);");
                        using (_w.Open("try"))
                        {
                            _w.Line("_losses[0] += __AccumulateRange(p, inputs, targets, _starts[0], _ends[0], gradient);");
                        }

                        using (_w.Open("finally"))
                        {
                            _w.Line("Finish();");
                        }
                    }

                    _w.Line();
                    _w.Line($"{t} total = _losses[0];");
                    using (_w.Open("for (int s = 1; s < slots; s++)"))
                    {
                        _w.Line("Add(_gradients[s - 1], gradient);");
                        _w.Line("total += _losses[s];");
                    }

                    _w.Line();
                    _w.Line("return total;");
                }

                using (_w.Open("finally"))
                {
                    _w.Line("_parameters = null;");
                }
            }

            _w.Line();
            _w.Doc("<summary>The outputs of the examples into <paramref name=\"outputs\"/>, slot by slot; each example's outputs are the same in any slot.</summary>");
            using (_w.Open($"public void Forward({t}[] p, {readOnly} inputs, {span} outputs, int count, int slots, int helpers)"))
            {
                _w.Line("Begin(p, slots, true);");
                using (_w.Open("try"))
                {
                    using (_w.Open("for (int round = 0; Plan(round, count); round++)"))
                    {
                        _w.Line("Stage(inputs, default);");
                        _w.Line("Start(helpers);");
                        using (_w.Open("try"))
                        {
                            _w.Line("__ForwardRange(p, inputs, _starts[0], _ends[0], outputs);");
                        }

                        using (_w.Open("finally"))
                        {
                            _w.Line("Finish();");
                        }

                        _w.Line();
                        using (_w.Open("for (int s = 1; s < slots; s++)"))
                        {
                            _w.Line("int rows = _ends[s] - _starts[s];");
                            _w.Line($"new {readOnly}(_rows!, (s - 1) * __Piece * OutputCount, rows * OutputCount).CopyTo(outputs.Slice(_starts[s] * OutputCount));");
                        }
                    }
                }

                using (_w.Open("finally"))
                {
                    _w.Line("_parameters = null;");
                }
            }

            _w.Line();
            _w.Doc("<summary>Claims slots of this round and computes them until none is left; what a thread of the pool runs.</summary>");
            using (_w.Open("public void Execute()"))
            {
                _w.Line("int slot;");
                using (_w.Open($"while ((slot = {threading}.Interlocked.Increment(ref _next)) < _slots)"))
                {
                    _w.Line("Run(slot);");
                }
            }

            _w.Line();
            _w.Doc("<summary>target[k] += source[k] for every k, a SIMD vector at a time: one slot's gradient added to the sum of the slots before it.</summary>");
            using (_w.Open($"private static void Add({readOnly} source, {span} target)"))
            {
                _w.Line("int k = 0;");
                if (HasVectors)
                {
                    using (_w.Open($"if ({Accelerated})"))
                    {
                        _w.Line($"{Vectors} s = {Marshal}.Cast<{t}, {Vector}>(source);");
                        _w.Line($"{WritableVectors} v = {Marshal}.Cast<{t}, {Vector}>(target);");
                        using (_w.Open("for (int i = 0; i < s.Length; i++)"))
                        {
                            _w.Line("v[i] += s[i];");
                        }

                        _w.Line();
                        _w.Line($"k = s.Length * {Vector}.Count;");
                    }

                    _w.Line();
                }

                using (_w.Open("for (; k < source.Length; k++)"))
                {
                    _w.Line("target[k] += source[k];");
                }
            }

            _w.Line();
            using (_w.Open($"private void Begin({t}[] p, int slots, bool forward)"))
            {
                _w.Line("_parameters = p;");
                _w.Line("_slots = slots;");
                _w.Line("_forward = forward;");
                _w.Line($"global::System.Array.Clear(_losses, 0, __MaxSlots);");
            }

            _w.Line();
            _w.Doc($"<summary>Each slot's rows of round <paramref name=\"round\"/> into _starts and _ends; false when every slot is done.</summary>");
            using (_w.Open("private bool Plan(int round, int count)"))
            {
                _w.Line($"long granules = (count + {Int(Granule)}L - 1) / {Int(Granule)};");
                _w.Line("bool any = false;");
                using (_w.Open("for (int s = 0; s < _slots; s++)"))
                {
                    _w.Line($"int first = (int)global::System.Math.Min(count, s * granules / _slots * {Int(Granule)});");
                    _w.Line($"int last = (int)global::System.Math.Min(count, (s + 1) * granules / _slots * {Int(Granule)});");
                    _w.Line("_starts[s] = (int)global::System.Math.Min(last, first + (long)round * __Piece);");
                    _w.Line("_ends[s] = global::System.Math.Min(last, _starts[s] + __Piece);");
                    _w.Line("any |= _starts[s] < _ends[s];");
                }

                _w.Line();
                _w.Line("return any;");
            }

            _w.Line();
            _w.Doc("<summary>Copies this round's rows of slots 1, 2, … where the pool's threads can read them.</summary>");
            using (_w.Open($"private void Stage({readOnly} inputs, {readOnly} targets)"))
            {
                _w.Line($"{t}[] staged = _inputs ??= new {t}[(__MaxSlots - 1) * __Piece * InputCount];");
                _w.Line($"{t}[] rows = _rows ??= new {t}[(__MaxSlots - 1) * __Piece * OutputCount];");
                using (_w.Open("for (int s = 1; s < _slots; s++)"))
                {
                    _w.Line("int count = _ends[s] - _starts[s];");
                    _w.Line($"inputs.Slice(_starts[s] * InputCount, count * InputCount).CopyTo(new {span}(staged, (s - 1) * __Piece * InputCount, count * InputCount));");
                    using (_w.Open("if (!_forward)"))
                    {
                        _w.Line($"targets.Slice(_starts[s] * OutputCount, count * OutputCount).CopyTo(new {span}(rows, (s - 1) * __Piece * OutputCount, count * OutputCount));");
                    }
                }
            }

            _w.Line();
            _w.Doc("<summary>Opens slots 1, 2, … of this round to claims, and queues the threads of the pool that help.</summary>");
            using (_w.Open("private void Start(int helpers)"))
            {
                _w.Line("_remaining = _slots - 1;");
                _w.Line("_done.Reset();");
                _w.Line($"{threading}.Interlocked.Exchange(ref _next, 0);");
                using (_w.Open("for (int h = global::System.Math.Min(helpers, _slots - 1); h > 0; h--)"))
                {
                    _w.Line(HasWorkItems
                        ? $"{threading}.ThreadPool.UnsafeQueueUserWorkItem(this, false);"
                        : $"{threading}.ThreadPool.UnsafeQueueUserWorkItem(ExecuteCallback, this);");
                }
            }

            _w.Line();
            _w.Doc("<summary>Computes the slots no thread has claimed, waits for the others, and throws what a slot threw.</summary>");
            using (_w.Open("private void Finish()"))
            {
                _w.Line("Execute();");
                _w.Line("_done.Wait();");
                _w.Line($"{threading}.Volatile.Write(ref _next, Idle);");
                _w.Line("global::System.Exception? error = _error;");
                using (_w.Open("if (error is not null)"))
                {
                    _w.Line("_error = null;");
                    _w.Line("global::System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();");
                }
            }

            _w.Line();
            _w.Doc("<summary>Slot <paramref name=\"s\"/>'s gradient, zeroed in the first round.</summary>");
            using (_w.Open($"private {t}[] ClearedGradient(int s)"))
            {
                _w.Line($"{t}[] gradient = _gradients![s - 1];");
                using (_w.Open("if (_firstRound)"))
                {
                    _w.Line("global::System.Array.Clear(gradient, 0, ParameterCount);");
                }

                _w.Line();
                _w.Line("return gradient;");
            }

            _w.Line();
            _w.Doc("<summary>Slot <paramref name=\"s\"/>'s rows of this round, from the copies; what it throws is thrown again by <see cref=\"Finish\"/>.</summary>");
            using (_w.Open("private void Run(int s)"))
            {
                using (_w.Open("try"))
                {
                    _w.Line("int rows = _ends[s] - _starts[s];");
                    _w.Line($"{readOnly} inputs = new {readOnly}(_inputs!, (s - 1) * __Piece * InputCount, rows * InputCount);");
                    _w.Line($"{span} rowsOut = new {span}(_rows!, (s - 1) * __Piece * OutputCount, rows * OutputCount);");
                    using (_w.Open("if (_forward)"))
                    {
                        _w.Line("__ForwardRange(_parameters!, inputs, 0, rows, rowsOut);");
                    }

                    using (_w.Open("else"))
                    {
                        _w.Line("_losses[s] += __AccumulateRange(_parameters!, inputs, rowsOut, 0, rows, ClearedGradient(s));");
                    }
                }

                using (_w.Open("catch (global::System.Exception e)"))
                {
                    _w.Line($"{threading}.Interlocked.CompareExchange(ref _error, e, null);");
                }

                using (_w.Open("finally"))
                {
                    using (_w.Open($"if ({threading}.Interlocked.Decrement(ref _remaining) == 0)"))
                    {
                        _w.Line("_done.Set();");
                    }
                }
            }
        }

        _w.Line();
    }
}
