#if NET8_0_OR_GREATER
using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace BackpropGen.Runtime;

/// <summary>
/// The functions of the SIMD lanes of generated networks (each lane one example): the exponential and the logarithm, and
/// tanh, sin, cos and power lane by lane. Generated code calls them; they are not meant to be used otherwise.
/// </summary>
/// <remarks>
/// <para>
/// <c>Exp</c> is a polynomial: x = n ln 2 + r with n the nearest integer to x / ln 2 (rounded by adding and subtracting
/// 1.5 · 2^52, or 1.5 · 2^23 in float) and |r| ≤ ln 2 / 2 (ln 2 in two parts, so r is exact), e^r by its Taylor polynomial
/// (degree 13 in double, 7 in float), then scaled by 2^n as 2^(n − m) · 2^m with m ≈ n/2, each factor a normal number built
/// in the exponent bits: so e^x overflows to ∞ and underflows through the subnormals to 0 where <see cref="Math.Exp"/>
/// does. x is clamped to [−760, 720] ([−104, 89] in float), beyond which e^x is 0 or ∞ anyway; NaN stays NaN. The relative
/// error is under 2 ulp against <see cref="Math.Exp"/> and <see cref="MathF.Exp"/> (tested over ±750).
/// </para>
/// <para>
/// <c>Log</c> is fdlibm's: x = 2^k m with m in [√½, √2) read from the bits (subnormals scaled by 2^54 or 2^25 first),
/// f = m − 1, s = f / (2 + f), log(1 + f) = f − f²/2 + s (f²/2 + R(s²)) with fdlibm's polynomial R (degree 7 in s² in
/// double, 4 in float), plus k ln 2 in two parts. It is inlined, where the vector classes' own <c>Log</c> is a call.
/// </para>
/// <para>
/// The vector classes have no tanh, sin, cos or non-integer power: those are computed lane by lane with the scalar method,
/// so they give the same values as the scalar code.
/// </para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class LaneMath
{
    /// <summary>1.5 · 2^52: adding and subtracting it rounds a double to an integer.</summary>
    private const double DoubleShift = 6755399441055744.0;

    /// <summary>1.5 · 2^23: adding and subtracting it rounds a float to an integer.</summary>
    private const float SingleShift = 12582912.0f;

    /// <summary>e^x in every lane, within 2 ulp of <see cref="Math.Exp"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Exp(Vector512<double> x)
    {
        Vector512<double> shift = Vector512.Create(DoubleShift);
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(-760.0)), Vector512.Create(720.0));
        Vector512<double> n = MultiplyAdd(x, Vector512.Create(1.4426950408889634), shift) - shift;
        Vector512<double> r = MultiplyAdd(n, Vector512.Create(-0.6931471803691238), x);
        r = MultiplyAdd(n, Vector512.Create(-1.9082149292705877e-10), r);
        Vector512<double> e = Vector512.Create(1.0 / 6227020800.0);
        e = MultiplyAdd(e, r, Vector512.Create(1.0 / 479001600.0));
        e = MultiplyAdd(e, r, Vector512.Create(1.0 / 39916800.0));
        e = MultiplyAdd(e, r, Vector512.Create(1.0 / 3628800.0));
        e = MultiplyAdd(e, r, Vector512.Create(1.0 / 362880.0));
        e = MultiplyAdd(e, r, Vector512.Create(1.0 / 40320.0));
        e = MultiplyAdd(e, r, Vector512.Create(1.0 / 5040.0));
        e = MultiplyAdd(e, r, Vector512.Create(1.0 / 720.0));
        e = MultiplyAdd(e, r, Vector512.Create(1.0 / 120.0));
        e = MultiplyAdd(e, r, Vector512.Create(1.0 / 24.0));
        e = MultiplyAdd(e, r, Vector512.Create(1.0 / 6.0));
        e = MultiplyAdd(e, r, Vector512.Create(1.0 / 2.0));
        e = MultiplyAdd(e, r, Vector512.Create(1.0 / 1.0));
        e = MultiplyAdd(e, r, Vector512.Create(1.0 / 1.0));
        Vector512<double> half = MultiplyAdd(n, Vector512.Create(0.5), shift) - shift;
        Vector512<double> bias = Vector512.Create(1023 + DoubleShift);
        Vector512<double> first = Vector512.ShiftLeft((half + bias).AsInt64(), 52).AsDouble();
        Vector512<double> second = Vector512.ShiftLeft((n - half + bias).AsInt64(), 52).AsDouble();
        return e * first * second;
    }

    /// <summary>e^x in every lane, within 2 ulp of <see cref="Math.Exp"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Exp(Vector256<double> x)
    {
        Vector256<double> shift = Vector256.Create(DoubleShift);
        x = Vector256.Min(Vector256.Max(x, Vector256.Create(-760.0)), Vector256.Create(720.0));
        Vector256<double> n = MultiplyAdd(x, Vector256.Create(1.4426950408889634), shift) - shift;
        Vector256<double> r = MultiplyAdd(n, Vector256.Create(-0.6931471803691238), x);
        r = MultiplyAdd(n, Vector256.Create(-1.9082149292705877e-10), r);
        Vector256<double> e = Vector256.Create(1.0 / 6227020800.0);
        e = MultiplyAdd(e, r, Vector256.Create(1.0 / 479001600.0));
        e = MultiplyAdd(e, r, Vector256.Create(1.0 / 39916800.0));
        e = MultiplyAdd(e, r, Vector256.Create(1.0 / 3628800.0));
        e = MultiplyAdd(e, r, Vector256.Create(1.0 / 362880.0));
        e = MultiplyAdd(e, r, Vector256.Create(1.0 / 40320.0));
        e = MultiplyAdd(e, r, Vector256.Create(1.0 / 5040.0));
        e = MultiplyAdd(e, r, Vector256.Create(1.0 / 720.0));
        e = MultiplyAdd(e, r, Vector256.Create(1.0 / 120.0));
        e = MultiplyAdd(e, r, Vector256.Create(1.0 / 24.0));
        e = MultiplyAdd(e, r, Vector256.Create(1.0 / 6.0));
        e = MultiplyAdd(e, r, Vector256.Create(1.0 / 2.0));
        e = MultiplyAdd(e, r, Vector256.Create(1.0 / 1.0));
        e = MultiplyAdd(e, r, Vector256.Create(1.0 / 1.0));
        Vector256<double> half = MultiplyAdd(n, Vector256.Create(0.5), shift) - shift;
        Vector256<double> bias = Vector256.Create(1023 + DoubleShift);
        Vector256<double> first = Vector256.ShiftLeft((half + bias).AsInt64(), 52).AsDouble();
        Vector256<double> second = Vector256.ShiftLeft((n - half + bias).AsInt64(), 52).AsDouble();
        return e * first * second;
    }

    /// <summary>e^x in every lane, within 2 ulp of <see cref="MathF.Exp"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        Vector512<float> shift = Vector512.Create(SingleShift);
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(-104.0f)), Vector512.Create(89.0f));
        Vector512<float> n = MultiplyAdd(x, Vector512.Create((float)1.4426950408889634), shift) - shift;
        Vector512<float> r = MultiplyAdd(n, Vector512.Create(-0.693359375f), x);
        r = MultiplyAdd(n, Vector512.Create((float)2.12194440e-4), r);
        Vector512<float> e = Vector512.Create((float)(1.0 / 5040.0));
        e = MultiplyAdd(e, r, Vector512.Create((float)(1.0 / 720.0)));
        e = MultiplyAdd(e, r, Vector512.Create((float)(1.0 / 120.0)));
        e = MultiplyAdd(e, r, Vector512.Create((float)(1.0 / 24.0)));
        e = MultiplyAdd(e, r, Vector512.Create((float)(1.0 / 6.0)));
        e = MultiplyAdd(e, r, Vector512.Create((float)(1.0 / 2.0)));
        e = MultiplyAdd(e, r, Vector512.Create((float)(1.0 / 1.0)));
        e = MultiplyAdd(e, r, Vector512.Create((float)(1.0 / 1.0)));
        Vector512<float> half = MultiplyAdd(n, Vector512.Create(0.5f), shift) - shift;
        Vector512<float> bias = Vector512.Create(127 + SingleShift);
        Vector512<float> first = Vector512.ShiftLeft((half + bias).AsInt32(), 23).AsSingle();
        Vector512<float> second = Vector512.ShiftLeft((n - half + bias).AsInt32(), 23).AsSingle();
        return e * first * second;
    }

    /// <summary>e^x in every lane, within 2 ulp of <see cref="MathF.Exp"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        Vector256<float> shift = Vector256.Create(SingleShift);
        x = Vector256.Min(Vector256.Max(x, Vector256.Create(-104.0f)), Vector256.Create(89.0f));
        Vector256<float> n = MultiplyAdd(x, Vector256.Create((float)1.4426950408889634), shift) - shift;
        Vector256<float> r = MultiplyAdd(n, Vector256.Create(-0.693359375f), x);
        r = MultiplyAdd(n, Vector256.Create((float)2.12194440e-4), r);
        Vector256<float> e = Vector256.Create((float)(1.0 / 5040.0));
        e = MultiplyAdd(e, r, Vector256.Create((float)(1.0 / 720.0)));
        e = MultiplyAdd(e, r, Vector256.Create((float)(1.0 / 120.0)));
        e = MultiplyAdd(e, r, Vector256.Create((float)(1.0 / 24.0)));
        e = MultiplyAdd(e, r, Vector256.Create((float)(1.0 / 6.0)));
        e = MultiplyAdd(e, r, Vector256.Create((float)(1.0 / 2.0)));
        e = MultiplyAdd(e, r, Vector256.Create((float)(1.0 / 1.0)));
        e = MultiplyAdd(e, r, Vector256.Create((float)(1.0 / 1.0)));
        Vector256<float> half = MultiplyAdd(n, Vector256.Create(0.5f), shift) - shift;
        Vector256<float> bias = Vector256.Create(127 + SingleShift);
        Vector256<float> first = Vector256.ShiftLeft((half + bias).AsInt32(), 23).AsSingle();
        Vector256<float> second = Vector256.ShiftLeft((n - half + bias).AsInt32(), 23).AsSingle();
        return e * first * second;
    }

    /// <summary>log x in every lane, within 2 ulp of <see cref="Math.Log(double)"/>: −∞ at 0, NaN below 0 and for NaN, ∞ at ∞.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Log(Vector512<double> x)
    {
        Vector512<double> subnormal = Vector512.LessThan(x, Vector512.Create(2.2250738585072014e-308));
        Vector512<double> y = Vector512.ConditionalSelect(subnormal, x * Vector512.Create(18014398509481984.0), x); // subnormals scaled to normal numbers first
        Vector512<long> bits = y.AsInt64() + Vector512.Create(0x3ff0000000000000L - 0x3fe6a09e667f3bcdL); // x = 2^k m with m in [√½, √2)
        Vector512<long> k = (bits >> 52) - Vector512.Create(1023L) - (subnormal.AsInt64() & Vector512.Create(54L));
        Vector512<double> f = ((bits & Vector512.Create(0x000fffffffffffffL)) + Vector512.Create(0x3fe6a09e667f3bcdL)).AsDouble() - Vector512.Create(1.0);
        Vector512<double> s = f / (Vector512.Create(2.0) + f); // log(1 + f) = 2 atanh(s) = 2s + 2s³/3 + …, the series of fdlibm's log
        Vector512<double> z = s * s;
        Vector512<double> w = z * z;
        Vector512<double> r = z * MultiplyAdd(w, MultiplyAdd(w, MultiplyAdd(w, Vector512.Create(1.479819860511658591e-01), Vector512.Create(1.818357216161805012e-01)), Vector512.Create(2.857142874366239149e-01)), Vector512.Create(6.666666666666735130e-01)) + w * MultiplyAdd(w, MultiplyAdd(w, Vector512.Create(1.531383769920937332e-01), Vector512.Create(2.222219843214978396e-01)), Vector512.Create(3.999999999940941908e-01));
        Vector512<double> hfsq = Vector512.Create(0.5) * f * f;
        Vector512<double> dk = Vector512.ConvertToDouble(k);
        Vector512<double> log = MultiplyAdd(dk, Vector512.Create(6.93147180369123816490e-01), f - (hfsq - MultiplyAdd(s, hfsq + r, dk * Vector512.Create(1.90821492927058770002e-10))));
        log = Vector512.ConditionalSelect(Vector512.Equals(x, Vector512.Create(double.PositiveInfinity)), x, log);
        log = Vector512.ConditionalSelect(Vector512.Equals(x, Vector512.Create(0.0)), Vector512.Create(double.NegativeInfinity), log);
        return Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<double>.Zero) | ~Vector512.Equals(x, x), Vector512.Create(double.NaN), log);
    }

    /// <summary>log x in every lane, within 2 ulp of <see cref="Math.Log(double)"/>: −∞ at 0, NaN below 0 and for NaN, ∞ at ∞.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Log(Vector256<double> x)
    {
        Vector256<double> subnormal = Vector256.LessThan(x, Vector256.Create(2.2250738585072014e-308));
        Vector256<double> y = Vector256.ConditionalSelect(subnormal, x * Vector256.Create(18014398509481984.0), x); // subnormals scaled to normal numbers first
        Vector256<long> bits = y.AsInt64() + Vector256.Create(0x3ff0000000000000L - 0x3fe6a09e667f3bcdL); // x = 2^k m with m in [√½, √2)
        Vector256<long> k = (bits >> 52) - Vector256.Create(1023L) - (subnormal.AsInt64() & Vector256.Create(54L));
        Vector256<double> f = ((bits & Vector256.Create(0x000fffffffffffffL)) + Vector256.Create(0x3fe6a09e667f3bcdL)).AsDouble() - Vector256.Create(1.0);
        Vector256<double> s = f / (Vector256.Create(2.0) + f); // log(1 + f) = 2 atanh(s) = 2s + 2s³/3 + …, the series of fdlibm's log
        Vector256<double> z = s * s;
        Vector256<double> w = z * z;
        Vector256<double> r = z * MultiplyAdd(w, MultiplyAdd(w, MultiplyAdd(w, Vector256.Create(1.479819860511658591e-01), Vector256.Create(1.818357216161805012e-01)), Vector256.Create(2.857142874366239149e-01)), Vector256.Create(6.666666666666735130e-01)) + w * MultiplyAdd(w, MultiplyAdd(w, Vector256.Create(1.531383769920937332e-01), Vector256.Create(2.222219843214978396e-01)), Vector256.Create(3.999999999940941908e-01));
        Vector256<double> hfsq = Vector256.Create(0.5) * f * f;
        Vector256<double> dk = Vector256.ConvertToDouble(k);
        Vector256<double> log = MultiplyAdd(dk, Vector256.Create(6.93147180369123816490e-01), f - (hfsq - MultiplyAdd(s, hfsq + r, dk * Vector256.Create(1.90821492927058770002e-10))));
        log = Vector256.ConditionalSelect(Vector256.Equals(x, Vector256.Create(double.PositiveInfinity)), x, log);
        log = Vector256.ConditionalSelect(Vector256.Equals(x, Vector256.Create(0.0)), Vector256.Create(double.NegativeInfinity), log);
        return Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<double>.Zero) | ~Vector256.Equals(x, x), Vector256.Create(double.NaN), log);
    }

    /// <summary>log x in every lane, within 2 ulp of <see cref="MathF.Log(float)"/>: −∞ at 0, NaN below 0 and for NaN, ∞ at ∞.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Log(Vector512<float> x)
    {
        Vector512<float> subnormal = Vector512.LessThan(x, Vector512.Create(1.17549435e-38f));
        Vector512<float> y = Vector512.ConditionalSelect(subnormal, x * Vector512.Create(33554432.0f), x); // subnormals scaled to normal numbers first
        Vector512<int> bits = y.AsInt32() + Vector512.Create(0x3f800000 - 0x3f3504f3); // x = 2^k m with m in [√½, √2)
        Vector512<int> k = (bits >> 23) - Vector512.Create(127) - (subnormal.AsInt32() & Vector512.Create(25));
        Vector512<float> f = ((bits & Vector512.Create(0x007fffff)) + Vector512.Create(0x3f3504f3)).AsSingle() - Vector512.Create(1.0f);
        Vector512<float> s = f / (Vector512.Create(2.0f) + f); // log(1 + f) = 2 atanh(s) = 2s + 2s³/3 + …, the series of fdlibm's log
        Vector512<float> z = s * s;
        Vector512<float> w = z * z;
        Vector512<float> r = z * MultiplyAdd(w, Vector512.Create(2.8498786688e-01f), Vector512.Create(6.6666662693e-01f)) + w * MultiplyAdd(w, Vector512.Create(2.4279078841e-01f), Vector512.Create(4.0000972152e-01f));
        Vector512<float> hfsq = Vector512.Create(0.5f) * f * f;
        Vector512<float> dk = Vector512.ConvertToSingle(k);
        Vector512<float> log = MultiplyAdd(dk, Vector512.Create(6.9313812256e-01f), f - (hfsq - MultiplyAdd(s, hfsq + r, dk * Vector512.Create(9.0580006145e-06f))));
        log = Vector512.ConditionalSelect(Vector512.Equals(x, Vector512.Create(float.PositiveInfinity)), x, log);
        log = Vector512.ConditionalSelect(Vector512.Equals(x, Vector512.Create(0.0f)), Vector512.Create(float.NegativeInfinity), log);
        return Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero) | ~Vector512.Equals(x, x), Vector512.Create(float.NaN), log);
    }

    /// <summary>log x in every lane, within 2 ulp of <see cref="MathF.Log(float)"/>: −∞ at 0, NaN below 0 and for NaN, ∞ at ∞.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Log(Vector256<float> x)
    {
        Vector256<float> subnormal = Vector256.LessThan(x, Vector256.Create(1.17549435e-38f));
        Vector256<float> y = Vector256.ConditionalSelect(subnormal, x * Vector256.Create(33554432.0f), x); // subnormals scaled to normal numbers first
        Vector256<int> bits = y.AsInt32() + Vector256.Create(0x3f800000 - 0x3f3504f3); // x = 2^k m with m in [√½, √2)
        Vector256<int> k = (bits >> 23) - Vector256.Create(127) - (subnormal.AsInt32() & Vector256.Create(25));
        Vector256<float> f = ((bits & Vector256.Create(0x007fffff)) + Vector256.Create(0x3f3504f3)).AsSingle() - Vector256.Create(1.0f);
        Vector256<float> s = f / (Vector256.Create(2.0f) + f); // log(1 + f) = 2 atanh(s) = 2s + 2s³/3 + …, the series of fdlibm's log
        Vector256<float> z = s * s;
        Vector256<float> w = z * z;
        Vector256<float> r = z * MultiplyAdd(w, Vector256.Create(2.8498786688e-01f), Vector256.Create(6.6666662693e-01f)) + w * MultiplyAdd(w, Vector256.Create(2.4279078841e-01f), Vector256.Create(4.0000972152e-01f));
        Vector256<float> hfsq = Vector256.Create(0.5f) * f * f;
        Vector256<float> dk = Vector256.ConvertToSingle(k);
        Vector256<float> log = MultiplyAdd(dk, Vector256.Create(6.9313812256e-01f), f - (hfsq - MultiplyAdd(s, hfsq + r, dk * Vector256.Create(9.0580006145e-06f))));
        log = Vector256.ConditionalSelect(Vector256.Equals(x, Vector256.Create(float.PositiveInfinity)), x, log);
        log = Vector256.ConditionalSelect(Vector256.Equals(x, Vector256.Create(0.0f)), Vector256.Create(float.NegativeInfinity), log);
        return Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero) | ~Vector256.Equals(x, x), Vector256.Create(float.NaN), log);
    }

    /// <summary>tanh of every lane, with the scalar method.</summary>
    public static Vector512<T> Tanh<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => LaneByLane(x, default(TanhOf<T>));

    /// <summary>tanh of every lane, with the scalar method.</summary>
    public static Vector256<T> Tanh<T>(Vector256<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => LaneByLane(x, default(TanhOf<T>));

    /// <summary>sin of every lane, with the scalar method.</summary>
    public static Vector512<T> Sin<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => LaneByLane(x, default(SinOf<T>));

    /// <summary>sin of every lane, with the scalar method.</summary>
    public static Vector256<T> Sin<T>(Vector256<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => LaneByLane(x, default(SinOf<T>));

    /// <summary>cos of every lane, with the scalar method.</summary>
    public static Vector512<T> Cos<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => LaneByLane(x, default(CosOf<T>));

    /// <summary>cos of every lane, with the scalar method.</summary>
    public static Vector256<T> Cos<T>(Vector256<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => LaneByLane(x, default(CosOf<T>));

    /// <summary>x^y in every lane, with the scalar method.</summary>
    public static Vector512<T> Pow<T>(Vector512<T> x, Vector512<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int k = 0; k < Vector512<T>.Count; k++)
        {
            x = x.WithElement(k, T.Pow(x.GetElement(k), y.GetElement(k)));
        }

        return x;
    }

    /// <summary>x^y in every lane, with the scalar method.</summary>
    public static Vector256<T> Pow<T>(Vector256<T> x, Vector256<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int k = 0; k < Vector256<T>.Count; k++)
        {
            x = x.WithElement(k, T.Pow(x.GetElement(k), y.GetElement(k)));
        }

        return x;
    }

    private static Vector512<T> LaneByLane<T, TFunction>(Vector512<T> x, TFunction function)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TFunction : struct, IScalarFunction<T>
    {
        for (int k = 0; k < Vector512<T>.Count; k++)
        {
            x = x.WithElement(k, function.Of(x.GetElement(k)));
        }

        return x;
    }

    private static Vector256<T> LaneByLane<T, TFunction>(Vector256<T> x, TFunction function)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TFunction : struct, IScalarFunction<T>
    {
        for (int k = 0; k < Vector256<T>.Count; k++)
        {
            x = x.WithElement(k, function.Of(x.GetElement(k)));
        }

        return x;
    }

    private interface IScalarFunction<T>
    {
        T Of(T x);
    }

    private readonly struct TanhOf<T> : IScalarFunction<T>
        where T : IFloatingPointIeee754<T>
    {
        public T Of(T x) => T.Tanh(x);
    }

    private readonly struct SinOf<T> : IScalarFunction<T>
        where T : IFloatingPointIeee754<T>
    {
        public T Of(T x) => T.Sin(x);
    }

    private readonly struct CosOf<T> : IScalarFunction<T>
        where T : IFloatingPointIeee754<T>
    {
        public T Of(T x) => T.Cos(x);
    }

    /// <summary>a · b + c rounded once: the machine's fused multiply-add, or lane by lane where it has none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> MultiplyAdd(Vector512<double> a, Vector512<double> b, Vector512<double> c) =>
        Avx512F.IsSupported ? Avx512F.FusedMultiplyAdd(a, b, c) : LaneByLane(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> MultiplyAdd(Vector256<double> a, Vector256<double> b, Vector256<double> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : LaneByLane(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) =>
        Avx512F.IsSupported ? Avx512F.FusedMultiplyAdd(a, b, c) : LaneByLane(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : LaneByLane(a, b, c);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector512<T> LaneByLane<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int k = 0; k < Vector512<T>.Count; k++)
        {
            c = c.WithElement(k, T.FusedMultiplyAdd(a.GetElement(k), b.GetElement(k), c.GetElement(k)));
        }

        return c;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector256<T> LaneByLane<T>(Vector256<T> a, Vector256<T> b, Vector256<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int k = 0; k < Vector256<T>.Count; k++)
        {
            c = c.WithElement(k, T.FusedMultiplyAdd(a.GetElement(k), b.GetElement(k), c.GetElement(k)));
        }

        return c;
    }
}
#endif
