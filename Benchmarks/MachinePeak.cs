using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace BackpropGen.Benchmarks;

/// <summary>
/// What the machine the benchmarks run on can do, read at run time: its instruction sets, the SIMD widths .NET uses,
/// its cores, and its peak of fused multiply-adds per core, measured by a loop that does nothing else (twelve
/// independent accumulators, enough to hide the latency of an FMA on every current x86 core). Rows of the results
/// state their speed as a share of this peak.
/// </summary>
public static class MachinePeak
{
    /// <summary>Independent accumulator chains of the peak loop.</summary>
    private const int Chains = 12;

    /// <summary>The instruction sets and widths, one line each.</summary>
    public static string Describe()
    {
        var model = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var sets = new (string Name, bool Supported)[]
        {
            ("SSE4.2", Sse42.IsSupported), ("AVX", Avx.IsSupported), ("AVX2", Avx2.IsSupported), ("FMA", Fma.IsSupported),
            ("AVX-512F", Avx512F.IsSupported), ("AVX-512DQ", Avx512DQ.IsSupported), ("AVX-512BW", Avx512BW.IsSupported),
        };
        return string.Join(Environment.NewLine, new[]
        {
            $"processor:      {model ?? "unknown"}",
            $"cores:          {Environment.ProcessorCount} (as .NET sees them)",
            $"instructions:   {string.Join(", ", sets.Where(s => s.Supported).Select(s => s.Name))}",
            $"not available:  {string.Join(", ", sets.Where(s => !s.Supported).Select(s => s.Name).DefaultIfEmpty("none"))}",
            $"Vector<T>:      {Vector<byte>.Count * 8} bits; Vector256 accelerated: {Vector256.IsHardwareAccelerated}; Vector512 accelerated: {Vector512.IsHardwareAccelerated}",
            $".NET:           {Environment.Version}",
        });
    }

    /// <summary>
    /// The measured peak of one core in GFLOP/s (an FMA counts as 2 flops) for <see cref="float"/> and
    /// <see cref="double"/>, at the widest vector .NET accelerates here; the best of <paramref name="rounds"/> runs of
    /// about 50 ms each.
    /// </summary>
    public static (double Single, double Double, int Bits) Measure(int rounds = 7)
    {
        var bits = Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 128;
        double best32 = 0, best64 = 0;
        const long Iterations = 2_000_000;
        Run32(1000);
        Run64(1000);
        for (var r = 0; r < rounds; r++)
        {
            var watch = Stopwatch.StartNew();
            var sink = Run32(Iterations);
            var seconds = watch.Elapsed.TotalSeconds;
            best32 = Math.Max(best32, Iterations * Chains * 2.0 * (bits / 32) / seconds / 1e9);
            watch.Restart();
            sink += (float)Run64(Iterations);
            seconds = watch.Elapsed.TotalSeconds;
            best64 = Math.Max(best64, Iterations * Chains * 2.0 * (bits / 64) / seconds / 1e9);
            GC.KeepAlive(sink);
        }

        return (best32, best64, bits);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Run32(long iterations) =>
        Vector512.IsHardwareAccelerated ? Chain512(iterations, 1.0000001f, 0.9999999f)
        : Vector256.IsHardwareAccelerated ? Chain256(iterations, 1.0000001f, 0.9999999f)
        : Chain128(iterations, 1.0000001f, 0.9999999f);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double Run64(long iterations) =>
        Vector512.IsHardwareAccelerated ? Chain512(iterations, 1.0000000001, 0.9999999999)
        : Vector256.IsHardwareAccelerated ? Chain256(iterations, 1.0000000001, 0.9999999999)
        : Chain128(iterations, 1.0000000001, 0.9999999999);

    private static T Chain512<T>(long iterations, T scale, T shift)
        where T : unmanaged, INumber<T>
    {
        var a = Vector512.Create(scale);
        var b = Vector512.Create(shift);
        Vector512<T> c0 = b, c1 = b, c2 = b, c3 = b, c4 = b, c5 = b, c6 = b, c7 = b, c8 = b, c9 = b, c10 = b, c11 = b;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Fma512(c0, a, b);
            c1 = Fma512(c1, a, b);
            c2 = Fma512(c2, a, b);
            c3 = Fma512(c3, a, b);
            c4 = Fma512(c4, a, b);
            c5 = Fma512(c5, a, b);
            c6 = Fma512(c6, a, b);
            c7 = Fma512(c7, a, b);
            c8 = Fma512(c8, a, b);
            c9 = Fma512(c9, a, b);
            c10 = Fma512(c10, a, b);
            c11 = Fma512(c11, a, b);
        }

        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }

    private static T Chain256<T>(long iterations, T scale, T shift)
        where T : unmanaged, INumber<T>
    {
        var a = Vector256.Create(scale);
        var b = Vector256.Create(shift);
        Vector256<T> c0 = b, c1 = b, c2 = b, c3 = b, c4 = b, c5 = b, c6 = b, c7 = b, c8 = b, c9 = b, c10 = b, c11 = b;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Fma256(c0, a, b);
            c1 = Fma256(c1, a, b);
            c2 = Fma256(c2, a, b);
            c3 = Fma256(c3, a, b);
            c4 = Fma256(c4, a, b);
            c5 = Fma256(c5, a, b);
            c6 = Fma256(c6, a, b);
            c7 = Fma256(c7, a, b);
            c8 = Fma256(c8, a, b);
            c9 = Fma256(c9, a, b);
            c10 = Fma256(c10, a, b);
            c11 = Fma256(c11, a, b);
        }

        return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }

    private static T Chain128<T>(long iterations, T scale, T shift)
        where T : unmanaged, INumber<T>
    {
        var a = Vector128.Create(scale);
        var b = Vector128.Create(shift);
        Vector128<T> c0 = b, c1 = b, c2 = b, c3 = b, c4 = b, c5 = b, c6 = b, c7 = b, c8 = b, c9 = b, c10 = b, c11 = b;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Fma128(c0, a, b);
            c1 = Fma128(c1, a, b);
            c2 = Fma128(c2, a, b);
            c3 = Fma128(c3, a, b);
            c4 = Fma128(c4, a, b);
            c5 = Fma128(c5, a, b);
            c6 = Fma128(c6, a, b);
            c7 = Fma128(c7, a, b);
            c8 = Fma128(c8, a, b);
            c9 = Fma128(c9, a, b);
            c10 = Fma128(c10, a, b);
            c11 = Fma128(c11, a, b);
        }

        return Vector128.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Fma512<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c) =>
        typeof(T) == typeof(float) ? Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>()
        : Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Fma256<T>(Vector256<T> a, Vector256<T> b, Vector256<T> c) =>
        typeof(T) == typeof(float) ? Vector256.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>()
        : Vector256.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<T> Fma128<T>(Vector128<T> a, Vector128<T> b, Vector128<T> c) =>
        typeof(T) == typeof(float) ? Vector128.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>()
        : Vector128.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
}
