using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace BackpropGen.Benchmarks;

/// <summary>
/// The batch gradient as matrix products on OpenBLAS (Debian's <c>libopenblas0</c>, one thread): per layer
/// A = H·W + b (<c>gemm</c>, H the batch's n × inputs rows), the activation with <see cref="TensorPrimitives"/>, then
/// D_l = (D_{l+1}·W_{l+1}ᵀ) ⊙ f′, ∂W = (1/n) H_{l−1}ᵀ·D_l and ∂b the column means: the reference a tuned library
/// reaches on the same parameters and data. Buffers are sized for the batch once, so no call allocates.
/// </summary>
/// <remarks>Sigmoid, tanh and identity layers with ½ Σ (y − t)², or a softmax output with cross-entropy.</remarks>
public sealed class OpenBlasNet<T>
    where T : IFloatingPointIeee754<T>
{
    private const string Library = OpenBlas.Library;
    private const int RowMajor = 101;
    private const int NoTrans = 111;
    private const int Trans = 112;

    private static readonly Lazy<string?> Missing = new(() =>
    {
        if (!NativeLibrary.TryLoad(Library, out _))
        {
            return "OpenBLAS is not installed, so its reference is skipped; install it with: sudo apt-get install libopenblas0";
        }

        OpenBlas.openblas_set_num_threads(1);
        return null;
    });

    private readonly NetworkShape _shape;
    private readonly T[] _parameters;
    private readonly T[][] _values; // the n rows of layer l's outputs (weighted inputs first, in place)
    private readonly T[][] _deltas; // the n rows of layer l's δ
    private readonly T[] _derivative;
    private readonly int _batch;

    public OpenBlasNet(NetworkShape shape, ReadOnlySpan<T> parameters, int batch)
    {
        _shape = shape;
        _batch = batch;
        _parameters = parameters.ToArray();
        _values = new T[shape.LayerCount + 1][];
        _deltas = new T[shape.LayerCount + 1][];
        for (var l = 1; l <= shape.LayerCount; l++)
        {
            _values[l] = new T[batch * shape.UnitsOf(l)];
            _deltas[l] = new T[batch * shape.UnitsOf(l)];
        }

        _derivative = new T[batch * shape.MaxUnits];
    }

    /// <summary>Null when OpenBLAS loads; else why the reference is skipped and how to install it.</summary>
    public static string? Unavailable => Missing.Value;

    /// <summary>The mean loss and mean gradient of the n examples, in the generated layout.</summary>
    public T BatchGradient(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Span<T> gradient)
    {
        if (Unavailable is { } reason)
        {
            throw new InvalidOperationException(reason);
        }

        var n = inputs.Length / _shape.Inputs;
        if (n != _batch)
        {
            throw new ArgumentException($"this reference is sized for batches of {_batch}", nameof(inputs));
        }

        var last = _shape.LayerCount;
        for (var l = 1; l <= last; l++)
        {
            int k = _shape.UnitsOf(l - 1), m = _shape.UnitsOf(l);
            var a = _values[l].AsSpan(0, n * m);
            for (var e = 0; e < n; e++)
            {
                Biases(l).CopyTo(a.Slice(e * m, m));
            }

            Gemm(NoTrans, NoTrans, n, m, k, T.One, l == 1 ? inputs : _values[l - 1], k, Weights(l), m, T.One, a, m);
            if (l < last || _shape.Loss != Loss.CrossEntropy)
            {
                switch (_shape.ActivationOf(l))
                {
                    case Activation.Sigmoid:
                        TensorPrimitives.Sigmoid(a, a);
                        break;
                    case Activation.Tanh:
                        TensorPrimitives.Tanh(a, a);
                        break;
                }
            }
        }

        var outputs = _shape.Outputs;
        var total = T.Zero;
        var deltaOut = _deltas[last].AsSpan(0, n * outputs);
        for (var e = 0; e < n; e++)
        {
            var y = _values[last].AsSpan(e * outputs, outputs);
            var t = targets.Slice(e * outputs, outputs);
            var d = deltaOut.Slice(e * outputs, outputs);
            if (_shape.Loss == Loss.CrossEntropy)
            {
                var targetDotA = TensorPrimitives.Dot(t, y);
                var max = TensorPrimitives.Max(y);
                TensorPrimitives.Subtract(y, max, y);
                TensorPrimitives.Exp(y, y);
                var sum = TensorPrimitives.Sum(y);
                TensorPrimitives.Divide(y, sum, y);
                total += (max + T.Log(sum)) * TensorPrimitives.Sum(t) - targetDotA;
                TensorPrimitives.Subtract(y, t, d);
            }
            else
            {
                TensorPrimitives.Subtract(y, t, d);
                total += T.CreateTruncating(0.5) * TensorPrimitives.SumOfSquares(d);
                MultiplyByDerivative(_shape.ActivationOf(last), y, d);
            }
        }

        for (var l = last - 1; l >= 1; l--)
        {
            int m = _shape.UnitsOf(l), next = _shape.UnitsOf(l + 1);
            var delta = _deltas[l].AsSpan(0, n * m);
            Gemm(NoTrans, Trans, n, m, next, T.One, _deltas[l + 1], next, Weights(l + 1), next, T.Zero, delta, m);
            MultiplyByDerivative(_shape.ActivationOf(l), _values[l].AsSpan(0, n * m), delta);
        }

        var scale = T.One / T.CreateTruncating(n);
        for (var l = 1; l <= last; l++)
        {
            int k = _shape.UnitsOf(l - 1), m = _shape.UnitsOf(l);
            Gemm(Trans, NoTrans, k, m, n, scale, l == 1 ? inputs : _values[l - 1], k, _deltas[l], m, T.Zero, gradient.Slice(_shape.WeightOffset(l), k * m), m);
            var biases = gradient.Slice(_shape.BiasOffset(l), m);
            biases.Clear();
            for (var e = 0; e < n; e++)
            {
                TensorPrimitives.Add(biases, _deltas[l].AsSpan(e * m, m), biases);
            }

            TensorPrimitives.Multiply(biases, scale, biases);
        }

        return total * scale;
    }

    private void MultiplyByDerivative(Activation activation, ReadOnlySpan<T> h, Span<T> delta) =>
        TensorPrimitivesNet<T>.MultiplyByDerivative(activation, h, delta, _derivative.AsSpan(0, h.Length));

    private ReadOnlySpan<T> Weights(int layer) => _parameters.AsSpan(_shape.WeightOffset(layer), _shape.UnitsOf(layer - 1) * _shape.UnitsOf(layer));

    private ReadOnlySpan<T> Biases(int layer) => _parameters.AsSpan(_shape.BiasOffset(layer), _shape.UnitsOf(layer));

    /// <summary>C = alpha · op(A) · op(B) + beta · C, row-major, in the element type's gemm.</summary>
    private static unsafe void Gemm(int transA, int transB, int m, int n, int k, T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc)
    {
        if (typeof(T) == typeof(float))
        {
            fixed (float* pa = &System.Runtime.CompilerServices.Unsafe.As<T, float>(ref MemoryMarshal.GetReference(a)))
            fixed (float* pb = &System.Runtime.CompilerServices.Unsafe.As<T, float>(ref MemoryMarshal.GetReference(b)))
            fixed (float* pc = &System.Runtime.CompilerServices.Unsafe.As<T, float>(ref MemoryMarshal.GetReference(c)))
            {
                OpenBlas.cblas_sgemm(RowMajor, transA, transB, m, n, k, float.CreateTruncating(alpha), pa, lda, pb, ldb, float.CreateTruncating(beta), pc, ldc);
            }
        }
        else
        {
            fixed (double* pa = &System.Runtime.CompilerServices.Unsafe.As<T, double>(ref MemoryMarshal.GetReference(a)))
            fixed (double* pb = &System.Runtime.CompilerServices.Unsafe.As<T, double>(ref MemoryMarshal.GetReference(b)))
            fixed (double* pc = &System.Runtime.CompilerServices.Unsafe.As<T, double>(ref MemoryMarshal.GetReference(c)))
            {
                OpenBlas.cblas_dgemm(RowMajor, transA, transB, m, n, k, double.CreateTruncating(alpha), pa, lda, pb, ldb, double.CreateTruncating(beta), pc, ldc);
            }
        }
    }
}

/// <summary>The entry points of OpenBLAS the reference calls.</summary>
internal static class OpenBlas
{
    public const string Library = "libopenblas.so.0";

    [DllImport(Library)]
    public static extern void openblas_set_num_threads(int threads);

    [DllImport(Library)]
    public static extern unsafe void cblas_sgemm(int order, int transA, int transB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc);

    [DllImport(Library)]
    public static extern unsafe void cblas_dgemm(int order, int transA, int transB, int m, int n, int k, double alpha, double* a, int lda, double* b, int ldb, double beta, double* c, int ldc);
}
