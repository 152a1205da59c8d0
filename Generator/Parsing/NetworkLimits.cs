namespace BackpropGen.Generator.Parsing;

/// <summary>
/// How large generated code may get. Layers up to <see cref="DefaultMaxUnrolledWeights"/> weights (or the network's own
/// <c>MaxUnrolledWeights</c>) are written out as straight-line code, wider ones as loops whose size does not grow
/// with the width; only absurd networks are refused.
/// </summary>
public static class NetworkLimits
{
    /// <summary>The default of <c>NetworkAttribute.MaxUnrolledWeights</c>: wider layers are generated as loops.</summary>
    public const int DefaultMaxUnrolledWeights = 128;

    /// <summary>The largest value <c>MaxUnrolledWeights</c> may take: the most weights one unrolled layer can have.</summary>
    public const int MaxUnrolledWeights = 4096;

    /// <summary>
    /// The most parameters all unrolled layers of a network may have together; layers beyond this budget are
    /// generated as loops whatever their width, so unrolled code stays bounded.
    /// </summary>
    public const int MaxUnrolledParameters = 16384;

    /// <summary>The most parameters (weights and biases of all layers) one network can have: 2²⁴, 64 MiB of floats.</summary>
    public const int MaxParameters = 1 << 24;

    /// <summary>
    /// The most nodes a custom activation or loss may unroll into: the nodes of the expression and of its derivative
    /// as the C# printer writes them out, times the units they are written for in unrolled layers (about what the
    /// largest built-in layers unroll into).
    /// </summary>
    public const int MaxUnrolledExpressionNodes = 250000;
}
