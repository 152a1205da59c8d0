using BackpropGen;

namespace BackpropGen.Benchmarks;

/// <summary>The notes network, generated: 2 inputs, 3 sigmoid, 2 sigmoid, ½ Σ (y − t)².</summary>
[Network(inputs: 2, Loss = Loss.HalfSquaredError)]
[Dense(3, Activation.Sigmoid)]
[Dense(2, Activation.Sigmoid)]
public partial class NotesNet : IGeneratedNetwork<double>
{
}

/// <summary>The notes network in <see langword="float"/>.</summary>
[Network(inputs: 2, Loss = Loss.HalfSquaredError, Precision = Precision.Single)]
[Dense(3, Activation.Sigmoid)]
[Dense(2, Activation.Sigmoid)]
public partial class NotesNetSingle : IGeneratedNetwork<float>
{
}

/// <summary>An iris-sized classifier: 4 inputs, 8 sigmoid, 3 softmax, cross-entropy.</summary>
[Network(inputs: 4, Loss = Loss.CrossEntropy)]
[Dense(8, Activation.Sigmoid)]
[Dense(3, Activation.Softmax)]
public partial class Net4x8x3Double : IGeneratedNetwork<double>
{
}

/// <summary>The 4-8-3 classifier in <see langword="float"/>.</summary>
[Network(inputs: 4, Loss = Loss.CrossEntropy, Precision = Precision.Single)]
[Dense(8, Activation.Sigmoid)]
[Dense(3, Activation.Softmax)]
public partial class Net4x8x3Single : IGeneratedNetwork<float>
{
}
