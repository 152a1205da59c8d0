using BackpropGen;

namespace BackpropGen.Benchmarks;

/// <summary>A digits-sized classifier (8×8 images): 64 inputs, 32 sigmoid, 10 softmax, cross-entropy.</summary>
[Network(inputs: 64, Loss = Loss.CrossEntropy)]
[Dense(32, Activation.Sigmoid)]
[Dense(10, Activation.Softmax)]
public partial class Net64x32x10Double : IGeneratedNetwork<double>
{
}

/// <summary>The 64-32-10 classifier in <see langword="float"/>.</summary>
[Network(inputs: 64, Loss = Loss.CrossEntropy, Precision = Precision.Single)]
[Dense(32, Activation.Sigmoid)]
[Dense(10, Activation.Softmax)]
public partial class Net64x32x10Single : IGeneratedNetwork<float>
{
}

/// <summary>An MNIST-sized classifier (28×28 images): 784 inputs, 128 sigmoid, 10 softmax, cross-entropy.</summary>
[Network(inputs: 784, Loss = Loss.CrossEntropy)]
[Dense(128, Activation.Sigmoid)]
[Dense(10, Activation.Softmax)]
public partial class Net784x128x10Double : IGeneratedNetwork<double>
{
}

/// <summary>The 784-128-10 classifier in <see langword="float"/>.</summary>
[Network(inputs: 784, Loss = Loss.CrossEntropy, Precision = Precision.Single)]
[Dense(128, Activation.Sigmoid)]
[Dense(10, Activation.Softmax)]
public partial class Net784x128x10Single : IGeneratedNetwork<float>
{
}
