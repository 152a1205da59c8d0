using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static BackpropGen.Benchmarks.LaneMath;
using static System.Runtime.CompilerServices.Unsafe;

namespace BackpropGen.Benchmarks;

/// <summary>
/// The lanes limit of the 4-8-3 network's <c>BatchGradient</c> (8 sigmoid, 3 softmax, cross-entropy −Σ t log y): W
/// examples at a time, one per lane of a <see cref="Vector512{T}"/> where it is accelerated, then of a
/// <see cref="Vector256{T}"/>, then one at a time.
/// </summary>
/// <remarks>
/// <para>
/// A chunk of up to <see cref="ChunkBlocks"/> blocks of W examples goes through three phases, each over all of its
/// blocks before the next, so that the blocks' dependency chains (e^x, the divisions) overlap in the processor: the hidden
/// layer; the output layer, the softmax and the loss; the gradient. The blocks' inputs, hidden outputs and output δs wait
/// between the phases in a stack buffer (<see cref="Block{TV}"/>). The gradient phase is three passes that keep their
/// sums in registers across the chunk (U and c: 27; W and b of hidden units 0–3, then 4–7: 20 each) and add them to
/// the 67 gradient vectors once per chunk; those are added horizontally once per call, by a tree of shuffles.
/// </para>
/// <para>
/// The parameters are broadcast where they are used, as memory operands of the fused multiply-adds (embedded broadcasts
/// where AVX-512 is): measured faster than broadcasting them once into 67 stack vectors, which the loops would load
/// just as often. The first layer's are negated, so that its multiply-add chains give −a and e^−a needs no negation.
/// Each block is transposed into lanes by two-source permutes (AVX-512) or unpacks, blends and permutes (AVX2): 4 input
/// columns from 4 vectors, 3 target columns from 3.
/// </para>
/// <para>
/// The softmax and the loss take one division and one logarithm per block: with m = maxₖ aₖ, zₖ = aₖ − m,
/// S = Σₖ e^zₖ and τ = Σₖ tₖ, δₖ = e^zₖ · (τ / S) − tₖ and L = τ log S − Σₖ tₖ zₖ. Since S ∈ [1, 3], log S is
/// j ln 2 + 2 atanh((s − 1)/(s + 1)) with s = S/2^j ∈ [¾, 3/2] (j ∈ {0, 1}), its odd series to z²¹ (z¹¹ in
/// <see langword="float"/>). e^x is <see cref="LaneMath"/>'s polynomial, the one the generated code uses.
/// </para>
/// </remarks>
public sealed class Net4x8x3LanesKernel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int Inputs = 4;
    private const int Hidden = 8;
    private const int Outputs = 3;

    /// <summary>The number of parameters, as in the generated layout.</summary>
    public const int ParameterCount = (Inputs + 1) * Hidden + (Hidden + 1) * Outputs;

    /// <summary>Where b, U (8 × 3, row-major) and c start; W (4 × 8, row-major) starts at 0.</summary>
    private const int B = Inputs * Hidden;
    private const int U = B + Hidden;
    private const int C = U + Hidden * Outputs;

    /// <summary>The blocks of W examples each phase takes in turn.</summary>
    private const int ChunkBlocks = 8;

    private readonly T[] _p = new T[ParameterCount];

    /// <summary>The parameters with W and b negated, so that the first layer's multiply-adds give −a.</summary>
    private readonly T[] _q = new T[ParameterCount];

    /// <summary>Loads the 67 parameters in the generated layout: W (4 × 8), b, U (8 × 3), c.</summary>
    public void SetParameters(ReadOnlySpan<T> parameters)
    {
        parameters[..ParameterCount].CopyTo(_p);
        for (var k = 0; k < ParameterCount; k++)
        {
            _q[k] = k < U ? -_p[k] : _p[k];
        }
    }

    /// <summary>The mean loss and mean gradient of the examples, as the generated <c>BatchGradient</c>.</summary>
    public T BatchGradient(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Span<T> gradient)
    {
        var count = inputs.Length / Inputs;
        if (targets.Length != count * Outputs || inputs.Length != count * Inputs || gradient.Length != ParameterCount)
        {
            throw new ArgumentException("Expected n rows of 4 inputs, n rows of 3 targets and 67 gradient entries.");
        }

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
            total += Scalar(inputs.Slice(e * Inputs, Inputs), targets.Slice(e * Outputs, Outputs), gradient);
        }

        var scale = T.One / T.CreateTruncating(count);
        TensorPrimitives.Multiply(gradient, scale, gradient);
        return total * scale;
    }

    /// <summary>
    /// The examples from <paramref name="start"/> on, W = <see cref="Vector512{T}.Count"/> at a time while W remain: adds
    /// their gradient sums to <paramref name="gradient"/>, advances <paramref name="start"/> and returns the sum of their losses.
    /// </summary>
    [SkipLocalsInit]
    private T Lanes512(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Span<T> gradient, ref int start, int count)
    {
        ref var q = ref MemoryMarshal.GetArrayDataReference(_q);
        Span<Vector512<T>> g = stackalloc Vector512<T>[ParameterCount];
        g.Clear();
        Span<Block<Vector512<T>>> blocks = stackalloc Block<Vector512<T>>[ChunkBlocks];
        Vector512<T> logSums = default, dotSums = default;
        var one = Vector512<T>.One;
        ref var input = ref MemoryMarshal.GetReference(inputs);
        ref var target = ref MemoryMarshal.GetReference(targets);
        var width = Vector512<T>.Count;
        var e = start;
        while (count - e >= width)
        {
            var chunk = Math.Min(ChunkBlocks, (count - e) / width);
            for (var b = 0; b < chunk; b++)
            {
                ref var k = ref blocks[b];
                Columns(ref Unsafe.Add(ref input, (e + b * width) * Inputs), out Vector512<T> x0, out Vector512<T> x1, out Vector512<T> x2, out Vector512<T> x3);
                (k.X0, k.X1, k.X2, k.X3) = (x0, x1, x2, x3);
                k.H0 = one / (one + Exp(Fma(x3, Vector512.Create(Add(ref q, 24)), Fma(x2, Vector512.Create(Add(ref q, 16)), Fma(x1, Vector512.Create(Add(ref q, 8)), Fma(x0, Vector512.Create(Add(ref q, 0)), Vector512.Create(Add(ref q, 32))))))));
                k.H1 = one / (one + Exp(Fma(x3, Vector512.Create(Add(ref q, 25)), Fma(x2, Vector512.Create(Add(ref q, 17)), Fma(x1, Vector512.Create(Add(ref q, 9)), Fma(x0, Vector512.Create(Add(ref q, 1)), Vector512.Create(Add(ref q, 33))))))));
                k.H2 = one / (one + Exp(Fma(x3, Vector512.Create(Add(ref q, 26)), Fma(x2, Vector512.Create(Add(ref q, 18)), Fma(x1, Vector512.Create(Add(ref q, 10)), Fma(x0, Vector512.Create(Add(ref q, 2)), Vector512.Create(Add(ref q, 34))))))));
                k.H3 = one / (one + Exp(Fma(x3, Vector512.Create(Add(ref q, 27)), Fma(x2, Vector512.Create(Add(ref q, 19)), Fma(x1, Vector512.Create(Add(ref q, 11)), Fma(x0, Vector512.Create(Add(ref q, 3)), Vector512.Create(Add(ref q, 35))))))));
                k.H4 = one / (one + Exp(Fma(x3, Vector512.Create(Add(ref q, 28)), Fma(x2, Vector512.Create(Add(ref q, 20)), Fma(x1, Vector512.Create(Add(ref q, 12)), Fma(x0, Vector512.Create(Add(ref q, 4)), Vector512.Create(Add(ref q, 36))))))));
                k.H5 = one / (one + Exp(Fma(x3, Vector512.Create(Add(ref q, 29)), Fma(x2, Vector512.Create(Add(ref q, 21)), Fma(x1, Vector512.Create(Add(ref q, 13)), Fma(x0, Vector512.Create(Add(ref q, 5)), Vector512.Create(Add(ref q, 37))))))));
                k.H6 = one / (one + Exp(Fma(x3, Vector512.Create(Add(ref q, 30)), Fma(x2, Vector512.Create(Add(ref q, 22)), Fma(x1, Vector512.Create(Add(ref q, 14)), Fma(x0, Vector512.Create(Add(ref q, 6)), Vector512.Create(Add(ref q, 38))))))));
                k.H7 = one / (one + Exp(Fma(x3, Vector512.Create(Add(ref q, 31)), Fma(x2, Vector512.Create(Add(ref q, 23)), Fma(x1, Vector512.Create(Add(ref q, 15)), Fma(x0, Vector512.Create(Add(ref q, 7)), Vector512.Create(Add(ref q, 39))))))));
            }

            for (var b = 0; b < chunk; b++)
            {
                ref var k = ref blocks[b];
                var (h0, h1, h2, h3, h4, h5, h6, h7) = (k.H0, k.H1, k.H2, k.H3, k.H4, k.H5, k.H6, k.H7);
                var a0 = Fma(h3, Vector512.Create(Add(ref q, 49)), Fma(h2, Vector512.Create(Add(ref q, 46)), Fma(h1, Vector512.Create(Add(ref q, 43)), Fma(h0, Vector512.Create(Add(ref q, 40)), Vector512.Create(Add(ref q, 64)))))) + Fma(h7, Vector512.Create(Add(ref q, 61)), Fma(h6, Vector512.Create(Add(ref q, 58)), Fma(h5, Vector512.Create(Add(ref q, 55)), h4 * Vector512.Create(Add(ref q, 52)))));
                var a1 = Fma(h3, Vector512.Create(Add(ref q, 50)), Fma(h2, Vector512.Create(Add(ref q, 47)), Fma(h1, Vector512.Create(Add(ref q, 44)), Fma(h0, Vector512.Create(Add(ref q, 41)), Vector512.Create(Add(ref q, 65)))))) + Fma(h7, Vector512.Create(Add(ref q, 62)), Fma(h6, Vector512.Create(Add(ref q, 59)), Fma(h5, Vector512.Create(Add(ref q, 56)), h4 * Vector512.Create(Add(ref q, 53)))));
                var a2 = Fma(h3, Vector512.Create(Add(ref q, 51)), Fma(h2, Vector512.Create(Add(ref q, 48)), Fma(h1, Vector512.Create(Add(ref q, 45)), Fma(h0, Vector512.Create(Add(ref q, 42)), Vector512.Create(Add(ref q, 66)))))) + Fma(h7, Vector512.Create(Add(ref q, 63)), Fma(h6, Vector512.Create(Add(ref q, 60)), Fma(h5, Vector512.Create(Add(ref q, 57)), h4 * Vector512.Create(Add(ref q, 54)))));
                var m = Vector512.MaxNative(Vector512.MaxNative(a0, a1), a2);
                var (z0, z1, z2) = (a0 - m, a1 - m, a2 - m);
                var (e0, e1, e2) = (Exp(z0), Exp(z1), Exp(z2));
                var sum = e0 + e1 + e2;
                Columns(ref Unsafe.Add(ref target, (e + b * width) * Outputs), out Vector512<T> t0, out Vector512<T> t1, out Vector512<T> t2);
                var tau = t0 + t1 + t2;
                logSums = Fma(tau, LogOfSum(sum), logSums);
                dotSums = Fma(t2, z2, Fma(t1, z1, Fma(t0, z0, dotSums)));
                var ratio = tau / sum;
                (k.D0, k.D1, k.D2) = (Fma(e0, ratio, -t0), Fma(e1, ratio, -t1), Fma(e2, ratio, -t2));
            }

            var (c0, c1, c2) = (g[64], g[65], g[66]);
            var (u00, u01, u02) = (g[40], g[41], g[42]);
            var (u10, u11, u12) = (g[43], g[44], g[45]);
            var (u20, u21, u22) = (g[46], g[47], g[48]);
            var (u30, u31, u32) = (g[49], g[50], g[51]);
            var (u40, u41, u42) = (g[52], g[53], g[54]);
            var (u50, u51, u52) = (g[55], g[56], g[57]);
            var (u60, u61, u62) = (g[58], g[59], g[60]);
            var (u70, u71, u72) = (g[61], g[62], g[63]);
            for (var b = 0; b < chunk; b++)
            {
                ref var k = ref blocks[b];
                var (d0, d1, d2) = (k.D0, k.D1, k.D2);
                (c0, c1, c2) = (c0 + d0, c1 + d1, c2 + d2);
                (u00, u01, u02) = (Fma(d0, k.H0, u00), Fma(d1, k.H0, u01), Fma(d2, k.H0, u02));
                (u10, u11, u12) = (Fma(d0, k.H1, u10), Fma(d1, k.H1, u11), Fma(d2, k.H1, u12));
                (u20, u21, u22) = (Fma(d0, k.H2, u20), Fma(d1, k.H2, u21), Fma(d2, k.H2, u22));
                (u30, u31, u32) = (Fma(d0, k.H3, u30), Fma(d1, k.H3, u31), Fma(d2, k.H3, u32));
                (u40, u41, u42) = (Fma(d0, k.H4, u40), Fma(d1, k.H4, u41), Fma(d2, k.H4, u42));
                (u50, u51, u52) = (Fma(d0, k.H5, u50), Fma(d1, k.H5, u51), Fma(d2, k.H5, u52));
                (u60, u61, u62) = (Fma(d0, k.H6, u60), Fma(d1, k.H6, u61), Fma(d2, k.H6, u62));
                (u70, u71, u72) = (Fma(d0, k.H7, u70), Fma(d1, k.H7, u71), Fma(d2, k.H7, u72));
            }

            (g[64], g[65], g[66]) = (c0, c1, c2);
            (g[40], g[41], g[42]) = (u00, u01, u02);
            (g[43], g[44], g[45]) = (u10, u11, u12);
            (g[46], g[47], g[48]) = (u20, u21, u22);
            (g[49], g[50], g[51]) = (u30, u31, u32);
            (g[52], g[53], g[54]) = (u40, u41, u42);
            (g[55], g[56], g[57]) = (u50, u51, u52);
            (g[58], g[59], g[60]) = (u60, u61, u62);
            (g[61], g[62], g[63]) = (u70, u71, u72);

            var (w00, w10, w20, w30, b0) = (g[0], g[8], g[16], g[24], g[32]);
            var (w01, w11, w21, w31, b1) = (g[1], g[9], g[17], g[25], g[33]);
            var (w02, w12, w22, w32, b2) = (g[2], g[10], g[18], g[26], g[34]);
            var (w03, w13, w23, w33, b3) = (g[3], g[11], g[19], g[27], g[35]);
            for (var b = 0; b < chunk; b++)
            {
                ref var k = ref blocks[b];
                var (d0, d1, d2, x0, x1, x2, x3) = (k.D0, k.D1, k.D2, k.X0, k.X1, k.X2, k.X3);
                var delta0 = Fma(d2, Vector512.Create(Add(ref q, 42)), Fma(d1, Vector512.Create(Add(ref q, 41)), d0 * Vector512.Create(Add(ref q, 40)))) * Fma(-k.H0, k.H0, k.H0);
                (w00, w10, w20, w30, b0) = (Fma(delta0, x0, w00), Fma(delta0, x1, w10), Fma(delta0, x2, w20), Fma(delta0, x3, w30), b0 + delta0);
                var delta1 = Fma(d2, Vector512.Create(Add(ref q, 45)), Fma(d1, Vector512.Create(Add(ref q, 44)), d0 * Vector512.Create(Add(ref q, 43)))) * Fma(-k.H1, k.H1, k.H1);
                (w01, w11, w21, w31, b1) = (Fma(delta1, x0, w01), Fma(delta1, x1, w11), Fma(delta1, x2, w21), Fma(delta1, x3, w31), b1 + delta1);
                var delta2 = Fma(d2, Vector512.Create(Add(ref q, 48)), Fma(d1, Vector512.Create(Add(ref q, 47)), d0 * Vector512.Create(Add(ref q, 46)))) * Fma(-k.H2, k.H2, k.H2);
                (w02, w12, w22, w32, b2) = (Fma(delta2, x0, w02), Fma(delta2, x1, w12), Fma(delta2, x2, w22), Fma(delta2, x3, w32), b2 + delta2);
                var delta3 = Fma(d2, Vector512.Create(Add(ref q, 51)), Fma(d1, Vector512.Create(Add(ref q, 50)), d0 * Vector512.Create(Add(ref q, 49)))) * Fma(-k.H3, k.H3, k.H3);
                (w03, w13, w23, w33, b3) = (Fma(delta3, x0, w03), Fma(delta3, x1, w13), Fma(delta3, x2, w23), Fma(delta3, x3, w33), b3 + delta3);
            }

            (g[0], g[8], g[16], g[24], g[32]) = (w00, w10, w20, w30, b0);
            (g[1], g[9], g[17], g[25], g[33]) = (w01, w11, w21, w31, b1);
            (g[2], g[10], g[18], g[26], g[34]) = (w02, w12, w22, w32, b2);
            (g[3], g[11], g[19], g[27], g[35]) = (w03, w13, w23, w33, b3);

            var (w04, w14, w24, w34, b4) = (g[4], g[12], g[20], g[28], g[36]);
            var (w05, w15, w25, w35, b5) = (g[5], g[13], g[21], g[29], g[37]);
            var (w06, w16, w26, w36, b6) = (g[6], g[14], g[22], g[30], g[38]);
            var (w07, w17, w27, w37, b7) = (g[7], g[15], g[23], g[31], g[39]);
            for (var b = 0; b < chunk; b++)
            {
                ref var k = ref blocks[b];
                var (d0, d1, d2, x0, x1, x2, x3) = (k.D0, k.D1, k.D2, k.X0, k.X1, k.X2, k.X3);
                var delta4 = Fma(d2, Vector512.Create(Add(ref q, 54)), Fma(d1, Vector512.Create(Add(ref q, 53)), d0 * Vector512.Create(Add(ref q, 52)))) * Fma(-k.H4, k.H4, k.H4);
                (w04, w14, w24, w34, b4) = (Fma(delta4, x0, w04), Fma(delta4, x1, w14), Fma(delta4, x2, w24), Fma(delta4, x3, w34), b4 + delta4);
                var delta5 = Fma(d2, Vector512.Create(Add(ref q, 57)), Fma(d1, Vector512.Create(Add(ref q, 56)), d0 * Vector512.Create(Add(ref q, 55)))) * Fma(-k.H5, k.H5, k.H5);
                (w05, w15, w25, w35, b5) = (Fma(delta5, x0, w05), Fma(delta5, x1, w15), Fma(delta5, x2, w25), Fma(delta5, x3, w35), b5 + delta5);
                var delta6 = Fma(d2, Vector512.Create(Add(ref q, 60)), Fma(d1, Vector512.Create(Add(ref q, 59)), d0 * Vector512.Create(Add(ref q, 58)))) * Fma(-k.H6, k.H6, k.H6);
                (w06, w16, w26, w36, b6) = (Fma(delta6, x0, w06), Fma(delta6, x1, w16), Fma(delta6, x2, w26), Fma(delta6, x3, w36), b6 + delta6);
                var delta7 = Fma(d2, Vector512.Create(Add(ref q, 63)), Fma(d1, Vector512.Create(Add(ref q, 62)), d0 * Vector512.Create(Add(ref q, 61)))) * Fma(-k.H7, k.H7, k.H7);
                (w07, w17, w27, w37, b7) = (Fma(delta7, x0, w07), Fma(delta7, x1, w17), Fma(delta7, x2, w27), Fma(delta7, x3, w37), b7 + delta7);
            }

            (g[4], g[12], g[20], g[28], g[36]) = (w04, w14, w24, w34, b4);
            (g[5], g[13], g[21], g[29], g[37]) = (w05, w15, w25, w35, b5);
            (g[6], g[14], g[22], g[30], g[38]) = (w06, w16, w26, w36, b6);
            (g[7], g[15], g[23], g[31], g[39]) = (w07, w17, w27, w37, b7);

            e += chunk * width;
        }

        start = e;
        AddLaneSums(g, gradient);
        return Vector512.Sum(logSums - dotSums);
    }

    /// <summary>
    /// The examples from <paramref name="start"/> on, W = <see cref="Vector256{T}.Count"/> at a time while W remain: adds
    /// their gradient sums to <paramref name="gradient"/>, advances <paramref name="start"/> and returns the sum of their losses.
    /// </summary>
    [SkipLocalsInit]
    private T Lanes256(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Span<T> gradient, ref int start, int count)
    {
        ref var q = ref MemoryMarshal.GetArrayDataReference(_q);
        Span<Vector256<T>> g = stackalloc Vector256<T>[ParameterCount];
        g.Clear();
        Span<Block<Vector256<T>>> blocks = stackalloc Block<Vector256<T>>[ChunkBlocks];
        Vector256<T> logSums = default, dotSums = default;
        var one = Vector256<T>.One;
        ref var input = ref MemoryMarshal.GetReference(inputs);
        ref var target = ref MemoryMarshal.GetReference(targets);
        var width = Vector256<T>.Count;
        var e = start;
        while (count - e >= width)
        {
            var chunk = Math.Min(ChunkBlocks, (count - e) / width);
            for (var b = 0; b < chunk; b++)
            {
                ref var k = ref blocks[b];
                Columns(ref Unsafe.Add(ref input, (e + b * width) * Inputs), out Vector256<T> x0, out Vector256<T> x1, out Vector256<T> x2, out Vector256<T> x3);
                (k.X0, k.X1, k.X2, k.X3) = (x0, x1, x2, x3);
                k.H0 = one / (one + Exp(Fma(x3, Vector256.Create(Add(ref q, 24)), Fma(x2, Vector256.Create(Add(ref q, 16)), Fma(x1, Vector256.Create(Add(ref q, 8)), Fma(x0, Vector256.Create(Add(ref q, 0)), Vector256.Create(Add(ref q, 32))))))));
                k.H1 = one / (one + Exp(Fma(x3, Vector256.Create(Add(ref q, 25)), Fma(x2, Vector256.Create(Add(ref q, 17)), Fma(x1, Vector256.Create(Add(ref q, 9)), Fma(x0, Vector256.Create(Add(ref q, 1)), Vector256.Create(Add(ref q, 33))))))));
                k.H2 = one / (one + Exp(Fma(x3, Vector256.Create(Add(ref q, 26)), Fma(x2, Vector256.Create(Add(ref q, 18)), Fma(x1, Vector256.Create(Add(ref q, 10)), Fma(x0, Vector256.Create(Add(ref q, 2)), Vector256.Create(Add(ref q, 34))))))));
                k.H3 = one / (one + Exp(Fma(x3, Vector256.Create(Add(ref q, 27)), Fma(x2, Vector256.Create(Add(ref q, 19)), Fma(x1, Vector256.Create(Add(ref q, 11)), Fma(x0, Vector256.Create(Add(ref q, 3)), Vector256.Create(Add(ref q, 35))))))));
                k.H4 = one / (one + Exp(Fma(x3, Vector256.Create(Add(ref q, 28)), Fma(x2, Vector256.Create(Add(ref q, 20)), Fma(x1, Vector256.Create(Add(ref q, 12)), Fma(x0, Vector256.Create(Add(ref q, 4)), Vector256.Create(Add(ref q, 36))))))));
                k.H5 = one / (one + Exp(Fma(x3, Vector256.Create(Add(ref q, 29)), Fma(x2, Vector256.Create(Add(ref q, 21)), Fma(x1, Vector256.Create(Add(ref q, 13)), Fma(x0, Vector256.Create(Add(ref q, 5)), Vector256.Create(Add(ref q, 37))))))));
                k.H6 = one / (one + Exp(Fma(x3, Vector256.Create(Add(ref q, 30)), Fma(x2, Vector256.Create(Add(ref q, 22)), Fma(x1, Vector256.Create(Add(ref q, 14)), Fma(x0, Vector256.Create(Add(ref q, 6)), Vector256.Create(Add(ref q, 38))))))));
                k.H7 = one / (one + Exp(Fma(x3, Vector256.Create(Add(ref q, 31)), Fma(x2, Vector256.Create(Add(ref q, 23)), Fma(x1, Vector256.Create(Add(ref q, 15)), Fma(x0, Vector256.Create(Add(ref q, 7)), Vector256.Create(Add(ref q, 39))))))));
            }

            for (var b = 0; b < chunk; b++)
            {
                ref var k = ref blocks[b];
                var (h0, h1, h2, h3, h4, h5, h6, h7) = (k.H0, k.H1, k.H2, k.H3, k.H4, k.H5, k.H6, k.H7);
                var a0 = Fma(h3, Vector256.Create(Add(ref q, 49)), Fma(h2, Vector256.Create(Add(ref q, 46)), Fma(h1, Vector256.Create(Add(ref q, 43)), Fma(h0, Vector256.Create(Add(ref q, 40)), Vector256.Create(Add(ref q, 64)))))) + Fma(h7, Vector256.Create(Add(ref q, 61)), Fma(h6, Vector256.Create(Add(ref q, 58)), Fma(h5, Vector256.Create(Add(ref q, 55)), h4 * Vector256.Create(Add(ref q, 52)))));
                var a1 = Fma(h3, Vector256.Create(Add(ref q, 50)), Fma(h2, Vector256.Create(Add(ref q, 47)), Fma(h1, Vector256.Create(Add(ref q, 44)), Fma(h0, Vector256.Create(Add(ref q, 41)), Vector256.Create(Add(ref q, 65)))))) + Fma(h7, Vector256.Create(Add(ref q, 62)), Fma(h6, Vector256.Create(Add(ref q, 59)), Fma(h5, Vector256.Create(Add(ref q, 56)), h4 * Vector256.Create(Add(ref q, 53)))));
                var a2 = Fma(h3, Vector256.Create(Add(ref q, 51)), Fma(h2, Vector256.Create(Add(ref q, 48)), Fma(h1, Vector256.Create(Add(ref q, 45)), Fma(h0, Vector256.Create(Add(ref q, 42)), Vector256.Create(Add(ref q, 66)))))) + Fma(h7, Vector256.Create(Add(ref q, 63)), Fma(h6, Vector256.Create(Add(ref q, 60)), Fma(h5, Vector256.Create(Add(ref q, 57)), h4 * Vector256.Create(Add(ref q, 54)))));
                var m = Vector256.MaxNative(Vector256.MaxNative(a0, a1), a2);
                var (z0, z1, z2) = (a0 - m, a1 - m, a2 - m);
                var (e0, e1, e2) = (Exp(z0), Exp(z1), Exp(z2));
                var sum = e0 + e1 + e2;
                Columns(ref Unsafe.Add(ref target, (e + b * width) * Outputs), out Vector256<T> t0, out Vector256<T> t1, out Vector256<T> t2);
                var tau = t0 + t1 + t2;
                logSums = Fma(tau, LogOfSum(sum), logSums);
                dotSums = Fma(t2, z2, Fma(t1, z1, Fma(t0, z0, dotSums)));
                var ratio = tau / sum;
                (k.D0, k.D1, k.D2) = (Fma(e0, ratio, -t0), Fma(e1, ratio, -t1), Fma(e2, ratio, -t2));
            }

            var (c0, c1, c2) = (g[64], g[65], g[66]);
            var (u00, u01, u02) = (g[40], g[41], g[42]);
            var (u10, u11, u12) = (g[43], g[44], g[45]);
            var (u20, u21, u22) = (g[46], g[47], g[48]);
            var (u30, u31, u32) = (g[49], g[50], g[51]);
            var (u40, u41, u42) = (g[52], g[53], g[54]);
            var (u50, u51, u52) = (g[55], g[56], g[57]);
            var (u60, u61, u62) = (g[58], g[59], g[60]);
            var (u70, u71, u72) = (g[61], g[62], g[63]);
            for (var b = 0; b < chunk; b++)
            {
                ref var k = ref blocks[b];
                var (d0, d1, d2) = (k.D0, k.D1, k.D2);
                (c0, c1, c2) = (c0 + d0, c1 + d1, c2 + d2);
                (u00, u01, u02) = (Fma(d0, k.H0, u00), Fma(d1, k.H0, u01), Fma(d2, k.H0, u02));
                (u10, u11, u12) = (Fma(d0, k.H1, u10), Fma(d1, k.H1, u11), Fma(d2, k.H1, u12));
                (u20, u21, u22) = (Fma(d0, k.H2, u20), Fma(d1, k.H2, u21), Fma(d2, k.H2, u22));
                (u30, u31, u32) = (Fma(d0, k.H3, u30), Fma(d1, k.H3, u31), Fma(d2, k.H3, u32));
                (u40, u41, u42) = (Fma(d0, k.H4, u40), Fma(d1, k.H4, u41), Fma(d2, k.H4, u42));
                (u50, u51, u52) = (Fma(d0, k.H5, u50), Fma(d1, k.H5, u51), Fma(d2, k.H5, u52));
                (u60, u61, u62) = (Fma(d0, k.H6, u60), Fma(d1, k.H6, u61), Fma(d2, k.H6, u62));
                (u70, u71, u72) = (Fma(d0, k.H7, u70), Fma(d1, k.H7, u71), Fma(d2, k.H7, u72));
            }

            (g[64], g[65], g[66]) = (c0, c1, c2);
            (g[40], g[41], g[42]) = (u00, u01, u02);
            (g[43], g[44], g[45]) = (u10, u11, u12);
            (g[46], g[47], g[48]) = (u20, u21, u22);
            (g[49], g[50], g[51]) = (u30, u31, u32);
            (g[52], g[53], g[54]) = (u40, u41, u42);
            (g[55], g[56], g[57]) = (u50, u51, u52);
            (g[58], g[59], g[60]) = (u60, u61, u62);
            (g[61], g[62], g[63]) = (u70, u71, u72);

            var (w00, w10, w20, w30, b0) = (g[0], g[8], g[16], g[24], g[32]);
            var (w01, w11, w21, w31, b1) = (g[1], g[9], g[17], g[25], g[33]);
            var (w02, w12, w22, w32, b2) = (g[2], g[10], g[18], g[26], g[34]);
            var (w03, w13, w23, w33, b3) = (g[3], g[11], g[19], g[27], g[35]);
            for (var b = 0; b < chunk; b++)
            {
                ref var k = ref blocks[b];
                var (d0, d1, d2, x0, x1, x2, x3) = (k.D0, k.D1, k.D2, k.X0, k.X1, k.X2, k.X3);
                var delta0 = Fma(d2, Vector256.Create(Add(ref q, 42)), Fma(d1, Vector256.Create(Add(ref q, 41)), d0 * Vector256.Create(Add(ref q, 40)))) * Fma(-k.H0, k.H0, k.H0);
                (w00, w10, w20, w30, b0) = (Fma(delta0, x0, w00), Fma(delta0, x1, w10), Fma(delta0, x2, w20), Fma(delta0, x3, w30), b0 + delta0);
                var delta1 = Fma(d2, Vector256.Create(Add(ref q, 45)), Fma(d1, Vector256.Create(Add(ref q, 44)), d0 * Vector256.Create(Add(ref q, 43)))) * Fma(-k.H1, k.H1, k.H1);
                (w01, w11, w21, w31, b1) = (Fma(delta1, x0, w01), Fma(delta1, x1, w11), Fma(delta1, x2, w21), Fma(delta1, x3, w31), b1 + delta1);
                var delta2 = Fma(d2, Vector256.Create(Add(ref q, 48)), Fma(d1, Vector256.Create(Add(ref q, 47)), d0 * Vector256.Create(Add(ref q, 46)))) * Fma(-k.H2, k.H2, k.H2);
                (w02, w12, w22, w32, b2) = (Fma(delta2, x0, w02), Fma(delta2, x1, w12), Fma(delta2, x2, w22), Fma(delta2, x3, w32), b2 + delta2);
                var delta3 = Fma(d2, Vector256.Create(Add(ref q, 51)), Fma(d1, Vector256.Create(Add(ref q, 50)), d0 * Vector256.Create(Add(ref q, 49)))) * Fma(-k.H3, k.H3, k.H3);
                (w03, w13, w23, w33, b3) = (Fma(delta3, x0, w03), Fma(delta3, x1, w13), Fma(delta3, x2, w23), Fma(delta3, x3, w33), b3 + delta3);
            }

            (g[0], g[8], g[16], g[24], g[32]) = (w00, w10, w20, w30, b0);
            (g[1], g[9], g[17], g[25], g[33]) = (w01, w11, w21, w31, b1);
            (g[2], g[10], g[18], g[26], g[34]) = (w02, w12, w22, w32, b2);
            (g[3], g[11], g[19], g[27], g[35]) = (w03, w13, w23, w33, b3);

            var (w04, w14, w24, w34, b4) = (g[4], g[12], g[20], g[28], g[36]);
            var (w05, w15, w25, w35, b5) = (g[5], g[13], g[21], g[29], g[37]);
            var (w06, w16, w26, w36, b6) = (g[6], g[14], g[22], g[30], g[38]);
            var (w07, w17, w27, w37, b7) = (g[7], g[15], g[23], g[31], g[39]);
            for (var b = 0; b < chunk; b++)
            {
                ref var k = ref blocks[b];
                var (d0, d1, d2, x0, x1, x2, x3) = (k.D0, k.D1, k.D2, k.X0, k.X1, k.X2, k.X3);
                var delta4 = Fma(d2, Vector256.Create(Add(ref q, 54)), Fma(d1, Vector256.Create(Add(ref q, 53)), d0 * Vector256.Create(Add(ref q, 52)))) * Fma(-k.H4, k.H4, k.H4);
                (w04, w14, w24, w34, b4) = (Fma(delta4, x0, w04), Fma(delta4, x1, w14), Fma(delta4, x2, w24), Fma(delta4, x3, w34), b4 + delta4);
                var delta5 = Fma(d2, Vector256.Create(Add(ref q, 57)), Fma(d1, Vector256.Create(Add(ref q, 56)), d0 * Vector256.Create(Add(ref q, 55)))) * Fma(-k.H5, k.H5, k.H5);
                (w05, w15, w25, w35, b5) = (Fma(delta5, x0, w05), Fma(delta5, x1, w15), Fma(delta5, x2, w25), Fma(delta5, x3, w35), b5 + delta5);
                var delta6 = Fma(d2, Vector256.Create(Add(ref q, 60)), Fma(d1, Vector256.Create(Add(ref q, 59)), d0 * Vector256.Create(Add(ref q, 58)))) * Fma(-k.H6, k.H6, k.H6);
                (w06, w16, w26, w36, b6) = (Fma(delta6, x0, w06), Fma(delta6, x1, w16), Fma(delta6, x2, w26), Fma(delta6, x3, w36), b6 + delta6);
                var delta7 = Fma(d2, Vector256.Create(Add(ref q, 63)), Fma(d1, Vector256.Create(Add(ref q, 62)), d0 * Vector256.Create(Add(ref q, 61)))) * Fma(-k.H7, k.H7, k.H7);
                (w07, w17, w27, w37, b7) = (Fma(delta7, x0, w07), Fma(delta7, x1, w17), Fma(delta7, x2, w27), Fma(delta7, x3, w37), b7 + delta7);
            }

            (g[4], g[12], g[20], g[28], g[36]) = (w04, w14, w24, w34, b4);
            (g[5], g[13], g[21], g[29], g[37]) = (w05, w15, w25, w35, b5);
            (g[6], g[14], g[22], g[30], g[38]) = (w06, w16, w26, w36, b6);
            (g[7], g[15], g[23], g[31], g[39]) = (w07, w17, w27, w37, b7);

            e += chunk * width;
        }

        start = e;
        AddLaneSums(g, gradient);
        return Vector256.Sum(logSums - dotSums);
    }

    /// <summary>One example, scalar, its gradient added: the tail of fewer than W examples.</summary>
    private T Scalar(ReadOnlySpan<T> x, ReadOnlySpan<T> t, Span<T> g)
    {
        ReadOnlySpan<T> p = _p;
        Span<T> h = stackalloc T[Hidden];
        for (var j = 0; j < Hidden; j++)
        {
            var a = p[B + j] + x[0] * p[j] + x[1] * p[Hidden + j] + x[2] * p[2 * Hidden + j] + x[3] * p[3 * Hidden + j];
            h[j] = T.One / (T.One + T.Exp(-a));
        }

        Span<T> z = stackalloc T[Outputs];
        for (var k = 0; k < Outputs; k++)
        {
            var a = p[C + k];
            for (var j = 0; j < Hidden; j++)
            {
                a += h[j] * p[U + 3 * j + k];
            }

            z[k] = a;
        }

        var m = T.Max(T.Max(z[0], z[1]), z[2]);
        Span<T> d = stackalloc T[Outputs];
        var (sum, tau, dot) = (T.Zero, T.Zero, T.Zero);
        for (var k = 0; k < Outputs; k++)
        {
            z[k] -= m;
            d[k] = T.Exp(z[k]);
            sum += d[k];
            tau += t[k];
            dot += t[k] * z[k];
        }

        for (var k = 0; k < Outputs; k++)
        {
            d[k] = d[k] * tau / sum - t[k];
            g[C + k] += d[k];
        }

        for (var j = 0; j < Hidden; j++)
        {
            var back = T.Zero;
            for (var k = 0; k < Outputs; k++)
            {
                g[U + 3 * j + k] += d[k] * h[j];
                back += d[k] * p[U + 3 * j + k];
            }

            var delta = back * h[j] * (T.One - h[j]);
            for (var i = 0; i < Inputs; i++)
            {
                g[i * Hidden + j] += delta * x[i];
            }

            g[B + j] += delta;
        }

        return tau * T.Log(sum) - dot;
    }

    /// <summary>A block of W examples between the phases: its inputs, hidden outputs and output δs, one vector each.</summary>
    private struct Block<TV>
        where TV : unmanaged
    {
        public TV X0, X1, X2, X3;
        public TV H0, H1, H2, H3, H4, H5, H6, H7;
        public TV D0, D1, D2;
    }

    /// <summary>log S for S ∈ [1, 3]: j ln 2 + 2 atanh(z), z = (s − 1)/(s + 1), s = S/2^j ∈ [¾, 3/2].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> LogOfSum(Vector512<T> sum)
    {
        var above = Vector512.GreaterThan(sum, Vector512.Create(T.CreateTruncating(1.5)));
        var s = Vector512.ConditionalSelect(above, sum * T.CreateTruncating(0.5), sum);
        var ln2 = Vector512.Create(T.CreateTruncating(0.6931471805599453)) & above;
        var z = (s - Vector512<T>.One) / (s + Vector512<T>.One);
        var z2 = z * z;
        var series = typeof(T) == typeof(double) ? Vector512.Create(T.CreateTruncating(1.0 / 21)) : Vector512.Create(T.CreateTruncating(1.0 / 9));
        if (typeof(T) == typeof(double))
        {
            series = Fma(series, z2, Vector512.Create(T.CreateTruncating(1.0 / 19)));
            series = Fma(series, z2, Vector512.Create(T.CreateTruncating(1.0 / 17)));
            series = Fma(series, z2, Vector512.Create(T.CreateTruncating(1.0 / 15)));
            series = Fma(series, z2, Vector512.Create(T.CreateTruncating(1.0 / 13)));
            series = Fma(series, z2, Vector512.Create(T.CreateTruncating(1.0 / 11)));
            series = Fma(series, z2, Vector512.Create(T.CreateTruncating(1.0 / 9)));
        }

        series = Fma(series, z2, Vector512.Create(T.CreateTruncating(1.0 / 7)));
        series = Fma(series, z2, Vector512.Create(T.CreateTruncating(1.0 / 5)));
        series = Fma(series, z2, Vector512.Create(T.CreateTruncating(1.0 / 3)));
        series = Fma(series, z2, Vector512<T>.One);
        return Fma(z + z, series, ln2);
    }

    /// <summary><see cref="LogOfSum(Vector512{T})"/> in 256 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> LogOfSum(Vector256<T> sum)
    {
        var above = Vector256.GreaterThan(sum, Vector256.Create(T.CreateTruncating(1.5)));
        var s = Vector256.ConditionalSelect(above, sum * T.CreateTruncating(0.5), sum);
        var ln2 = Vector256.Create(T.CreateTruncating(0.6931471805599453)) & above;
        var z = (s - Vector256<T>.One) / (s + Vector256<T>.One);
        var z2 = z * z;
        var series = typeof(T) == typeof(double) ? Vector256.Create(T.CreateTruncating(1.0 / 21)) : Vector256.Create(T.CreateTruncating(1.0 / 9));
        if (typeof(T) == typeof(double))
        {
            series = Fma(series, z2, Vector256.Create(T.CreateTruncating(1.0 / 19)));
            series = Fma(series, z2, Vector256.Create(T.CreateTruncating(1.0 / 17)));
            series = Fma(series, z2, Vector256.Create(T.CreateTruncating(1.0 / 15)));
            series = Fma(series, z2, Vector256.Create(T.CreateTruncating(1.0 / 13)));
            series = Fma(series, z2, Vector256.Create(T.CreateTruncating(1.0 / 11)));
            series = Fma(series, z2, Vector256.Create(T.CreateTruncating(1.0 / 9)));
        }

        series = Fma(series, z2, Vector256.Create(T.CreateTruncating(1.0 / 7)));
        series = Fma(series, z2, Vector256.Create(T.CreateTruncating(1.0 / 5)));
        series = Fma(series, z2, Vector256.Create(T.CreateTruncating(1.0 / 3)));
        series = Fma(series, z2, Vector256<T>.One);
        return Fma(z + z, series, ln2);
    }

    /// <summary>Adds the lane sums of the 67 gradient vectors to <paramref name="gradient"/>, W at a time (<see cref="AddGroupSums(ReadOnlySpan{Vector512{T}}, Span{T})"/>).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddLaneSums(Span<Vector512<T>> sums, Span<T> gradient)
    {
        var width = Vector512<T>.Count;
        var whole = ParameterCount / width * width;
        for (var k = 0; k < whole; k += width)
        {
            AddGroupSums(sums.Slice(k, width), gradient.Slice(k, width));
        }

        for (var k = whole; k < ParameterCount; k++)
        {
            gradient[k] += Vector512.Sum(sums[k]);
        }
    }

    /// <summary>Adds the lane sums of the 67 gradient vectors to <paramref name="gradient"/>, W at a time.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddLaneSums(Span<Vector256<T>> sums, Span<T> gradient)
    {
        var width = Vector256<T>.Count;
        var whole = ParameterCount / width * width;
        for (var k = 0; k < whole; k += width)
        {
            AddGroupSums(sums.Slice(k, width), gradient.Slice(k, width));
        }

        for (var k = whole; k < ParameterCount; k++)
        {
            gradient[k] += Vector256.Sum(sums[k]);
        }
    }

    /// <summary>
    /// Adds the lane sums of the W vectors <paramref name="vectors"/> to the W values <paramref name="sums"/>: a tree of
    /// two-source shuffles and adds, each level halving the partial sums per vector and doubling the vectors per register
    /// (4 × 3 shuffles and adds, then 2, then 1 for 8 double lanes; 8, 4, 2, 1 for 16 float lanes).
    /// </summary>
    private static void AddGroupSums(ReadOnlySpan<Vector512<T>> vectors, Span<T> sums)
    {
        var width = Vector512<T>.Count;
        if (!Avx512F.IsSupported)
        {
            for (var k = 0; k < width; k++)
            {
                sums[k] += Vector512.Sum(vectors[k]);
            }

            return;
        }

        Span<Vector512<T>> level = stackalloc Vector512<T>[width / 2];
        for (var i = 0; i < width / 2; i++)
        {
            var (a, b) = (vectors[2 * i].AsDouble(), vectors[2 * i + 1].AsDouble());
            level[i] = Avx512F.Shuffle4x128(a, b, 0x44).As<double, T>() + Avx512F.Shuffle4x128(a, b, 0xEE).As<double, T>();
        }

        for (var i = 0; i < width / 4; i++)
        {
            var (a, b) = (level[2 * i].AsDouble(), level[2 * i + 1].AsDouble());
            level[i] = Avx512F.Shuffle4x128(a, b, 0x88).As<double, T>() + Avx512F.Shuffle4x128(a, b, 0xDD).As<double, T>();
        }

        if (typeof(T) == typeof(float))
        {
            for (var i = 0; i < 2; i++)
            {
                var (a, b) = (level[2 * i], level[2 * i + 1]);
                level[i] = Permute(a, b, default, Vector512.Create(0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24, 25, 28, 29))
                    + Permute(a, b, default, Vector512.Create(2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22, 23, 26, 27, 30, 31));
            }
        }

        var total = Permute(level[0], level[1], Vector512.Create(0L, 2, 4, 6, 8, 10, 12, 14), Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30))
            + Permute(level[0], level[1], Vector512.Create(1L, 3, 5, 7, 9, 11, 13, 15), Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31));
        (Vector512.Create<T>(sums) + total).CopyTo(sums);
    }

    /// <summary>The 256-bit <see cref="AddGroupSums(ReadOnlySpan{Vector512{T}}, Span{T})"/>: 128-bit halves, then horizontal adds, then the lanes in order.</summary>
    private static void AddGroupSums(ReadOnlySpan<Vector256<T>> vectors, Span<T> sums)
    {
        Vector256<T> total;
        if (typeof(T) == typeof(double) && Avx2.IsSupported)
        {
            var (v0, v1, v2, v3) = (vectors[0].AsDouble(), vectors[1].AsDouble(), vectors[2].AsDouble(), vectors[3].AsDouble());
            var halves01 = Avx.Permute2x128(v0, v1, 0x20) + Avx.Permute2x128(v0, v1, 0x31);
            var halves23 = Avx.Permute2x128(v2, v3, 0x20) + Avx.Permute2x128(v2, v3, 0x31);
            total = Avx2.Permute4x64(Avx.HorizontalAdd(halves01, halves23), 0xD8).As<double, T>();
        }
        else if (typeof(T) == typeof(float) && Avx2.IsSupported)
        {
            Span<Vector256<float>> halves = stackalloc Vector256<float>[4];
            for (var i = 0; i < 4; i++)
            {
                var (a, b) = (vectors[2 * i].AsSingle(), vectors[2 * i + 1].AsSingle());
                halves[i] = Avx.Permute2x128(a, b, 0x20) + Avx.Permute2x128(a, b, 0x31);
            }

            var quarters = Avx.HorizontalAdd(Avx.HorizontalAdd(halves[0], halves[1]), Avx.HorizontalAdd(halves[2], halves[3]));
            total = Avx2.PermuteVar8x32(quarters, Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7)).As<float, T>();
        }
        else
        {
            for (var k = 0; k < vectors.Length; k++)
            {
                sums[k] += Vector256.Sum(vectors[k]);
            }

            return;
        }

        (Vector256.Create<T>(sums) + total).CopyTo(sums);
    }

    /// <summary>
    /// W rows of 4 inputs as 4 column vectors: rows 0 to W/2 − 1 are in (v0, v1), the rest in (v2, v3); two-source
    /// permutes take columns 0 and 1, 2 and 3 of each half, then the halves are joined.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Columns(ref T row, out Vector512<T> x0, out Vector512<T> x1, out Vector512<T> x2, out Vector512<T> x3)
    {
        var width = (nuint)Vector512<T>.Count;
        var (v0, v1, v2, v3) = (Vector512.LoadUnsafe(ref row), Vector512.LoadUnsafe(ref row, width), Vector512.LoadUnsafe(ref row, 2 * width), Vector512.LoadUnsafe(ref row, 3 * width));
        if (Avx512F.IsSupported)
        {
            var (low01, low23) = (Permute(v0, v1, Vector512.Create(0L, 4, 8, 12, 1, 5, 9, 13), Vector512.Create(0, 4, 8, 12, 16, 20, 24, 28, 1, 5, 9, 13, 17, 21, 25, 29)), Permute(v0, v1, Vector512.Create(2L, 6, 10, 14, 3, 7, 11, 15), Vector512.Create(2, 6, 10, 14, 18, 22, 26, 30, 3, 7, 11, 15, 19, 23, 27, 31)));
            var (high01, high23) = (Permute(v2, v3, Vector512.Create(0L, 4, 8, 12, 1, 5, 9, 13), Vector512.Create(0, 4, 8, 12, 16, 20, 24, 28, 1, 5, 9, 13, 17, 21, 25, 29)), Permute(v2, v3, Vector512.Create(2L, 6, 10, 14, 3, 7, 11, 15), Vector512.Create(2, 6, 10, 14, 18, 22, 26, 30, 3, 7, 11, 15, 19, 23, 27, 31)));
            x0 = Avx512F.Shuffle4x128(low01.AsDouble(), high01.AsDouble(), 0x44).As<double, T>();
            x1 = Avx512F.Shuffle4x128(low01.AsDouble(), high01.AsDouble(), 0xEE).As<double, T>();
            x2 = Avx512F.Shuffle4x128(low23.AsDouble(), high23.AsDouble(), 0x44).As<double, T>();
            x3 = Avx512F.Shuffle4x128(low23.AsDouble(), high23.AsDouble(), 0xEE).As<double, T>();
            return;
        }

        x0 = Vector512.Create<T>(Gather(ref row, Inputs, 0, stackalloc T[Vector512<T>.Count]));
        x1 = Vector512.Create<T>(Gather(ref row, Inputs, 1, stackalloc T[Vector512<T>.Count]));
        x2 = Vector512.Create<T>(Gather(ref row, Inputs, 2, stackalloc T[Vector512<T>.Count]));
        x3 = Vector512.Create<T>(Gather(ref row, Inputs, 3, stackalloc T[Vector512<T>.Count]));
    }

    /// <summary>W rows of 3 targets as 3 column vectors: the rows whose value lies in (v0, v1) by one permute, the rest from v2 by another.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Columns(ref T row, out Vector512<T> t0, out Vector512<T> t1, out Vector512<T> t2)
    {
        var width = (nuint)Vector512<T>.Count;
        var (v0, v1, v2) = (Vector512.LoadUnsafe(ref row), Vector512.LoadUnsafe(ref row, width), Vector512.LoadUnsafe(ref row, 2 * width));
        if (Avx512F.IsSupported)
        {
            t0 = Permute(
                Permute(v0, v1, Vector512.Create(0L, 3, 6, 9, 12, 15, 0, 0), Vector512.Create(0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 0, 0, 0, 0, 0)),
                v2,
                Vector512.Create(0L, 1, 2, 3, 4, 5, 10, 13),
                Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 17, 20, 23, 26, 29));
            t1 = Permute(
                Permute(v0, v1, Vector512.Create(1L, 4, 7, 10, 13, 0, 0, 0), Vector512.Create(1, 4, 7, 10, 13, 16, 19, 22, 25, 28, 31, 0, 0, 0, 0, 0)),
                v2,
                Vector512.Create(0L, 1, 2, 3, 4, 8, 11, 14),
                Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 18, 21, 24, 27, 30));
            t2 = Permute(
                Permute(v0, v1, Vector512.Create(2L, 5, 8, 11, 14, 0, 0, 0), Vector512.Create(2, 5, 8, 11, 14, 17, 20, 23, 26, 29, 0, 0, 0, 0, 0, 0)),
                v2,
                Vector512.Create(0L, 1, 2, 3, 4, 9, 12, 15),
                Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 19, 22, 25, 28, 31));
            return;
        }

        t0 = Vector512.Create<T>(Gather(ref row, Outputs, 0, stackalloc T[Vector512<T>.Count]));
        t1 = Vector512.Create<T>(Gather(ref row, Outputs, 1, stackalloc T[Vector512<T>.Count]));
        t2 = Vector512.Create<T>(Gather(ref row, Outputs, 2, stackalloc T[Vector512<T>.Count]));
    }

    /// <summary>Lane r of the result is element index_r of the 2W elements of (a, b), the indices of T's width: vpermt2pd, vpermt2ps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Permute(Vector512<T> a, Vector512<T> b, Vector512<long> doubleIndex, Vector512<int> floatIndex) =>
        typeof(T) == typeof(double)
            ? Avx512F.PermuteVar8x64x2(a.AsDouble(), doubleIndex, b.AsDouble()).As<double, T>()
            : Avx512F.PermuteVar16x32x2(a.AsSingle(), floatIndex, b.AsSingle()).As<float, T>();

    /// <summary>W rows of 4 inputs as 4 column vectors: a 4 × 4 transpose (double), or rows r and r + 4 side by side in each 128-bit half, then a 4 × 4 transpose in each (float).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Columns(ref T row, out Vector256<T> x0, out Vector256<T> x1, out Vector256<T> x2, out Vector256<T> x3)
    {
        var width = (nuint)Vector256<T>.Count;
        var (v0, v1, v2, v3) = (Vector256.LoadUnsafe(ref row), Vector256.LoadUnsafe(ref row, width), Vector256.LoadUnsafe(ref row, 2 * width), Vector256.LoadUnsafe(ref row, 3 * width));
        if (typeof(T) == typeof(double) && Avx.IsSupported)
        {
            var (d0, d1, d2, d3) = (v0.AsDouble(), v1.AsDouble(), v2.AsDouble(), v3.AsDouble());
            var (even01, odd01, even23, odd23) = (Avx.UnpackLow(d0, d1), Avx.UnpackHigh(d0, d1), Avx.UnpackLow(d2, d3), Avx.UnpackHigh(d2, d3));
            x0 = Avx.Permute2x128(even01, even23, 0x20).As<double, T>();
            x1 = Avx.Permute2x128(odd01, odd23, 0x20).As<double, T>();
            x2 = Avx.Permute2x128(even01, even23, 0x31).As<double, T>();
            x3 = Avx.Permute2x128(odd01, odd23, 0x31).As<double, T>();
            return;
        }

        if (typeof(T) == typeof(float) && Avx.IsSupported)
        {
            var (s0, s1, s2, s3) = (v0.AsSingle(), v1.AsSingle(), v2.AsSingle(), v3.AsSingle());
            var (r04, r15, r26, r37) = (Avx.Permute2x128(s0, s2, 0x20), Avx.Permute2x128(s0, s2, 0x31), Avx.Permute2x128(s1, s3, 0x20), Avx.Permute2x128(s1, s3, 0x31));
            var (c01Low, c23Low) = (Avx.UnpackLow(r04, r15).AsDouble(), Avx.UnpackHigh(r04, r15).AsDouble());
            var (c01High, c23High) = (Avx.UnpackLow(r26, r37).AsDouble(), Avx.UnpackHigh(r26, r37).AsDouble());
            x0 = Avx.UnpackLow(c01Low, c01High).As<double, T>();
            x1 = Avx.UnpackHigh(c01Low, c01High).As<double, T>();
            x2 = Avx.UnpackLow(c23Low, c23High).As<double, T>();
            x3 = Avx.UnpackHigh(c23Low, c23High).As<double, T>();
            return;
        }

        x0 = Vector256.Create<T>(Gather(ref row, Inputs, 0, stackalloc T[Vector256<T>.Count]));
        x1 = Vector256.Create<T>(Gather(ref row, Inputs, 1, stackalloc T[Vector256<T>.Count]));
        x2 = Vector256.Create<T>(Gather(ref row, Inputs, 2, stackalloc T[Vector256<T>.Count]));
        x3 = Vector256.Create<T>(Gather(ref row, Inputs, 3, stackalloc T[Vector256<T>.Count]));
    }

    /// <summary>
    /// W rows of 3 targets as 3 column vectors: column k's W values sit at distinct positions of the 3 vectors, so two
    /// blends gather them into one and a permute puts them in row order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Columns(ref T row, out Vector256<T> t0, out Vector256<T> t1, out Vector256<T> t2)
    {
        var width = (nuint)Vector256<T>.Count;
        var (v0, v1, v2) = (Vector256.LoadUnsafe(ref row), Vector256.LoadUnsafe(ref row, width), Vector256.LoadUnsafe(ref row, 2 * width));
        if (typeof(T) == typeof(double) && Avx2.IsSupported)
        {
            var (d0, d1, d2) = (v0.AsDouble(), v1.AsDouble(), v2.AsDouble());
            t0 = Avx2.Permute4x64(Avx.Blend(Avx.Blend(d0, d1, 0b0100), d2, 0b0010), 0x6C).As<double, T>();
            t1 = Avx2.Permute4x64(Avx.Blend(Avx.Blend(d0, d1, 0b1001), d2, 0b0100), 0xB1).As<double, T>();
            t2 = Avx2.Permute4x64(Avx.Blend(Avx.Blend(d0, d1, 0b0010), d2, 0b1001), 0xC6).As<double, T>();
            return;
        }

        if (typeof(T) == typeof(float) && Avx2.IsSupported)
        {
            var (s0, s1, s2) = (v0.AsSingle(), v1.AsSingle(), v2.AsSingle());
            t0 = Avx2.PermuteVar8x32(Avx.Blend(Avx.Blend(s0, s1, 0x92), s2, 0x24), Vector256.Create(0, 3, 6, 1, 4, 7, 2, 5)).As<float, T>();
            t1 = Avx2.PermuteVar8x32(Avx.Blend(Avx.Blend(s0, s1, 0x24), s2, 0x49), Vector256.Create(1, 4, 7, 2, 5, 0, 3, 6)).As<float, T>();
            t2 = Avx2.PermuteVar8x32(Avx.Blend(Avx.Blend(s0, s1, 0x49), s2, 0x92), Vector256.Create(2, 5, 0, 3, 6, 1, 4, 7)).As<float, T>();
            return;
        }

        t0 = Vector256.Create<T>(Gather(ref row, Outputs, 0, stackalloc T[Vector256<T>.Count]));
        t1 = Vector256.Create<T>(Gather(ref row, Outputs, 1, stackalloc T[Vector256<T>.Count]));
        t2 = Vector256.Create<T>(Gather(ref row, Outputs, 2, stackalloc T[Vector256<T>.Count]));
    }

    /// <summary>Column <paramref name="column"/> of rows of <paramref name="stride"/> values, one element at a time: the transposes where no permute instruction is.</summary>
    private static ReadOnlySpan<T> Gather(ref T row, int stride, int column, Span<T> lanes)
    {
        for (var r = 0; r < lanes.Length; r++)
        {
            lanes[r] = Unsafe.Add(ref row, r * stride + column);
        }

        return lanes;
    }
}
