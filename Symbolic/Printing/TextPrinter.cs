using System.Collections.Generic;
using System.Linq;

namespace BackpropGen.Symbolic.Printing;

/// <summary>
/// Plain text in the parser's syntax (<c>x / (1 + abs(x))</c>, <c>(y - t)^2 / 2</c>), so a printed tree of
/// plain symbols parses back to an equal value. Indexed symbols print as <c>w_{1,2}</c>, the keys
/// <see cref="Expr.Evaluate(IReadOnlyDictionary{string,double})"/> uses.
/// </summary>
public sealed class TextPrinter : Printer
{
    public static readonly TextPrinter Default = new();

    protected override string PrintNumber(Rational value) => value.ToString();

    protected override string PrintSymbol(Symbol symbol) =>
        symbol.Name
        + (symbol.Superscript is null ? "" : "^{" + symbol.Superscript + "}")
        + (symbol.Indices.Count == 0 ? "" : "_{" + string.Join(",", symbol.Indices) + "}");

    protected override string PrintProduct(ProductParts parts)
    {
        var c = parts.Coefficient;
        // A lone denominator factor is wrapped strictly (x / (y * z)); each factor is printed once, since printing
        // one twice doubles the work at every level of nested quotients.
        var lone = parts.Denominator.Count == 1 && c.Denominator.IsOne;
        var numerator = parts.Numerator.Select(f => Parenthesize(f, Precedence.Mul)).ToList();
        var denominator = parts.Denominator.Select(f => Parenthesize(f, Precedence.Mul, strict: lone)).ToList();
        if (!c.Numerator.IsOne || numerator.Count == 0)
        {
            numerator.Insert(0, c.Numerator.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (!c.Denominator.IsOne)
        {
            denominator.Insert(0, c.Denominator.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var text = string.Join(" * ", numerator);
        if (denominator.Count == 1)
        {
            text += " / " + denominator[0];
        }
        else if (denominator.Count > 1)
        {
            text += " / (" + string.Join(" * ", denominator) + ")";
        }

        return (parts.Negative ? "-" : "") + text;
    }

    protected override string PrintPower(Power power) =>
        Parenthesize(power.Base, Precedence.Pow, strict: true) + "^" + Parenthesize(power.Exponent, Precedence.Pow, strict: true);

    protected override string PrintCall(Call call) =>
        call.Function.Name + "(" + string.Join(", ", call.Arguments.Select(Print)) + ")";

    protected override string PrintIndexedSum(IndexedSum sum) =>
        "sum_{" + sum.Index + (sum.Lower is null ? "" : "=" + Print(sum.Lower)) + "}"
        + (sum.Upper is null ? "" : "^{" + Print(sum.Upper) + "}")
        + "(" + Print(sum.Body) + ")";

    /// <summary><c>diff(u, x)</c>; the parser does not read it, since users write no derivatives.</summary>
    protected override string PrintDerivative(UnevaluatedDerivative derivative) =>
        "diff(" + Print(derivative.Body) + ", " + Print(derivative.Variable) + ")";

    protected override string PrintDelta(KroneckerDelta delta) => "delta_{" + delta.First + "," + delta.Second + "}";
}
