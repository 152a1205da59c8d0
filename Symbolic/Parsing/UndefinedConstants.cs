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

        var inDerivative = finder.FirstOverflow(simplified.Differentiate(variable));
        if (finder.FirstOverflow(simplified) is null && inDerivative is null)
        {
            return null;
        }

        // The part as written that overflows, or when only the derivative does, the whole text.
        return finder.Visit(written, checkRange: true, out _)
            ?? new ConstantProblem(
                new TextRange(0, text.Length),
                $"its derivative by {variable} has {finder.Describe(inDerivative!)}, beyond the largest {finder.TypeName} ({finder.LargestText}); use smaller constants{finder.SingleHint}");
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

        /// <summary>The innermost first part of <paramref name="expression"/> without variables that is NaN or beyond the range, or null.</summary>
        public Expr? FirstOverflow(Expr expression)
        {
            Expr? found = null;
            HasSymbols(expression, ref found);
            return found;
        }

        private bool HasSymbols(Expr expression, ref Expr? overflow)
        {
            var any = expression is Symbol;
            foreach (var child in expression.Children)
            {
                any |= HasSymbols(child, ref overflow);
            }

            if (!any && overflow is null && !(Math.Abs(Value(expression)) <= _largest))
            {
                overflow = expression;
            }

            return any;
        }

        /// <summary>How a message names an overflowing part: <c>the constant 2e39</c>, <c>a constant of 401 digits</c>, <c>'e^1000'</c>.</summary>
        public string Describe(Expr overflow)
        {
            if (overflow is Number { Value: var value })
            {
                var digits = value.ToString();
                return digits.Length <= 24 ? "the constant " + digits : "a constant of " + BigIntegerDigits(value) + " digits";
            }

            var text = overflow.ToString();
            return "'" + (text.Length <= 60 ? text : text.Substring(0, 57) + "...") + "'";
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
                    return new ConstantProblem(range, $"'{part}' is undefined, since log needs an argument above 0 and its argument is {DescribeValue(children[0])}{forEvery}; take the log of something positive");
                case Call { Function.Name: "sqrt" } when IsConstant(children[0]) && Value(children[0]) < 0:
                    return new ConstantProblem(range, $"'{part}' is undefined, since sqrt needs an argument of at least 0 and its argument is {DescribeValue(children[0])}{forEvery}; take the square root of something not negative");
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

            return checkRange && FirstOverflow(simplified) is { } overflow
                ? new ConstantProblem(range, $"'{part}' folds to {Describe(overflow)}, {(double.IsNaN(Value(overflow)) ? "which is undefined" : "beyond the largest " + TypeName + " (" + LargestText + ")")}; use smaller constants{SingleHint}")
                : null;
        }

        public string SingleHint => TypeName == "float" ? " or Precision.Double" : "";

        private static int BigIntegerDigits(Rational value) =>
            System.Numerics.BigInteger.Abs(value.Numerator / value.Denominator).ToString(CultureInfo.InvariantCulture).Length;

        private static bool IsConstant(Expr e) => e.Symbols().Count == 0;

        private static double Value(Expr constant) => constant.Evaluate(_ => double.NaN);

        private static string DescribeValue(Expr constant) =>
            constant is Number { Value: var value } ? value.ToString() : Value(constant).ToString("G3", CultureInfo.InvariantCulture);
    }

    private sealed class ByReference : IEqualityComparer<Expr>
    {
        public static readonly ByReference Instance = new();

        public bool Equals(Expr? x, Expr? y) => ReferenceEquals(x, y);

        public int GetHashCode(Expr obj) => RuntimeHelpers.GetHashCode(obj);
    }
}
