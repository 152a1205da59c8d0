using System;
using System.Collections.Generic;

namespace BackpropGen.Symbolic.Networks;

/// <summary>
/// A sentence of the derivation document that a layer kind owns: LaTeX text whose <c>{0}</c>, <c>{1}</c>, … (inside the
/// text's own <c>$…$</c>) stand for <see cref="Math"/>, expressions of the derivation that the document prints in its
/// notation, and whose
/// <c>{delta}</c> and <c>{deltas}</c> stand for what the notation calls δ. So a kind writes its prose once, and every
/// notation prints its formulas with its own letters.
/// </summary>
public sealed class Prose
{
    public Prose(string text, params Expr[] math)
    {
        Text = text;
        Math = math;
    }

    public string Text { get; }

    public IReadOnlyList<Expr> Math { get; }

    private static readonly System.Text.RegularExpressions.Regex Placeholder =
        new(@"\{(\d+)\}|\{delta\}|\{deltas\}", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>The text with each expression printed by <paramref name="print"/> and δ named by <paramref name="delta"/> and <paramref name="deltas"/>.</summary>
    public string Render(Func<Expr, string> print, string delta, string deltas)
    {
        // One pass, so a printed formula's own braces (a_{0}) are never taken for a placeholder.
        return Placeholder.Replace(Text, m => m.Groups[1].Success
            ? print(Math[int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)])
            : m.Value == "{delta}" ? delta : deltas);
    }

    public override string ToString() => Render(e => e.ToString(), "δ", "δs");
}

/// <summary>
/// A formula a layer kind derives in the document's useful formulas, in steps from <see cref="Function"/> by
/// <see cref="Variable"/> to <see cref="Result"/> (the softmax's Jacobian from e^{a_k} / Σ_m e^{a_m}), numbered
/// <see cref="Label"/>, with a sentence before and after.
/// </summary>
public sealed class KindFormula
{
    public KindFormula(Prose before, Expr left, Expr function, Symbol variable, Expr result, string label, string lastRule, Prose after)
    {
        Before = before;
        Left = left;
        Function = function;
        Variable = variable;
        Result = result;
        Label = label;
        LastRule = lastRule;
        After = after;
    }

    public Prose Before { get; }

    /// <summary>What is derived, as an unevaluated derivative: ∂h_k/∂a_j.</summary>
    public Expr Left { get; }

    public Expr Function { get; }

    public Symbol Variable { get; }

    /// <summary>The form the derivation uses, the last step.</summary>
    public Expr Result { get; }

    public string Label { get; }

    /// <summary>How the last step is named when it only rewrites the engine's result ("written in the outputs").</summary>
    public string LastRule { get; }

    public Prose After { get; }
}
