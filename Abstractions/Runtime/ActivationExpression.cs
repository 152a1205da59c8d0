using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace BackpropGen.Runtime;

/// <summary>
/// A custom element-wise activation parsed from its prefix spelling: <c>x</c>, a number, or <c>(op arg ...)</c>.
/// </summary>
internal sealed class ActivationExpression
{
    /// <summary>The operators of the language and their number of arguments (-1: two or more).</summary>
    internal static readonly Dictionary<string, int> Arity = new(StringComparer.Ordinal)
    {
        ["add"] = -1, ["mul"] = -1,
        ["sub"] = 2, ["div"] = 2, ["pow"] = 2, ["max"] = 2, ["min"] = 2,
        ["neg"] = 1, ["exp"] = 1, ["log"] = 1, ["sqrt"] = 1, ["abs"] = 1, ["sin"] = 1, ["cos"] = 1, ["tanh"] = 1,
        ["sigmoid"] = 1, ["relu"] = 1, ["softplus"] = 1, ["step"] = 1, ["sign"] = 1,
    };

    private static readonly ActivationExpression[] NoArguments = new ActivationExpression[0];

    private ActivationExpression(string op, double value, ActivationExpression[] arguments)
    {
        Operator = op;
        Value = value;
        Arguments = arguments;
    }

    /// <summary>"x" for the variable, "const" for a number, else the operator name.</summary>
    public string Operator { get; }

    /// <summary>The number of a constant.</summary>
    public double Value { get; }

    /// <summary>The operator's arguments; empty for the variable and constants.</summary>
    public ActivationExpression[] Arguments { get; }

    /// <summary>Whether this is the variable x.</summary>
    public bool IsVariable => Operator == "x";

    /// <summary>Whether this is a number.</summary>
    public bool IsConstant => Operator == "const";

    /// <summary>Parses the prefix text strictly.</summary>
    /// <param name="text">The expression without the <c>expr:</c> prefix.</param>
    /// <returns>The expression tree.</returns>
    /// <exception cref="ArgumentException">The text is malformed; the message names the offending token.</exception>
    public static ActivationExpression Parse(string text)
    {
        var tokens = Tokenize(text);
        if (tokens.Count == 0)
        {
            throw new ArgumentException("The custom activation expression is empty.", "activation");
        }

        var position = 0;
        var expression = ParseAt(tokens, ref position, 0);
        if (position != tokens.Count)
        {
            throw new ArgumentException($"Unexpected token '{tokens[position]}' after the end of the expression '{text}'.", "activation");
        }

        return expression;
    }

    /// <summary>The canonical spelling: single spaces, numbers in invariant round-trip form.</summary>
    /// <returns>The prefix text.</returns>
    public override string ToString()
    {
        var builder = new StringBuilder();
        Write(builder);
        return builder.ToString();
    }

    /// <summary>The number in invariant round-trip form, as the canonical spelling writes it.</summary>
    internal static string FormatNumber(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private void Write(StringBuilder builder)
    {
        if (IsVariable)
        {
            builder.Append('x');
        }
        else if (IsConstant)
        {
            builder.Append(FormatNumber(Value));
        }
        else
        {
            builder.Append('(').Append(Operator);
            foreach (var argument in Arguments)
            {
                builder.Append(' ');
                argument.Write(builder);
            }

            builder.Append(')');
        }
    }

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '(' || c == ')')
            {
                tokens.Add(c.ToString());
                i++;
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] != '(' && text[i] != ')')
                {
                    i++;
                }

                tokens.Add(text.Substring(start, i - start));
            }
        }

        return tokens;
    }

    private static ActivationExpression ParseAt(List<string> tokens, ref int position, int depth)
    {
        if (depth > 200)
        {
            throw new ArgumentException("The custom activation expression is nested more than 200 levels deep.", "activation");
        }

        if (position >= tokens.Count)
        {
            throw new ArgumentException("The custom activation expression ends early: a ')' or an argument is missing.", "activation");
        }

        var token = tokens[position++];
        if (token == "x")
        {
            return new ActivationExpression("x", 0, NoArguments);
        }

        if (token == ")")
        {
            throw new ArgumentException("Unexpected token ')' where an argument was expected.", "activation");
        }

        if (token != "(")
        {
            if (IsNumber(token, out var value))
            {
                return new ActivationExpression("const", value, NoArguments);
            }

            throw new ArgumentException($"Unknown token '{token}': expected x, a number or '('.", "activation");
        }

        if (position >= tokens.Count)
        {
            throw new ArgumentException("The custom activation expression ends after '('.", "activation");
        }

        var op = tokens[position++];
        if (!Arity.TryGetValue(op, out var arity))
        {
            throw new ArgumentException($"Unknown operator '{op}'.", "activation");
        }

        var arguments = new List<ActivationExpression>();
        while (position < tokens.Count && tokens[position] != ")")
        {
            arguments.Add(ParseAt(tokens, ref position, depth + 1));
        }

        if (position >= tokens.Count)
        {
            throw new ArgumentException($"The custom activation expression ends before the ')' that closes '({op}'.", "activation");
        }

        position++;
        if (arity == -1 ? arguments.Count < 2 : arguments.Count != arity)
        {
            var expected = arity == -1 ? "two or more arguments" : arity == 1 ? "one argument" : $"{arity} arguments";
            throw new ArgumentException($"Operator '{op}' takes {expected}, not {arguments.Count}.", "activation");
        }

        return new ActivationExpression(op, 0, arguments.ToArray());
    }

    private static bool IsNumber(string token, out double value)
    {
        value = 0;
        var first = token[0];
        if (!(char.IsDigit(first) || first == '-' || first == '+' || first == '.'))
        {
            return false;
        }

        return double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out value)
            && !double.IsNaN(value) && !double.IsInfinity(value);
    }
}
