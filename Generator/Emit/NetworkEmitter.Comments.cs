using BackpropGen.Generator.Documents;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Networks;
using BackpropGen.Symbolic.Printing;
using static BackpropGen.Symbolic.Networks.NetworkSymbols;

namespace BackpropGen.Generator.Emit;

/// <summary>
/// The comments of the generated code: each statement shows the equation it computes, printed from the derivation's
/// own expressions by the document's notation (its letters and its first index), and the number of that equation in
/// <c>DerivationLatex</c>, so a line of code reads like the line of the PDF it implements.
/// </summary>
internal sealed partial class NetworkEmitter
{
    /// <summary>A sum at concrete units is written out in a comment up to this many terms, else left as Σ.</summary>
    private const int CommentTerms = 4;

    /// <summary>Each comment is printed once: the same statement stands in several methods.</summary>
    private readonly System.Collections.Generic.Dictionary<(string Kind, int Layer, int From, int Unit), string> _comments = new();

    private string Memo(string kind, int layer, int from, int unit, System.Func<string> print)
    {
        var key = (kind, layer, from, unit);
        if (!_comments.TryGetValue(key, out var comment))
        {
            comment = print();
            _comments.Add(key, comment);
        }

        return comment;
    }

    private string Text(Expr e) => _notation.Text(e);

    /// <summary>A named index as the notation letters it, as a subscript: ₖ.</summary>
    private string UnicodeIndex(string canonical) => UnicodePrinter.Subscript(_notation.MapIndex(Subscript.Named(canonical)).Name!);

    private string Cite(string label) => $"   (eq. {Number(label)})";

    private string Equation(Expr left, Expr right, string label) => $"{Text(left)} = {Text(right)}{Cite(label)}";

    private string Partial(Expr numerator, Expr denominator) => $"∂{Text(numerator)}/∂{Text(denominator)}";

    /// <summary>An index-form expression at unit <paramref name="unit"/>, its sums written out when they have few terms.</summary>
    private static Expr AtUnit(Expr indexForm, int unit, int terms)
    {
        var at = indexForm.SubstituteIndex(Unit, unit);
        return terms <= CommentTerms ? at.ExpandSums() : at;
    }

    private string PreActivationComment(LayerDerivation layer, int unit) => Memo("a", layer.Number, 0, unit, () =>
        Equation(PreActivation(layer.Number, unit), AtUnit(layer.PreActivation, unit, layer.Inputs), EquationLabels.PreActivation(layer.Number)));

    private string OutputComment(LayerDerivation layer, int unit) => Memo("h", layer.Number, 0, unit, () =>
        Equation(Output(layer.Number, unit), AtUnit(layer.Output, unit, layer.Units), EquationLabels.Output(layer.Number)));

    /// <summary>δ_j as the document's equation writes it: the chain rule's product, or the simplified form it derives.</summary>
    private string DeltaComment(LayerDerivation layer, int unit) => Memo("delta", layer.Number, 0, unit, () =>
    {
        var shown = layer.DeltaForm == DeltaForm.ChainProduct ? layer.DeltaChain : layer.Delta;
        var terms = layer.IsOutput ? layer.Units : _spec.UnitsOf(layer.Number + 1);
        return Equation(Delta(layer.Number, unit), AtUnit(shown, unit, terms), EquationLabels.Delta(layer.Number));
    });

    private string LossComment() => Memo("loss", 0, 0, 0, () =>
        _derivation.StableLoss is { } stable
            ? $"{Text(Loss)} = {Text(stable)}, the {_spec.Loss.Name} from the weighted inputs so it stays finite{Cite(EquationLabels.Loss)}"
            : $"{Text(Loss)} = {Text(_derivation.Loss)}, the {_spec.Loss.Name}{Cite(EquationLabels.Loss)}");

    private string WeightGradientComment(LayerDerivation layer, int from, int unit) => Memo("dw", layer.Number, from, unit, () =>
        $"{Partial(Loss, Weight(layer.Number, from, unit))} = {Text(layer.WeightGradient.SubstituteIndex(From, from).SubstituteIndex(Unit, unit))}{Cite(EquationLabels.WeightGradient(layer.Number))}");

    private string BiasGradientComment(LayerDerivation layer, int unit) => Memo("db", layer.Number, 0, unit, () =>
        $"{Partial(Loss, Bias(layer.Number, unit))} = {Text(layer.BiasGradient.SubstituteIndex(Unit, unit))}{Cite(EquationLabels.BiasGradient(layer.Number))}");

    /// <summary>The update rule's assignment of one parameter, its gradient written ∂L/∂θ as in the document.</summary>
    private string UpdateComment(UpdateEquation rule, Symbol parameter, string label)
    {
        var update = rule.Instantiate(parameter, new Symbol(Partial(Objective, parameter)));
        return $"{Text(update.Target)} ← {Text(update.Value)}{Cite(label)}";
    }
}
