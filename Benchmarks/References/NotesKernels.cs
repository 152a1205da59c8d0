using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace BackpropGen.Benchmarks;

/// <summary>
/// The parameters of the 2-3-2 notes network in fields the JIT can keep close, and the backward pass and update
/// of its limit kernels: only the arithmetic the step needs, no loops, no bounds checks.
/// </summary>
public abstract class NotesKernel
{
    /// <summary>w_ij: input i to hidden unit j.</summary>
    protected double _w00, _w01, _w02, _w10, _w11, _w12, _b0, _b1, _b2;

    /// <summary>u_ij: hidden unit i to output j.</summary>
    protected double _u00, _u01, _u10, _u11, _u20, _u21, _c0, _c1;

    /// <summary>The number of parameters, as in the generated layout.</summary>
    public const int ParameterCount = 17;

    /// <summary>Loads the 17 parameters in the generated layout: W (2 × 3), b, U (3 × 2), c.</summary>
    public void SetParameters(ReadOnlySpan<double> p)
    {
        (_w00, _w01, _w02, _w10, _w11, _w12, _b0, _b1, _b2) = (p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8]);
        (_u00, _u01, _u10, _u11, _u20, _u21, _c0, _c1) = (p[9], p[10], p[11], p[12], p[13], p[14], p[15], p[16]);
    }

    /// <summary>Writes the 17 parameters in the generated layout.</summary>
    public void CopyParametersTo(Span<double> p)
    {
        (p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8]) = (_w00, _w01, _w02, _w10, _w11, _w12, _b0, _b1, _b2);
        (p[9], p[10], p[11], p[12], p[13], p[14], p[15], p[16]) = (_u00, _u01, _u10, _u11, _u20, _u21, _c0, _c1);
    }

    /// <summary>One training step on (x0, x1) with targets (t0, t1); returns the loss before the update.</summary>
    public abstract double TrainStep(double x0, double x1, double t0, double t1, double rate);

    /// <summary>The δs from the outputs h and y, the update, and the loss ½ Σ (y − t)².</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected double BackwardAndUpdate(double x0, double x1, double t0, double t1, double rate, double h0, double h1, double h2, double y0, double y1)
    {
        var e0 = y0 - t0;
        var e1 = y1 - t1;
        var d0 = e0 * y0 * (1 - y0);
        var d1 = e1 * y1 * (1 - y1);
        var g0 = (d0 * _u00 + d1 * _u01) * h0 * (1 - h0);
        var g1 = (d0 * _u10 + d1 * _u11) * h1 * (1 - h1);
        var g2 = (d0 * _u20 + d1 * _u21) * h2 * (1 - h2);
        _u00 -= rate * d0 * h0; _u01 -= rate * d1 * h0; _u10 -= rate * d0 * h1; _u11 -= rate * d1 * h1; _u20 -= rate * d0 * h2; _u21 -= rate * d1 * h2;
        _c0 -= rate * d0; _c1 -= rate * d1;
        _w00 -= rate * g0 * x0; _w01 -= rate * g1 * x0; _w02 -= rate * g2 * x0; _w10 -= rate * g0 * x1; _w11 -= rate * g1 * x1; _w12 -= rate * g2 * x1;
        _b0 -= rate * g0; _b1 -= rate * g1; _b2 -= rate * g2;
        return 0.5 * (e0 * e0 + e1 * e1);
    }
}

/// <summary>The scalar limit: the step's five exponentials one <see cref="Math.Exp"/> at a time, in dependency order.</summary>
public sealed class LimitKernel : NotesKernel
{
    public override double TrainStep(double x0, double x1, double t0, double t1, double rate)
    {
        var h0 = 1.0 / (1.0 + Math.Exp(-(x0 * _w00 + x1 * _w10 + _b0)));
        var h1 = 1.0 / (1.0 + Math.Exp(-(x0 * _w01 + x1 * _w11 + _b1)));
        var h2 = 1.0 / (1.0 + Math.Exp(-(x0 * _w02 + x1 * _w12 + _b2)));
        var y0 = 1.0 / (1.0 + Math.Exp(-(h0 * _u00 + h1 * _u10 + h2 * _u20 + _c0)));
        var y1 = 1.0 / (1.0 + Math.Exp(-(h0 * _u01 + h1 * _u11 + h2 * _u21 + _c1)));
        return BackwardAndUpdate(x0, x1, t0, t1, rate, h0, h1, h2, y0, y1);
    }
}

/// <summary>
/// The vector limit: the same arithmetic, with each layer's exponentials computed together, the 3 hidden ones in
/// one <see cref="Vector256{T}"/> (the fourth lane is padding) and the 2 output ones in one <see cref="Vector128{T}"/>.
/// </summary>
public sealed class VectorLimitKernel : NotesKernel
{
    public override double TrainStep(double x0, double x1, double t0, double t1, double rate)
    {
        var a1 = Vector256.Create(x0 * _w00 + x1 * _w10 + _b0, x0 * _w01 + x1 * _w11 + _b1, x0 * _w02 + x1 * _w12 + _b2, 0.0);
        var h = Vector256<double>.One / (Vector256<double>.One + Vector256.Exp(-a1));
        var (h0, h1, h2) = (h.GetElement(0), h.GetElement(1), h.GetElement(2));
        var a2 = Vector128.Create(h0 * _u00 + h1 * _u10 + h2 * _u20 + _c0, h0 * _u01 + h1 * _u11 + h2 * _u21 + _c1);
        var y = Vector128<double>.One / (Vector128<double>.One + Vector128.Exp(-a2));
        return BackwardAndUpdate(x0, x1, t0, t1, rate, h0, h1, h2, y.GetElement(0), y.GetElement(1));
    }
}
