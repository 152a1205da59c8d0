#if NET8_0_OR_GREATER
using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace BackpropGen.Runtime;

/// <summary>
/// The matrix products of the wide layers of generated networks, a block of examples at a time: the forward product
/// A += X·W and the weight gradient G += s·Xᵀ·D, all row-major. Generated code calls them; they are not meant to be used
/// otherwise.
/// </summary>
/// <remarks>
/// <para>
/// Each keeps a tile of the result in registers across the whole inner sum, so a tile is loaded and stored once rather than
/// once per term: 4 rows × 4 vectors of units with 512-bit vectors (16 of the 32 registers of AVX-512), 4 rows × 2 vectors
/// with 256-bit vectors or <see cref="Vector{T}"/> (8 of 16 registers). The units are taken a panel of tile columns at a time
/// with the rows inside, so a panel of the weights stays in the cache while every row of the block passes over it. What the
/// tiles leave (fewer than 4 rows, fewer units than a tile) goes through strips of 4 rows and then of one, a vector of units
/// at a time and then one unit, so a layer of 10 units still runs in vectors.
/// </para>
/// <para>
/// The widest path the machine accelerates is chosen at run time: 512 bits where <see cref="Vector512.IsHardwareAccelerated"/>,
/// else 256 bits with fused multiply-adds, else <see cref="Vector{T}"/>. Every sum over i (or over the examples) runs in the
/// same order in every path, with one rounding per term where the machine fuses multiply and add.
/// </para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class DenseKernels
{
    /// <summary>
    /// a[e, j] += Σ_i x[e, i] w[i, j] for the <paramref name="n"/> rows e of <paramref name="k"/> inputs and
    /// <paramref name="m"/> units.
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than its n × k, k × m or n × m elements.</exception>
    public static void MultiplyAdd<T>(ReadOnlySpan<T> x, int n, int k, ReadOnlySpan<T> w, int m, Span<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(x.Length, (long)n * k, nameof(x));
        Check(w.Length, (long)k * m, nameof(w));
        Check(a.Length, (long)n * m, nameof(a));
        ref T rx = ref MemoryMarshal.GetReference(x);
        ref T rw = ref MemoryMarshal.GetReference(w);
        ref T ra = ref MemoryMarshal.GetReference(a);
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported)
        {
            Forward<Vector512<T>, Wide512<T>, Vector256<T>, Wide256<T>, T>(ref rx, n, k, ref rw, m, ref ra, wideTiles: true);
        }
        else if (Vector256.IsHardwareAccelerated && Fma.IsSupported)
        {
            Forward<Vector256<T>, Wide256<T>, Vector128<T>, Narrow128<T>, T>(ref rx, n, k, ref rw, m, ref ra, wideTiles: false);
        }
        else
        {
            Forward<Vector<T>, Portable<T>, T, Scalar<T>, T>(ref rx, n, k, ref rw, m, ref ra, wideTiles: false);
        }
    }

    /// <summary>
    /// g[i, j] += scale · Σ_e x[e, i] d[e, j] for the <paramref name="n"/> rows e of <paramref name="k"/> inputs and
    /// <paramref name="m"/> units.
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than its n × k, n × m or k × m elements.</exception>
    public static void AddOuterProducts<T>(ReadOnlySpan<T> x, int n, int k, ReadOnlySpan<T> d, int m, T scale, Span<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(x.Length, (long)n * k, nameof(x));
        Check(d.Length, (long)n * m, nameof(d));
        Check(g.Length, (long)k * m, nameof(g));
        ref T rx = ref MemoryMarshal.GetReference(x);
        ref T rd = ref MemoryMarshal.GetReference(d);
        ref T rg = ref MemoryMarshal.GetReference(g);
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported)
        {
            Gradient<Vector512<T>, Wide512<T>, Vector256<T>, Wide256<T>, T>(ref rx, n, k, ref rd, m, scale, ref rg, wideTiles: true);
        }
        else if (Vector256.IsHardwareAccelerated && Fma.IsSupported)
        {
            Gradient<Vector256<T>, Wide256<T>, Vector128<T>, Narrow128<T>, T>(ref rx, n, k, ref rd, m, scale, ref rg, wideTiles: false);
        }
        else
        {
            Gradient<Vector<T>, Portable<T>, T, Scalar<T>, T>(ref rx, n, k, ref rd, m, scale, ref rg, wideTiles: false);
        }
    }

    private static void Check(int length, long needed, string name)
    {
        if (length < needed)
        {
            throw new ArgumentException($"{name} has {length} elements; the product needs {needed}.", name);
        }
    }

    private static void Forward<TV, TOps, TN, TNOps, T>(ref T rx, int n, int k, ref T rw, int m, ref T ra, bool wideTiles)
        where TV : struct
        where TOps : struct, IVectorOps<TV, T>
        where TN : struct
        where TNOps : struct, IVectorOps<TN, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var tile = (wideTiles ? 4 : 2) * TOps.Count;
        var j = 0;
        for (; j + tile <= m; j += tile)
        {
            var e = 0;
            for (; e + 4 <= n; e += 4)
            {
                if (wideTiles)
                {
                    ForwardTile4x4<TV, TOps, T>(ref rx, e, k, ref rw, m, ref ra, j);
                }
                else
                {
                    ForwardTile4x2<TV, TOps, T>(ref rx, e, k, ref rw, m, ref ra, j);
                }
            }

            ForwardStrips<TV, TOps, TN, TNOps, T>(ref rx, e, n, k, ref rw, m, ref ra, j, j + tile);
        }

        ForwardStrips<TV, TOps, TN, TNOps, T>(ref rx, 0, n, k, ref rw, m, ref ra, j, m);
    }

    /// <summary>Rows [e, n) × units [j0, j1): 4 rows at a time, then one, each a vector of units at a time, then one unit.</summary>
    private static void ForwardStrips<TV, TOps, TN, TNOps, T>(ref T rx, int e, int n, int k, ref T rw, int m, ref T ra, int j0, int j1)
        where TV : struct
        where TOps : struct, IVectorOps<TV, T>
        where TN : struct
        where TNOps : struct, IVectorOps<TN, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (; e + 4 <= n; e += 4)
        {
            var j = j0;
            for (; j + TOps.Count <= j1; j += TOps.Count)
            {
                ForwardTile4x1<TV, TOps, T>(ref rx, e, k, ref rw, m, ref ra, j);
            }

            for (; j + TNOps.Count <= j1; j += TNOps.Count)
            {
                ForwardTile4x1<TN, TNOps, T>(ref rx, e, k, ref rw, m, ref ra, j);
            }

            for (; j < j1; j++)
            {
                ForwardTile4x1<T, Scalar<T>, T>(ref rx, e, k, ref rw, m, ref ra, j);
            }
        }

        for (; e < n; e++)
        {
            var j = j0;
            for (; j + TOps.Count <= j1; j += TOps.Count)
            {
                ForwardTile1x1<TV, TOps, T>(ref rx, e, k, ref rw, m, ref ra, j);
            }

            for (; j + TNOps.Count <= j1; j += TNOps.Count)
            {
                ForwardTile1x1<TN, TNOps, T>(ref rx, e, k, ref rw, m, ref ra, j);
            }

            for (; j < j1; j++)
            {
                ForwardTile1x1<T, Scalar<T>, T>(ref rx, e, k, ref rw, m, ref ra, j);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ForwardTile4x4<TV, TOps, T>(ref T rx, int e, int k, ref T rw, int m, ref T ra, int j)
        where TV : struct
        where TOps : struct, IVectorOps<TV, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        nuint w = (nuint)TOps.Count;
        ref T x0 = ref Unsafe.Add(ref rx, e * k);
        ref T x1 = ref Unsafe.Add(ref x0, k);
        ref T x2 = ref Unsafe.Add(ref x1, k);
        ref T x3 = ref Unsafe.Add(ref x2, k);
        ref T a0 = ref Unsafe.Add(ref ra, e * m + j);
        ref T a1 = ref Unsafe.Add(ref a0, m);
        ref T a2 = ref Unsafe.Add(ref a1, m);
        ref T a3 = ref Unsafe.Add(ref a2, m);
        TV c00 = TOps.Load(ref a0, 0), c01 = TOps.Load(ref a0, w), c02 = TOps.Load(ref a0, 2 * w), c03 = TOps.Load(ref a0, 3 * w);
        TV c10 = TOps.Load(ref a1, 0), c11 = TOps.Load(ref a1, w), c12 = TOps.Load(ref a1, 2 * w), c13 = TOps.Load(ref a1, 3 * w);
        TV c20 = TOps.Load(ref a2, 0), c21 = TOps.Load(ref a2, w), c22 = TOps.Load(ref a2, 2 * w), c23 = TOps.Load(ref a2, 3 * w);
        TV c30 = TOps.Load(ref a3, 0), c31 = TOps.Load(ref a3, w), c32 = TOps.Load(ref a3, 2 * w), c33 = TOps.Load(ref a3, 3 * w);
        ref T wj = ref Unsafe.Add(ref rw, j);
        for (var i = 0; i < k; i++)
        {
            ref T wi = ref Unsafe.Add(ref wj, i * m);
            TV w0 = TOps.Load(ref wi, 0), w1 = TOps.Load(ref wi, w), w2 = TOps.Load(ref wi, 2 * w), w3 = TOps.Load(ref wi, 3 * w);
            var b = TOps.Broadcast(Unsafe.Add(ref x0, i));
            c00 = TOps.FusedMultiplyAdd(w0, b, c00); c01 = TOps.FusedMultiplyAdd(w1, b, c01); c02 = TOps.FusedMultiplyAdd(w2, b, c02); c03 = TOps.FusedMultiplyAdd(w3, b, c03);
            b = TOps.Broadcast(Unsafe.Add(ref x1, i));
            c10 = TOps.FusedMultiplyAdd(w0, b, c10); c11 = TOps.FusedMultiplyAdd(w1, b, c11); c12 = TOps.FusedMultiplyAdd(w2, b, c12); c13 = TOps.FusedMultiplyAdd(w3, b, c13);
            b = TOps.Broadcast(Unsafe.Add(ref x2, i));
            c20 = TOps.FusedMultiplyAdd(w0, b, c20); c21 = TOps.FusedMultiplyAdd(w1, b, c21); c22 = TOps.FusedMultiplyAdd(w2, b, c22); c23 = TOps.FusedMultiplyAdd(w3, b, c23);
            b = TOps.Broadcast(Unsafe.Add(ref x3, i));
            c30 = TOps.FusedMultiplyAdd(w0, b, c30); c31 = TOps.FusedMultiplyAdd(w1, b, c31); c32 = TOps.FusedMultiplyAdd(w2, b, c32); c33 = TOps.FusedMultiplyAdd(w3, b, c33);
        }

        TOps.Store(c00, ref a0, 0); TOps.Store(c01, ref a0, w); TOps.Store(c02, ref a0, 2 * w); TOps.Store(c03, ref a0, 3 * w);
        TOps.Store(c10, ref a1, 0); TOps.Store(c11, ref a1, w); TOps.Store(c12, ref a1, 2 * w); TOps.Store(c13, ref a1, 3 * w);
        TOps.Store(c20, ref a2, 0); TOps.Store(c21, ref a2, w); TOps.Store(c22, ref a2, 2 * w); TOps.Store(c23, ref a2, 3 * w);
        TOps.Store(c30, ref a3, 0); TOps.Store(c31, ref a3, w); TOps.Store(c32, ref a3, 2 * w); TOps.Store(c33, ref a3, 3 * w);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ForwardTile4x2<TV, TOps, T>(ref T rx, int e, int k, ref T rw, int m, ref T ra, int j)
        where TV : struct
        where TOps : struct, IVectorOps<TV, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        nuint w = (nuint)TOps.Count;
        ref T x0 = ref Unsafe.Add(ref rx, e * k);
        ref T x1 = ref Unsafe.Add(ref x0, k);
        ref T x2 = ref Unsafe.Add(ref x1, k);
        ref T x3 = ref Unsafe.Add(ref x2, k);
        ref T a0 = ref Unsafe.Add(ref ra, e * m + j);
        ref T a1 = ref Unsafe.Add(ref a0, m);
        ref T a2 = ref Unsafe.Add(ref a1, m);
        ref T a3 = ref Unsafe.Add(ref a2, m);
        TV c00 = TOps.Load(ref a0, 0), c01 = TOps.Load(ref a0, w);
        TV c10 = TOps.Load(ref a1, 0), c11 = TOps.Load(ref a1, w);
        TV c20 = TOps.Load(ref a2, 0), c21 = TOps.Load(ref a2, w);
        TV c30 = TOps.Load(ref a3, 0), c31 = TOps.Load(ref a3, w);
        ref T wj = ref Unsafe.Add(ref rw, j);
        for (var i = 0; i < k; i++)
        {
            ref T wi = ref Unsafe.Add(ref wj, i * m);
            TV w0 = TOps.Load(ref wi, 0), w1 = TOps.Load(ref wi, w);
            var b = TOps.Broadcast(Unsafe.Add(ref x0, i));
            c00 = TOps.FusedMultiplyAdd(w0, b, c00); c01 = TOps.FusedMultiplyAdd(w1, b, c01);
            b = TOps.Broadcast(Unsafe.Add(ref x1, i));
            c10 = TOps.FusedMultiplyAdd(w0, b, c10); c11 = TOps.FusedMultiplyAdd(w1, b, c11);
            b = TOps.Broadcast(Unsafe.Add(ref x2, i));
            c20 = TOps.FusedMultiplyAdd(w0, b, c20); c21 = TOps.FusedMultiplyAdd(w1, b, c21);
            b = TOps.Broadcast(Unsafe.Add(ref x3, i));
            c30 = TOps.FusedMultiplyAdd(w0, b, c30); c31 = TOps.FusedMultiplyAdd(w1, b, c31);
        }

        TOps.Store(c00, ref a0, 0); TOps.Store(c01, ref a0, w);
        TOps.Store(c10, ref a1, 0); TOps.Store(c11, ref a1, w);
        TOps.Store(c20, ref a2, 0); TOps.Store(c21, ref a2, w);
        TOps.Store(c30, ref a3, 0); TOps.Store(c31, ref a3, w);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ForwardTile4x1<TV, TOps, T>(ref T rx, int e, int k, ref T rw, int m, ref T ra, int j)
        where TV : struct
        where TOps : struct, IVectorOps<TV, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T x0 = ref Unsafe.Add(ref rx, e * k);
        ref T x1 = ref Unsafe.Add(ref x0, k);
        ref T x2 = ref Unsafe.Add(ref x1, k);
        ref T x3 = ref Unsafe.Add(ref x2, k);
        ref T a0 = ref Unsafe.Add(ref ra, e * m + j);
        ref T a1 = ref Unsafe.Add(ref a0, m);
        ref T a2 = ref Unsafe.Add(ref a1, m);
        ref T a3 = ref Unsafe.Add(ref a2, m);
        TV c0 = TOps.Load(ref a0, 0), c1 = TOps.Load(ref a1, 0), c2 = TOps.Load(ref a2, 0), c3 = TOps.Load(ref a3, 0);
        ref T wj = ref Unsafe.Add(ref rw, j);
        for (var i = 0; i < k; i++)
        {
            var w0 = TOps.Load(ref wj, (nuint)(i * m));
            c0 = TOps.FusedMultiplyAdd(w0, TOps.Broadcast(Unsafe.Add(ref x0, i)), c0);
            c1 = TOps.FusedMultiplyAdd(w0, TOps.Broadcast(Unsafe.Add(ref x1, i)), c1);
            c2 = TOps.FusedMultiplyAdd(w0, TOps.Broadcast(Unsafe.Add(ref x2, i)), c2);
            c3 = TOps.FusedMultiplyAdd(w0, TOps.Broadcast(Unsafe.Add(ref x3, i)), c3);
        }

        TOps.Store(c0, ref a0, 0); TOps.Store(c1, ref a1, 0); TOps.Store(c2, ref a2, 0); TOps.Store(c3, ref a3, 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ForwardTile1x1<TV, TOps, T>(ref T rx, int e, int k, ref T rw, int m, ref T ra, int j)
        where TV : struct
        where TOps : struct, IVectorOps<TV, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T x0 = ref Unsafe.Add(ref rx, e * k);
        ref T a0 = ref Unsafe.Add(ref ra, e * m + j);
        var c0 = TOps.Load(ref a0, 0);
        ref T wj = ref Unsafe.Add(ref rw, j);
        for (var i = 0; i < k; i++)
        {
            c0 = TOps.FusedMultiplyAdd(TOps.Load(ref wj, (nuint)(i * m)), TOps.Broadcast(Unsafe.Add(ref x0, i)), c0);
        }

        TOps.Store(c0, ref a0, 0);
    }

    private static void Gradient<TV, TOps, TN, TNOps, T>(ref T rx, int n, int k, ref T rd, int m, T scale, ref T rg, bool wideTiles)
        where TV : struct
        where TOps : struct, IVectorOps<TV, T>
        where TN : struct
        where TNOps : struct, IVectorOps<TN, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var tile = (wideTiles ? 4 : 2) * TOps.Count;
        var i = 0;
        for (; i + 4 <= k; i += 4)
        {
            var j = 0;
            for (; j + tile <= m; j += tile)
            {
                if (wideTiles)
                {
                    GradientTile4x4<TV, TOps, T>(ref rx, n, k, i, ref rd, m, scale, ref rg, j);
                }
                else
                {
                    GradientTile4x2<TV, TOps, T>(ref rx, n, k, i, ref rd, m, scale, ref rg, j);
                }
            }

            GradientStrips<TV, TOps, TN, TNOps, T>(ref rx, n, k, i, i + 4, ref rd, m, scale, ref rg, j);
        }

        GradientStrips<TV, TOps, TN, TNOps, T>(ref rx, n, k, i, k, ref rd, m, scale, ref rg, 0);
    }

    /// <summary>Inputs [i, i1) × units [j0, m): 4 inputs at a time, then one, each a vector of units at a time, then one unit.</summary>
    private static void GradientStrips<TV, TOps, TN, TNOps, T>(ref T rx, int n, int k, int i, int i1, ref T rd, int m, T scale, ref T rg, int j0)
        where TV : struct
        where TOps : struct, IVectorOps<TV, T>
        where TN : struct
        where TNOps : struct, IVectorOps<TN, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (; i + 4 <= i1; i += 4)
        {
            var j = j0;
            for (; j + TOps.Count <= m; j += TOps.Count)
            {
                GradientTile4x1<TV, TOps, T>(ref rx, n, k, i, ref rd, m, scale, ref rg, j);
            }

            for (; j + TNOps.Count <= m; j += TNOps.Count)
            {
                GradientTile4x1<TN, TNOps, T>(ref rx, n, k, i, ref rd, m, scale, ref rg, j);
            }

            for (; j < m; j++)
            {
                GradientTile4x1<T, Scalar<T>, T>(ref rx, n, k, i, ref rd, m, scale, ref rg, j);
            }
        }

        for (; i < i1; i++)
        {
            var j = j0;
            for (; j + TOps.Count <= m; j += TOps.Count)
            {
                GradientTile1x1<TV, TOps, T>(ref rx, n, k, i, ref rd, m, scale, ref rg, j);
            }

            for (; j + TNOps.Count <= m; j += TNOps.Count)
            {
                GradientTile1x1<TN, TNOps, T>(ref rx, n, k, i, ref rd, m, scale, ref rg, j);
            }

            for (; j < m; j++)
            {
                GradientTile1x1<T, Scalar<T>, T>(ref rx, n, k, i, ref rd, m, scale, ref rg, j);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GradientTile4x4<TV, TOps, T>(ref T rx, int n, int k, int i, ref T rd, int m, T scale, ref T rg, int j)
        where TV : struct
        where TOps : struct, IVectorOps<TV, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        nuint w = (nuint)TOps.Count;
        TV c00 = TOps.Zero, c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        TV c20 = c00, c21 = c00, c22 = c00, c23 = c00, c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        ref T xi = ref Unsafe.Add(ref rx, i);
        ref T dj = ref Unsafe.Add(ref rd, j);
        for (var e = 0; e < n; e++)
        {
            ref T de = ref Unsafe.Add(ref dj, e * m);
            TV d0 = TOps.Load(ref de, 0), d1 = TOps.Load(ref de, w), d2 = TOps.Load(ref de, 2 * w), d3 = TOps.Load(ref de, 3 * w);
            ref T xe = ref Unsafe.Add(ref xi, e * k);
            var b = TOps.Broadcast(xe);
            c00 = TOps.FusedMultiplyAdd(d0, b, c00); c01 = TOps.FusedMultiplyAdd(d1, b, c01); c02 = TOps.FusedMultiplyAdd(d2, b, c02); c03 = TOps.FusedMultiplyAdd(d3, b, c03);
            b = TOps.Broadcast(Unsafe.Add(ref xe, 1));
            c10 = TOps.FusedMultiplyAdd(d0, b, c10); c11 = TOps.FusedMultiplyAdd(d1, b, c11); c12 = TOps.FusedMultiplyAdd(d2, b, c12); c13 = TOps.FusedMultiplyAdd(d3, b, c13);
            b = TOps.Broadcast(Unsafe.Add(ref xe, 2));
            c20 = TOps.FusedMultiplyAdd(d0, b, c20); c21 = TOps.FusedMultiplyAdd(d1, b, c21); c22 = TOps.FusedMultiplyAdd(d2, b, c22); c23 = TOps.FusedMultiplyAdd(d3, b, c23);
            b = TOps.Broadcast(Unsafe.Add(ref xe, 3));
            c30 = TOps.FusedMultiplyAdd(d0, b, c30); c31 = TOps.FusedMultiplyAdd(d1, b, c31); c32 = TOps.FusedMultiplyAdd(d2, b, c32); c33 = TOps.FusedMultiplyAdd(d3, b, c33);
        }

        var f = TOps.Broadcast(scale);
        ref T g0 = ref Unsafe.Add(ref rg, i * m + j);
        ref T g1 = ref Unsafe.Add(ref g0, m);
        ref T g2 = ref Unsafe.Add(ref g1, m);
        ref T g3 = ref Unsafe.Add(ref g2, m);
        AddScaled4<TV, TOps, T>(ref g0, w, f, c00, c01, c02, c03);
        AddScaled4<TV, TOps, T>(ref g1, w, f, c10, c11, c12, c13);
        AddScaled4<TV, TOps, T>(ref g2, w, f, c20, c21, c22, c23);
        AddScaled4<TV, TOps, T>(ref g3, w, f, c30, c31, c32, c33);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddScaled4<TV, TOps, T>(ref T g, nuint w, TV f, TV c0, TV c1, TV c2, TV c3)
        where TV : struct
        where TOps : struct, IVectorOps<TV, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        TOps.Store(TOps.FusedMultiplyAdd(c0, f, TOps.Load(ref g, 0)), ref g, 0);
        TOps.Store(TOps.FusedMultiplyAdd(c1, f, TOps.Load(ref g, w)), ref g, w);
        TOps.Store(TOps.FusedMultiplyAdd(c2, f, TOps.Load(ref g, 2 * w)), ref g, 2 * w);
        TOps.Store(TOps.FusedMultiplyAdd(c3, f, TOps.Load(ref g, 3 * w)), ref g, 3 * w);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GradientTile4x2<TV, TOps, T>(ref T rx, int n, int k, int i, ref T rd, int m, T scale, ref T rg, int j)
        where TV : struct
        where TOps : struct, IVectorOps<TV, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        nuint w = (nuint)TOps.Count;
        TV c00 = TOps.Zero, c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        ref T xi = ref Unsafe.Add(ref rx, i);
        ref T dj = ref Unsafe.Add(ref rd, j);
        for (var e = 0; e < n; e++)
        {
            ref T de = ref Unsafe.Add(ref dj, e * m);
            TV d0 = TOps.Load(ref de, 0), d1 = TOps.Load(ref de, w);
            ref T xe = ref Unsafe.Add(ref xi, e * k);
            var b = TOps.Broadcast(xe);
            c00 = TOps.FusedMultiplyAdd(d0, b, c00); c01 = TOps.FusedMultiplyAdd(d1, b, c01);
            b = TOps.Broadcast(Unsafe.Add(ref xe, 1));
            c10 = TOps.FusedMultiplyAdd(d0, b, c10); c11 = TOps.FusedMultiplyAdd(d1, b, c11);
            b = TOps.Broadcast(Unsafe.Add(ref xe, 2));
            c20 = TOps.FusedMultiplyAdd(d0, b, c20); c21 = TOps.FusedMultiplyAdd(d1, b, c21);
            b = TOps.Broadcast(Unsafe.Add(ref xe, 3));
            c30 = TOps.FusedMultiplyAdd(d0, b, c30); c31 = TOps.FusedMultiplyAdd(d1, b, c31);
        }

        var f = TOps.Broadcast(scale);
        ref T g0 = ref Unsafe.Add(ref rg, i * m + j);
        ref T g1 = ref Unsafe.Add(ref g0, m);
        ref T g2 = ref Unsafe.Add(ref g1, m);
        ref T g3 = ref Unsafe.Add(ref g2, m);
        TOps.Store(TOps.FusedMultiplyAdd(c00, f, TOps.Load(ref g0, 0)), ref g0, 0); TOps.Store(TOps.FusedMultiplyAdd(c01, f, TOps.Load(ref g0, w)), ref g0, w);
        TOps.Store(TOps.FusedMultiplyAdd(c10, f, TOps.Load(ref g1, 0)), ref g1, 0); TOps.Store(TOps.FusedMultiplyAdd(c11, f, TOps.Load(ref g1, w)), ref g1, w);
        TOps.Store(TOps.FusedMultiplyAdd(c20, f, TOps.Load(ref g2, 0)), ref g2, 0); TOps.Store(TOps.FusedMultiplyAdd(c21, f, TOps.Load(ref g2, w)), ref g2, w);
        TOps.Store(TOps.FusedMultiplyAdd(c30, f, TOps.Load(ref g3, 0)), ref g3, 0); TOps.Store(TOps.FusedMultiplyAdd(c31, f, TOps.Load(ref g3, w)), ref g3, w);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GradientTile4x1<TV, TOps, T>(ref T rx, int n, int k, int i, ref T rd, int m, T scale, ref T rg, int j)
        where TV : struct
        where TOps : struct, IVectorOps<TV, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        TV c0 = TOps.Zero, c1 = c0, c2 = c0, c3 = c0;
        ref T xi = ref Unsafe.Add(ref rx, i);
        ref T dj = ref Unsafe.Add(ref rd, j);
        for (var e = 0; e < n; e++)
        {
            var d0 = TOps.Load(ref dj, (nuint)(e * m));
            ref T xe = ref Unsafe.Add(ref xi, e * k);
            c0 = TOps.FusedMultiplyAdd(d0, TOps.Broadcast(xe), c0);
            c1 = TOps.FusedMultiplyAdd(d0, TOps.Broadcast(Unsafe.Add(ref xe, 1)), c1);
            c2 = TOps.FusedMultiplyAdd(d0, TOps.Broadcast(Unsafe.Add(ref xe, 2)), c2);
            c3 = TOps.FusedMultiplyAdd(d0, TOps.Broadcast(Unsafe.Add(ref xe, 3)), c3);
        }

        var f = TOps.Broadcast(scale);
        ref T g0 = ref Unsafe.Add(ref rg, i * m + j);
        ref T g1 = ref Unsafe.Add(ref g0, m);
        ref T g2 = ref Unsafe.Add(ref g1, m);
        ref T g3 = ref Unsafe.Add(ref g2, m);
        TOps.Store(TOps.FusedMultiplyAdd(c0, f, TOps.Load(ref g0, 0)), ref g0, 0);
        TOps.Store(TOps.FusedMultiplyAdd(c1, f, TOps.Load(ref g1, 0)), ref g1, 0);
        TOps.Store(TOps.FusedMultiplyAdd(c2, f, TOps.Load(ref g2, 0)), ref g2, 0);
        TOps.Store(TOps.FusedMultiplyAdd(c3, f, TOps.Load(ref g3, 0)), ref g3, 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GradientTile1x1<TV, TOps, T>(ref T rx, int n, int k, int i, ref T rd, int m, T scale, ref T rg, int j)
        where TV : struct
        where TOps : struct, IVectorOps<TV, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var c0 = TOps.Zero;
        ref T xi = ref Unsafe.Add(ref rx, i);
        ref T dj = ref Unsafe.Add(ref rd, j);
        for (var e = 0; e < n; e++)
        {
            c0 = TOps.FusedMultiplyAdd(TOps.Load(ref dj, (nuint)(e * m)), TOps.Broadcast(Unsafe.Add(ref xi, e * k)), c0);
        }

        ref T g0 = ref Unsafe.Add(ref rg, i * m + j);
        TOps.Store(TOps.FusedMultiplyAdd(c0, TOps.Broadcast(scale), TOps.Load(ref g0, 0)), ref g0, 0);
    }

    /// <summary>What the tiles do with a vector type: the same code then runs at every width and on single units.</summary>
    private interface IVectorOps<TV, T>
        where TV : struct
    {
        /// <summary>Elements per vector.</summary>
        static abstract int Count { get; }

        static abstract TV Zero { get; }

        static abstract TV Load(ref T source, nuint offset);

        static abstract void Store(TV value, ref T destination, nuint offset);

        static abstract TV Broadcast(T value);

        /// <summary>a · b + c, rounded once where the machine fuses them.</summary>
        static abstract TV FusedMultiplyAdd(TV a, TV b, TV c);
    }

    private readonly struct Wide512<T> : IVectorOps<Vector512<T>, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static int Count => Vector512<T>.Count;

        public static Vector512<T> Zero => Vector512<T>.Zero;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<T> Load(ref T source, nuint offset) => Vector512.LoadUnsafe(ref source, offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector512<T> value, ref T destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<T> Broadcast(T value) => Vector512.Create(value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<T> FusedMultiplyAdd(Vector512<T> a, Vector512<T> b, Vector512<T> c) =>
            typeof(T) == typeof(double)
                ? Avx512F.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>()
                : Avx512F.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
    }

    private readonly struct Wide256<T> : IVectorOps<Vector256<T>, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static int Count => Vector256<T>.Count;

        public static Vector256<T> Zero => Vector256<T>.Zero;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<T> Load(ref T source, nuint offset) => Vector256.LoadUnsafe(ref source, offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector256<T> value, ref T destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<T> Broadcast(T value) => Vector256.Create(value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<T> FusedMultiplyAdd(Vector256<T> a, Vector256<T> b, Vector256<T> c) =>
            typeof(T) == typeof(double)
                ? Fma.MultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>()
                : Fma.MultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
    }

    private readonly struct Narrow128<T> : IVectorOps<Vector128<T>, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static int Count => Vector128<T>.Count;

        public static Vector128<T> Zero => Vector128<T>.Zero;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<T> Load(ref T source, nuint offset) => Vector128.LoadUnsafe(ref source, offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector128<T> value, ref T destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<T> Broadcast(T value) => Vector128.Create(value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<T> FusedMultiplyAdd(Vector128<T> a, Vector128<T> b, Vector128<T> c) =>
            typeof(T) == typeof(double)
                ? Fma.MultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>()
                : Fma.MultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
    }

    /// <summary><see cref="Vector{T}"/>, for machines without 256-bit fused multiply-adds (128-bit NEON, say): multiply, then add.</summary>
    private readonly struct Portable<T> : IVectorOps<Vector<T>, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static int Count => Vector<T>.Count;

        public static Vector<T> Zero => Vector<T>.Zero;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector<T> Load(ref T source, nuint offset) => Vector.LoadUnsafe(ref source, offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector<T> value, ref T destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector<T> Broadcast(T value) => new(value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector<T> FusedMultiplyAdd(Vector<T> a, Vector<T> b, Vector<T> c) => a * b + c;
    }

    /// <summary>One unit: what a strip leaves after its last whole vector.</summary>
    private readonly struct Scalar<T> : IVectorOps<T, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static int Count => 1;

        public static T Zero => T.Zero;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T Load(ref T source, nuint offset) => Unsafe.Add(ref source, offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(T value, ref T destination, nuint offset) => Unsafe.Add(ref destination, offset) = value;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T Broadcast(T value) => value;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T FusedMultiplyAdd(T a, T b, T c) => a * b + c;
    }
}
#endif
