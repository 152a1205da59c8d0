namespace BackpropGen.Generator.Diagnostics;

/// <summary>
/// The keys of <see cref="Microsoft.CodeAnalysis.Diagnostic.Properties"/> that carry what a code fix needs beyond the
/// diagnostic's location. The code-fix assembly compiles this same file, so both sides use one set of keys.
/// </summary>
internal static class DiagnosticProperties
{
    /// <summary>
    /// BPG0012 and BPG0014 for an unknown function: the known function to write instead of the name at the
    /// diagnostic's location (<c>sigmoid</c> for <c>sigmod</c>).
    /// </summary>
    public const string Suggestion = "Suggestion";
}
