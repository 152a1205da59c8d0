using BackpropGen.Generator.Model;

namespace BackpropGen.Generator.Emit;

/// <summary>
/// The register-blocked kernels of wide layers: the forward product A += X·W and the weight gradient G += s·Xᵀ·D over a
/// block of examples, each keeping a tile of 4 examples (or 4 inputs) × 2 SIMD vectors of units in 8 accumulators across
/// the whole inner sum, so a tile of the result is loaded and stored once instead of once per term.
/// </summary>
internal sealed partial class NetworkEmitter
{
    /// <summary>Whether the compilation has the runtime's kernels, <c>BackpropGen.Runtime.DenseKernels</c> (.NET 8 and later).</summary>
    private bool HasDenseKernels => (_options.Vectors & VectorSupport.DenseKernels) != 0;

    private static string DenseKernels => "global::BackpropGen.Runtime.DenseKernels";

    /// <summary>Rows of the tile: examples of the forward product, inputs of the weight gradient.</summary>
    private const int TileRows = 4;

    /// <summary><c>Vector.FusedMultiplyAdd(a, b, c)</c> where the framework has it (.NET 9), else <c>a * b + c</c>.</summary>
    private string Fma(string a, string b, string c) =>
        HasVectorMath ? $"global::System.Numerics.Vector.FusedMultiplyAdd({a}, {b}, {c})" : $"{a} * {b} + {c}";

    /// <summary>Asks for the forward kernel; its call: a += x · w for <paramref name="n"/> rows.</summary>
    private string MultiplyAddCall(string x, string n, int inputs, int weightStart, int units, string a) =>
        MultiplyAddCall(x, n, inputs, $"new {ReadOnlySpanType}({_context.Parameters()}, {weightStart}, {inputs * units})", units, a);

    /// <summary>Asks for the forward kernel; its call: a += x · w for <paramref name="n"/> rows, w a span of inputs × units.</summary>
    private string MultiplyAddCall(string x, string n, int inputs, string weights, int units, string a)
    {
        if (HasDenseKernels)
        {
            return $"{DenseKernels}.MultiplyAdd<{_type}>({x}, {n}, {inputs}, {weights}, {units}, {a});";
        }

        UseHelper("__MultiplyAdd", WriteMultiplyAdd);
        return $"__MultiplyAdd({x}, {n}, {inputs}, {weights}, {units}, {a});";
    }

    /// <summary>Asks for the weight-gradient kernel; its call: g += scale · xᵀ · d for <paramref name="n"/> rows.</summary>
    private string AddOuterProductsCall(string x, string n, int inputs, string d, int units, string scale, string g)
    {
        if (HasDenseKernels)
        {
            return $"{DenseKernels}.AddOuterProducts<{_type}>({x}, {n}, {inputs}, {d}, {units}, {scale}, {g});";
        }

        UseHelper("__AddOuterProducts", WriteAddOuterProducts);

        return $"__AddOuterProducts({x}, {n}, {inputs}, {d}, {units}, {scale}, {g});";
    }

    private void WriteMultiplyAdd()
    {
        _w.Doc("<summary>\na[e, j] += Σ_i x[e, i] w[i, j] for n rows e of k inputs and m units, all row-major: 4 rows × 2 SIMD vectors of units\nat a time in registers across the whole sum over i.\n</summary>");
        using (_w.Open($"{KernelAccess} static void __MultiplyAdd({ReadOnlySpanType} x, int n, int k, {ReadOnlySpanType} w, int m, {SpanType} a)"))
        {
            _w.Line("int e = 0;");
            if (HasVectors)
            {
                using (_w.Open($"if ({Accelerated})"))
                {
                    _w.Line($"int width = {Vector}.Count;");
                    using (_w.Open($"for (; e + {TileRows} <= n; e += {TileRows})"))
                    {
                        _w.Line("int j = 0;");
                        using (_w.Open("for (; j + 2 * width <= m; j += 2 * width)"))
                        {
                            for (var r = 0; r < TileRows; r++)
                            {
                                _w.Line($"{Vector} c{r}0 = new {Vector}(a.Slice((e + {r}) * m + j));");
                                _w.Line($"{Vector} c{r}1 = new {Vector}(a.Slice((e + {r}) * m + j + width));");
                            }

                            using (_w.Open("for (int i = 0; i < k; i++)"))
                            {
                                _w.Line($"{Vector} w0 = new {Vector}(w.Slice(i * m + j));");
                                _w.Line($"{Vector} w1 = new {Vector}(w.Slice(i * m + j + width));");
                                for (var r = 0; r < TileRows; r++)
                                {
                                    _w.Line($"{Vector} x{r} = new {Vector}(x[(e + {r}) * k + i]);");
                                    _w.Line($"c{r}0 = {Fma("w0", $"x{r}", $"c{r}0")};");
                                    _w.Line($"c{r}1 = {Fma("w1", $"x{r}", $"c{r}1")};");
                                }
                            }

                            for (var r = 0; r < TileRows; r++)
                            {
                                _w.Line($"c{r}0.CopyTo(a.Slice((e + {r}) * m + j));");
                                _w.Line($"c{r}1.CopyTo(a.Slice((e + {r}) * m + j + width));");
                            }
                        }

                        using (_w.Open("for (; j < m; j++)"))
                        {
                            for (var r = 0; r < TileRows; r++)
                            {
                                _w.Line($"{_type} s{r} = a[(e + {r}) * m + j];");
                            }

                            using (_w.Open("for (int i = 0; i < k; i++)"))
                            {
                                for (var r = 0; r < TileRows; r++)
                                {
                                    _w.Line($"s{r} += x[(e + {r}) * k + i] * w[i * m + j];");
                                }
                            }

                            for (var r = 0; r < TileRows; r++)
                            {
                                _w.Line($"a[(e + {r}) * m + j] = s{r};");
                            }
                        }
                    }
                }
            }

            using (_w.Open("for (; e < n; e++)"))
            {
                _w.Line($"{SpanType} row = a.Slice(e * m, m);");
                using (_w.Open("for (int i = 0; i < k; i++)"))
                {
                    _w.Line($"__AddScaled(w.Slice(i * m, m), x[e * k + i], row);");
                }
            }
        }
    }

    private void WriteAddOuterProducts()
    {
        _w.Doc("<summary>\ng[i, j] += scale · Σ_e x[e, i] d[e, j] for n rows e of k inputs and m units, all row-major: 4 inputs × 2 SIMD vectors of\nunits at a time in registers across the whole sum over the examples.\n</summary>");
        using (_w.Open($"{KernelAccess} static void __AddOuterProducts({ReadOnlySpanType} x, int n, int k, {ReadOnlySpanType} d, int m, {_type} scale, {SpanType} g)"))
        {
            _w.Line("int i = 0;");
            if (HasVectors)
            {
                using (_w.Open($"if ({Accelerated})"))
                {
                    _w.Line($"int width = {Vector}.Count;");
                    _w.Line($"{Vector} factor = new {Vector}(scale);");
                    using (_w.Open($"for (; i + {TileRows} <= k; i += {TileRows})"))
                    {
                        _w.Line("int j = 0;");
                        using (_w.Open("for (; j + 2 * width <= m; j += 2 * width)"))
                        {
                            for (var r = 0; r < TileRows; r++)
                            {
                                _w.Line($"{Vector} c{r}0 = {Vector}.Zero;");
                                _w.Line($"{Vector} c{r}1 = {Vector}.Zero;");
                            }

                            using (_w.Open("for (int e = 0; e < n; e++)"))
                            {
                                _w.Line($"{Vector} d0 = new {Vector}(d.Slice(e * m + j));");
                                _w.Line($"{Vector} d1 = new {Vector}(d.Slice(e * m + j + width));");
                                for (var r = 0; r < TileRows; r++)
                                {
                                    _w.Line($"{Vector} x{r} = new {Vector}(x[e * k + i + {r}]);");
                                    _w.Line($"c{r}0 = {Fma("d0", $"x{r}", $"c{r}0")};");
                                    _w.Line($"c{r}1 = {Fma("d1", $"x{r}", $"c{r}1")};");
                                }
                            }

                            for (var r = 0; r < TileRows; r++)
                            {
                                foreach (var half in new[] { "0", "1" })
                                {
                                    var at = $"(i + {r}) * m + j" + (half == "1" ? " + width" : "");
                                    _w.Line($"({Fma($"c{r}{half}", "factor", $"new {Vector}(g.Slice({at}))")}).CopyTo(g.Slice({at}));");
                                }
                            }
                        }

                        using (_w.Open("for (; j < m; j++)"))
                        {
                            for (var r = 0; r < TileRows; r++)
                            {
                                _w.Line($"{_type} s{r} = {Literal(0)};");
                            }

                            using (_w.Open("for (int e = 0; e < n; e++)"))
                            {
                                for (var r = 0; r < TileRows; r++)
                                {
                                    _w.Line($"s{r} += x[e * k + i + {r}] * d[e * m + j];");
                                }
                            }

                            for (var r = 0; r < TileRows; r++)
                            {
                                _w.Line($"g[(i + {r}) * m + j] += scale * s{r};");
                            }
                        }
                    }
                }
            }

            using (_w.Open("for (; i < k; i++)"))
            {
                _w.Line($"{SpanType} row = g.Slice(i * m, m);");
                using (_w.Open("for (int e = 0; e < n; e++)"))
                {
                    _w.Line("__AddScaled(d.Slice(e * m, m), scale * x[e * k + i], row);");
                }
            }
        }
    }
}
