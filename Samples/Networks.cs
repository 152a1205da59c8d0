using System;
using BackpropGen;

namespace BackpropGen.Samples;

/// <summary>What the sample runner needs of a generated network; each sample class implements it in its own part.</summary>
internal interface ISampleNetwork
{
    int OutputCount { get; }

    string DerivationLatex { get; }

    void Forward(ReadOnlySpan<double> input, Span<double> output);

    double Loss(ReadOnlySpan<double> input, ReadOnlySpan<double> target);

    double TrainStep(ReadOnlySpan<double> input, ReadOnlySpan<double> target, double learningRate);

    double TrainBatch(ReadOnlySpan<double> inputs, ReadOnlySpan<double> targets, double learningRate);
}

/// <summary>The network of the 365 Data Science notes: two inputs, three sigmoid hidden units, two sigmoid outputs.</summary>
[Network(inputs: 2, Loss = Loss.HalfSquaredError, Notation = Notation.Notes)]
[Dense(3, Activation.Sigmoid)]
[Dense(2, Activation.Sigmoid)]
public partial class NotesNet : ISampleNetwork
{
    int ISampleNetwork.OutputCount => OutputCount;

    string ISampleNetwork.DerivationLatex => DerivationLatex;

    double ISampleNetwork.Loss(ReadOnlySpan<double> input, ReadOnlySpan<double> target) => this.Loss(input, target);
}

/// <summary>The 3Blue1Brown chain: one sigmoid neuron per layer, three layers, C₀ = Σ (a − y)².</summary>
[Network(inputs: 1, Loss = Loss.SquaredError, Notation = Notation.Layered)]
[Dense(1, Activation.Sigmoid)]
[Dense(1, Activation.Sigmoid)]
[Dense(1, Activation.Sigmoid)]
public partial class ChainNet : ISampleNetwork
{
    int ISampleNetwork.OutputCount => OutputCount;

    string ISampleNetwork.DerivationLatex => DerivationLatex;

    double ISampleNetwork.Loss(ReadOnlySpan<double> input, ReadOnlySpan<double> target) => this.Loss(input, target);
}

/// <summary>Coursera's logistic regression: one sigmoid unit on three inputs, binary cross-entropy.</summary>
[Network(inputs: 3, Loss = Loss.BinaryCrossEntropy, Notation = Notation.Vectorized)]
[Dense(1, Activation.Sigmoid)]
public partial class LogisticRegression : ISampleNetwork
{
    int ISampleNetwork.OutputCount => OutputCount;

    string ISampleNetwork.DerivationLatex => DerivationLatex;

    double ISampleNetwork.Loss(ReadOnlySpan<double> input, ReadOnlySpan<double> target) => this.Loss(input, target);
}

/// <summary>XOR, the classic a single layer cannot learn: a tanh hidden layer, a sigmoid output.</summary>
[Network(inputs: 2, Loss = Loss.BinaryCrossEntropy)]
[Dense(4, Activation.Tanh)]
[Dense(1, Activation.Sigmoid)]
public partial class XorNet : ISampleNetwork
{
    int ISampleNetwork.OutputCount => OutputCount;

    string ISampleNetwork.DerivationLatex => DerivationLatex;

    double ISampleNetwork.Loss(ReadOnlySpan<double> input, ReadOnlySpan<double> target) => this.Loss(input, target);
}

/// <summary>
/// A softmax classifier with cross-entropy for Fisher's iris flowers: four measurements, three species; trained with
/// Adam and an L2 penalty, then saved, reloaded and served through ONNX Runtime (see <see cref="Deployment"/>).
/// </summary>
[Network(inputs: 4, Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, L2 = 1e-4)]
[Dense(8, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
public partial class IrisNet : ISampleNetwork
{
    int ISampleNetwork.OutputCount => OutputCount;

    string ISampleNetwork.DerivationLatex => DerivationLatex;

    double ISampleNetwork.Loss(ReadOnlySpan<double> input, ReadOnlySpan<double> target) => this.Loss(input, target);
}

/// <summary>
/// A custom activation (softsign, x / (1 + |x|)) and a custom loss (a smooth absolute error, 0 at y = t) fitting
/// a sine curve.
/// </summary>
[Network(inputs: 1, LossExpression = "softplus(y - t) + softplus(t - y) - 2 * log(2)")]
[Dense(8, "x / (1 + abs(x))")]
[Dense(1, Activation.Identity)]
public partial class CustomNet : ISampleNetwork
{
    int ISampleNetwork.OutputCount => OutputCount;

    string ISampleNetwork.DerivationLatex => DerivationLatex;

    double ISampleNetwork.Loss(ReadOnlySpan<double> input, ReadOnlySpan<double> target) => this.Loss(input, target);
}
