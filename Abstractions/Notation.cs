namespace BackpropGen;

/// <summary>
/// The letters the derivation document is written in. The notation changes only the document: the generated code
/// and the parameter layout are the same for all of them.
/// </summary>
public enum Notation
{
    /// <summary>
    /// The 365 Data Science notes on backpropagation: inputs x_i, weights w_ij, u_ij, … (i from, j to),
    /// pre-activations a_j, hidden outputs h_j, outputs y_j, targets t_j, loss L and error signals δ_j.
    /// </summary>
    Notes,

    /// <summary>
    /// The 3Blue1Brown chapter on backpropagation calculus: activations a^(l)_j (a^(0) the input), pre-activations
    /// z^(l)_j, weights w^(l)_jk (j to, k from), targets y_j, and cost C0 for one example (C for the mean).
    /// </summary>
    Layered,

    /// <summary>
    /// The Coursera deep-learning course's matrix form: pre-activations Z^[l], activations A^[l] (A^[0] = X),
    /// weights W^[l], targets Y, cost J, and the gradients dZ^[l], dW^[l] and db^[l].
    /// </summary>
    Vectorized,
}
