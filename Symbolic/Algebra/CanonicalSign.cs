namespace BackpropGen.Symbolic;

/// <summary>
/// Which of u and −u is the canonical one: the form whose leading term (in the canonical order) has a positive
/// coefficient. For canonical trees exactly one of the two is negated, so rules for f(−u) apply once and stop.
/// </summary>
internal static class CanonicalSign
{
    /// <summary>True for a canonical expression that leads with a minus sign: −2x, t − y (when t sorts after y), −3.</summary>
    public static bool IsNegated(Expr e) => e switch
    {
        Number n => n.Value.IsNegative,
        Product { Factors: [Number n, ..] } => n.Value.IsNegative,
        Sum s => IsNegated(s.Terms[0]),
        _ => false,
    };

    /// <summary>The one of u and −u that is not <see cref="IsNegated"/>, with whether it is −u.</summary>
    public static Expr Positive(Expr e, out bool negated)
    {
        negated = IsNegated(e);
        return negated ? Expr.Negate(e) : e;
    }
}
