using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

// The samples compile this file too, in their own namespace, to write each document's Markdown beside its LaTeX.
#if BACKPROPGEN_SAMPLES
namespace BackpropGen.Samples;
#else
namespace BackpropGen.Generator.Documents;
#endif

/// <summary>
/// The derivation document in GitHub's Markdown: the same text and formulas as the LaTeX document, with displayed
/// equations in <c>$$ … $$</c> blocks (numbered by <c>\tag</c>), inline math in <c>$ … $</c>, sections as headings,
/// references to equations and the figure resolved to their numbers, and the figure drawn as a Mermaid graph.
/// It is converted from the rendered LaTeX, which the template writes in a small, fixed subset, so both say the same.
/// </summary>
internal static class MarkdownDocument
{
    /// <summary>The document <paramref name="latex"/>, as the derivation document's template writes it, in Markdown.</summary>
    public static string FromLatex(string latex)
    {
        var labels = Regex.Matches(latex, @"\\tag\{(\d+)\}\\label\{([^}]+)\}").Cast<Match>()
            .ToDictionary(m => m.Groups[2].Value, m => m.Groups[1].Value);
        var figures = Regex.Matches(latex, @"\\label\{(fig:[^}]+)\}").Cast<Match>().Select(m => m.Groups[1].Value).ToList();
        for (var f = 0; f < figures.Count; f++)
        {
            labels[figures[f]] = (f + 1).ToString(CultureInfo.InvariantCulture);
        }

        var title = Regex.Match(latex, @"\\title\{(.*)\}").Groups[1].Value;
        var body = latex.Substring(latex.IndexOf(@"\maketitle", System.StringComparison.Ordinal) + @"\maketitle".Length);
        body = body.Substring(0, body.IndexOf(@"\end{document}", System.StringComparison.Ordinal));

        var text = new StringBuilder();
        text.Append("# ").Append(Inline(title, labels)).Append("\n\n");
        var section = 0;
        var lines = body.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith(@"\begin{equation", System.StringComparison.Ordinal))
            {
                var end = line.Replace("begin", "end");
                var math = new List<string>();
                while (++i < lines.Length && lines[i] != end)
                {
                    math.Add(Regex.Replace(lines[i], @"\\label\{[^}]*\}", ""));
                }

                text.Append("\n$$\n").Append(string.Join("\n", math.Where(m => m.Length > 0))).Append("\n$$\n\n");
            }
            else if (line == @"\begin{align*}")
            {
                // A block that may break across pages: in Markdown one aligned display, its number after it.
                var rows = new List<string>();
                var tag = "";
                while (++i < lines.Length && lines[i] != @"\end{align*}")
                {
                    if (lines[i].StartsWith(@"\tag{", System.StringComparison.Ordinal))
                    {
                        tag = Regex.Replace(lines[i], @"\\label\{[^}]*\}", "");
                    }
                    else
                    {
                        rows.Add(lines[i].Replace(@"\\*", @"\\"));
                    }
                }

                text.Append("\n$$\n\\begin{aligned}\n").Append(string.Join("\n", rows)).Append("\n\\end{aligned}\n")
                    .Append(tag.Length > 0 ? tag + "\n" : "").Append("$$\n\n");
            }
            else if (line.StartsWith(@"\begin{figure}", System.StringComparison.Ordinal))
            {
                var figure = new List<string>();
                while (++i < lines.Length && lines[i] != @"\end{figure}")
                {
                    figure.Add(lines[i]);
                }

                text.Append(Mermaid(figure, labels));
            }
            else if (Regex.Match(line, @"^\\section\{(.*)\}$") is { Success: true } heading)
            {
                section++;
                text.Append("## ").Append(section.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(Inline(heading.Groups[1].Value, labels)).Append("\n\n");
            }
            else if (line == @"\begin{abstract}")
            {
                text.Append("> **Abstract.** ");
                while (++i < lines.Length && lines[i] != @"\end{abstract}")
                {
                    text.Append(Inline(lines[i], labels)).Append(' ');
                }

                text.Append("\n\n");
            }
            else
            {
                text.Append(Inline(line, labels)).Append('\n');
            }
        }

        return Regex.Replace(text.ToString(), @"\n{3,}", "\n\n").Trim() + "\n";
    }

    /// <summary>Prose: <c>\texttt</c> as code, references as numbers, escaped characters as themselves; math is left as it is.</summary>
    private static string Inline(string line, IReadOnlyDictionary<string, string> labels)
    {
        line = Regex.Replace(line, @"equations?~\\eqref\{([^}]*)\}|~?\\eqref\{([^}]*)\}", m =>
        {
            var label = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value;
            var number = labels.TryGetValue(label.Trim(), out var n) ? "(" + n + ")" : "";
            return m.Value.StartsWith("equation", System.StringComparison.Ordinal) ? m.Value.Substring(0, m.Value.IndexOf('~')) + " " + number : " " + number;
        });
        line = Regex.Replace(line, @"Figure~\\ref\{([^}]*)\}", m => "Figure " + (labels.TryGetValue(m.Groups[1].Value, out var n) ? n : "?"));
        line = Regex.Replace(line, @"\\texttt\{\s*((?:[^{}]|\{\})*?)\s*\}", m => "`" + Unescape(m.Groups[1].Value) + "`");
        line = line.Replace("~", " ");
        return line;
    }

    private static string Unescape(string text) =>
        Regex.Replace(text.Replace(@"\textbackslash{}", "\\").Replace(@"\^{}", "^").Replace(@"\~{}", "~"), @"\\([_{}#$%&])", "$1");

    /// <summary>The network figure as a Mermaid graph from the TikZ nodes and arrows; labels in plain text.</summary>
    private static string Mermaid(IReadOnlyList<string> figure, IReadOnlyDictionary<string, string> labels)
    {
        var text = new StringBuilder("```mermaid\ngraph LR\n");
        foreach (var line in figure)
        {
            if (Regex.Match(line, @"^\\node\[(\w+)\] \((\w+)\) at \([^)]*\) \{\$(.*)\$\};$") is { Success: true } node)
            {
                var name = Plain(node.Groups[3].Value);
                text.Append("  ").Append(node.Groups[2].Value)
                    .Append(node.Groups[1].Value switch { "target" or "value" => "[\"" + name + "\"]", "gap" => "{{\"" + name + "\"}}", _ => "((\"" + name + "\"))" })
                    .Append('\n');
            }
            else if (Regex.Match(line, @"^\\draw\[(\w+)\] \((\w+)\) -- \((\w+)\);$") is { Success: true } edge)
            {
                text.Append("  ").Append(edge.Groups[2].Value).Append(edge.Groups[1].Value == "compare" ? " -.- " : " --> ").Append(edge.Groups[3].Value).Append('\n');
            }
        }

        text.Append("```\n\n");
        var label = figure.Select(l => Regex.Match(l, @"\\label\{([^}]*)\}")).FirstOrDefault(m => m.Success)?.Groups[1].Value;
        var number = label is not null && labels.TryGetValue(label, out var n) ? n : "";
        if (figure.FirstOrDefault(l => l.StartsWith(@"\caption{", System.StringComparison.Ordinal)) is { } caption)
        {
            text.Append("*Figure ").Append(number).Append(": ").Append(Inline(caption.Substring(9, caption.Length - 10), labels)).Append("*\n\n");
        }

        return text.ToString();
    }

    /// <summary>A node's LaTeX label as text: <c>a^{(1)}_{2}</c> as <c>a(1)_2</c>, <c>\vdots</c> as <c>⋮</c>, a line break as <c>&lt;br/&gt;</c>.</summary>
    private static string Plain(string latex) =>
        Regex.Replace(
            latex.Replace(@"$\\ $", "<br/>").Replace(@"\vdots", "⋮").Replace(@"\cdots", "⋯").Replace(@"\partial ", "∂").Replace(@"\mathbf", ""),
            @"[{}\\$]", "")
        .Replace("^", "");
}
