using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace BackpropGen.Benchmarks;

/// <summary>
/// The lanes limit of the 2-3-2 notes network's <c>BatchGradient</c> (3 sigmoid, 2 sigmoid, ½ Σ (y − t)²): W examples
/// at a time, one per lane of a <see cref="Vector512{T}"/> where it is accelerated, then of a <see cref="Vector256{T}"/>,
/// then one at a time. The 17 parameters are broadcast once per call, the 17 gradient sums and the loss stay in vector
/// registers across the whole batch and are added horizontally once at the end, the interleaved inputs and targets are
/// split into lanes by one two-vector permute each (AVX-512) or by shuffles, every weighted sum is a chain of fused
/// multiply-adds, and e^x is <see cref="LaneMath"/>'s polynomial, the one the generated code uses.
/// </summary>
public sealed class NotesLanesKernel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _p = new T[NotesKernel.ParameterCount];

    /// <summary>Loads the 17 parameters in the generated layout: W (2 × 3), b, U (3 × 2), c.</summary>
    public void SetParameters(ReadOnlySpan<T> parameters) => parameters.CopyTo(_p);

    /// <summary>The mean loss and mean gradient of the examples, as the generated <c>BatchGradient</c>.</summary>
    public T BatchGradient(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Span<T> gradient)
    {
        var count = inputs.Length / 2;
        gradient.Clear();
        var total = T.Zero;
        var e = 0;
        if (Vector512.IsHardwareAccelerated && count >= Vector512<T>.Count)
        {
            total += Lanes512(inputs, targets, gradient, ref e, count);
        }

        if (Vector256.IsHardwareAccelerated && count - e >= Vector256<T>.Count)
        {
            total += Lanes256(inputs, targets, gradient, ref e, count);
        }

        for (; e < count; e++)
        {
            total += Scalar(inputs[2 * e], inputs[2 * e + 1], targets[2 * e], targets[2 * e + 1], gradient);
        }

        var scale = T.One / T.CreateTruncating(count);
        for (var k = 0; k < gradient.Length; k++)
        {
            gradient[k] *= scale;
        }

        return total * scale;
    }

    private T Lanes512(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Span<T> gradient, ref int start, int count)
    {
        ReadOnlySpan<T> p = _p;
        var (w00, w01, w02, w10, w11, w12) = (Vector512.Create(p[0]), Vector512.Create(p[1]), Vector512.Create(p[2]), Vector512.Create(p[3]), Vector512.Create(p[4]), Vector512.Create(p[5]));
        var (b0, b1, b2) = (Vector512.Create(p[6]), Vector512.Create(p[7]), Vector512.Create(p[8]));
        var (u00, u01, u10, u11, u20, u21) = (Vector512.Create(p[9]), Vector512.Create(p[10]), Vector512.Create(p[11]), Vector512.Create(p[12]), Vector512.Create(p[13]), Vector512.Create(p[14]));
        var (c0, c1) = (Vector512.Create(p[15]), Vector512.Create(p[16]));
        Vector512<T> gw00 = default, gw01 = default, gw02 = default, gw10 = default, gw11 = default, gw12 = default, gb0 = default, gb1 = default, gb2 = default;
        Vector512<T> gu00 = default, gu01 = default, gu10 = default, gu11 = default, gu20 = default, gu21 = default, gc0 = default, gc1 = default, loss = default;
        var one = Vector512<T>.One;
        var width = Vector512<T>.Count;
        var e = start;
        for (; e <= count - width; e += width)
        {
            var (x0, x1) = LaneMath.Deinterleave(Vector512.Create(inputs.Slice(2 * e)), Vector512.Create(inputs.Slice(2 * e + width)));
            var (t0, t1) = LaneMath.Deinterleave(Vector512.Create(targets.Slice(2 * e)), Vector512.Create(targets.Slice(2 * e + width)));
            var h0 = LaneMath.Sigmoid(LaneMath.Fma(x1, w10, LaneMath.Fma(x0, w00, b0)));
            var h1 = LaneMath.Sigmoid(LaneMath.Fma(x1, w11, LaneMath.Fma(x0, w01, b1)));
            var h2 = LaneMath.Sigmoid(LaneMath.Fma(x1, w12, LaneMath.Fma(x0, w02, b2)));
            var y0 = LaneMath.Sigmoid(LaneMath.Fma(h2, u20, LaneMath.Fma(h1, u10, LaneMath.Fma(h0, u00, c0))));
            var y1 = LaneMath.Sigmoid(LaneMath.Fma(h2, u21, LaneMath.Fma(h1, u11, LaneMath.Fma(h0, u01, c1))));
            var e0 = y0 - t0;
            var e1 = y1 - t1;
            loss = LaneMath.Fma(e1, e1, LaneMath.Fma(e0, e0, loss));
            var d0 = e0 * y0 * (one - y0);
            var d1 = e1 * y1 * (one - y1);
            var q0 = LaneMath.Fma(d1, u01, d0 * u00) * h0 * (one - h0);
            var q1 = LaneMath.Fma(d1, u11, d0 * u10) * h1 * (one - h1);
            var q2 = LaneMath.Fma(d1, u21, d0 * u20) * h2 * (one - h2);
            (gu00, gu01, gu10, gu11, gu20, gu21) = (LaneMath.Fma(d0, h0, gu00), LaneMath.Fma(d1, h0, gu01), LaneMath.Fma(d0, h1, gu10), LaneMath.Fma(d1, h1, gu11), LaneMath.Fma(d0, h2, gu20), LaneMath.Fma(d1, h2, gu21));
            (gc0, gc1) = (gc0 + d0, gc1 + d1);
            (gw00, gw01, gw02, gw10, gw11, gw12) = (LaneMath.Fma(q0, x0, gw00), LaneMath.Fma(q1, x0, gw01), LaneMath.Fma(q2, x0, gw02), LaneMath.Fma(q0, x1, gw10), LaneMath.Fma(q1, x1, gw11), LaneMath.Fma(q2, x1, gw12));
            (gb0, gb1, gb2) = (gb0 + q0, gb1 + q1, gb2 + q2);
        }

        start = e;
        (gradient[0], gradient[1], gradient[2], gradient[3], gradient[4], gradient[5]) = (Vector512.Sum(gw00), Vector512.Sum(gw01), Vector512.Sum(gw02), Vector512.Sum(gw10), Vector512.Sum(gw11), Vector512.Sum(gw12));
        (gradient[6], gradient[7], gradient[8]) = (Vector512.Sum(gb0), Vector512.Sum(gb1), Vector512.Sum(gb2));
        (gradient[9], gradient[10], gradient[11], gradient[12], gradient[13], gradient[14]) = (Vector512.Sum(gu00), Vector512.Sum(gu01), Vector512.Sum(gu10), Vector512.Sum(gu11), Vector512.Sum(gu20), Vector512.Sum(gu21));
        (gradient[15], gradient[16]) = (Vector512.Sum(gc0), Vector512.Sum(gc1));
        return T.CreateTruncating(0.5) * Vector512.Sum(loss);
    }

    /// <summary><see cref="Lanes512"/> in 256 bits, adding to the gradient (the 512-bit lanes may have run before).</summary>
    private T Lanes256(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Span<T> gradient, ref int start, int count)
    {
        ReadOnlySpan<T> p = _p;
        var (w00, w01, w02, w10, w11, w12) = (Vector256.Create(p[0]), Vector256.Create(p[1]), Vector256.Create(p[2]), Vector256.Create(p[3]), Vector256.Create(p[4]), Vector256.Create(p[5]));
        var (b0, b1, b2) = (Vector256.Create(p[6]), Vector256.Create(p[7]), Vector256.Create(p[8]));
        var (u00, u01, u10, u11, u20, u21) = (Vector256.Create(p[9]), Vector256.Create(p[10]), Vector256.Create(p[11]), Vector256.Create(p[12]), Vector256.Create(p[13]), Vector256.Create(p[14]));
        var (c0, c1) = (Vector256.Create(p[15]), Vector256.Create(p[16]));
        Vector256<T> gw00 = default, gw01 = default, gw02 = default, gw10 = default, gw11 = default, gw12 = default, gb0 = default, gb1 = default, gb2 = default;
        Vector256<T> gu00 = default, gu01 = default, gu10 = default, gu11 = default, gu20 = default, gu21 = default, gc0 = default, gc1 = default, loss = default;
        var one = Vector256<T>.One;
        var width = Vector256<T>.Count;
        var e = start;
        for (; e <= count - width; e += width)
        {
            var (x0, x1) = LaneMath.Deinterleave(Vector256.Create(inputs.Slice(2 * e)), Vector256.Create(inputs.Slice(2 * e + width)));
            var (t0, t1) = LaneMath.Deinterleave(Vector256.Create(targets.Slice(2 * e)), Vector256.Create(targets.Slice(2 * e + width)));
            var h0 = LaneMath.Sigmoid(LaneMath.Fma(x1, w10, LaneMath.Fma(x0, w00, b0)));
            var h1 = LaneMath.Sigmoid(LaneMath.Fma(x1, w11, LaneMath.Fma(x0, w01, b1)));
            var h2 = LaneMath.Sigmoid(LaneMath.Fma(x1, w12, LaneMath.Fma(x0, w02, b2)));
            var y0 = LaneMath.Sigmoid(LaneMath.Fma(h2, u20, LaneMath.Fma(h1, u10, LaneMath.Fma(h0, u00, c0))));
            var y1 = LaneMath.Sigmoid(LaneMath.Fma(h2, u21, LaneMath.Fma(h1, u11, LaneMath.Fma(h0, u01, c1))));
            var e0 = y0 - t0;
            var e1 = y1 - t1;
            loss = LaneMath.Fma(e1, e1, LaneMath.Fma(e0, e0, loss));
            var d0 = e0 * y0 * (one - y0);
            var d1 = e1 * y1 * (one - y1);
            var q0 = LaneMath.Fma(d1, u01, d0 * u00) * h0 * (one - h0);
            var q1 = LaneMath.Fma(d1, u11, d0 * u10) * h1 * (one - h1);
            var q2 = LaneMath.Fma(d1, u21, d0 * u20) * h2 * (one - h2);
            (gu00, gu01, gu10, gu11, gu20, gu21) = (LaneMath.Fma(d0, h0, gu00), LaneMath.Fma(d1, h0, gu01), LaneMath.Fma(d0, h1, gu10), LaneMath.Fma(d1, h1, gu11), LaneMath.Fma(d0, h2, gu20), LaneMath.Fma(d1, h2, gu21));
            (gc0, gc1) = (gc0 + d0, gc1 + d1);
            (gw00, gw01, gw02, gw10, gw11, gw12) = (LaneMath.Fma(q0, x0, gw00), LaneMath.Fma(q1, x0, gw01), LaneMath.Fma(q2, x0, gw02), LaneMath.Fma(q0, x1, gw10), LaneMath.Fma(q1, x1, gw11), LaneMath.Fma(q2, x1, gw12));
            (gb0, gb1, gb2) = (gb0 + q0, gb1 + q1, gb2 + q2);
        }

        start = e;
        gradient[0] += Vector256.Sum(gw00);
        gradient[1] += Vector256.Sum(gw01);
        gradient[2] += Vector256.Sum(gw02);
        gradient[3] += Vector256.Sum(gw10);
        gradient[4] += Vector256.Sum(gw11);
        gradient[5] += Vector256.Sum(gw12);
        gradient[6] += Vector256.Sum(gb0);
        gradient[7] += Vector256.Sum(gb1);
        gradient[8] += Vector256.Sum(gb2);
        gradient[9] += Vector256.Sum(gu00);
        gradient[10] += Vector256.Sum(gu01);
        gradient[11] += Vector256.Sum(gu10);
        gradient[12] += Vector256.Sum(gu11);
        gradient[13] += Vector256.Sum(gu20);
        gradient[14] += Vector256.Sum(gu21);
        gradient[15] += Vector256.Sum(gc0);
        gradient[16] += Vector256.Sum(gc1);
        return T.CreateTruncating(0.5) * Vector256.Sum(loss);
    }

    /// <summary>One example, scalar, its gradient added: the tail of fewer than W examples.</summary>
    private T Scalar(T x0, T x1, T t0, T t1, Span<T> g)
    {
        ReadOnlySpan<T> p = _p;
        var h0 = Sigmoid(x0 * p[0] + x1 * p[3] + p[6]);
        var h1 = Sigmoid(x0 * p[1] + x1 * p[4] + p[7]);
        var h2 = Sigmoid(x0 * p[2] + x1 * p[5] + p[8]);
        var y0 = Sigmoid(h0 * p[9] + h1 * p[11] + h2 * p[13] + p[15]);
        var y1 = Sigmoid(h0 * p[10] + h1 * p[12] + h2 * p[14] + p[16]);
        var (e0, e1) = (y0 - t0, y1 - t1);
        var d0 = e0 * y0 * (T.One - y0);
        var d1 = e1 * y1 * (T.One - y1);
        var q0 = (d0 * p[9] + d1 * p[10]) * h0 * (T.One - h0);
        var q1 = (d0 * p[11] + d1 * p[12]) * h1 * (T.One - h1);
        var q2 = (d0 * p[13] + d1 * p[14]) * h2 * (T.One - h2);
        g[0] += q0 * x0; g[1] += q1 * x0; g[2] += q2 * x0; g[3] += q0 * x1; g[4] += q1 * x1; g[5] += q2 * x1;
        g[6] += q0; g[7] += q1; g[8] += q2;
        g[9] += d0 * h0; g[10] += d1 * h0; g[11] += d0 * h1; g[12] += d1 * h1; g[13] += d0 * h2; g[14] += d1 * h2;
        g[15] += d0; g[16] += d1;
        return T.CreateTruncating(0.5) * (e0 * e0 + e1 * e1);
    }

    private static T Sigmoid(T a) => T.One / (T.One + T.Exp(-a));
}

/// <summary>
/// What the lanes kernels compute on whole vectors, for <see langword="double"/> and <see langword="float"/> lanes: fused
/// multiply-add, the sigmoid, e^x (the generated code's polynomial, within 2 ulp) and splitting interleaved pairs.
/// </summary>
internal static class LaneMath
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Fma<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c) =>
        typeof(T) == typeof(double)
            ? Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>()
            : Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Fma<T>(Vector256<T> a, Vector256<T> b, Vector256<T> c) =>
        typeof(T) == typeof(double)
            ? Vector256.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>()
            : Vector256.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Sigmoid<T>(Vector512<T> a)
        where T : IFloatingPointIeee754<T> => Vector512<T>.One / (Vector512<T>.One + Exp(-a));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Sigmoid<T>(Vector256<T> a)
        where T : IFloatingPointIeee754<T> => Vector256<T>.One / (Vector256<T>.One + Exp(-a));

    /// <summary>The even and the odd elements of (a, b), in order: the two columns of rows of two values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512<T> Even, Vector512<T> Odd) Deinterleave<T>(Vector512<T> a, Vector512<T> b)
    {
        if (typeof(T) == typeof(double) && Avx512F.IsSupported)
        {
            var (da, db) = (a.AsDouble(), b.AsDouble());
            return (Avx512F.PermuteVar8x64x2(da, Vector512.Create(0L, 2, 4, 6, 8, 10, 12, 14), db).As<double, T>(),
                    Avx512F.PermuteVar8x64x2(da, Vector512.Create(1L, 3, 5, 7, 9, 11, 13, 15), db).As<double, T>());
        }

        if (typeof(T) == typeof(float) && Avx512F.IsSupported)
        {
            var (sa, sb) = (a.AsSingle(), b.AsSingle());
            return (Avx512F.PermuteVar16x32x2(sa, Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30), sb).As<float, T>(),
                    Avx512F.PermuteVar16x32x2(sa, Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31), sb).As<float, T>());
        }

        var (lower, upper) = Deinterleave(a.GetLower(), a.GetUpper());
        var (lower2, upper2) = Deinterleave(b.GetLower(), b.GetUpper());
        return (Vector512.Create(lower, lower2), Vector512.Create(upper, upper2));
    }

    /// <summary>The even and the odd elements of (a, b), in order, by shuffles of each joined with |.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256<T> Even, Vector256<T> Odd) Deinterleave<T>(Vector256<T> a, Vector256<T> b)
    {
        if (typeof(T) == typeof(double))
        {
            var (da, db) = (a.AsDouble(), b.AsDouble());
            return ((Vector256.Shuffle(da, Vector256.Create(0L, 2, 4, 4)) | Vector256.Shuffle(db, Vector256.Create(4L, 4, 0, 2))).As<double, T>(),
                    (Vector256.Shuffle(da, Vector256.Create(1L, 3, 4, 4)) | Vector256.Shuffle(db, Vector256.Create(4L, 4, 1, 3))).As<double, T>());
        }

        var (sa, sb) = (a.AsSingle(), b.AsSingle());
        return ((Vector256.Shuffle(sa, Vector256.Create(0, 2, 4, 6, 8, 8, 8, 8)) | Vector256.Shuffle(sb, Vector256.Create(8, 8, 8, 8, 0, 2, 4, 6))).As<float, T>(),
                (Vector256.Shuffle(sa, Vector256.Create(1, 3, 5, 7, 8, 8, 8, 8)) | Vector256.Shuffle(sb, Vector256.Create(8, 8, 8, 8, 1, 3, 5, 7))).As<float, T>());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Exp<T>(Vector512<T> x) =>
        typeof(T) == typeof(double) ? Exp(x.AsDouble()).As<double, T>() : Exp(x.AsSingle()).As<float, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Exp<T>(Vector256<T> x) =>
        typeof(T) == typeof(double) ? Exp(x.AsDouble()).As<double, T>() : Exp(x.AsSingle()).As<float, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Exp(Vector512<double> x)
    {
        var shift = Vector512.Create(6755399441055744.0);
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(-760.0)), Vector512.Create(720.0));
        var n = Vector512.FusedMultiplyAdd(x, Vector512.Create(1.4426950408889634), shift) - shift;
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-0.6931471803691238), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-1.9082149292705877e-10), r);
        var e = Vector512.Create(1.6059043836821613e-10);
        e = Vector512.FusedMultiplyAdd(e, r, Vector512.Create(2.08767569878681e-09));
        e = Vector512.FusedMultiplyAdd(e, r, Vector512.Create(2.505210838544172e-08));
        e = Vector512.FusedMultiplyAdd(e, r, Vector512.Create(2.755731922398589e-07));
        e = Vector512.FusedMultiplyAdd(e, r, Vector512.Create(2.7557319223985893e-06));
        e = Vector512.FusedMultiplyAdd(e, r, Vector512.Create(2.48015873015873e-05));
        e = Vector512.FusedMultiplyAdd(e, r, Vector512.Create(0.0001984126984126984));
        e = Vector512.FusedMultiplyAdd(e, r, Vector512.Create(0.001388888888888889));
        e = Vector512.FusedMultiplyAdd(e, r, Vector512.Create(0.008333333333333333));
        e = Vector512.FusedMultiplyAdd(e, r, Vector512.Create(0.041666666666666664));
        e = Vector512.FusedMultiplyAdd(e, r, Vector512.Create(0.16666666666666666));
        e = Vector512.FusedMultiplyAdd(e, r, Vector512.Create(0.5));
        e = Vector512.FusedMultiplyAdd(e, r, Vector512.Create(1.0));
        e = Vector512.FusedMultiplyAdd(e, r, Vector512.Create(1.0));
        var half = Vector512.FusedMultiplyAdd(n, Vector512.Create(0.5), shift) - shift;
        var bias = Vector512.Create(6755399441056767.0);
        var first = Vector512.ShiftLeft((half + bias).AsInt64(), 52).AsDouble();
        var second = Vector512.ShiftLeft((n - half + bias).AsInt64(), 52).AsDouble();
        return e * first * second;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Exp(Vector512<float> x)
    {
        var shift = Vector512.Create(12582912.0f);
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(-104.0f)), Vector512.Create(89.0f));
        var n = Vector512.FusedMultiplyAdd(x, Vector512.Create(1.442695f), shift) - shift;
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-0.693359375f), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(2.1219444e-4f), r);
        var e = Vector512.Create(0.0001984126984126984f);
        e = Vector512.FusedMultiplyAdd(e, r, Vector512.Create(0.001388888888888889f));
        e = Vector512.FusedMultiplyAdd(e, r, Vector512.Create(0.008333333333333333f));
        e = Vector512.FusedMultiplyAdd(e, r, Vector512.Create(0.041666666666666664f));
        e = Vector512.FusedMultiplyAdd(e, r, Vector512.Create(0.16666666666666666f));
        e = Vector512.FusedMultiplyAdd(e, r, Vector512.Create(0.5f));
        e = Vector512.FusedMultiplyAdd(e, r, Vector512.Create(1.0f));
        e = Vector512.FusedMultiplyAdd(e, r, Vector512.Create(1.0f));
        var half = Vector512.FusedMultiplyAdd(n, Vector512.Create(0.5f), shift) - shift;
        var bias = Vector512.Create(12583039.0f);
        var first = Vector512.ShiftLeft((half + bias).AsInt32(), 23).AsSingle();
        var second = Vector512.ShiftLeft((n - half + bias).AsInt32(), 23).AsSingle();
        return e * first * second;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Exp(Vector256<double> x)
    {
        var shift = Vector256.Create(6755399441055744.0);
        x = Vector256.Min(Vector256.Max(x, Vector256.Create(-760.0)), Vector256.Create(720.0));
        var n = Vector256.FusedMultiplyAdd(x, Vector256.Create(1.4426950408889634), shift) - shift;
        var r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-0.6931471803691238), x);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-1.9082149292705877e-10), r);
        var e = Vector256.Create(1.6059043836821613e-10);
        e = Vector256.FusedMultiplyAdd(e, r, Vector256.Create(2.08767569878681e-09));
        e = Vector256.FusedMultiplyAdd(e, r, Vector256.Create(2.505210838544172e-08));
        e = Vector256.FusedMultiplyAdd(e, r, Vector256.Create(2.755731922398589e-07));
        e = Vector256.FusedMultiplyAdd(e, r, Vector256.Create(2.7557319223985893e-06));
        e = Vector256.FusedMultiplyAdd(e, r, Vector256.Create(2.48015873015873e-05));
        e = Vector256.FusedMultiplyAdd(e, r, Vector256.Create(0.0001984126984126984));
        e = Vector256.FusedMultiplyAdd(e, r, Vector256.Create(0.001388888888888889));
        e = Vector256.FusedMultiplyAdd(e, r, Vector256.Create(0.008333333333333333));
        e = Vector256.FusedMultiplyAdd(e, r, Vector256.Create(0.041666666666666664));
        e = Vector256.FusedMultiplyAdd(e, r, Vector256.Create(0.16666666666666666));
        e = Vector256.FusedMultiplyAdd(e, r, Vector256.Create(0.5));
        e = Vector256.FusedMultiplyAdd(e, r, Vector256.Create(1.0));
        e = Vector256.FusedMultiplyAdd(e, r, Vector256.Create(1.0));
        var half = Vector256.FusedMultiplyAdd(n, Vector256.Create(0.5), shift) - shift;
        var bias = Vector256.Create(6755399441056767.0);
        var first = Vector256.ShiftLeft((half + bias).AsInt64(), 52).AsDouble();
        var second = Vector256.ShiftLeft((n - half + bias).AsInt64(), 52).AsDouble();
        return e * first * second;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Exp(Vector256<float> x)
    {
        var shift = Vector256.Create(12582912.0f);
        x = Vector256.Min(Vector256.Max(x, Vector256.Create(-104.0f)), Vector256.Create(89.0f));
        var n = Vector256.FusedMultiplyAdd(x, Vector256.Create(1.442695f), shift) - shift;
        var r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-0.693359375f), x);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(2.1219444e-4f), r);
        var e = Vector256.Create(0.0001984126984126984f);
        e = Vector256.FusedMultiplyAdd(e, r, Vector256.Create(0.001388888888888889f));
        e = Vector256.FusedMultiplyAdd(e, r, Vector256.Create(0.008333333333333333f));
        e = Vector256.FusedMultiplyAdd(e, r, Vector256.Create(0.041666666666666664f));
        e = Vector256.FusedMultiplyAdd(e, r, Vector256.Create(0.16666666666666666f));
        e = Vector256.FusedMultiplyAdd(e, r, Vector256.Create(0.5f));
        e = Vector256.FusedMultiplyAdd(e, r, Vector256.Create(1.0f));
        e = Vector256.FusedMultiplyAdd(e, r, Vector256.Create(1.0f));
        var half = Vector256.FusedMultiplyAdd(n, Vector256.Create(0.5f), shift) - shift;
        var bias = Vector256.Create(12583039.0f);
        var first = Vector256.ShiftLeft((half + bias).AsInt32(), 23).AsSingle();
        var second = Vector256.ShiftLeft((n - half + bias).AsInt32(), 23).AsSingle();
        return e * first * second;
    }

}
