using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace BackpropGen.Generator.Documents;

/// <summary>Lays out one displayed equation: <c>lhs = step₁ = step₂ …</c>, numbered with \tag and \label, or not.</summary>
internal static class EquationBlock
{
    /// <summary>Blocks of at least this many lines may break across pages, between their steps.</summary>
    public const int BreakableRows = 4;

    public static string Render(string lhs, string relation, IReadOnlyList<string> steps, int? number, string? label)
    {
        // A step too wide for the line is broken at its plus and minus signs, continued under the relation.
        var available = LineBreaker.MaxWidth - LineBreaker.Width(lhs + " " + relation);
        var lines = steps.Select(step => LineBreaker.Break(step, available)).ToList();
        if (lines.Count == 1 && lines[0].Count == 1)
        {
            var text = new StringBuilder();
            text.Append(number is null ? @"\begin{equation*}" : @"\begin{equation}").Append('\n');
            text.Append(lhs).Append(' ').Append(relation).Append(' ').Append(steps[0]).Append('\n');
            AppendTag(text, number, label);
            return text.Append(number is null ? @"\end{equation*}" : @"\end{equation}").ToString();
        }

        var rows = new List<Row>();
        for (var i = 0; i < lines.Count; i++)
        {
            rows.Add(new Row((i == 0 ? lhs + " &" + relation + " " : "&= ") + lines[i][0], StepStarts: true));
            rows.AddRange(lines[i].Skip(1).Select(line => new Row(@"&\quad " + line, StepStarts: false)));
        }

        return Lay(rows, number, label);
    }

    /// <summary>
    /// A derivation in steps: <c>lhs = first</c>, then one line per step with the rules that led to it set off at the
    /// right, <c>= step \qquad (rule)</c>.
    /// </summary>
    public static string RenderSteps(string lhs, string first, IReadOnlyList<(string Step, string Rules)> steps, int? number, string? label)
    {
        var rows = new List<Row> { new(lhs + " &= " + first, StepStarts: true) };
        var available = LineBreaker.MaxWidth - LineBreaker.Width(lhs + " =");
        foreach (var (step, rules) in steps)
        {
            // The rules go beside the step's last line when they fit there, else on a line of their own below it.
            var lines = LineBreaker.Break(step, available);
            var note = @"\text{(" + rules + ")}";
            rows.AddRange(lines.Select((line, k) => new Row((k == 0 ? "&= " : @"&\quad ") + line, StepStarts: k == 0)));
            var besideWidth = LineBreaker.Width(lines[lines.Count - 1]) + 2 + 0.45 * (rules.Length + 2);
            if (besideWidth <= available)
            {
                rows[rows.Count - 1] = rows[rows.Count - 1] with { Text = rows[rows.Count - 1].Text + @" \qquad " + note };
            }
            else
            {
                rows.Add(new Row(@"&\qquad " + note, StepStarts: false));
            }
        }

        return Lay(rows, number, label);
    }

    /// <summary>Equations <c>left &amp;= right</c>, one a line, aligned at their relation; breakable across pages between them when there are many.</summary>
    public static string Aligned(IReadOnlyList<string> equations) =>
        Lay(equations.Select(e => new Row(e, StepStarts: true)).ToList(), null, null);

    /// <summary>One line of an aligned block; <paramref name="StepStarts"/> is false for a line that continues the step above it.</summary>
    private sealed record Row(string Text, bool StepStarts);

    /// <summary>
    /// The rows aligned at their relation. A short block is one unbreakable display, its number centred beside it; a
    /// long one (<see cref="BreakableRows"/> lines or more) is an <c>align*</c>, numbered on its last line, which may break
    /// across pages between two steps but never inside a step, nor after its first line.
    /// </summary>
    private static string Lay(IReadOnlyList<Row> rows, int? number, string? label)
    {
        var text = new StringBuilder();
        var breakable = rows.Count >= BreakableRows;
        text.Append(breakable ? @"\begin{align*}" : number is null ? @"\begin{equation*}" : @"\begin{equation}").Append('\n');
        if (!breakable)
        {
            text.Append(@"\begin{aligned}").Append('\n');
        }

        for (var i = 0; i < rows.Count; i++)
        {
            if (i > 0)
            {
                text.Append(breakable && rows[i].StepStarts && i > 1 ? @" \\" : breakable ? @" \\*" : @" \\").Append('\n');
            }

            text.Append(rows[i].Text);
        }

        text.Append('\n');
        if (!breakable)
        {
            text.Append(@"\end{aligned}").Append('\n');
        }

        AppendTag(text, number, label);
        return text.Append(breakable ? @"\end{align*}" : number is null ? @"\end{equation*}" : @"\end{equation}").ToString();
    }

    private static void AppendTag(StringBuilder text, int? number, string? label)
    {
        if (number is { } n)
        {
            text.Append(@"\tag{").Append(n.ToString(CultureInfo.InvariantCulture)).Append(@"}\label{").Append(label).Append("}\n");
        }
    }
}
