using System;
using System.Diagnostics;
using System.Threading;
using BackpropGen.Runtime;
using Xunit;

namespace BackpropGen.Tests.Runtime;

/// <summary>
/// <see cref="BatchSlots{T}"/> on its own, with a probe network of one input and one output whose range bodies can be
/// slowed or made to throw: the pool's threads read and write the caller's memory in place, even stack memory, except
/// where inputs and outputs overlap; the caller's spans stay in use until every slot is done, even when the waiting
/// caller is interrupted; and when the caller's slot throws, its exception is the one the call throws.
/// </summary>
public class BatchSlotsTests
{
    /// <summary>Outputs 2x; the loss of an example is x·t and its gradient 1, so a batch's gradient counts its examples.</summary>
    private sealed class Probe : BatchSlots<double>
    {
        public Probe()
            : base(parameterCount: 1, inputCount: 1, outputCount: 1, granule: 1)
        {
        }

        /// <summary>Called with each range's start, after the range is computed.</summary>
        public Action<int>? AfterRange { get; set; }

        protected override double AccumulateRange(double[] parameters, ReadOnlySpan<double> inputs, ReadOnlySpan<double> targets, int start, int end, Span<double> gradient)
        {
            double loss = 0;
            for (int e = start; e < end; e++)
            {
                loss += inputs[e] * targets[e];
                gradient[0] += 1;
            }

            AfterRange?.Invoke(start);
            return loss;
        }

        protected override void ForwardRange(double[] parameters, ReadOnlySpan<double> inputs, int start, int end, Span<double> outputs)
        {
            for (int e = start; e < end; e++)
            {
                outputs[e] = 2 * inputs[e];
            }

            AfterRange?.Invoke(start);
        }
    }

    [Fact]
    public void The_pools_threads_read_and_write_the_callers_stack_memory_in_place()
    {
        const int count = 1001;
        Span<double> inputs = stackalloc double[count];
        Span<double> targets = stackalloc double[count];
        Span<double> outputs = stackalloc double[count];
        for (int e = 0; e < count; e++)
        {
            inputs[e] = e;
            targets[e] = 1;
        }

        var probe = new Probe();
        probe.Forward(new double[1], inputs, outputs, count, slots: 4, maxDegreeOfParallelism: -1);
        for (int e = 0; e < count; e++)
        {
            Assert.Equal(2.0 * e, outputs[e]);
        }

        Span<double> gradient = stackalloc double[1];
        double loss = probe.Accumulate(new double[1], inputs, targets, gradient, count, slots: 4, maxDegreeOfParallelism: -1);
        Assert.Equal(count * (count - 1) / 2.0, loss);
        Assert.Equal(count, gradient[0]);
    }

    /// <summary>
    /// Outputs written in place while another slot still reads the inputs would depend on timing where the two overlap, so
    /// such a batch runs its slots one after another on the calling thread.
    /// </summary>
    [Fact]
    public void Overlapping_inputs_and_outputs_run_every_slot_on_the_calling_thread()
    {
        var data = new double[256];
        for (int e = 0; e < data.Length; e++)
        {
            data[e] = e;
        }

        var threads = new System.Collections.Concurrent.ConcurrentBag<int>();
        var probe = new Probe { AfterRange = _ => threads.Add(Environment.CurrentManagedThreadId) };
        probe.Forward(new double[1], data, data, data.Length, slots: 4, maxDegreeOfParallelism: -1);
        Assert.Equal(4, threads.Count);
        Assert.All(threads, id => Assert.Equal(Environment.CurrentManagedThreadId, id));
        for (int e = 0; e < data.Length; e++)
        {
            Assert.Equal(2.0 * e, data[e]);
        }
    }

    [Fact]
    public void When_the_callers_slot_and_another_throw_the_callers_exception_is_the_one_thrown()
    {
        var probe = new Probe { AfterRange = start => throw new InvalidOperationException(start == 0 ? "the caller's slot" : "another slot") };
        var inputs = new double[64];
        var error = Assert.Throws<InvalidOperationException>(() => probe.Accumulate(new double[1], inputs, inputs, new double[1], inputs.Length, slots: 2, maxDegreeOfParallelism: -1));
        Assert.Equal("the caller's slot", error.Message);

        probe.AfterRange = start => throw new InvalidOperationException(start == 0 ? "the caller's slot" : "another slot");
        error = Assert.Throws<InvalidOperationException>(() => probe.Forward(new double[1], inputs, new double[64], inputs.Length, slots: 2, maxDegreeOfParallelism: -1));
        Assert.Equal("the caller's slot", error.Message);

        probe.AfterRange = start =>
        {
            if (start > 0)
            {
                throw new InvalidOperationException("another slot");
            }
        };
        error = Assert.Throws<InvalidOperationException>(() => probe.Accumulate(new double[1], inputs, inputs, new double[1], inputs.Length, slots: 2, maxDegreeOfParallelism: -1));
        Assert.Equal("another slot", error.Message);

        probe.AfterRange = null;
        var gradient = new double[1];
        Assert.Equal(0.0, probe.Accumulate(new double[1], inputs, inputs, gradient, inputs.Length, slots: 2, maxDegreeOfParallelism: -1));
        Assert.Equal(64.0, gradient[0]);
    }

    /// <summary>
    /// The other slot, on a thread of the pool, takes 300 ms of spinning (not a wait, which the interrupt would end); the
    /// caller is interrupted while it waits for it. The call still returns only once that slot is done, with the whole batch's sums, and leaves the
    /// interrupt pending for the thread's next wait.
    /// </summary>
    [Fact]
    public void An_interrupted_caller_returns_only_when_every_slot_is_done_and_keeps_the_interrupt()
    {
        var probe = new Probe();
        var slowSlotStarted = 0;
        var slowSlotDone = 0;
        probe.AfterRange = start =>
        {
            var clock = Stopwatch.StartNew();
            if (start == 0)
            {
                // The caller's slot lets a thread of the pool claim the other first, so the caller waits for it.
                while (Volatile.Read(ref slowSlotStarted) == 0 && clock.ElapsedMilliseconds < 2000)
                {
                    Thread.SpinWait(100);
                }

                return;
            }

            Volatile.Write(ref slowSlotStarted, 1);
            while (clock.ElapsedMilliseconds < 300)
            {
                Thread.SpinWait(100);
            }

            Volatile.Write(ref slowSlotDone, 1);
        };

        var inputs = new double[64];
        Array.Fill(inputs, 1.0);
        double loss = double.NaN;
        int doneAtReturn = -1;
        Exception? thrown = null;
        bool interruptKept = false;
        var caller = new Thread(() =>
        {
            try
            {
                var gradient = new double[1];
                loss = probe.Accumulate(new double[1], inputs, inputs, gradient, inputs.Length, slots: 2, maxDegreeOfParallelism: -1);
                doneAtReturn = Volatile.Read(ref slowSlotDone);
                try
                {
                    Thread.Sleep(1);
                }
                catch (ThreadInterruptedException)
                {
                    interruptKept = true;
                }
            }
            catch (Exception e)
            {
                thrown = e;
            }
        });
        caller.Start();
        Thread.Sleep(100);
        caller.Interrupt();
        caller.Join();

        Assert.Null(thrown);
        Assert.Equal(64.0, loss);
        Assert.Equal(1, doneAtReturn);
        Assert.True(interruptKept, "the interrupt was swallowed");
    }
}
