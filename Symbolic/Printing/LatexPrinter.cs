using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace BackpropGen.Symbolic.Printing;

/// <summary>
/// LaTeX math-mode text in the style of lecture notes: juxtaposed products (<c>y_{j} \left(1 - y_{j}\right)</c>),
/// <c>\frac</c> for quotients, <c>e^{x}</c>, <c>\sigma</c>, <c>\sum_{k}</c>, <c>\delta_{ij}</c>, Greek names as
/// commands, and indices concatenated when each is one character (<c>w_{ij}</c>, <c>w_{11}</c>).
/// </summary>
public class LatexPrinter : Printer
{
    public static readonly LatexPrinter Default = new();

    /// <summary>Prints sums over an index as <c>\sum_{k}</c>, without their bounds, as lecture notes do.</summary>
    public static readonly LatexPrinter WithoutSumBounds = new(showSumBounds: false);

    private readonly bool _showSumBounds;

    /// <summary>True for the printer of a matrix's entries, whose products are Hadamard products (<c>A * \left(1 - A\right)</c>).</summary>
    private readonly bool _hadamard;

    public LatexPrinter(bool showSumBounds = true) : this(showSumBounds, hadamard: false)
    {
    }

    private LatexPrinter(bool showSumBounds, bool hadamard)
    {
        _showSumBounds = showSumBounds;
        _hadamard = hadamard;
    }

    private LatexPrinter? _entrywise;

    protected override Printer EntrywisePrinter => _hadamard ? this : _entrywise ??= new LatexPrinter(_showSumBounds, hadamard: true);

    /// <summary>W^{[2]T}: the transpose joins the matrix's superscript.</summary>
    protected override string PrintTransposed(Symbol matrix) => PrintSymbol(WithSuperscript(matrix, "T"));

    protected override string PrintTransposeMark() => "^{T}";

    /// <summary><c>\mathbf{u}</c>, <c>\mathbf{b}^{(1)}</c>, <c>\boldsymbol{\theta}</c>: the notes' vectors and matrices.</summary>
    protected override string PrintBold(Symbol matrix)
    {
        var plain = PrintSymbol(new Symbol(matrix.Name));
        var superscript = matrix.Superscript is null ? "" : "^{" + matrix.Superscript + "}";
        return (Greek.Contains(matrix.Name) ? @"\boldsymbol{" : @"\mathbf{") + plain + "}" + superscript;
    }

    /// <summary><c>\nabla_{\mathbf{u}} L\left(\mathbf{u}\right)</c>.</summary>
    protected override string PrintGradient(string variable, string function) => @"\nabla_{" + variable + "} " + function;

    /// <summary>\mathrm{dZ}^{[1](i)}: the example's number joins the superscript, as the course writes it.</summary>
    protected override string PrintExample(Symbol matrix) => PrintSymbol(WithSuperscript(matrix, "(i)"));

    protected override string PrintExampleSum(string column) => @"\sum_{i=1}^{m} " + column;

    private static Symbol WithSuperscript(Symbol matrix, string more) => new(matrix.Name, matrix.Superscript + more, matrix.Indices, matrix.Tag);

    /// <summary>How each function is named; exp, sqrt and abs have forms of their own.</summary>
    protected static readonly IReadOnlyDictionary<string, string> KnownFunctions = new Dictionary<string, string>
    {
        ["log"] = @"\log",
        ["sin"] = @"\sin",
        ["cos"] = @"\cos",
        ["tanh"] = @"\tanh",
        ["sigmoid"] = @"\sigma",
        ["relu"] = @"\operatorname{ReLU}",
        ["softplus"] = @"\operatorname{softplus}",
        ["step"] = @"\operatorname{step}",
        ["sign"] = @"\operatorname{sign}",
        ["max"] = @"\max",
        ["min"] = @"\min",
    };

    private static readonly HashSet<string> Greek = new()
    {
        "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota", "kappa",
        "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega",
        "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega",
    };

    /// <summary>
    /// A group in parentheses, or in square brackets when it holds a group in parentheses itself and in braces when it
    /// holds one in brackets, as lecture notes write [(y₁ − t₁) y₁ (1 − y₁) u₁₁ + …] h₁ (1 − h₁) x₁.
    /// </summary>
    protected override string Wrap(string text) =>
        text.Contains(@"\left[") || text.Contains(@"\left\{") ? @"\left\{" + text + @"\right\}"
        : GroupingParenthesis.IsMatch(text) ? @"\left[" + text + @"\right]"
        : @"\left(" + text + @"\right)";

    /// <summary>An opening parenthesis of a group: one not right after a function's name or its power (\log\left(, \tanh^{2}\left().</summary>
    private static readonly System.Text.RegularExpressions.Regex GroupingParenthesis =
        new(@"(?<![A-Za-z}])\\left\(", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>A function's arguments, always in parentheses.</summary>
    private static string Arguments(string text) => @"\left(" + text + @"\right)";

    protected override string PrintNumber(Rational value)
    {
        var sign = value.IsNegative ? "-" : "";
        var magnitude = value.IsNegative ? -value : value;
        return magnitude.IsInteger
            ? sign + magnitude.Numerator.ToString(CultureInfo.InvariantCulture)
            : sign + @"\frac{" + magnitude.Numerator.ToString(CultureInfo.InvariantCulture) + "}{" + magnitude.Denominator.ToString(CultureInfo.InvariantCulture) + "}";
    }

    protected override string PrintSymbol(Symbol symbol)
    {
        var name = symbol.Name;
        var subscripts = symbol.Indices.Select(i => i.ToString()).ToList();
        var underscore = name.IndexOf('_');
        if (underscore > 0 && underscore < name.Length - 1)
        {
            subscripts.Insert(0, name.Substring(underscore + 1));
            name = name.Substring(0, underscore);
        }

        var text = new StringBuilder(Name(name));
        if (symbol.Superscript is not null)
        {
            text.Append("^{").Append(symbol.Superscript).Append('}');
        }

        if (subscripts.Count > 0)
        {
            text.Append("_{").Append(JoinIndices(subscripts)).Append('}');
        }

        return text.ToString();
    }

    /// <summary><c>ij</c> when every index is one character, <c>1,12</c> otherwise.</summary>
    protected static string JoinIndices(IReadOnlyList<string> indices) =>
        indices.All(i => i.Length == 1) ? string.Concat(indices) : string.Join(",", indices.Select(Escape));

    private static string Name(string name) =>
        name.Length > 3 && name.EndsWith("hat", System.StringComparison.Ordinal) ? @"\hat{" + Name(name.Substring(0, name.Length - 3)) + "}"
        : Greek.Contains(name) ? "\\" + name
        : name.Length == 1 ? Escape(name)
        : @"\mathrm{" + Escape(name) + "}";

    private static string Escape(string text)
    {
        var escaped = new StringBuilder();
        foreach (var c in text)
        {
            escaped.Append(c switch
            {
                '_' => @"\_",
                '#' or '$' or '%' or '&' or '{' or '}' => "\\" + c,
                '\\' => @"\backslash{}",
                '^' => @"\hat{}",
                '~' => @"\sim{}",
                _ => c.ToString(),
            });
        }

        return escaped.ToString();
    }

    protected override string PrintProduct(ProductParts parts)
    {
        var sign = parts.Negative ? "-" : "";
        var c = parts.Coefficient;
        if (parts.Denominator.Count == 0)
        {
            var factors = Factors(parts.Numerator);
            if (!c.IsOne || factors.Count == 0)
            {
                factors.Insert(0, PrintNumber(c));
            }

            return sign + (_hadamard ? string.Join(" * ", factors) : Juxtapose(factors));
        }

        return sign + @"\frac{" + FractionPart(c.Numerator, parts.Numerator) + "}{" + FractionPart(c.Denominator, parts.Denominator) + "}";
    }

    /// <summary>The numerator or denominator of a <c>\frac</c>: a lone factor needs no parentheses there.</summary>
    private string FractionPart(System.Numerics.BigInteger coefficient, IReadOnlyList<Expr> factors)
    {
        if (coefficient.IsOne && factors.Count == 1)
        {
            return Print(factors[0]);
        }

        var printed = Factors(factors);
        if (!coefficient.IsOne || printed.Count == 0)
        {
            printed.Insert(0, coefficient.ToString(CultureInfo.InvariantCulture));
        }

        return Juxtapose(printed);
    }

    /// <summary>
    /// Each factor printed for juxtaposition; a Σ that is not last is wrapped so it does not swallow what follows, and a
    /// function keeps its argument's parentheses unless it is last or another operator follows it (\log\left(S\right) t,
    /// not \log S t; but \cos x \sin x).
    /// </summary>
    private List<string> Factors(IReadOnlyList<Expr> factors) =>
        factors.Select((f, i) =>
        {
            var bare = i == factors.Count - 1 || IsOperator(factors[i + 1]);
            return f is IndexedSum && i < factors.Count - 1 ? Wrap(Print(f))
                : f is Call call ? PrintCall(call, bare)
                : f is Power { Base: Call, Exponent: Number { Value.IsNegative: false } } power ? PrintPower(power, bare)
                : Parenthesize(f, Precedence.Mul);
        }).ToList();

    /// <summary>True for a function written as an operator, or its power: \log x, \tanh^{2} x.</summary>
    private static bool IsOperator(Expr e) =>
        e is Call { Function.Name: var name } && Operators.Contains(name)
        || e is Power { Base: Call { Function.Name: var power }, Exponent: Number { Value.IsNegative: false } } && Operators.Contains(power);

    /// <summary>Functions written as operators before a lone symbol, without parentheses: \log S, \tanh x.</summary>
    private static readonly HashSet<string> Operators = new(System.StringComparer.Ordinal) { "log", "sin", "cos", "tanh" };

    /// <summary>A function's argument: a lone symbol after an operator's name (\log S) when <paramref name="bare"/>, else in parentheses.</summary>
    private string Argument(Call call, bool bare) =>
        bare && Operators.Contains(call.Function.Name) && call.Arguments is [Symbol symbol] ? " " + Print(symbol)
        : Arguments(string.Join(", ", call.Arguments.Select(Print)));

    /// <summary>
    /// Factors side by side, with <c>\cdot</c> where two would run together: a number after a symbol or a number
    /// (2 \cdot 3^{x}, h_{j} \cdot 2) and a negative factor. After a closing parenthesis a number stands apart, as in
    /// σ′(z) 2(a − y).
    /// </summary>
    private static string Juxtapose(IReadOnlyList<string> factors)
    {
        var text = new StringBuilder();
        for (var i = 0; i < factors.Count; i++)
        {
            if (i > 0)
            {
                var runsTogether = factors[i][0] == '-' || (char.IsDigit(factors[i][0]) && !ClosesGroup(factors[i - 1]));
                text.Append(runsTogether ? @" \cdot " : " ");
            }

            text.Append(factors[i]);
        }

        return text.ToString();
    }

    /// <summary>True for printed text that ends with a group's closing bracket, <c>\right)</c>, <c>\right]</c>, <c>\right\}</c>.</summary>
    private static bool ClosesGroup(string text) =>
        text.EndsWith(@"\right)", System.StringComparison.Ordinal) || text.EndsWith(@"\right]", System.StringComparison.Ordinal)
        || text.EndsWith(@"\right\}", System.StringComparison.Ordinal);

    protected override string PrintPower(Power power) => PrintPower(power, bare: true);

    private string PrintPower(Power power, bool bare)
    {
        if (power.Exponent is Number { Value: var e } && e == new Rational(1, 2))
        {
            return @"\sqrt{" + Print(power.Base) + "}";
        }

        var exponent = Print(power.Exponent);
        if (power.Base is Call { Function.Name: var name } call && KnownFunctions.TryGetValue(name, out var command))
        {
            return command + "^{" + exponent + "}" + Argument(call, bare);
        }

        // A base that carries its own superscript (a^{(2)}, e^{x}) or binds loosely is wrapped.
        var wrap = power.Base is Symbol { Superscript: not null } or Call { Function.Name: "exp" } or Power
            || PrecedenceOf(power.Base) <= Precedence.Pow;
        var @base = wrap ? Wrap(Print(power.Base)) : Print(power.Base);
        return @base + "^{" + exponent + "}";
    }

    protected override string PrintCall(Call call) => PrintCall(call, bare: true);

    private string PrintCall(Call call, bool bare)
    {
        var args = call.Arguments;
        return call.Function.Name switch
        {
            "exp" => "e^{" + Print(args[0]) + "}",
            "sqrt" => @"\sqrt{" + Print(args[0]) + "}",
            "abs" => @"\left|" + Print(args[0]) + @"\right|",
            var name => (KnownFunctions.TryGetValue(name, out var command) ? command : @"\operatorname{" + name + "}") + Argument(call, bare),
        };
    }

    protected override string PrintIndexedSum(IndexedSum sum)
    {
        var head = !_showSumBounds || sum.Lower is null || sum.Upper is null
            ? @"\sum_{" + sum.Index + "}"
            : @"\sum_{" + sum.Index + "=" + Print(sum.Lower) + "}^{" + Print(sum.Upper) + "}";
        return head + " " + Parenthesize(sum.Body, Precedence.Mul);
    }

    /// <summary><c>\frac{d}{dx} \left(u\right)</c>, <c>\frac{dx}{dx}</c> for a symbol, ∂ for partial derivatives.</summary>
    protected override string PrintDerivative(UnevaluatedDerivative derivative)
    {
        var d = derivative.Partial ? @"\partial " : "d";
        var variable = d + Print(derivative.Variable);
        return derivative.Body is Symbol
            ? @"\frac{" + d + Print(derivative.Body) + "}{" + variable + "}"
            : @"\frac{" + d.TrimEnd() + "}{" + variable + "} " + Wrap(Print(derivative.Body));
    }

    /// <summary>
    /// The indicator <c>\mathbf{1}[i = j]</c>: networks call the derivative of the loss by a weighted input δ, so the
    /// Kronecker delta is written as the indicator of its indices' equality.
    /// </summary>
    protected override string PrintDelta(KroneckerDelta delta) =>
        @"\mathbf{1}[" + delta.First + " = " + delta.Second + "]";
}
