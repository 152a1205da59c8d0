using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BackpropGen.Generator.Model;

namespace BackpropGen.Generator.Emit;

/// <summary>
/// The 512-bit paths of the wide layers' kernels, taken where <c>Vector512</c> is accelerated at run time: a tile of 4 rows × 4
/// vectors of units (16 accumulators of the 32 registers AVX-512 has) across the whole inner sum, read through references
/// without bounds checks once the kernel has checked its spans' lengths. What the tile leaves over (fewer than 4 rows, or
/// fewer units than 4 vectors) goes through strips of 4 rows, then of one: a 512-bit vector of units at a time, then a 256-bit
/// one, then one unit, so a layer of 10 units still runs in vectors. Elsewhere the <c>Vector&lt;T&gt;</c> tiles of 4 rows × 2
/// vectors (which fit the 16 registers of AVX2) run as before.
/// </summary>
internal sealed partial class NetworkEmitter
{
    /// <summary>Vectors of units in a tile of the 512-bit kernels.</summary>
    private const int WideTileVectors = 4;

    /// <summary>Whether the compilation has <c>Vector512</c> with <c>FusedMultiplyAdd</c> (.NET 9 and later).</summary>
    private bool HasWideKernels => (_options.Vectors & VectorSupport.Lanes) != 0;

    private string UnsafeClass => "global::System.Runtime.CompilerServices.Unsafe";

    private string Wide(int bits) => "global::System.Runtime.Intrinsics.Vector" + bits.ToString(CultureInfo.InvariantCulture);

    /// <summary>Elements of the number type in a vector of <paramref name="bits"/>.</summary>
    private int Lanes(int bits) => bits / (_single ? 32 : 64);

    private static string Nuint(string value) => $"(nuint)({value})";

    /// <summary>The offset <paramref name="start"/> plus <paramref name="vector"/> vectors of <paramref name="bits"/>.</summary>
    private string At(string start, int vector, int bits) =>
        vector == 0 ? start : $"{start} + {(vector * Lanes(bits)).ToString(CultureInfo.InvariantCulture)}";

    private string Reference(string span) => $"ref {Marshal}.GetReference({span})";

    /// <summary>The call of the 512-bit path at the top of <c>__MultiplyAdd</c>.</summary>
    private void WriteWideMultiplyAdd()
    {
        using (_w.Open($"if ({Wide(512)}.IsHardwareAccelerated && x.Length >= n * k && w.Length >= k * m && a.Length >= n * m)"))
        {
            _w.Line("__MultiplyAdd512(x, n, k, w, m, a);");
            _w.Line("return;");
        }

        _w.Line();
    }

    /// <summary>The 512-bit forward kernel.</summary>
    private void WriteMultiplyAdd512()
    {
        _w.Doc("<summary>\n<see cref=\"__MultiplyAdd\"/> with 512-bit vectors, the lengths checked by it: tiles of 4 rows × 4 vectors of units in\nregisters across the whole sum over i, units by panels of 4 vectors and rows within a panel, so the panel's weights stay in the\ncache; the rest in <see cref=\"__MultiplyAddStrips\"/>.\n</summary>");
        using (_w.Open($"{KernelAccess} static void __MultiplyAdd512({ReadOnlySpanType} x, int n, int k, {ReadOnlySpanType} w, int m, {SpanType} a)"))
        {
            _w.Line($"ref {_type} rx = {Reference("x")};");
            _w.Line($"ref {_type} rw = {Reference("w")};");
            _w.Line($"ref {_type} ra = {Reference("a")};");
            _w.Line("int j = 0;");
            var step = Int(WideTileVectors * Lanes(512));
            using (_w.Open($"for (; j + {step} <= m; j += {step})"))
            {
                _w.Line("int e = 0;");
                using (_w.Open("for (; e + 4 <= n; e += 4)"))
                {
                    WriteForwardTile(4, WideTileVectors, 512);
                }

                _w.Line($"__MultiplyAddStrips(ref rx, e, n, k, ref rw, m, ref ra, j, j + {step});");
            }

            _w.Line("__MultiplyAddStrips(ref rx, 0, n, k, ref rw, m, ref ra, j, m);");
        }
    }

    /// <summary>The forward strips: a[e, j] += Σ_i x[e, i] w[i, j] for rows [e, n) and units [j0, j1).</summary>
    private void WriteMultiplyAddStrips()
    {
        _w.Doc("<summary>\na[e, j] += Σ_i x[e, i] w[i, j] for the rows from e and the units [j0, j1) that the 4 × 4 tiles of <see cref=\"__MultiplyAdd\"/> leave:\n4 rows at a time, then one, each a 512-bit vector of units at a time, then a 256-bit one, then one unit.\n</summary>");
        using (_w.Open($"{KernelAccess} static void __MultiplyAddStrips(ref {_type} rx, int e, int n, int k, ref {_type} rw, int m, ref {_type} ra, int j0, int j1)"))
        {
            foreach (var rows in new[] { 4, 1 })
            {
                using (_w.Open(rows == 1 ? "for (; e < n; e++)" : "for (; e + 4 <= n; e += 4)"))
                {
                    _w.Line("int j = j0;");
                    foreach (var bits in new[] { 512, 256, 0 })
                    {
                        var count = bits == 0 ? "1" : $"{Wide(bits)}<{_type}>.Count";
                        using (_w.Open(bits == 0 ? "for (; j < j1; j++)" : $"for (; j + {count} <= j1; j += {count})"))
                        {
                            WriteForwardTile(rows, 1, bits);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// One tile of the forward product at rows e.. and units j..: <paramref name="rows"/> × <paramref name="vectors"/> vectors of
    /// <paramref name="bits"/> (one unit when 0) loaded from a, the sum over i added in registers, stored back.
    /// </summary>
    private void WriteForwardTile(int rows, int vectors, int bits)
    {
        var tile = Tile(rows, vectors);
        var type = bits == 0 ? _type : $"{Wide(bits)}<{_type}>";
        for (var r = 0; r < rows; r++)
        {
            _w.Line($"ref {_type} x{r} = ref {UnsafeClass}.Add(ref rx, {RowOffset("e", r, "k")});");
            _w.Line($"nuint a{r} = {Nuint($"{RowOffset("e", r, "m")} + j")};");
        }

        foreach (var (r, c) in tile)
        {
            _w.Line($"{type} c{r}{c} = {Load(bits, "ra", At($"a{r}", c, bits))};");
        }

        using (_w.Open("for (int i = 0; i < k; i++)"))
        {
            _w.Line($"nuint wi = {Nuint("i * m + j")};");
            for (var c = 0; c < vectors; c++)
            {
                _w.Line($"{type} w{c} = {Load(bits, "rw", At("wi", c, bits))};");
            }

            for (var r = 0; r < rows; r++)
            {
                var x = $"{UnsafeClass}.Add(ref x{r}, i)";
                _w.Line($"{type} b{r} = {(bits == 0 ? x : $"{Wide(bits)}.Create({x})")};");
                for (var c = 0; c < vectors; c++)
                {
                    _w.Line($"c{r}{c} = {FusedMultiplyAdd(bits, $"w{c}", $"b{r}", $"c{r}{c}")};");
                }
            }
        }

        foreach (var (r, c) in tile)
        {
            _w.Line(Store(bits, $"c{r}{c}", "ra", At($"a{r}", c, bits)));
        }
    }

    /// <summary>The call of the 512-bit path at the top of <c>__AddOuterProducts</c>.</summary>
    private void WriteWideAddOuterProducts()
    {
        using (_w.Open($"if ({Wide(512)}.IsHardwareAccelerated && x.Length >= n * k && d.Length >= n * m && g.Length >= k * m)"))
        {
            _w.Line("__AddOuterProducts512(x, n, k, d, m, scale, g);");
            _w.Line("return;");
        }

        _w.Line();
    }

    /// <summary>The 512-bit weight-gradient kernel.</summary>
    private void WriteAddOuterProducts512()
    {
        _w.Doc("<summary>\n<see cref=\"__AddOuterProducts\"/> with 512-bit vectors, the lengths checked by it: tiles of 4 inputs × 4 vectors of units\nin registers across the whole sum over the examples, then scaled and added to g once; the rest in\n<see cref=\"__AddOuterProductsStrips\"/>.\n</summary>");
        using (_w.Open($"{KernelAccess} static void __AddOuterProducts512({ReadOnlySpanType} x, int n, int k, {ReadOnlySpanType} d, int m, {_type} scale, {SpanType} g)"))
        {
            _w.Line($"ref {_type} rx = {Reference("x")};");
            _w.Line($"ref {_type} rd = {Reference("d")};");
            _w.Line($"ref {_type} rg = {Reference("g")};");
            _w.Line("int i = 0;");
            var step = Int(WideTileVectors * Lanes(512));
            using (_w.Open("for (; i + 4 <= k; i += 4)"))
            {
                _w.Line("int j = 0;");
                using (_w.Open($"for (; j + {step} <= m; j += {step})"))
                {
                    WriteGradientTile(4, WideTileVectors, 512);
                }

                _w.Line("__AddOuterProductsStrips(ref rx, n, k, i, i + 4, ref rd, m, scale, ref rg, j);");
            }

            _w.Line("__AddOuterProductsStrips(ref rx, n, k, i, k, ref rd, m, scale, ref rg, 0);");
        }
    }

    /// <summary>The weight-gradient strips: g[i, j] += scale · Σ_e x[e, i] d[e, j] for inputs [i, i1) and units from j0.</summary>
    private void WriteAddOuterProductsStrips()
    {
        _w.Doc("<summary>\ng[i, j] += scale · Σ_e x[e, i] d[e, j] for the inputs [i, i1) and the units from j0 that the 4 × 4 tiles of\n<see cref=\"__AddOuterProducts\"/> leave: 4 inputs at a time, then one, each a 512-bit vector of units at a time, then a\n256-bit one, then one unit.\n</summary>");
        using (_w.Open($"{KernelAccess} static void __AddOuterProductsStrips(ref {_type} rx, int n, int k, int i, int i1, ref {_type} rd, int m, {_type} scale, ref {_type} rg, int j0)"))
        {
            foreach (var rows in new[] { 4, 1 })
            {
                using (_w.Open(rows == 1 ? "for (; i < i1; i++)" : "for (; i + 4 <= i1; i += 4)"))
                {
                    _w.Line("int j = j0;");
                    foreach (var bits in new[] { 512, 256, 0 })
                    {
                        var count = bits == 0 ? "1" : $"{Wide(bits)}<{_type}>.Count";
                        using (_w.Open(bits == 0 ? "for (; j < m; j++)" : $"for (; j + {count} <= m; j += {count})"))
                        {
                            WriteGradientTile(rows, 1, bits);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// One tile of the weight gradient at inputs i.. and units j..: <paramref name="rows"/> × <paramref name="vectors"/> vectors of
    /// <paramref name="bits"/> (one unit when 0) summed over the examples in registers, then scaled and added to g.
    /// </summary>
    private void WriteGradientTile(int rows, int vectors, int bits)
    {
        var tile = Tile(rows, vectors);
        var type = bits == 0 ? _type : $"{Wide(bits)}<{_type}>";
        foreach (var (r, c) in tile)
        {
            _w.Line($"{type} c{r}{c} = {(bits == 0 ? Literal(0) : $"{type}.Zero")};");
        }

        using (_w.Open("for (int e = 0; e < n; e++)"))
        {
            _w.Line($"nuint de = {Nuint("e * m + j")};");
            for (var c = 0; c < vectors; c++)
            {
                _w.Line($"{type} d{c} = {Load(bits, "rd", At("de", c, bits))};");
            }

            _w.Line($"ref {_type} xe = ref {UnsafeClass}.Add(ref rx, e * k + i);");
            for (var r = 0; r < rows; r++)
            {
                var x = r == 0 ? "xe" : $"{UnsafeClass}.Add(ref xe, {r})";
                _w.Line($"{type} b{r} = {(bits == 0 ? x : $"{Wide(bits)}.Create({x})")};");
                for (var c = 0; c < vectors; c++)
                {
                    _w.Line($"c{r}{c} = {FusedMultiplyAdd(bits, $"d{c}", $"b{r}", $"c{r}{c}")};");
                }
            }
        }

        if (bits != 0)
        {
            _w.Line($"{type} factor = {Wide(bits)}.Create(scale);");
        }

        for (var r = 0; r < rows; r++)
        {
            _w.Line($"nuint g{r} = {Nuint($"{RowOffset("i", r, "m")} + j")};");
        }

        foreach (var (r, c) in tile)
        {
            var at = At($"g{r}", c, bits);
            _w.Line(bits == 0
                ? $"{UnsafeClass}.Add(ref rg, {at}) += scale * c{r}{c};"
                : Store(bits, FusedMultiplyAdd(bits, $"c{r}{c}", "factor", Load(bits, "rg", at)), "rg", at));
        }
    }

    private static IEnumerable<(int Row, int Column)> Tile(int rows, int vectors) =>
        Enumerable.Range(0, rows).SelectMany(r => Enumerable.Range(0, vectors).Select(c => (r, c)));

    /// <summary>The offset of row <paramref name="row"/> + <paramref name="r"/> of rows <paramref name="width"/> long.</summary>
    private static string RowOffset(string row, int r, string width) => r == 0 ? $"{row} * {width}" : $"({row} + {r}) * {width}";

    private string Load(int bits, string reference, string at) =>
        bits == 0 ? $"{UnsafeClass}.Add(ref {reference}, {at})" : $"{Wide(bits)}.LoadUnsafe(ref {reference}, {at})";

    private string Store(int bits, string value, string reference, string at) =>
        bits == 0 ? $"{UnsafeClass}.Add(ref {reference}, {at}) = {value};" : $"{Wide(bits)}.StoreUnsafe({value}, ref {reference}, {at});";

    private string FusedMultiplyAdd(int bits, string a, string b, string c) =>
        bits == 0 ? $"{a} * {b} + {c}" : $"{Wide(bits)}.FusedMultiplyAdd({a}, {b}, {c})";
}
