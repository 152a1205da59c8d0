using BackpropGen;

namespace BackpropGen.Samples;

/// <summary>The network of the 365 Data Science notes: two inputs, three sigmoid hidden units, two sigmoid outputs.</summary>
[Network(inputs: 2, Loss = Loss.HalfSquaredError, Notation = Notation.Notes)]
[Dense(3, Activation.Sigmoid)]
[Dense(2, Activation.Sigmoid)]
public partial class NotesNet
{
}
