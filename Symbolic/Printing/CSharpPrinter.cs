using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace BackpropGen.Symbolic.Printing;

/// <summary>Options of the C# printer.</summary>
public sealed class CSharpPrinterOptions
{
    /// <summary><c>double</c> with <c>Math</c>, or <c>float</c> with <c>MathF</c> and <c>f</c> literals.</summary>
    public NumericType Precision { get; set; } = NumericType.Double;

    /// <summary>Writes <c>global::System.Math</c> instead of <c>Math</c>, as generated code does.</summary>
    public bool QualifyNames { get; set; }

    /// <summary>
    /// A method <c>T name(T x) => x * x</c> the code around provides; when set, squares of anything but a symbol are
    /// printed as calls to it instead of <c>Math.Pow</c>, so the base is computed once.
    /// </summary>
    public string? SquareFunction { get; set; }

    /// <summary>The C# identifier of a symbol; by default its name, superscript and indices joined by '_' (<c>w_1_2</c>).</summary>
    public Func<Symbol, string>? SymbolName { get; set; }

    /// <summary>
    /// The static class of a SIMD vector type (<c>global::System.Runtime.Intrinsics.Vector256</c>), or null for scalars. With it
    /// every value is a vector, one example per lane: numbers are broadcast with its <c>Create</c>, log, sqrt, abs, max and
    /// min are its methods, and exp and the functions it lacks are methods the code around provides (<see cref="LaneHelper"/>).
    /// </summary>
    public string? Lanes { get; set; }

    /// <summary>
    /// In lanes, the name of the method that computes a function (<c>exp</c>, <c>tanh</c>, <c>sin</c>, <c>cos</c>, <c>pow</c>)
    /// on a vector, from the function's name; the printer records the names it used in <see cref="CSharpPrinter.UsedLaneHelpers"/>.
    /// </summary>
    public Func<string, string>? LaneHelper { get; set; }

    /// <summary>In lanes, log is a <see cref="LaneHelper"/> method too (an inlined logarithm) rather than the vector class's <c>Log</c>.</summary>
    public bool LogByLaneHelper { get; set; }
}

/// <summary>
/// A C# expression: invariant-culture literals (<c>0.5</c>, <c>0.5f</c>), <c>Math</c>/<c>MathF</c> calls,
/// the overflow-free sigmoid <c>1.0 / (1.0 + Math.Exp(-x))</c> (it saturates to 0 or 1 and never divides
/// infinities), the stable softplus <c>max(x, 0) + log(1 + e^-|x|)</c>, and <c>x * x</c> for squares.
/// Indexed sums with integer bounds are expanded; without bounds they cannot be printed.
/// </summary>
public sealed class CSharpPrinter : Printer
{
    public static readonly CSharpPrinter Double = new(new CSharpPrinterOptions());
    public static readonly CSharpPrinter Single = new(new CSharpPrinterOptions { Precision = NumericType.Single });

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue",
        "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally",
        "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface", "internal", "is", "lock",
        "long", "namespace", "new", "null", "object", "operator", "out", "override", "params", "private", "protected",
        "public", "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc", "static", "string",
        "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort",
        "using", "virtual", "void", "volatile", "while",
    };

    /// <summary>Functions that are one <c>Math</c>/<c>MathF</c> method; the others have inline forms in <see cref="PrintCall"/>.</summary>
    private static readonly IReadOnlyDictionary<string, string> KnownFunctions = new Dictionary<string, string>
    {
        ["exp"] = "Exp",
        ["log"] = "Log",
        ["sqrt"] = "Sqrt",
        ["abs"] = "Abs",
        ["sin"] = "Sin",
        ["cos"] = "Cos",
        ["tanh"] = "Tanh",
        ["max"] = "Max",
        ["min"] = "Min",
    };

    /// <summary>Functions that are one method of the vector class in lanes; the others are lane helpers or inline forms.</summary>
    private static readonly HashSet<string> LaneMethods = new(StringComparer.Ordinal) { "log", "sqrt", "abs", "max", "min" };

    /// <summary>Functions whose inline form in <see cref="PrintCall"/> writes their argument twice.</summary>
    private static readonly HashSet<string> ArgumentWrittenTwice = new(StringComparer.Ordinal) { "softplus", "sign" };

    private readonly CSharpPrinterOptions _options;
    private readonly bool _single;
    private readonly string _math;
    private readonly string? _lanes;
    private readonly SortedSet<string> _usedLaneHelpers = new(StringComparer.Ordinal);

    public CSharpPrinter(CSharpPrinterOptions options)
    {
        _options = options;
        _single = options.Precision == NumericType.Single;
        _math = (options.QualifyNames ? "global::System." : "") + (_single ? "MathF" : "Math");
        _lanes = options.Lanes;
    }

    /// <summary>In lanes, the functions (by name) printed as calls of <see cref="CSharpPrinterOptions.LaneHelper"/> methods so far.</summary>
    public IReadOnlyCollection<string> UsedLaneHelpers => _usedLaneHelpers;

    /// <summary>
    /// How many nodes the printed C# writes out: the tree's size, with the argument of softplus and sign counted twice
    /// (their inline forms repeat it, so n nested calls print 2ⁿ copies) and the body of a sum with integer bounds
    /// once per term. Computed without printing and saturating at <see cref="long.MaxValue"/>, so a caller can refuse
    /// an expression whose text would be too long before printing it.
    /// </summary>
    public static long WrittenSize(Expr e)
    {
        long children = 0;
        foreach (var child in e.Children)
        {
            children = SaturatingAdd(children, WrittenSize(child));
        }

        var copies = e switch
        {
            Call call when ArgumentWrittenTwice.Contains(call.Function.Name) => 2,
            IndexedSum { Lower: Number { Value: { IsInteger: true } lower }, Upper: Number { Value: { IsInteger: true } upper } } =>
                (long)System.Numerics.BigInteger.Max(System.Numerics.BigInteger.Min(upper.Numerator - lower.Numerator + 1, long.MaxValue), 1),
            _ => 1,
        };
        return SaturatingAdd(1, children > long.MaxValue / copies ? long.MaxValue : children * copies);

        static long SaturatingAdd(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;
    }

    /// <summary>True once this printer has written a call of <see cref="CSharpPrinterOptions.SquareFunction"/>, so a caller declares it only where used.</summary>
    public bool UsesSquareFunction { get; private set; }

    /// <summary>The C# type name of the precision: <c>double</c> or <c>float</c>.</summary>
    public string TypeName => _single ? "float" : "double";

    /// <summary>An invariant-culture literal of the precision: <c>2.0</c>, <c>0.5</c>, <c>0.5f</c>.</summary>
    public string Literal(double value)
    {
        var typeName = _single ? "float" : "double";
        if (_single ? Math.Abs(value) > float.MaxValue : double.IsInfinity(value))
        {
            return (value > 0 ? typeName + ".PositiveInfinity" : typeName + ".NegativeInfinity");
        }

        if (_single)
        {
            return ((float)value).ToString("R", CultureInfo.InvariantCulture) + "f";
        }

        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.IndexOfAny(new[] { '.', 'E', 'e' }) >= 0 ? text : text + ".0";
    }

    /// <summary>A number as a value of the printed code: the literal, or in lanes the literal broadcast to every lane.</summary>
    private string Constant(double value) => _lanes is null ? Literal(value) : _lanes + ".Create(" + Literal(value) + ")";

    /// <summary>Function <paramref name="name"/> of <paramref name="arguments"/> in lanes, by the code around's helper method.</summary>
    private string LaneHelperCall(string name, params string[] arguments)
    {
        var helper = _options.LaneHelper ?? throw new InvalidOperationException($"printing {name} in lanes needs {nameof(CSharpPrinterOptions.LaneHelper)}");
        _usedLaneHelpers.Add(name);
        return helper(name) + "(" + string.Join(", ", arguments) + ")";
    }

    /// <summary>
    /// The value of a constant sub-tree other than a number (2 log 2, √2), in the printer's precision, when it is
    /// finite there; null otherwise. Folding it once here saves evaluating it on every call of the generated code.
    /// </summary>
    private double? FoldedValue(Expr e)
    {
        if (e is Number || !e.IsConstant)
        {
            return null;
        }

        var value = e.Evaluate(_ => double.NaN);
        var finite = _single ? !float.IsNaN((float)value) && !float.IsInfinity((float)value) : !double.IsNaN(value) && !double.IsInfinity(value);
        return finite ? value : null;
    }

    protected override string? PrintFolded(Expr e) => FoldedValue(e) is { } value ? Constant(value) : null;

    protected override int PrecedenceOf(Expr e) => FoldedValue(e) is { } folded ? (folded < 0 ? Precedence.Add : Precedence.Atom) : e switch
    {
        // A folded coefficient may carry the sign a rational one did not (x · log(1/2) prints as -0.69… * x).
        Product or Power { Exponent: Number { Value.IsNegative: true } } when FoldCoefficient(Split(e)) is { } product =>
            product.Negative ? Precedence.Add : Precedence.Mul,
        Power { Exponent: Number { Value: var n } } power when IsSquareOrCube(power.Base, n) => Precedence.Mul,
        Power power when IsSquareCall(power) => Precedence.Atom,
        // Printed as the quotient 1 / (1 + e^-x), so it binds like a product: 3 / sigmoid(y) needs parentheses.
        Call { Function.Name: "sigmoid" } => Precedence.Mul,
        _ => base.PrecedenceOf(e),
    };

    private bool IsSquareCall(Power power) =>
        _options.SquareFunction is not null && power.Base is not Symbol && power.Exponent is Number { Value: var n } && n == 2;

    private static bool IsSquareOrCube(Expr @base, Rational n) => @base is Symbol && (n == 2 || n == 3);

    protected override string PrintNumber(Rational value) => Constant(value.ToDouble());

    protected override string PrintSymbol(Symbol symbol)
    {
        if (_options.SymbolName is { } name)
        {
            return name(symbol);
        }

        var text = new StringBuilder(Sanitize(symbol.Name));
        if (symbol.Superscript is not null)
        {
            text.Append(Sanitize(symbol.Superscript).Trim('_'));
        }

        foreach (var index in symbol.Indices)
        {
            text.Append('_').Append(index.ToString());
        }

        var identifier = text.ToString();
        return Keywords.Contains(identifier) ? "@" + identifier : identifier;
    }

    private static string Sanitize(string text)
    {
        var clean = new string(text.Select(c => char.IsLetterOrDigit(c) && c < 128 ? c : '_').ToArray());
        return clean.Length > 0 && char.IsDigit(clean[0]) ? "_" + clean : clean;
    }

    /// <summary>
    /// The coefficient times the constant factors of the numerator (2 · log 2 · x has the coefficient 1.386…), when
    /// there is such a factor and the value is finite and not 0: the sign of the product, the magnitude, and the
    /// factors left. Constant factors of the denominator stay divisions, each folded to its literal.
    /// </summary>
    private (bool Negative, double Magnitude, IReadOnlyList<Expr> Numerator)? FoldCoefficient(ProductParts parts)
    {
        var constants = parts.Numerator.Where(f => f.IsConstant).ToList();
        if (constants.Count == 0)
        {
            return null;
        }

        var value = parts.Coefficient.ToDouble();
        foreach (var constant in constants)
        {
            if (FoldedValue(constant) is not { } factor)
            {
                return null;
            }

            value *= factor;
        }

        var finite = _single ? !float.IsInfinity((float)value) && (float)value != 0 : !double.IsInfinity(value) && value != 0;
        return finite ? (parts.Negative ^ value < 0, Math.Abs(value), parts.Numerator.Where(f => !f.IsConstant).ToList()) : null;
    }

    protected override string PrintProduct(ProductParts parts)
    {
        var folded = FoldCoefficient(parts);
        if (folded is { } fold)
        {
            parts = new ProductParts(fold.Negative, Rational.One, fold.Numerator, parts.Denominator);
        }

        var numerator = parts.Numerator.Select(f => Parenthesize(f, Precedence.Mul)).ToList();
        if (folded is { } coefficient)
        {
            numerator.Insert(0, Constant(coefficient.Magnitude));
        }
        else if (!parts.Coefficient.IsOne || numerator.Count == 0)
        {
            numerator.Insert(0, Constant(parts.Coefficient.ToDouble()));
        }

        var text = string.Join(" * ", numerator);
        if (parts.Denominator.Count == 1)
        {
            text += " / " + Parenthesize(parts.Denominator[0], Precedence.Mul, strict: true);
        }
        else if (parts.Denominator.Count > 1)
        {
            text += " / (" + string.Join(" * ", parts.Denominator.Select(f => Parenthesize(f, Precedence.Mul))) + ")";
        }

        return (parts.Negative ? "-" : "") + text;
    }

    protected override string PrintPower(Power power)
    {
        if (power.Exponent is Number { Value: var n })
        {
            if (IsSquareOrCube(power.Base, n))
            {
                var symbol = Print(power.Base);
                return n == 2 ? symbol + " * " + symbol : symbol + " * " + symbol + " * " + symbol;
            }

            if (IsSquareCall(power))
            {
                UsesSquareFunction = true;
                return _options.SquareFunction + "(" + Print(power.Base) + ")";
            }

            if (n == new Rational(1, 2))
            {
                return (_lanes ?? _math) + ".Sqrt(" + Print(power.Base) + ")";
            }
        }

        return _lanes is null
            ? _math + ".Pow(" + Print(power.Base) + ", " + Print(power.Exponent) + ")"
            : LaneHelperCall("pow", Print(power.Base), Print(power.Exponent));
    }

    protected override string PrintCall(Call call)
    {
        if (_lanes is not null)
        {
            return PrintLaneCall(call, _lanes);
        }

        var zero = Literal(0);
        var one = Literal(1);
        if (call.Function.Name == "sigmoid")
        {
            // The argument is printed once, negated: printing it twice would double the work at every nested sigmoid.
            return one + " / (" + one + " + " + _math + ".Exp(" + Negated(call.Arguments[0]) + "))";
        }

        var a = call.Arguments.Select(Print).ToArray();
        return call.Function.Name switch
        {
            "relu" => _math + ".Max(" + zero + ", " + a[0] + ")",
            "softplus" => "(" + _math + ".Max(" + a[0] + ", " + zero + ") + " + _math + ".Log(" + one + " + " + _math + ".Exp(-" + _math + ".Abs(" + PrintUpToSign(call.Arguments[0]) + "))))",
            "step" => "(" + a[0] + " > " + zero + " ? " + one + " : " + zero + ")",
            "sign" => "(" + a[0] + " > " + zero + " ? " + one + " : " + a[0] + " < " + zero + " ? -" + one + " : " + zero + ")",
            var name => _math + "." + KnownFunctions[name] + "(" + string.Join(", ", a) + ")",
        };
    }

    /// <summary>
    /// A call in lanes: the scalar forms with the vector class's methods (<c>Max</c>, <c>Log</c>, comparisons and
    /// <c>ConditionalSelect</c> for step and sign) and the helpers for exp, tanh, sin, cos.
    /// </summary>
    private string PrintLaneCall(Call call, string lanes)
    {
        var zero = Constant(0);
        var one = Constant(1);
        var name = call.Function.Name;
        if (name == "sigmoid")
        {
            return one + " / (" + one + " + " + LaneHelperCall("exp", Negated(call.Arguments[0])) + ")";
        }

        var a = call.Arguments.Select(Print).ToArray();
        return name switch
        {
            "relu" => lanes + ".Max(" + zero + ", " + a[0] + ")",
            "softplus" => "(" + lanes + ".Max(" + a[0] + ", " + zero + ") + " + LaneLog(lanes, one + " + " + LaneHelperCall("exp", "-" + lanes + ".Abs(" + PrintUpToSign(call.Arguments[0]) + ")")) + ")",
            "log" => LaneLog(lanes, a[0]),
            "step" => lanes + ".ConditionalSelect(" + lanes + ".GreaterThan(" + a[0] + ", " + zero + "), " + one + ", " + zero + ")",
            "sign" => lanes + ".ConditionalSelect(" + lanes + ".GreaterThan(" + a[0] + ", " + zero + "), " + one + ", " + lanes + ".ConditionalSelect(" + lanes + ".LessThan(" + a[0] + ", " + zero + "), -" + one + ", " + zero + "))",
            _ when LaneMethods.Contains(name) => lanes + "." + KnownFunctions[name] + "(" + string.Join(", ", a) + ")",
            _ => LaneHelperCall(name, a),
        };
    }

    /// <summary>log of <paramref name="argument"/> in lanes: the vector class's method, or the lane helper's.</summary>
    private string LaneLog(string lanes, string argument) =>
        _options.LogByLaneHelper ? LaneHelperCall("log", argument) : lanes + ".Log(" + argument + ")";

    /// <summary>
    /// In lanes, a sum with products of two values among its terms (x w + b) as nested <c>FusedMultiplyAdd</c> calls, one
    /// rounding per product instead of two; otherwise as the base prints it.
    /// </summary>
    protected override string PrintSum(Sum sum)
    {
        if (_lanes is null)
        {
            return base.PrintSum(sum);
        }

        static bool IsPairProduct(Expr e) => e is Product { Factors.Count: 2 } p && !IsNegativeTerm(p) && p.Factors.All(f => !f.IsConstant);

        // A sum of sums (the expanded Σᵢ xᵢ wᵢⱼ plus the bias) is one chain: every product fused, the bias its start.
        var terms = sum.Terms.SelectMany(t => t is Sum inner ? inner.Terms : new[] { t }).ToList();
        var products = terms.Where(IsPairProduct).Cast<Product>().ToList();
        if (products.Count == 0)
        {
            return base.PrintSum(sum);
        }

        var rest = terms.Where(t => !IsPairProduct(t)).ToList();
        var text = rest.Count switch
        {
            0 => Print(products[products.Count - 1]),
            1 => Print(rest[0]),
            _ => base.PrintSum(new Sum(rest)),
        };
        foreach (var product in rest.Count == 0 ? products.Take(products.Count - 1).Reverse() : Enumerable.Reverse(products))
        {
            text = _lanes + ".FusedMultiplyAdd(" + Print(product.Factors[0]) + ", " + Print(product.Factors[1]) + ", " + text + ")";
        }

        return text;
    }

    /// <summary>u or −u, whichever has the canonical sign: all |u| needs, so |t − y| and |y − t| print alike.</summary>
    private string PrintUpToSign(Expr e) => Print(CanonicalSign.Positive(e, out _));

    /// <summary>−a as C#, parenthesized where a bare minus would change the meaning (or make a <c>--</c> token).</summary>
    private string Negated(Expr e) => "-" + Parenthesize(e, Precedence.Add, strict: true);

    protected override string PrintIndexedSum(IndexedSum sum)
    {
        if (sum.Lower is not Number { Value: { IsInteger: true } lower } || sum.Upper is not Number { Value: { IsInteger: true } upper })
        {
            throw new NotSupportedException($"C# cannot show the sum over {sum.Index} without integer bounds; give it bounds or expand it first");
        }

        var terms = new List<Expr>();
        for (var k = (int)lower.Numerator; k <= (int)upper.Numerator; k++)
        {
            terms.Add(sum.Body.SubstituteIndex(sum.Index, k));
        }

        return terms.Count == 0 ? Constant(0) : Wrap(Print(new Sum(terms)));
    }

    protected override string PrintDelta(KroneckerDelta delta)
    {
        var text = "(" + IndexIdentifier(delta.First) + " == " + IndexIdentifier(delta.Second) + " ? " + Literal(1) + " : " + Literal(0) + ")";
        return _lanes is null ? text : _lanes + ".Create" + text;
    }

    private static string IndexIdentifier(Subscript index) => index.IsConcrete ? index.Value.ToString(CultureInfo.InvariantCulture) : Sanitize(index.Name!);
}
