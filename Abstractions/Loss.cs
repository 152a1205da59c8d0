namespace BackpropGen;

/// <summary>
/// The loss of one example, comparing the network's outputs y_j with the targets t_j over its k outputs.
/// A batch's loss is the mean of its examples' losses.
/// </summary>
public enum Loss
{
    /// <summary>Half the squared error, ½ Σ_j (y_j − t_j)²; its derivative in y_j is y_j − t_j.</summary>
    HalfSquaredError,

    /// <summary>The squared error, Σ_j (y_j − t_j)².</summary>
    SquaredError,

    /// <summary>The mean squared error over the k outputs, (1/k) Σ_j (y_j − t_j)².</summary>
    MeanSquaredError,

    /// <summary>
    /// The binary cross-entropy, −Σ_j [t_j log y_j + (1 − t_j) log(1 − y_j)], for outputs in (0, 1) such as a
    /// <see cref="Activation.Sigmoid"/> layer's.
    /// </summary>
    BinaryCrossEntropy,

    /// <summary>
    /// The cross-entropy, −Σ_j t_j log y_j, for a probability distribution over the outputs; with a
    /// <see cref="Activation.Softmax"/> output layer its error signal simplifies to y − t.
    /// </summary>
    CrossEntropy,
}
