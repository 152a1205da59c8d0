using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Linq;
using System.Text;

namespace BackpropGen.Symbolic.Parsing;

/// <summary>
/// Recursive-descent parser for user expressions:
/// <code>
/// sum     := product (('+' | '-') product)*
/// product := unary (('*' | '/') unary)*
/// unary   := ('-' | '+') unary | power
/// power   := primary ('^' unary)?            right-associative: 2^3^2 = 2^(3^2), -x^2 = -(x^2)
/// primary := number | identifier | identifier '(' sum (',' sum)* ')' | '(' sum ')'
/// </code>
/// It builds the tree as written (a − b is a + (−1)·b, a / b is a·b⁻¹); call Simplify for the canonical form.
/// </summary>
internal sealed class Parser
{
    /// <summary>Longest accepted text.</summary>
    public const int MaxLength = 4096;

    /// <summary>
    /// Deepest accepted nesting, counting one level for each parenthesis, call, unary sign and exponent around a part:
    /// 100 pairs of parentheses around <c>x</c> are accepted, 101 are not.
    /// </summary>
    public const int MaxDepth = 100;

    private readonly string _text;
    private readonly Dictionary<Expr, TextRange>? _ranges;
    private int _position;
    private int _depth;

    private Parser(string text, Dictionary<Expr, TextRange>? ranges)
    {
        _text = text;
        _ranges = ranges;
    }

    public static Expr Parse(string text) =>
        TryParse(text, out var expr, out var error) ? expr : throw new ParseException(error);

    public static bool TryParse(string text, [NotNullWhen(true)] out Expr? expr, [NotNullWhen(false)] out ParseError? error) =>
        TryParse(text, null, out expr, out error);

    /// <summary>
    /// Parses, and when <paramref name="ranges"/> is given (compared by reference) records where each node of the tree
    /// as written came from: a division's divisor <c>1/(x - x)</c> is the range of <c>(x - x)</c>, a parenthesized
    /// expression the range inside its parentheses.
    /// </summary>
    public static bool TryParse(string text, Dictionary<Expr, TextRange>? ranges, [NotNullWhen(true)] out Expr? expr, [NotNullWhen(false)] out ParseError? error)
    {
        expr = null;
        error = null;
        if (text is null)
        {
            error = new ParseError(0, "expected an expression but got null");
            return false;
        }

        if (text.Length > MaxLength)
        {
            error = new ParseError(MaxLength, $"the expression is {text.Length} characters long; at most {MaxLength} are accepted, so shorten it");
            return false;
        }

        try
        {
            var parser = new Parser(text, ranges);
            var result = parser.ParseSum();
            parser.SkipSpace();
            if (!parser.AtEnd)
            {
                throw parser.Unexpected();
            }

            expr = result;
            return true;
        }
        catch (ParseException e)
        {
            error = e.Error;
            return false;
        }
    }

    private bool AtEnd => _position >= _text.Length;

    private char Current => _text[_position];

    private Expr ParseSum()
    {
        var start = _position;
        var terms = new List<Expr> { ParseProduct() };
        while (TryConsume('+') is var plus && (plus || TryConsume('-')))
        {
            var term = ParseProduct();
            terms.Add(plus ? term : new Product(Number.MinusOne, term));
        }

        return Record(terms.Count == 1 ? terms[0] : new Sum(terms), start);
    }

    private Expr ParseProduct()
    {
        var start = _position;
        var factors = new List<Expr> { ParseUnary() };
        while (TryConsume('*') is var times && (times || TryConsume('/')))
        {
            var factorStart = _position;
            var factor = ParseUnary();
            factors.Add(times ? factor : Record(new Power(factor, Number.MinusOne), factorStart));
        }

        return Record(factors.Count == 1 ? factors[0] : new Product(factors), start);
    }

    private Expr ParseUnary()
    {
        var start = _position;
        if (TryConsume('-'))
        {
            var operand = ParseNested(_position - 1, ParseUnary);
            return Record(operand is Number n ? new Number(-n.Value) : new Product(Number.MinusOne, operand), start);
        }

        if (TryConsume('+'))
        {
            return ParseNested(_position - 1, ParseUnary);
        }

        var @base = ParsePrimary();
        return Record(TryConsume('^') ? new Power(@base, ParseNested(_position - 1, ParseUnary)) : @base, start);
    }

    /// <summary>Parses one level deeper, entered at <paramref name="at"/> (a sign, a '^').</summary>
    private Expr ParseNested(int at, Func<Expr> parse)
    {
        using var _ = Nest(at);
        return parse();
    }

    private Expr ParsePrimary()
    {
        SkipSpace();
        if (AtEnd)
        {
            throw Error(_position, "expected an expression at end of input");
        }

        var start = _position;
        var c = Current;
        if (c == '(')
        {
            using var _ = Nest(_position);
            _position++;
            var inner = ParseSum();
            Expect(')', start);
            return inner;
        }

        if (char.IsDigit(c) || c == '.')
        {
            return Record(ParseNumber(), start);
        }

        if (IsIdentifierStart(c))
        {
            var name = ReadIdentifier();
            SkipSpace();
            if (!AtEnd && Current == '(')
            {
                return Record(ParseCall(name, start), start);
            }

            return Record(new Symbol(name), start);
        }

        throw Unexpected();
    }

    private Expr ParseCall(string name, int start)
    {
        if (!Function.TryGet(name, out var function))
        {
            var suggestion = Suggest(name);
            throw Error(start, $"unknown function '{name}' at {start}; "
                + (suggestion is null ? $"the functions are {string.Join(", ", Function.All.Select(f => f.Name))}" : $"did you mean '{suggestion}'?"), suggestion);
        }

        var open = _position;
        using var _ = Nest(open);
        _position++;
        var arguments = new List<Expr>();
        SkipSpace();
        if (!AtEnd && Current == ')')
        {
            _position++;
        }
        else
        {
            do
            {
                arguments.Add(ParseSum());
            }
            while (TryConsume(','));

            Expect(')', open);
        }

        if (arguments.Count != function.Arity)
        {
            throw Error(start, $"'{name}' takes {Plural(function.Arity, "argument")} but was given {arguments.Count} at {start}");
        }

        return new Call(function, arguments.ToArray());
    }

    private Expr ParseNumber()
    {
        var start = _position;
        while (!AtEnd && (char.IsDigit(Current) || Current == '.'))
        {
            _position++;
        }

        if (!AtEnd && (Current == 'e' || Current == 'E'))
        {
            var save = _position;
            _position++;
            if (!AtEnd && (Current == '+' || Current == '-'))
            {
                _position++;
            }

            if (!AtEnd && char.IsDigit(Current))
            {
                while (!AtEnd && char.IsDigit(Current))
                {
                    _position++;
                }
            }
            else
            {
                _position = save;
            }
        }

        var text = _text.Substring(start, _position - start);
        if (text.Count(ch => ch == '.') > 1 || text == "." || !Rational.TryParseDecimal(text, out var value))
        {
            throw Error(start, $"'{text}' at {start} is not a number; write numbers like 2, 0.5 or 1e-3");
        }

        if (!AtEnd && IsIdentifierStart(Current))
        {
            throw Error(_position, $"unexpected '{Current}' at {_position}; write '{text}*{Current}' to multiply");
        }

        return new Number(value);
    }

    /// <summary>Records that <paramref name="node"/> was read from <paramref name="start"/> to here, without surrounding spaces.</summary>
    private Expr Record(Expr node, int start)
    {
        if (_ranges is not null && !_ranges.ContainsKey(node))
        {
            var end = _position;
            while (end > start && char.IsWhiteSpace(_text[end - 1]))
            {
                end--;
            }

            while (start < end && char.IsWhiteSpace(_text[start]))
            {
                start++;
            }

            _ranges[node] = new TextRange(start, end - start);
        }

        return node;
    }

    private string ReadIdentifier()
    {
        var start = _position;
        while (!AtEnd && (IsIdentifierStart(Current) || char.IsDigit(Current)))
        {
            _position++;
        }

        return _text.Substring(start, _position - start);
    }

    private static bool IsIdentifierStart(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_';

    private void SkipSpace()
    {
        while (!AtEnd && Current is ' ' or '\t' or '\r' or '\n')
        {
            _position++;
        }
    }

    private bool TryConsume(char c)
    {
        SkipSpace();
        if (!AtEnd && Current == c)
        {
            _position++;
            return true;
        }

        return false;
    }

    private void Expect(char c, int openedAt)
    {
        if (TryConsume(c))
        {
            return;
        }

        if (AtEnd)
        {
            throw Error(_position, $"expected '{c}' at end of input to close the '(' at {openedAt}");
        }

        throw Error(_position, $"expected '{c}' at {_position} to close the '(' at {openedAt} but found '{Describe(Current)}'");
    }

    private ParseException Unexpected()
    {
        SkipSpace();
        return AtEnd
            ? Error(_position, "expected an expression at end of input")
            : Error(_position, $"unexpected '{Describe(Current)}' at {_position}");
    }

    /// <summary>Bounds the nesting depth, so deep input fails with a message instead of exhausting the stack.</summary>
    private DepthScope Nest(int at)
    {
        if (++_depth > MaxDepth)
        {
            throw Error(at, $"the expression nests deeper than {MaxDepth} levels at {at}; split it up");
        }

        return new DepthScope(this);
    }

    private readonly struct DepthScope : IDisposable
    {
        private readonly Parser _parser;

        public DepthScope(Parser parser) => _parser = parser;

        public void Dispose() => _parser._depth--;
    }

    private static ParseException Error(int position, string message, string? suggestion = null) => new(new ParseError(position, message, suggestion));

    /// <summary>Control and non-ASCII characters are shown as \uXXXX so the message stays readable.</summary>
    private static string Describe(char c) =>
        c < ' ' || c > '~' ? "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture) : c.ToString();

    private static string Plural(int n, string noun) => n.ToString(CultureInfo.InvariantCulture) + " " + noun + (n == 1 ? "" : "s");

    /// <summary>The closest function name within two edits, if any.</summary>
    private static string? Suggest(string name) =>
        Function.All
            .Select(f => (f.Name, Distance: EditDistance(name.ToLowerInvariant(), f.Name)))
            .Where(x => x.Distance <= 2)
            .OrderBy(x => x.Distance)
            .ThenBy(x => x.Name, StringComparer.Ordinal)
            .Select(x => x.Name)
            .FirstOrDefault();

    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
