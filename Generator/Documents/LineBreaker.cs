using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace BackpropGen.Generator.Documents;

/// <summary>
/// Breaks a displayed formula that would run past the margin into lines at its plus and minus signs, as a person
/// typesets a long sum: first between the terms of the formula itself, else between the terms of its widest
/// bracketed group, whose <c>\left[</c> … <c>\right]</c> become <c>\left[</c> … <c>\right.</c> and <c>\left.</c> …
/// <c>\right]</c> across the break. Widths are estimated from the LaTeX in ems of an 11pt font.
/// </summary>
internal static class LineBreaker
{
    /// <summary>The widest line a display holds beside its equation number, in ems (the text is about 43em wide).</summary>
    public const double MaxWidth = 39;

    /// <summary>The lines of <paramref name="formula"/>, each after the first starting with its sign; one line when it fits.</summary>
    public static IReadOnlyList<string> Break(string formula, double available)
    {
        // An environment (a matrix) is set as a whole: its rows are not lines to break.
        if (Width(formula) <= available || formula.Contains(@"\begin{"))
        {
            return new[] { formula };
        }

        // The terms packed on lines, a term wider than a line broken inside its widest group.
        var terms = SplitTerms(formula, 0, formula.Length);
        if (terms.Count > 1)
        {
            return Pack(formula, terms, available)
                .SelectMany(line => Width(line) <= available ? new[] { line } : BreakInGroup(line, available))
                .Select((line, i) => i == 0 ? line : "{} " + line).ToList();
        }

        return BreakInGroup(formula, available);
    }

    /// <summary>
    /// One term broken inside its widest group in \left … \right that holds several terms, each part of the group that
    /// is still too wide broken in turn; the term as it is when it has no such group.
    /// </summary>
    private static IReadOnlyList<string> BreakInGroup(string formula, double available)
    {
        foreach (var (open, close) in Groups(formula).OrderByDescending(g => g.Close - g.Open))
        {
            var bodyStart = open + 6;
            var inner = SplitTerms(formula, bodyStart, close);
            if (inner.Count < 2)
            {
                continue;
            }

            var opening = formula.Substring(0, bodyStart);
            var closing = formula.Substring(close);
            var closeDelimiter = closing.Substring(0, 7);
            var rest = closing.Substring(7);
            var width = available - Math.Max(Width(opening), Width(rest));
            var chunks = Pack(formula, inner, width).SelectMany(chunk => Width(chunk) <= width ? new[] { chunk } : Break(chunk, width)).ToList();
            var lines = new List<string>();
            for (var i = 0; i < chunks.Count; i++)
            {
                lines.Add((i == 0 ? opening : @"\left. {} ") + chunks[i] + (i == chunks.Count - 1 ? closeDelimiter : @" \right."));
            }

            // What follows the group goes on the last line if it fits there, else on a line of its own.
            if (Width(lines[lines.Count - 1] + rest) <= available || rest.Trim().Length == 0)
            {
                lines[lines.Count - 1] += rest;
            }
            else
            {
                lines.Add(@"{} \cdot " + rest.Trim());
            }

            return lines;
        }

        return new[] { formula };
    }

    /// <summary>Terms put together on lines as long as they fit.</summary>
    private static IReadOnlyList<string> Pack(string formula, IReadOnlyList<(int Start, int Length)> terms, double available)
    {
        var lines = new List<string>();
        var current = new StringBuilder();
        foreach (var (start, length) in terms)
        {
            var term = formula.Substring(start, length).Trim();
            if (current.Length > 0 && Width(current + " " + term) > available)
            {
                lines.Add(current.ToString());
                current.Clear();
            }

            current.Append(current.Length > 0 ? " " : "").Append(term);
        }

        lines.Add(current.ToString());
        return lines;
    }

    /// <summary>The spans of the terms between <paramref name="start"/> and <paramref name="end"/>: cut before each + or − at the top level.</summary>
    private static List<(int Start, int Length)> SplitTerms(string text, int start, int end)
    {
        var cuts = new List<int> { start };
        var depth = 0;
        for (var i = start; i < end; i++)
        {
            if (At(text, i, @"\left"))
            {
                depth++;
                i += 5;
            }
            else if (At(text, i, @"\right"))
            {
                depth--;
                i += 6;
            }
            else if (text[i] == '{')
            {
                depth++;
            }
            else if (text[i] == '}')
            {
                depth--;
            }
            else if (depth == 0 && i > start && (text[i] == '+' || text[i] == '-') && text[i - 1] == ' ' && i + 1 < end && text[i + 1] == ' ')
            {
                cuts.Add(i);
            }
        }

        cuts.Add(end);
        return cuts.Zip(cuts.Skip(1), (a, b) => (a, b - a)).Where(span => span.Item2 > 0).ToList();
    }

    /// <summary>The \left( … \right) groups outside braces and other groups that use brackets a break may split: [ and (.</summary>
    private static IEnumerable<(int Open, int Close)> Groups(string text)
    {
        var stack = new Stack<int>();
        var braces = 0;
        for (var i = 0; i < text.Length; i++)
        {
            // Groups inside braces (a fraction's numerator, a script) cannot be split across lines.
            braces += text[i] == '{' && (i == 0 || text[i - 1] != '\\') ? 1 : text[i] == '}' && (i == 0 || text[i - 1] != '\\') ? -1 : 0;
            if (braces > 0)
            {
                continue;
            }

            if (At(text, i, @"\left[") || At(text, i, @"\left("))
            {
                stack.Push(i);
            }
            else if (At(text, i, @"\left"))
            {
                stack.Push(-1);
            }
            else if (At(text, i, @"\right"))
            {
                var open = stack.Count > 0 ? stack.Pop() : -1;
                if (open >= 0 && stack.Count == 0 && (At(text, i, @"\right]") || At(text, i, @"\right)")))
                {
                    yield return (open, i);
                }
            }
        }
    }

    private static bool At(string text, int i, string token) => string.CompareOrdinal(text, i, token, 0, token.Length) == 0;

    /// <summary>The printed width of LaTeX math in ems, estimated: fractions as wide as their wider part, scripts smaller.</summary>
    public static double Width(string tex)
    {
        var i = 0;
        return Width(tex, ref i, tex.Length);
    }

    private static double Width(string tex, ref int i, int end)
    {
        var width = 0.0;
        while (i < end)
        {
            var c = tex[i];
            if (c == '\\')
            {
                var start = ++i;
                while (i < end && char.IsLetter(tex[i]))
                {
                    i++;
                }

                var command = tex.Substring(start, i - start);
                if (command.Length == 0 && i < end)
                {
                    // \, \; \{ \} \\ and the like.
                    width += tex[i] is '{' or '}' ? 0.5 : 0.2;
                    i++;
                    continue;
                }

                width += command switch
                {
                    "frac" => Math.Max(Group(tex, ref i, end), Group(tex, ref i, end)) + 0.3,
                    "left" or "right" => Delimiter(tex, ref i, end),
                    "operatorname" or "mathrm" or "mathbf" or "texttt" => Group(tex, ref i, end) * 1.1,
                    "sqrt" => Group(tex, ref i, end) + 1.0,
                    "sum" => 1.4,
                    "quad" => 1.0,
                    "cdot" => 0.8,
                    "cdots" or "dots" or "ldots" => 1.3,
                    "leftarrow" or "rightarrow" => 1.8,
                    "log" or "max" or "min" or "sin" or "cos" => command.Length * 0.5 + 0.2,
                    "tanh" => 2.2,
                    "partial" => 0.6,
                    "allowbreak" => 0,
                    _ => 0.6,
                };
            }
            else if (c is '_' or '^')
            {
                // A subscript and a superscript stack: together they are as wide as the wider.
                i++;
                var script = 0.7 * (i < end && tex[i] == '{' ? Group(tex, ref i, end) : Single(tex, ref i));
                var stacked = i < end && (tex[i] == '_' || tex[i] == '^') && tex[i] != c;
                if (stacked)
                {
                    i++;
                    script = Math.Max(script, 0.7 * (i < end && tex[i] == '{' ? Group(tex, ref i, end) : Single(tex, ref i)));
                }

                width += script;
            }
            else if (c == '{')
            {
                width += Group(tex, ref i, end);
            }
            else if (c is '+' or '-' or '=')
            {
                width += 1.3;
                i++;
            }
            else if (c == '&')
            {
                // The gap between the columns of a matrix.
                width += 1.0;
                i++;
            }
            else if (c is ' ' or '}')
            {
                i++;
            }
            else
            {
                width += c is '(' or ')' or '[' or ']' or ',' or '.' or '|' ? 0.4 : 0.55;
                i++;
            }
        }

        return width;
    }

    /// <summary>The width of the braced group at <paramref name="i"/>, which is passed.</summary>
    private static double Group(string tex, ref int i, int end)
    {
        if (i >= end || tex[i] != '{')
        {
            return i < end ? Single(tex, ref i) : 0;
        }

        var depth = 0;
        var start = i + 1;
        for (; i < end; i++)
        {
            depth += tex[i] == '{' ? 1 : tex[i] == '}' ? -1 : 0;
            if (depth == 0)
            {
                break;
            }
        }

        var inner = start;
        var width = Width(tex, ref inner, i);
        i++;
        return width;
    }

    private static double Single(string tex, ref int i)
    {
        i++;
        return 0.55;
    }

    private static double Delimiter(string tex, ref int i, int end)
    {
        if (i < end && tex[i] == '\\')
        {
            i += 2;
        }
        else
        {
            i++;
        }

        return tex[i - 1] == '.' ? 0 : 0.45;
    }
}
