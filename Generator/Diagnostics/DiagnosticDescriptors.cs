using Microsoft.CodeAnalysis;

namespace BackpropGen.Generator.Diagnostics;

/// <summary>
/// Every diagnostic BackpropGen reports, with sequential IDs. Each message says what to change; the table of
/// IDs is kept in <c>AnalyzerReleases.Unshipped.md</c> and <c>DIAGNOSTICS.md</c>.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "BackpropGen";

    public static readonly DiagnosticDescriptor NetworkClassNotPartial = new(
        "BPG0001",
        "Network class must be partial",
        "The class '{0}' declares a network but is not partial; add the 'partial' modifier so the generated members can be added to it",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ContainingTypeNotPartial = new(
        "BPG0002",
        "Type containing a network must be partial",
        "The type '{0}' contains the network class '{1}' but is not partial; add the 'partial' modifier to '{0}' so the generated members can be nested in it",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NetworkClassGeneric = new(
        "BPG0003",
        "Network class must not be generic",
        "The network class '{0}' is generic; remove its type parameters, since a network's code is specialized for one class",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NetworkClassStatic = new(
        "BPG0004",
        "Network class must not be static",
        "The network class '{0}' is static; remove the 'static' modifier, since a network is an object that holds its parameters",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ContainingTypeGeneric = new(
        "BPG0005",
        "Network must not be nested in a generic type",
        "The network class '{1}' is nested in the generic type '{0}'; move the network into a namespace or a non-generic type",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ContainingTypeStatic = new(
        "BPG0006",
        "Network must not be nested in a static type",
        "The network class '{1}' is nested in the static type '{0}'; move the network into a namespace or a non-static type",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NetworkNotAClass = new(
        "BPG0007",
        "Network must be a class",
        "'{0}' is a record; declare the network as a 'partial class'",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InputsNotPositive = new(
        "BPG0008",
        "Network needs at least one input",
        "The network '{0}' has {1} inputs; pass [Network] a number of inputs of at least 1",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnitsNotPositive = new(
        "BPG0009",
        "Layer needs at least one unit",
        "Layer {0} of '{1}' has {2} units; pass [Dense] a number of units of at least 1",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NoLayers = new(
        "BPG0010",
        "Network has no layers",
        "The network '{0}' has no layers; add a [Dense(units, activation)] attribute to the class for each layer, the output layer last",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor LayersOnSeveralDeclarations = new(
        "BPG0011",
        "Layers are declared on several partial declarations",
        "The [Dense] layers of '{0}' are spread over several partial declarations, so their order is ambiguous; put all [Dense] attributes on one declaration of '{0}'",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidActivationExpression = new(
        "BPG0012",
        "Activation expression does not parse",
        "The activation of layer {0} is not a valid expression: {1}; write an expression in x, such as \"x / (1 + abs(x))\"",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnknownActivationVariable = new(
        "BPG0013",
        "Activation expression uses an unknown variable",
        "The activation of layer {0} uses the variable '{1}', but an activation can use only x; write it in terms of x",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidLossExpression = new(
        "BPG0014",
        "Loss expression does not parse",
        "The loss expression is not a valid expression: {0}; write a per-output expression in y and t, such as \"1/2 * (y - t)^2\"",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnknownLossVariable = new(
        "BPG0015",
        "Loss expression uses an unknown variable",
        "The loss expression uses the variable '{0}', but a loss can use only y (the output) and t (the target); write it in terms of y and t",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor LossSetTwice = new(
        "BPG0016",
        "Both Loss and LossExpression are set",
        "The network '{0}' sets both Loss and LossExpression; keep one, Loss for a built-in loss or LossExpression for a custom one",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor SoftmaxOnHiddenLayer = new(
        "BPG0017",
        "Softmax on a hidden layer",
        "Layer {0} of '{1}' is a hidden layer with Activation.Softmax, which is allowed only on the last layer; give layer {0} another activation, such as Activation.Tanh or Activation.ReLU",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor CrossEntropyWithoutProbabilities = new(
        "BPG0018",
        "Cross-entropy without a softmax or sigmoid output layer",
        "The network '{0}' uses Loss.CrossEntropy but its output layer is {1}, whose outputs are not probabilities; make the last layer Activation.Softmax (or Activation.Sigmoid)",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor BinaryCrossEntropyWithoutSigmoid = new(
        "BPG0019",
        "Binary cross-entropy without a sigmoid output layer",
        "The network '{0}' uses Loss.BinaryCrossEntropy but its output layer is {1}, which is not recognized as the sigmoid (a custom expression is only if it simplifies to sigmoid(x)), so the loss takes log(1 - y) of the outputs as computed: infinite for an output that rounds to 1, undefined above 1, where after a sigmoid it is computed from the weighted inputs and stays finite; make the last layer Activation.Sigmoid",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UndefinedEnumValue = new(
        "BPG0020",
        "Value is not a defined enum member",
        "{0} is not a defined {1} value; use one of {2}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnrollThresholdOutOfRange = new(
        "BPG0021",
        "MaxUnrolledWeights out of range",
        "MaxUnrolledWeights of '{0}' is {1}; use a value from 0 (every layer a loop) to {2} (the widest layer written out as straight-line code)",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NetworkTooLarge = new(
        "BPG0022",
        "Network too large",
        "The network '{0}' has {1} parameters, more than the {2} a generated network can have; use fewer or narrower layers",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InternalError = new(
        "BPG0023",
        "BackpropGen failed unexpectedly",
        "BackpropGen failed on '{0}' with {1}: {2}. This is a bug in BackpropGen, not in your code; please report it with the declaration of the network.",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor LossNameHidden = new(
        "BPG0024",
        "Loss in the attribute names the generated method",
        "'{0}' is nested where no extension method can reach it, so its generated Loss method hides the enum in 'Loss = Loss.{1}'; write 'Loss = global::BackpropGen.Loss.{1}'",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor FileLocalType = new(
        "BPG0025",
        "Network must not be file-local",
        "'{0}' is declared 'file', so the members generated for the network '{1}' in a file of their own cannot be added to it; remove the 'file' modifier",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ExpressionTooComplex = new(
        "BPG0026",
        "Expression too complex to unroll",
        "{0} and its derivative are {1} nodes long as written in C#, once for each of {2} units, {3} nodes in all, more than the {4} unrolled code can hold; simplify the expression or use fewer units",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UndefinedConstant = new(
        "BPG0027",
        "Expression is undefined or overflows",
        "{0}: {1}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor LayersWithoutNetwork = new(
        "BPG0028",
        "[Dense] on a class without [Network]",
        "'{0}' has [Dense] layers but no [Network] attribute, so no network is generated for it; add [Network(inputs)] to '{0}', or remove the [Dense] attributes",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NetworkNamedLikeMember = new(
        "BPG0029",
        "Network class named like a generated member",
        "The network class '{0}' has the name of the member '{1}' generated in it, and a member cannot be named like its class; rename the class",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor MemberClashesWithGenerated = new(
        "BPG0030",
        "Member clashes with a generated member",
        "{0} of the network '{1}' clashes with the generated {2}; {3}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor PrimaryConstructor = new(
        "BPG0031",
        "Network class has a primary constructor",
        "The network class '{0}' has a primary constructor, which the generated constructors '{0}()' and '{0}(int seed)' cannot call; remove the parameter list and keep its values in fields or properties",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor BaseWithoutParameterlessConstructor = new(
        "BPG0032",
        "Base class has no parameterless constructor",
        "The base class '{1}' of the network '{0}' has no accessible constructor that takes no arguments, which the generated constructors call; add one to '{1}' (it may be protected) or derive '{0}' from another class",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ExtensionsClassNameTaken = new(
        "BPG0033",
        "Type named like a generated extension class",
        "The type '{0}' has the name of the class generated in the global namespace for the extension methods of the network '{1}'; rename the type",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor HyperparameterOutOfRange = new(
        "BPG0034",
        "Training hyperparameter out of range",
        "{0} of the network '{1}' is {2}; {3}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor HyperparameterNotUsed = new(
        "BPG0035",
        "Hyperparameter not used by the optimizer",
        "{0} is set on the network '{1}', but Optimizer.{2} does not use it; remove it, or choose an optimizer that does ({3})",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true);
}
