using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace BackpropGen.Symbolic.Printing;

/// <summary>
/// One line of Unicode mathematics, for the comments of generated code: <c>δ₁⁽²⁾ = (y₁ − t₁) y₁ (1 − y₁)</c>. Products
/// are juxtaposed as in the LaTeX printer, indices and layer tags become sub- and superscript characters where
/// Unicode has them (and <c>_</c>/<c>^</c> text where it does not), Greek names become letters.
/// </summary>
public sealed class UnicodePrinter : Printer
{
    public static readonly UnicodePrinter Default = new();

    /// <summary>The printer of a matrix's entries, whose products are Hadamard products.</summary>
    private static readonly UnicodePrinter Hadamard = new(hadamard: true);

    private readonly bool _hadamard;

    private UnicodePrinter(bool hadamard = false) => _hadamard = hadamard;

    protected override Printer EntrywisePrinter => Hadamard;

    protected override string HadamardSign => "∗";

    private const string Digits = "0123456789+-()";
    private const string SubscriptDigits = "₀₁₂₃₄₅₆₇₈₉₊₋₍₎";
    private const string SuperscriptDigits = "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁽⁾";

    private static readonly IReadOnlyDictionary<char, char> SubscriptLetters = new Dictionary<char, char>
    {
        ['a'] = 'ₐ', ['e'] = 'ₑ', ['h'] = 'ₕ', ['i'] = 'ᵢ', ['j'] = 'ⱼ', ['k'] = 'ₖ', ['l'] = 'ₗ', ['m'] = 'ₘ',
        ['n'] = 'ₙ', ['o'] = 'ₒ', ['p'] = 'ₚ', ['r'] = 'ᵣ', ['s'] = 'ₛ', ['t'] = 'ₜ', ['u'] = 'ᵤ', ['v'] = 'ᵥ', ['x'] = 'ₓ',
    };

    private static readonly IReadOnlyDictionary<char, char> SuperscriptLetters = new Dictionary<char, char>
    {
        ['L'] = 'ᴸ', ['l'] = 'ˡ', ['i'] = 'ⁱ', ['n'] = 'ⁿ', ['T'] = 'ᵀ',
    };

    private static readonly IReadOnlyDictionary<string, string> Greek = new Dictionary<string, string>
    {
        ["alpha"] = "α", ["beta"] = "β", ["gamma"] = "γ", ["delta"] = "δ", ["epsilon"] = "ε", ["eta"] = "η",
        ["theta"] = "θ", ["lambda"] = "λ", ["mu"] = "μ", ["rho"] = "ρ", ["sigma"] = "σ", ["tau"] = "τ", ["phi"] = "φ",
        ["Delta"] = "Δ", ["Sigma"] = "Σ",
    };

    private static readonly IReadOnlyDictionary<string, string> KnownFunctions = new Dictionary<string, string>
    {
        ["sigmoid"] = "σ",
        ["relu"] = "ReLU",
    };

    protected override string Minus => "−";

    /// <summary><c>x₁₂</c>, or <c>x_12,3</c> where a character has no subscript form.</summary>
    public static string Subscript(string text) => Script(text, SubscriptDigits, SubscriptLetters) ?? "_" + text;

    /// <summary><c>⁽²⁾</c>, or <c>^[2]</c> where a character has no superscript form.</summary>
    public static string Superscript(string text) => Script(text, SuperscriptDigits, SuperscriptLetters) ?? "^" + text;

    private static string? Script(string text, string digits, IReadOnlyDictionary<char, char> letters)
    {
        var result = new StringBuilder();
        foreach (var c in text)
        {
            var at = Digits.IndexOf(c);
            if (at >= 0)
            {
                result.Append(digits[at]);
            }
            else if (letters.TryGetValue(c, out var letter))
            {
                result.Append(letter);
            }
            else
            {
                return null;
            }
        }

        return result.ToString();
    }

    protected override string PrintNumber(Rational value)
    {
        var sign = value.IsNegative ? Minus : "";
        var magnitude = value.IsNegative ? -value : value;
        return sign + (magnitude.IsInteger
            ? magnitude.Numerator.ToString(CultureInfo.InvariantCulture)
            : magnitude.Numerator.ToString(CultureInfo.InvariantCulture) + "/" + magnitude.Denominator.ToString(CultureInfo.InvariantCulture));
    }

    protected override string PrintSymbol(Symbol symbol)
    {
        var hat = symbol.Name.Length > 3 && symbol.Name.EndsWith("hat", System.StringComparison.Ordinal);
        var bare = hat ? symbol.Name.Substring(0, symbol.Name.Length - 3) : symbol.Name;
        var name = (Greek.TryGetValue(bare, out var letter) ? letter : bare) + (hat ? "\u0302" : "");
        var indices = symbol.Indices.Select(i => i.ToString()).ToList();
        var text = new StringBuilder(name);
        if (indices.Count > 0)
        {
            text.Append(Subscript(indices.All(i => i.Length == 1) ? string.Concat(indices) : string.Join(",", indices)));
        }

        if (symbol.Superscript is not null)
        {
            // A prime in the superscript (g^{[1]\prime}) is the prime sign after it.
            var prime = symbol.Superscript.EndsWith(@"\prime", System.StringComparison.Ordinal);
            text.Append(Superscript(prime ? symbol.Superscript.Substring(0, symbol.Superscript.Length - @"\prime".Length) : symbol.Superscript)).Append(prime ? "′" : "");
        }

        return text.ToString();
    }

    protected override string PrintProduct(ProductParts parts)
    {
        var numerator = parts.Numerator.Select((f, i) => f is IndexedSum && i < parts.Numerator.Count - 1 ? Wrap(Print(f)) : Parenthesize(f, Precedence.Mul)).ToList();
        var c = parts.Coefficient;
        if (!c.Numerator.IsOne || numerator.Count == 0)
        {
            numerator.Insert(0, c.Numerator.ToString(CultureInfo.InvariantCulture));
        }

        var text = _hadamard ? string.Join(" ∗ ", numerator) : Juxtapose(numerator);
        var denominator = parts.Denominator.Select(f => Parenthesize(f, Precedence.Mul, strict: true)).ToList();
        if (!c.Denominator.IsOne)
        {
            denominator.Insert(0, c.Denominator.ToString(CultureInfo.InvariantCulture));
        }

        if (denominator.Count == 1)
        {
            text = (numerator.Count > 1 ? Wrap(text) : text) + "/" + denominator[0];
        }
        else if (denominator.Count > 1)
        {
            text = (numerator.Count > 1 ? Wrap(text) : text) + "/" + Wrap(Juxtapose(denominator));
        }

        return (parts.Negative ? Minus : "") + text;
    }

    /// <summary>Factors side by side, with a middle dot between two numbers.</summary>
    private static string Juxtapose(IReadOnlyList<string> factors)
    {
        var text = new StringBuilder();
        for (var i = 0; i < factors.Count; i++)
        {
            if (i > 0)
            {
                text.Append(char.IsDigit(factors[i][0]) ? " · " : " ");
            }

            text.Append(factors[i]);
        }

        return text.ToString();
    }

    protected override string PrintPower(Power power)
    {
        if (power.Exponent is Number { Value: var e } && e == new Rational(1, 2))
        {
            return "√" + Parenthesize(power.Base, Precedence.Atom);
        }

        var @base = power.Base is Symbol { Superscript: not null } || PrecedenceOf(power.Base) <= Precedence.Pow
            ? Wrap(Print(power.Base))
            : Print(power.Base);
        if (power.Exponent is Number { Value: { IsInteger: true } n })
        {
            return @base + Superscript(n.Numerator.ToString(CultureInfo.InvariantCulture));
        }

        return @base + "^" + Parenthesize(power.Exponent, Precedence.Atom);
    }

    protected override string PrintCall(Call call)
    {
        var args = call.Arguments;
        return call.Function.Name switch
        {
            "exp" => "e^" + (args[0] is Symbol { Superscript: null, Indices.Count: 0 } ? Print(args[0]) : Wrap(Print(args[0]))),
            "sqrt" => "√" + Parenthesize(args[0], Precedence.Atom),
            "abs" => "|" + Print(args[0]) + "|",
            var name => (KnownFunctions.TryGetValue(name, out var shown) ? shown : name) + Wrap(string.Join(", ", args.Select(Print))),
        };
    }

    protected override string PrintIndexedSum(IndexedSum sum) => "Σ" + Subscript(sum.Index) + " " + Parenthesize(sum.Body, Precedence.Mul);

    protected override string PrintDelta(KroneckerDelta delta) => "δ" + Subscript(delta.First.ToString() + delta.Second);
}
