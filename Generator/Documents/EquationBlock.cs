using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace BackpropGen.Generator.Documents;

/// <summary>Lays out one displayed equation: <c>lhs = step₁ = step₂ …</c>, numbered with \tag and \label, or not.</summary>
internal static class EquationBlock
{
    public static string Render(string lhs, string relation, IReadOnlyList<string> steps, int? number, string? label)
    {
        var text = new StringBuilder();
        text.Append(number is null ? @"\begin{equation*}" : @"\begin{equation}").Append('\n');
        if (steps.Count == 1)
        {
            text.Append(lhs).Append(' ').Append(relation).Append(' ').Append(steps[0]).Append('\n');
        }
        else
        {
            text.Append(@"\begin{aligned}").Append('\n');
            text.Append(lhs).Append(" &").Append(relation).Append(' ').Append(steps[0]);
            for (var i = 1; i < steps.Count; i++)
            {
                text.Append(@" \\").Append('\n').Append("&= ").Append(steps[i]);
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
}
