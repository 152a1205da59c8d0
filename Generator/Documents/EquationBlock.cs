using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace BackpropGen.Generator.Documents;

/// <summary>Lays out one displayed equation: <c>lhs = step₁ = step₂ …</c>, numbered with \tag and \label, or not.</summary>
internal static class EquationBlock
{
    public static string Render(string lhs, string relation, IReadOnlyList<string> steps, int? number, string? label)
    {
        // A step too wide for the line is broken at its plus and minus signs, continued under the relation.
        var available = LineBreaker.MaxWidth - LineBreaker.Width(lhs + " " + relation);
        var lines = steps.Select(step => LineBreaker.Break(step, available)).ToList();
        var text = new StringBuilder();
        text.Append(number is null ? @"\begin{equation*}" : @"\begin{equation}").Append('\n');
        if (lines.Count == 1 && lines[0].Count == 1)
        {
            text.Append(lhs).Append(' ').Append(relation).Append(' ').Append(steps[0]).Append('\n');
        }
        else
        {
            text.Append(@"\begin{aligned}").Append('\n');
            for (var i = 0; i < lines.Count; i++)
            {
                if (i > 0)
                {
                    text.Append(@" \\").Append('\n');
                }

                text.Append(i == 0 ? lhs + " &" + relation : "&= ").Append(i == 0 ? " " : "").Append(lines[i][0]);
                for (var k = 1; k < lines[i].Count; k++)
                {
                    text.Append(@" \\").Append('\n').Append(@"&\quad ").Append(lines[i][k]);
                }
            }

            text.Append('\n').Append(@"\end{aligned}").Append('\n');
        }

        if (number is { } n)
        {
            text.Append(@"\tag{").Append(n.ToString(CultureInfo.InvariantCulture)).Append(@"}\label{").Append(label).Append("}\n");
        }

        text.Append(number is null ? @"\end{equation*}" : @"\end{equation}");
        return text.ToString();
    }

    /// <summary>
    /// A derivation in steps: <c>lhs = first</c>, then one line per step with the rules that led to it set off at the
    /// right, <c>= step \qquad (rule)</c>.
    /// </summary>
    public static string RenderSteps(string lhs, string first, IReadOnlyList<(string Step, string Rules)> steps, int? number, string? label)
    {
        var text = new StringBuilder();
        text.Append(number is null ? @"\begin{equation*}" : @"\begin{equation}").Append('\n');
        text.Append(@"\begin{aligned}").Append('\n');
        text.Append(lhs).Append(" &= ").Append(first);
        var available = LineBreaker.MaxWidth - LineBreaker.Width(lhs + " =");
        foreach (var (step, rules) in steps)
        {
            // The rules go beside the step's last line when they fit there, else on a line of their own below it.
            var lines = LineBreaker.Break(step, available);
            var note = @"\text{(" + rules + ")}";
            for (var k = 0; k < lines.Count; k++)
            {
                text.Append(@" \\").Append('\n').Append(k == 0 ? "&= " : @"&\quad ").Append(lines[k]);
            }

            var besideWidth = LineBreaker.Width(lines[lines.Count - 1]) + 2 + 0.45 * (rules.Length + 2);
            text.Append(besideWidth <= available ? @" \qquad " : @" \\" + "\n" + @"&\qquad ").Append(note);
        }

        text.Append('\n').Append(@"\end{aligned}").Append('\n');
        if (number is { } n)
        {
            text.Append(@"\tag{").Append(n.ToString(CultureInfo.InvariantCulture)).Append(@"}\label{").Append(label).Append("}\n");
        }

        text.Append(number is null ? @"\end{equation*}" : @"\end{equation}");
        return text.ToString();
    }
}
