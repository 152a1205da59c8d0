using BackpropGen;

namespace BackpropGen.Benchmarks;

/// <summary>The notes network, generated: 2 inputs, 3 sigmoid, 2 sigmoid, ½ Σ (y − t)².</summary>
[Network(inputs: 2, Loss = Loss.HalfSquaredError)]
[Dense(3, Activation.Sigmoid)]
[Dense(2, Activation.Sigmoid)]
public partial class NotesNet
{
}
