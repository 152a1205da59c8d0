namespace BackpropGen.Generator;

/// <summary>The names of the pipeline's steps, which tests use to check what an edit recomputes.</summary>
public static class TrackingNames
{
    /// <summary>One <c>NetworkSource</c> per <c>[Network]</c> class: the raw values of its attributes and their places.</summary>
    public const string Sources = nameof(Sources);

    /// <summary>One <c>NetworkDeclaration</c> per <c>[Network]</c> class: the parsed network and its diagnostics.</summary>
    public const string Networks = nameof(Networks);

    /// <summary>The SIMD APIs the compilation references (<c>VectorSupport</c>), one value for all networks.</summary>
    public const string VectorSupport = nameof(VectorSupport);

    /// <summary>One <c>NetworkModel</c> per network that generates code: the declaration without diagnostics or locations.</summary>
    public const string Models = nameof(Models);

    /// <summary>One <c>GeneratedNetwork</c> per network: its derived and emitted file (and an internal error, if one happened).</summary>
    public const string Generated = nameof(Generated);

    /// <summary>Per class with <c>[Dense]</c>: the warning when it has no <c>[Network]</c>, else nothing.</summary>
    public const string LayersWithoutNetwork = nameof(LayersWithoutNetwork);
}
