#if NET8_0_OR_GREATER
using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace BackpropGen.Runtime;

/// <summary>
/// Runs a large batch of a generated network on several cores: the slots of <c>BatchGradient</c>, <c>TrainBatch</c> and
/// <c>ForwardBatch</c>. Generated code derives one small nested class from it per network, which gives the network's sizes
/// and its two range methods; it is not meant to be used otherwise.
/// </summary>
/// <typeparam name="T">The network's number type, <see cref="double"/> or <see cref="float"/>.</typeparam>
/// <remarks>
/// <para>
/// A batch of <c>count</c> examples is split into <c>slots</c> (1, 2 or up to <see cref="MaxSlots"/>, chosen by the network from
/// the batch size alone). Slot s holds the examples [start(s), start(s + 1)), start(s) = ⌊s · granules / slots⌋ whole granules
/// (a block of the network's loop form, or the widest SIMD lane of its unrolled form), and is computed by one call of the
/// network's range method: slot 0 into the caller's gradient, the others each into a gradient of their own. Then the
/// slots' gradients and losses are added in slot order. Every sum is fixed by the batch size, so the result is the same
/// bit for bit whichever thread computes a slot and however many cores there are.
/// </para>
/// <para>
/// The calling thread pins its spans and keeps them pinned until every slot is done, so the threads of the pool read the
/// rows and write the outputs of their slots in place: nothing is copied. The instance is queued to the pool itself
/// (<see cref="IThreadPoolWorkItem"/>), the caller waits on an event and claims the slots no thread has started, so nothing
/// is allocated after the first split batch. What a slot throws on a thread of the pool is thrown again on the calling
/// thread.
/// </para>
/// <para>
/// An instance serves one calling thread at a time: generated code keeps one per thread (<see cref="ThreadStaticAttribute"/>),
/// so that methods that do not train can run on one network from several threads at once.
/// </para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract unsafe class BatchSlots<T> : IThreadPoolWorkItem
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The most slots a batch is split into: as many cores as one call can use.</summary>
    public const int MaxSlots = 4;

    /// <summary>The claim counter between rounds: far above any slot, so a late thread of an earlier round claims nothing.</summary>
    private const int Idle = int.MaxValue / 2;

    private readonly int _parameterCount;

    private readonly int _inputCount;

    private readonly int _outputCount;

    private readonly int _granule;

    private readonly T[] _losses = new T[MaxSlots];

    private readonly int[] _starts = new int[MaxSlots];

    private readonly int[] _ends = new int[MaxSlots];

    private readonly ManualResetEventSlim _done = new(false);

    /// <summary>The caller's inputs, pinned while the slots run.</summary>
    private T* _inputs;

    private int _inputsLength;

    /// <summary>The caller's targets, or the outputs <see cref="Forward"/> writes, pinned while the slots run.</summary>
    private T* _rows;

    private int _rowsLength;

    /// <summary>The gradients of slots 1, 2, …, allocated by the first call that needs them.</summary>
    private T[][]? _gradients;

    private T[]? _parameters;

    private bool _forward;

    private int _slots;

    private int _next = Idle;

    private int _remaining;

    private Exception? _error;

    /// <summary>Sets the sizes of the network whose batches these slots run.</summary>
    /// <param name="parameterCount">The network's parameters: the length of a gradient.</param>
    /// <param name="inputCount">The inputs of one example.</param>
    /// <param name="outputCount">The outputs (and targets) of one example.</param>
    /// <param name="granule">What slot boundaries are multiples of: a block of the loop form, the widest lane of SIMD lanes, or 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    protected BatchSlots(int parameterCount, int inputCount, int outputCount, int granule)
    {
        Positive(parameterCount, nameof(parameterCount));
        Positive(inputCount, nameof(inputCount));
        Positive(outputCount, nameof(outputCount));
        Positive(granule, nameof(granule));
        _parameterCount = parameterCount;
        _inputCount = inputCount;
        _outputCount = outputCount;
        _granule = granule;
    }

    /// <summary>
    /// Adds the gradients of the examples to <paramref name="gradient"/>, slot by slot, and returns the sum of their losses;
    /// with one slot, a single call of <see cref="AccumulateRange"/> over the whole batch.
    /// </summary>
    /// <param name="parameters">The network's parameters, read by every slot.</param>
    /// <param name="inputs">The <paramref name="count"/> rows of inputs.</param>
    /// <param name="targets">The <paramref name="count"/> rows of targets.</param>
    /// <param name="gradient">The parameter count of zeros on entry; receives the sum of the examples' gradients.</param>
    /// <param name="count">The examples of the batch.</param>
    /// <param name="slots">The slots, 1 to <see cref="MaxSlots"/>, a function of the batch size alone.</param>
    /// <param name="maxDegreeOfParallelism">The most cores to use: −1 for every core, 1 for the calling thread alone.</param>
    /// <returns>The sum of the examples' losses.</returns>
    /// <exception cref="ArgumentException">A span is shorter than the batch, or the gradient is not the parameter count long.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count is out of its range.</exception>
    public T Accumulate(T[] parameters, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Span<T> gradient, int count, int slots, int maxDegreeOfParallelism)
    {
        int helpers = Check(parameters, inputs.Length, count, slots, maxDegreeOfParallelism);
        if (targets.Length < (long)count * _outputCount)
        {
            throw new ArgumentException($"The targets hold fewer than {count} rows of {_outputCount}.", nameof(targets));
        }

        if (gradient.Length != _parameterCount)
        {
            throw new ArgumentException($"The gradient holds {gradient.Length} values, not {_parameterCount}.", nameof(gradient));
        }

        if (slots == 1)
        {
            return AccumulateRange(parameters, inputs, targets, 0, count, gradient);
        }

        if (_gradients is null)
        {
            _gradients = new T[MaxSlots - 1][];
            for (int s = 0; s < _gradients.Length; s++)
            {
                _gradients[s] = new T[_parameterCount];
            }
        }

        Begin(parameters, slots, count, false);
        fixed (T* pinnedInputs = inputs)
        fixed (T* pinnedTargets = targets)
        {
            try
            {
                Share(pinnedInputs, inputs.Length, pinnedTargets, targets.Length);
                Start(helpers);
                try
                {
                    _losses[0] = AccumulateRange(parameters, inputs, targets, _starts[0], _ends[0], gradient);
                }
                finally
                {
                    Finish();
                }
            }
            finally
            {
                End();
            }
        }

        T total = _losses[0];
        for (int s = 1; s < slots; s++)
        {
            Add(_gradients[s - 1], gradient);
            total += _losses[s];
        }

        return total;
    }

    /// <summary>
    /// Computes the outputs of the examples into <paramref name="outputs"/>, slot by slot; each example's outputs are the
    /// same in any slot, so with one slot or one core, a single call of <see cref="ForwardRange"/> over the whole batch.
    /// </summary>
    /// <param name="parameters">The network's parameters, read by every slot.</param>
    /// <param name="inputs">The <paramref name="count"/> rows of inputs.</param>
    /// <param name="outputs">Receives the <paramref name="count"/> rows of outputs.</param>
    /// <param name="count">The examples of the batch.</param>
    /// <param name="slots">The slots, 1 to <see cref="MaxSlots"/>, a function of the batch size alone.</param>
    /// <param name="maxDegreeOfParallelism">The most cores to use: −1 for every core, 1 for the calling thread alone.</param>
    /// <exception cref="ArgumentException">A span is shorter than the batch.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count is out of its range.</exception>
    public void Forward(T[] parameters, ReadOnlySpan<T> inputs, Span<T> outputs, int count, int slots, int maxDegreeOfParallelism)
    {
        int helpers = Check(parameters, inputs.Length, count, slots, maxDegreeOfParallelism);
        if (outputs.Length < (long)count * _outputCount)
        {
            throw new ArgumentException($"The outputs hold fewer than {count} rows of {_outputCount}.", nameof(outputs));
        }

        if (slots == 1 || helpers == 0)
        {
            ForwardRange(parameters, inputs, 0, count, outputs);
            return;
        }

        Begin(parameters, slots, count, true);
        fixed (T* pinnedInputs = inputs)
        fixed (T* pinnedOutputs = outputs)
        {
            try
            {
                Share(pinnedInputs, inputs.Length, pinnedOutputs, outputs.Length);
                Start(helpers);
                try
                {
                    ForwardRange(parameters, inputs, _starts[0], _ends[0], outputs);
                }
                finally
                {
                    Finish();
                }
            }
            finally
            {
                End();
            }
        }
    }

    /// <summary>
    /// Adds the gradients of examples [<paramref name="start"/>, <paramref name="end"/>) of <paramref name="inputs"/> and
    /// <paramref name="targets"/> to <paramref name="gradient"/> and returns the sum of their losses: the network's own
    /// per-range body. Called on the calling thread and on threads of the pool, so it may keep no state of its own.
    /// </summary>
    protected abstract T AccumulateRange(T[] parameters, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int start, int end, Span<T> gradient);

    /// <summary>
    /// Writes the outputs of examples [<paramref name="start"/>, <paramref name="end"/>) of <paramref name="inputs"/> into
    /// the same rows of <paramref name="outputs"/>: the network's own per-range body.
    /// </summary>
    protected abstract void ForwardRange(T[] parameters, ReadOnlySpan<T> inputs, int start, int end, Span<T> outputs);

    /// <summary>Claims slots of this round and computes them until none is left; what a thread of the pool runs.</summary>
    void IThreadPoolWorkItem.Execute() => Execute();

    /// <summary>How many threads of the pool may help the calling thread: one fewer than the degree or the cores.</summary>
    private static int Helpers(int maxDegreeOfParallelism)
    {
        int cores = Environment.ProcessorCount;
        return (maxDegreeOfParallelism < 0 || maxDegreeOfParallelism > cores ? cores : maxDegreeOfParallelism) - 1;
    }

    private static void Positive(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, "The value is positive.");
        }
    }

    /// <summary>target[k] += source[k] for every k, a SIMD vector at a time: one slot's gradient added to the sum of the slots before it.</summary>
    private static void Add(ReadOnlySpan<T> source, Span<T> target)
    {
        int k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            ReadOnlySpan<Vector<T>> s = MemoryMarshal.Cast<T, Vector<T>>(source);
            Span<Vector<T>> v = MemoryMarshal.Cast<T, Vector<T>>(target);
            for (int i = 0; i < s.Length; i++)
            {
                v[i] += s[i];
            }

            k = s.Length * Vector<T>.Count;
        }

        for (; k < source.Length; k++)
        {
            target[k] += source[k];
        }
    }

    /// <summary>Checks what both batch methods take; returns how many threads of the pool may help.</summary>
    private int Check(T[] parameters, int inputs, int count, int slots, int maxDegreeOfParallelism)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Length != _parameterCount)
        {
            throw new ArgumentException($"The parameters are {parameters.Length} values, not {_parameterCount}.", nameof(parameters));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (slots is < 1 or > MaxSlots)
        {
            throw new ArgumentOutOfRangeException(nameof(slots), slots, $"A batch has 1 to {MaxSlots} slots.");
        }

        if (maxDegreeOfParallelism == 0 || maxDegreeOfParallelism < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "MaxDegreeOfParallelism is -1 (every core) or at least 1.");
        }

        if (inputs < (long)count * _inputCount)
        {
            throw new ArgumentException($"The inputs hold fewer than {count} rows of {_inputCount}.", nameof(inputs));
        }

        return Helpers(maxDegreeOfParallelism);
    }

    private void Execute()
    {
        int slot;
        while ((slot = Interlocked.Increment(ref _next)) < _slots)
        {
            Run(slot);
        }
    }

    /// <summary>Sets up a split batch: its parameters, and each slot's examples [start(s), end(s)) of the <paramref name="count"/>.</summary>
    private void Begin(T[] parameters, int slots, int count, bool forward)
    {
        _parameters = parameters;
        _slots = slots;
        _forward = forward;
        Array.Clear(_losses, 0, MaxSlots);
        long granules = (count + (long)_granule - 1) / _granule;
        for (int s = 0; s < slots; s++)
        {
            _starts[s] = (int)Math.Min(count, s * granules / slots * _granule);
            _ends[s] = (int)Math.Min(count, (s + 1) * granules / slots * _granule);
        }
    }

    /// <summary>Gives the threads of the pool the caller's pinned spans.</summary>
    private void Share(T* inputs, int inputsLength, T* rows, int rowsLength)
    {
        _inputs = inputs;
        _inputsLength = inputsLength;
        _rows = rows;
        _rowsLength = rowsLength;
    }

    /// <summary>Forgets the batch: its parameters and the caller's spans, which are unpinned after it.</summary>
    private void End()
    {
        _parameters = null;
        _inputs = null;
        _rows = null;
        _inputsLength = 0;
        _rowsLength = 0;
    }

    /// <summary>Opens slots 1, 2, … to claims, and queues the threads of the pool that help.</summary>
    private void Start(int helpers)
    {
        _remaining = _slots - 1;
        _done.Reset();
        Interlocked.Exchange(ref _next, 0);
        for (int h = Math.Min(helpers, _slots - 1); h > 0; h--)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, false);
        }
    }

    /// <summary>Computes the slots no thread has claimed, waits for the others, and throws what a slot threw.</summary>
    private void Finish()
    {
        Execute();
        _done.Wait();
        Volatile.Write(ref _next, Idle);
        Exception? error = _error;
        if (error is not null)
        {
            _error = null;
            ExceptionDispatchInfo.Capture(error).Throw();
        }
    }

    /// <summary>Slot <paramref name="s"/>'s gradient, zeroed.</summary>
    private T[] ClearedGradient(int s)
    {
        T[] gradient = _gradients![s - 1];
        Array.Clear(gradient, 0, _parameterCount);
        return gradient;
    }

    /// <summary>Slot <paramref name="s"/>, from the caller's pinned spans; what it throws is thrown again by <see cref="Finish"/>.</summary>
    private void Run(int s)
    {
        try
        {
            ReadOnlySpan<T> inputs = new(_inputs, _inputsLength);
            if (_forward)
            {
                ForwardRange(_parameters!, inputs, _starts[s], _ends[s], new Span<T>(_rows, _rowsLength));
            }
            else
            {
                _losses[s] = AccumulateRange(_parameters!, inputs, new ReadOnlySpan<T>(_rows, _rowsLength), _starts[s], _ends[s], ClearedGradient(s));
            }
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _error, e, null);
        }
        finally
        {
            if (Interlocked.Decrement(ref _remaining) == 0)
            {
                _done.Set();
            }
        }
    }
}
#endif
