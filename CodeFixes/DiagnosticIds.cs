namespace BackpropGen.CodeFixes;

/// <summary>
/// The IDs of the generator's diagnostics that have a code fix (the descriptors are in the generator's
/// <c>DiagnosticDescriptors</c>; a test checks each ID here against its descriptor).
/// </summary>
internal static class DiagnosticIds
{
    public const string NetworkClassNotPartial = "BPG0001";

    public const string ContainingTypeNotPartial = "BPG0002";

    public const string NetworkClassStatic = "BPG0004";

    public const string InvalidActivationExpression = "BPG0012";

    public const string InvalidLossExpression = "BPG0014";

    public const string LossSetTwice = "BPG0016";

    public const string LossNameHidden = "BPG0024";
}
