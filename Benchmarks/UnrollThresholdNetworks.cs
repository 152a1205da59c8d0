using BackpropGen;

namespace BackpropGen.Benchmarks;

/// <summary>8-16-4 sigmoid, ½ Σ (y − t)², every layer unrolled.</summary>
[Network(inputs: 8, Loss = Loss.HalfSquaredError, MaxUnrolledWeights = 4096)]
[Dense(16, Activation.Sigmoid)]
[Dense(4, Activation.Sigmoid)]
public partial class Unrolled8x16x4 : IGeneratedNetwork<double>
{
}

/// <summary>8-16-4 sigmoid, ½ Σ (y − t)², every layer a loop.</summary>
[Network(inputs: 8, Loss = Loss.HalfSquaredError, MaxUnrolledWeights = 0)]
[Dense(16, Activation.Sigmoid)]
[Dense(4, Activation.Sigmoid)]
public partial class Looped8x16x4 : IGeneratedNetwork<double>
{
}

/// <summary>16-16-16: 16 sigmoid, 16 softmax, cross-entropy, every layer unrolled.</summary>
[Network(inputs: 16, Loss = Loss.CrossEntropy, MaxUnrolledWeights = 4096)]
[Dense(16, Activation.Sigmoid)]
[Dense(16, Activation.Softmax)]
public partial class Unrolled16x16x16 : IGeneratedNetwork<double>
{
}

/// <summary>16-16-16: 16 sigmoid, 16 softmax, cross-entropy, every layer a loop.</summary>
[Network(inputs: 16, Loss = Loss.CrossEntropy, MaxUnrolledWeights = 0)]
[Dense(16, Activation.Sigmoid)]
[Dense(16, Activation.Softmax)]
public partial class Looped16x16x16 : IGeneratedNetwork<double>
{
}

/// <summary>32-32-10: 32 sigmoid, 10 softmax, cross-entropy, every layer unrolled.</summary>
[Network(inputs: 32, Loss = Loss.CrossEntropy, MaxUnrolledWeights = 4096)]
[Dense(32, Activation.Sigmoid)]
[Dense(10, Activation.Softmax)]
public partial class Unrolled32x32x10 : IGeneratedNetwork<double>
{
}

/// <summary>32-32-10: 32 sigmoid, 10 softmax, cross-entropy, every layer a loop.</summary>
[Network(inputs: 32, Loss = Loss.CrossEntropy, MaxUnrolledWeights = 0)]
[Dense(32, Activation.Sigmoid)]
[Dense(10, Activation.Softmax)]
public partial class Looped32x32x10 : IGeneratedNetwork<double>
{
}
