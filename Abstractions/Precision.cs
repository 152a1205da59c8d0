namespace BackpropGen;

/// <summary>The floating-point type of the generated code's parameters, inputs, outputs and arithmetic.</summary>
public enum Precision
{
    /// <summary>64-bit <see cref="double"/> throughout.</summary>
    Double,

    /// <summary>32-bit <see cref="float"/> throughout.</summary>
    Single,
}
