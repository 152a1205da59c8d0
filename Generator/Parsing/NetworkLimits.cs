namespace BackpropGen.Generator.Parsing;

/// <summary>
/// The largest networks the generator writes as unrolled straight-line code. Larger declarations get a
/// diagnostic instead of a generated file whose size would grow with the number of weights.
/// </summary>
public static class NetworkLimits
{
    /// <summary>The most weights (inputs × units) one layer can have.</summary>
    public const int MaxWeightsPerLayer = 4096;

    /// <summary>The most parameters (weights and biases of all layers) one network can have.</summary>
    public const int MaxParameters = 16384;

    /// <summary>
    /// The most nodes a custom activation or loss may unroll into: the nodes of the expression and of its derivative
    /// as the C# printer writes them out, times the units they are written for (about what the largest built-in
    /// layers unroll into).
    /// </summary>
    public const int MaxUnrolledExpressionNodes = 250000;
}
