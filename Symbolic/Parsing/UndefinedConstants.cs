using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using BackpropGen.Symbolic.Parsing;
using BackpropGen.Symbolic.Printing;

namespace BackpropGen.Symbolic;

/// <summary>Where an expression is undefined or overflows whatever its variables are, and what to do about it.</summary>
public sealed class ConstantProblem
{
    public ConstantProblem(TextRange range, string message)
    {
        Range = range;
        Message = message;
    }

    /// <summary>The characters of the expression's text at fault: the smallest part that is undefined or too large.</summary>
    public TextRange Range { get; }

    /// <summary>What is wrong and how to fix it: <c>dividing by '(x - x)', which is 0 for every x, is undefined; …</c>.</summary>
    public string Message { get; }

    public override string ToString() => Message;
}

/// <summary>
/// Finds the parts of an expression that are undefined or overflow for every value of its variables: a division by
/// something that folds to 0 (<c>1/0</c>, <c>x / (x - x)</c>), <c>log</c> of a constant ≤ 0, <c>sqrt</c> of a negative
/// constant, and constants, written or folded (<c>2^1100</c>, <c>exp(1000)</c>, <c>x * 1e200 * 1e200</c>), beyond the
/// largest <c>double</c> or <c>float</c> (also in the derivative, which the generated code computes too).
/// </summary>
public static class UndefinedConstants
{
    /// <summary>
    /// The first problem of <paramref name="text"/>, innermost first, or null when there is none (or the text does not
    /// parse, which the parser reports). <paramref name="variable"/> is the one the derivative is taken by.
    /// </summary>
    public static ConstantProblem? Find(string text, NumericType precision, string variable)
    {
        var ranges = new Dictionary<Expr, TextRange>(ByReference.Instance);
        if (!Parser.TryParse(text, ranges, out var written, out _))
        {
            return null;
        }

        // Undefined parts are errors wherever they are; a constant beyond the range only when one reaches the code,
        // so x * 1e400^(1/2), which folds to x * 1e200, is fine, and x * 1e309 is not.
        var finder = new Finder(text, ranges, precision);
        if (finder.Visit(written, checkRange: false, out var simplified) is { } undefined)
        {
            return undefined;
        }

        var derivative = simplified.Differentiate(variable);
        if (!finder.Overflows(simplified) && !finder.Overflows(derivative))
        {
            return null;
        }

        return finder.Visit(written, checkRange: true, out _)
            ?? new ConstantProblem(
                new TextRange(0, text.Length),
                $"its derivative by {variable} has a constant part beyond the largest {finder.TypeName} ({finder.LargestText}); use smaller constants{finder.SingleHint}");
    }

    private sealed class Finder
    {
        private readonly string _text;
        private readonly Dictionary<Expr, TextRange> _ranges;
        private readonly double _largest;

        public Finder(string text, Dictionary<Expr, TextRange> ranges, NumericType precision)
        {
            _text = text;
            _ranges = ranges;
            _largest = precision == NumericType.Single ? float.MaxValue : double.MaxValue;
            TypeName = precision == NumericType.Single ? "float" : "double";
            LargestText = _largest.ToString("G3", CultureInfo.InvariantCulture);
        }

        public string TypeName { get; }

        public string LargestText { get; }

        /// <summary>Checks the children, then the node with its simplified children; returns the node simplified.</summary>
        public ConstantProblem? Visit(Expr written, bool checkRange, out Expr simplified)
        {
            var children = written.Children;
            var simplifiedChildren = new Expr[children.Count];
            for (var i = 0; i < children.Count; i++)
            {
                if (Visit(children[i], checkRange, out simplifiedChildren[i]) is { } problem)
                {
                    simplified = simplifiedChildren[i];
                    return problem;
                }
            }

            simplified = children.Count == 0 ? written : written.WithChildren(simplifiedChildren).Simplify();
            return _ranges.TryGetValue(written, out var range) ? Check(written, simplifiedChildren, simplified, range, checkRange) : null;
        }

        /// <summary>True when a part of <paramref name="expression"/> without variables is NaN or beyond the range.</summary>
        public bool Overflows(Expr expression)
        {
            var overflows = false;
            HasSymbols(expression, ref overflows);
            return overflows;
        }

        private bool HasSymbols(Expr expression, ref bool overflows)
        {
            var any = expression is Symbol;
            foreach (var child in expression.Children)
            {
                any |= HasSymbols(child, ref overflows);
            }

            overflows |= !any && !(Math.Abs(Value(expression)) <= _largest);
            return any;
        }

        private ConstantProblem? Check(Expr written, Expr[] children, Expr simplified, TextRange range, bool checkRange)
        {
            var part = _text.Substring(range.Start, range.Length);
            var forEvery = written.Symbols().Count == 0 ? "" : " for every " + string.Join(" and ", written.Symbols().Select(s => s.Name));
            switch (written)
            {
                case Power when Number.IsZeroNumber(children[0]) && children[1] is Number { Value.IsNegative: true }:
                    return new ConstantProblem(range, ReferenceEquals(written.Children[1], Number.MinusOne) && written.Children[0] is not Number
                        ? $"dividing by '{part}', which is 0{forEvery}, is undefined; divide by something that is not 0"
                        : ReferenceEquals(written.Children[1], Number.MinusOne)
                            ? "dividing by 0 is undefined; divide by something that is not 0"
                            : $"'{part}' raises 0 to a negative power, which is undefined; use a base that is not 0");
                case Call { Function.Name: "log" } when IsConstant(children[0]) && !(Value(children[0]) > 0):
                    return new ConstantProblem(range, $"'{part}' is undefined, since log needs an argument above 0 and its argument is {Describe(children[0])}{forEvery}; take the log of something positive");
                case Call { Function.Name: "sqrt" } when IsConstant(children[0]) && Value(children[0]) < 0:
                    return new ConstantProblem(range, $"'{part}' is undefined, since sqrt needs an argument of at least 0 and its argument is {Describe(children[0])}{forEvery}; take the square root of something not negative");
            }

            if (IsConstant(simplified))
            {
                var value = Value(simplified);
                if (double.IsNaN(value))
                {
                    return new ConstantProblem(range, $"'{part}' is undefined{forEvery}; remove it or change its constants");
                }

                if (checkRange && Math.Abs(value) > _largest)
                {
                    return new ConstantProblem(range, $"'{part}' is {(double.IsInfinity(value) ? "beyond" : "about " + value.ToString("G3", CultureInfo.InvariantCulture) + ", more than")} the largest {TypeName} ({LargestText}){forEvery}; use smaller constants{SingleHint}");
                }

                return null;
            }

            return checkRange && TooLarge(simplified) is { } constant
                ? new ConstantProblem(range, $"'{part}' folds to {constant}, more than the largest {TypeName} ({LargestText}); use smaller constants{SingleHint}")
                : null;
        }

        public string SingleHint => TypeName == "float" ? " or Precision.Double" : "";

        private static int BigIntegerDigits(Rational value) =>
            System.Numerics.BigInteger.Abs(value.Numerator / value.Denominator).ToString(CultureInfo.InvariantCulture).Length;

        /// <summary>The first number in <paramref name="expression"/> beyond the precision's range (<c>the constant 2e39</c>), or null.</summary>
        private string? TooLarge(Expr expression)
        {
            if (expression is Number { Value: var value } && !(Math.Abs(value.ToDouble()) <= _largest))
            {
                var digits = value.ToString();
                return digits.Length <= 24 ? "the constant " + digits : "a constant of " + BigIntegerDigits(value) + " digits";
            }

            return expression.Children.Select(TooLarge).FirstOrDefault(found => found is not null);
        }

        private static bool IsConstant(Expr e) => e.Symbols().Count == 0;

        private static double Value(Expr constant) => constant.Evaluate(_ => double.NaN);

        private static string Describe(Expr constant) =>
            constant is Number { Value: var value } ? value.ToString() : Value(constant).ToString("G3", CultureInfo.InvariantCulture);
    }

    private sealed class ByReference : IEqualityComparer<Expr>
    {
        public static readonly ByReference Instance = new();

        public bool Equals(Expr? x, Expr? y) => ReferenceEquals(x, y);

        public int GetHashCode(Expr obj) => RuntimeHelpers.GetHashCode(obj);
    }
}
