using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using BackpropGen.Symbolic.Matrices;

namespace BackpropGen.Symbolic.Printing;

/// <summary>Binding strength of printed forms; a child printed inside a weaker context is parenthesized.</summary>
public static class Precedence
{
    public const int Add = 40;
    public const int Mul = 50;
    public const int Pow = 60;
    public const int Atom = 1000;

    /// <summary>
    /// The one precedence table: sums and anything printed with a leading minus bind like +; products,
    /// fractions and non-integer rationals like ·; powers like ^; numbers, symbols, calls and δ are atoms.
    /// </summary>
    public static int Of(Expr e) => e switch
    {
        Number { Value.IsNegative: true } => Add,
        Number { Value.IsInteger: false } => Mul,
        Number => Atom,
        Sum => Add,
        Product p when Printer.IsNegativeTerm(p) => Add,
        Product => Mul,
        Power { Exponent: Number { Value.IsNegative: true } } => Mul,
        Power => Pow,
        IndexedSum => Mul,
        _ => Atom,
    };
}

/// <summary>How tightly matrix operations bind: a matrix product before a Hadamard product before a difference.</summary>
internal static class MatrixPrecedence
{
    public const int Difference = 40;
    public const int Hadamard = 45;
    public const int Product = 50;
    public const int Atom = 1000;
}

/// <summary>
/// The printer base: dispatches on the node kind, and holds what every printer shares: the precedence
/// table, <see cref="Parenthesize"/>, how a sum orders and signs its terms, and how a product splits into
/// sign, coefficient, numerator and denominator. A language printer overrides only what differs.
/// </summary>
public abstract class Printer
{
    public string Print(Expr e) => PrintFolded(e) ?? e switch
    {
        Number n => PrintNumber(n.Value),
        Symbol s => PrintSymbol(s),
        Sum s => PrintSum(s),
        Product p => PrintProduct(Split(p)),
        Power { Exponent: Number { Value.IsNegative: true } } p => PrintProduct(Split(p)),
        Power p => PrintPower(p),
        Call c => PrintCall(c),
        IndexedSum s => PrintIndexedSum(s),
        KroneckerDelta d => PrintDelta(d),
        UnevaluatedDerivative d => PrintDerivative(d),
        _ => throw new NotSupportedException($"{GetType().Name} cannot print a {e.Kind} node"),
    };

    /// <summary>
    /// A matrix expression: products juxtaposed, the Hadamard product with its own sign, a transpose as a superscript,
    /// and the entries of an entrywise expression printed as a scalar expression whose products are Hadamard products.
    /// A matrix product binds tighter than a Hadamard product, which binds tighter than a difference.
    /// </summary>
    public string Print(MatrixExpr m) => m switch
    {
        MatrixSymbol { Bold: true } s => PrintBold(s.Symbol),
        MatrixSymbol s => PrintSymbol(s.Symbol),
        Transpose { Operand: MatrixSymbol { Bold: false } s } => PrintTransposed(s.Symbol),
        Transpose t => Wrap(Print(t.Operand)) + PrintTransposeMark(),
        MatrixProduct p => ParenthesizeMatrix(p.Left, MatrixPrecedence.Product) + " " + ParenthesizeMatrix(p.Right, MatrixPrecedence.Product),
        Hadamard h => ParenthesizeMatrix(h.Left, MatrixPrecedence.Hadamard) + " " + HadamardSign + " " + ParenthesizeMatrix(h.Right, MatrixPrecedence.Hadamard),
        MatrixSum s => Print(s.Left) + " + " + ParenthesizeMatrix(s.Right, MatrixPrecedence.Difference),
        MatrixDifference d => Print(d.Left) + " " + Minus + " " + ParenthesizeMatrix(d.Right, MatrixPrecedence.Difference, strict: true),
        Scaled s => Parenthesize(s.Factor, Precedence.Mul) + " " + ParenthesizeMatrix(s.Operand, MatrixPrecedence.Product),
        ExampleSum s => PrintExampleSum(s.Operand is MatrixSymbol symbol ? PrintExample(symbol.Symbol) : Wrap(Print(s.Operand))),
        Entrywise e => EntrywisePrinter.Print(e.Named),
        AppliedFunction f => PrintSymbol(f.Function) + Wrap(Print(f.Argument)),
        MatrixGradient g => PrintGradient(Print(g.Variable), PrintSymbol(g.Function) + Wrap(Print(g.Variable))),
        _ => throw new NotSupportedException($"{GetType().Name} cannot print a {m.GetType().Name}"),
    };

    /// <summary>A printer like this one whose products are Hadamard products, for the entries of an <see cref="Entrywise"/>.</summary>
    protected virtual Printer EntrywisePrinter => this;

    /// <summary>The sign of the Hadamard product.</summary>
    protected virtual string HadamardSign => "*";

    /// <summary>Aᵀ of a named matrix.</summary>
    protected virtual string PrintTransposed(Symbol matrix) => PrintSymbol(matrix) + PrintTransposeMark();

    /// <summary>The mark after a transposed group.</summary>
    protected virtual string PrintTransposeMark() => "ᵀ";

    /// <summary>A named matrix in bold; printers without bold letters print its name.</summary>
    protected virtual string PrintBold(Symbol matrix) => PrintSymbol(matrix);

    /// <summary>∇ by a printed variable of a printed function of it.</summary>
    protected virtual string PrintGradient(string variable, string function) => "∇_" + variable + " " + function;

    /// <summary>Column i of a named matrix, the example i of a batch.</summary>
    protected virtual string PrintExample(Symbol matrix) => PrintSymbol(matrix) + "(i)";

    /// <summary>The sum over the examples of a printed column.</summary>
    protected virtual string PrintExampleSum(string column) => "Σᵢ " + column;

    private static int MatrixPrecedenceOf(MatrixExpr m) => m switch
    {
        MatrixDifference or MatrixSum => MatrixPrecedence.Difference,
        Hadamard => MatrixPrecedence.Hadamard,
        MatrixProduct or Scaled or ExampleSum => MatrixPrecedence.Product,
        Entrywise { Named: var body } => Precedence.Of(body) <= Precedence.Add ? MatrixPrecedence.Difference
            : body is Product ? MatrixPrecedence.Hadamard
            : MatrixPrecedence.Atom,
        _ => MatrixPrecedence.Atom,
    };

    private string ParenthesizeMatrix(MatrixExpr m, int level, bool strict = false)
    {
        var precedence = MatrixPrecedenceOf(m);
        var text = Print(m);
        return precedence < level || (strict && precedence <= level) ? Wrap(text) : text;
    }

    protected virtual int PrecedenceOf(Expr e) => Precedence.Of(e);

    /// <summary>
    /// A constant sub-tree printed as one value (a code printer writes 2 log 2 as its number), or null to print
    /// the tree as it is; by default null, so the exact form is kept.
    /// </summary>
    protected virtual string? PrintFolded(Expr e) => null;

    /// <summary>Prints <paramref name="e"/>, wrapped when it binds more loosely than <paramref name="level"/> (or as loosely, when strict).</summary>
    protected string Parenthesize(Expr e, int level, bool strict = false)
    {
        var precedence = PrecedenceOf(e);
        var text = Print(e);
        return precedence < level || (strict && precedence <= level) ? Wrap(text) : text;
    }

    protected virtual string Wrap(string text) => "(" + text + ")";

    /// <summary>The minus sign between terms and before a negative one.</summary>
    protected virtual string Minus => "-";

    protected abstract string PrintNumber(Rational value);

    protected abstract string PrintSymbol(Symbol symbol);

    protected abstract string PrintPower(Power power);

    protected abstract string PrintCall(Call call);

    protected abstract string PrintIndexedSum(IndexedSum sum);

    protected abstract string PrintDelta(KroneckerDelta delta);

    /// <summary>d/dv u not yet carried out; a printer that cannot show it asks for the derivative instead.</summary>
    protected virtual string PrintDerivative(UnevaluatedDerivative derivative) =>
        throw new NotSupportedException($"{GetType().Name} cannot print the derivative by {derivative.Variable} unevaluated; simplify it first");

    /// <summary>A product split for printing; see <see cref="Split"/>.</summary>
    protected abstract string PrintProduct(ProductParts parts);

    /// <summary><c>a + b - c</c>: a negative term is printed as its positive counterpart after a minus.</summary>
    protected virtual string PrintSum(Sum sum)
    {
        var text = new StringBuilder();
        var terms = OrderTerms(sum.Terms);
        for (var i = 0; i < terms.Count; i++)
        {
            var term = terms[i];
            var negative = IsNegativeTerm(term);
            var shown = negative ? NegateTerm(term) : term;
            if (i == 0)
            {
                text.Append(negative ? Minus + Parenthesize(shown, Precedence.Add, strict: true) : Parenthesize(shown, Precedence.Add));
            }
            else
            {
                text.Append(negative ? " " + Minus + " " : " + ");
                text.Append(Parenthesize(shown, Precedence.Add, strict: negative));
            }
        }

        return text.ToString();
    }

    /// <summary>Terms in their order, except that a leading negative term gives way to the first positive one (1 − y, not −y + 1).</summary>
    protected static IReadOnlyList<Expr> OrderTerms(IReadOnlyList<Expr> terms)
    {
        if (terms.Count < 2 || !IsNegativeTerm(terms[0]))
        {
            return terms;
        }

        var firstPositive = -1;
        for (var i = 1; i < terms.Count; i++)
        {
            if (!IsNegativeTerm(terms[i]))
            {
                firstPositive = i;
                break;
            }
        }

        if (firstPositive < 0)
        {
            return terms;
        }

        var ordered = terms.ToList();
        var positive = ordered[firstPositive];
        ordered.RemoveAt(firstPositive);
        ordered.Insert(0, positive);
        return ordered;
    }

    /// <summary>True for a negative number or a product whose numeric factors multiply to a negative number.</summary>
    internal static bool IsNegativeTerm(Expr e)
    {
        switch (e)
        {
            case Number n:
                return n.Value.IsNegative;
            case Product p:
                var negative = false;
                foreach (var factor in p.Factors)
                {
                    if (factor is Number { Value.IsNegative: true })
                    {
                        negative = !negative;
                    }
                }

                return negative;
            default:
                return false;
        }
    }

    /// <summary>−term for a term that <see cref="IsNegativeTerm"/>, keeping its shape.</summary>
    protected static Expr NegateTerm(Expr term)
    {
        if (term is Number n)
        {
            return new Number(-n.Value);
        }

        var product = (Product)term;
        var factors = product.Factors.ToList();
        var index = factors.FindIndex(f => f is Number { Value.IsNegative: true });
        var flipped = -((Number)factors[index]).Value;
        if (flipped.IsOne)
        {
            factors.RemoveAt(index);
        }
        else
        {
            factors[index] = new Number(flipped);
        }

        return factors.Count switch
        {
            0 => Number.One,
            1 => factors[0],
            _ => new Product(factors),
        };
    }

    /// <summary>
    /// Splits a product (or a power with a negative exponent) into its sign, the absolute value of its
    /// numeric coefficient, the factors of the numerator and those of the denominator (x⁻² goes below as x²).
    /// </summary>
    protected static ProductParts Split(Expr e)
    {
        var coefficient = Rational.One;
        var numerator = new List<Expr>();
        var denominator = new List<Expr>();
        var factors = e is Product p ? p.Factors : new[] { e };
        foreach (var factor in factors)
        {
            switch (factor)
            {
                case Number n when Rational.CanMultiply(coefficient, n.Value):
                    coefficient *= n.Value;
                    break;
                case Number { Value.IsNegative: true } n:
                    coefficient = -coefficient;
                    numerator.Add(new Number(-n.Value));
                    break;
                case Power { Exponent: Number { Value.IsNegative: true } exponent } power:
                    var positive = -exponent.Value;
                    denominator.Add(positive.IsOne ? power.Base : new Power(power.Base, new Number(positive)));
                    break;
                default:
                    numerator.Add(factor);
                    break;
            }
        }

        return new ProductParts(coefficient.IsNegative, coefficient.IsNegative ? -coefficient : coefficient, numerator, denominator);
    }
}

/// <summary>A product as printers lay it out: −(coefficient · numerator) / denominator.</summary>
public sealed class ProductParts
{
    public ProductParts(bool negative, Rational coefficient, IReadOnlyList<Expr> numerator, IReadOnlyList<Expr> denominator)
    {
        Negative = negative;
        Coefficient = coefficient;
        Numerator = numerator;
        Denominator = denominator;
    }

    public bool Negative { get; }

    /// <summary>The absolute value of the numeric coefficient.</summary>
    public Rational Coefficient { get; }

    public IReadOnlyList<Expr> Numerator { get; }

    public IReadOnlyList<Expr> Denominator { get; }
}
