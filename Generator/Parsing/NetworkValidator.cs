using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using BackpropGen.Generator.Diagnostics;
using BackpropGen.Generator.Model;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Networks;
using BackpropGen.Symbolic.Printing;

namespace BackpropGen.Generator.Parsing;

/// <summary>
/// The pipeline's second step: turns the raw values <see cref="NetworkParser"/> read into a <see cref="NetworkDeclaration"/>,
/// the network as a <see cref="NetworkSpec"/> and every problem of its values as a diagnostic that points at the value to
/// change. Parses the expressions, checks ranges and combinations, and estimates the size of the unrolled code. Reads no
/// syntax and no symbol, only the <see cref="NetworkSource"/>, so it runs again only when a network's attributes or their
/// places change. Never throws: an unexpected exception becomes an internal-error diagnostic.
/// </summary>
internal static class NetworkValidator
{
    private static readonly string[] ActivationVariables = { "x" };

    private static readonly string[] LossVariables = { "y", "t" };

    /// <summary>
    /// The hyperparameters of <c>[Network]</c>: whether they are decay rates in [0, 1) (else at least 0), and a usual
    /// value for the message of an invalid one.
    /// </summary>
    private static readonly IReadOnlyList<(string Name, bool Rate, string Usual)> Hyperparameters = new[]
    {
        ("Momentum", true, "0.9"),
        ("Beta1", true, "0.9"),
        ("Beta2", true, "0.999"),
        ("Epsilon", false, "1e-8"),
        ("Rho", true, "0.99"),
        ("L2", false, "1e-4"),
        ("WeightDecay", false, "0.01"),
    };

    /// <summary>The pipeline's step: one declaration per read class.</summary>
    public static NetworkDeclaration Validate(NetworkSource source, CancellationToken cancellationToken)
    {
        try
        {
            return new Validator(source, cancellationToken).Validate();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var error = DiagnosticInfo.ForException(source.Name, source.Identifier, exception);
            return NetworkDeclaration.Invalid(source.Target, source.Diagnostics.Append(error).ToEquatableArray());
        }
    }

    /// <summary>The state of checking one class: its diagnostics, those of reading first.</summary>
    private sealed class Validator
    {
        private readonly NetworkSource _source;
        private readonly CancellationToken _cancellationToken;
        private readonly List<DiagnosticInfo> _diagnostics;

        /// <summary>Checks of the custom expressions for undefined and overflowing constants, run once the precision is known.</summary>
        private readonly List<Action<NumericType>> _constantChecks = new();

        public Validator(NetworkSource source, CancellationToken cancellationToken)
        {
            _source = source;
            _cancellationToken = cancellationToken;
            _diagnostics = source.Diagnostics.ToList();
        }

        private string Name => _source.Name;

        public NetworkDeclaration Validate()
        {
            var network = _source.Network is { } arguments ? ReadNetwork(arguments) : null;
            var layers = _source.Layers is { } written ? ReadLayers(written) : null;
            _constantChecks.ForEach(check => check(network?.Precision ?? NumericType.Double));
            if (network is not null && layers is not null)
            {
                CheckNetwork(network, layers);
            }

            var diagnostics = _diagnostics.ToEquatableArray();
            if (_source.Target is not { } target || !_source.Bound || network is null || layers is null
                || _diagnostics.Any(d => d.Descriptor.DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error))
            {
                return NetworkDeclaration.Invalid(_source.Target, diagnostics);
            }

            var spec = new NetworkSpec(network.Inputs, layers.Select(l => new LayerSpec(l.Units, l.Activation!)), network.Loss, network.Notation, Name, network.Training());
            return new NetworkDeclaration(target, spec, network.Precision, diagnostics, network.MaxUnrolledWeights);
        }

        private void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, LocationInfo? location, params object?[] messageArguments) =>
            _diagnostics.Add(DiagnosticInfo.Create(descriptor, location ?? _source.Identifier, messageArguments));

        /// <summary>An expression that does not parse; the parser's suggestion for a misspelt function goes with it, for the code fix.</summary>
        private void ReportParseError(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, LocationInfo? location, ParseError error, params object?[] messageArguments)
        {
            var diagnostic = DiagnosticInfo.Create(descriptor, location ?? _source.Identifier, messageArguments);
            _diagnostics.Add(error.Suggestion is null ? diagnostic : diagnostic.WithProperty(DiagnosticProperties.Suggestion, error.Suggestion));
        }

        private NetworkValues ReadNetwork(NetworkArguments arguments)
        {
            var values = new NetworkValues(arguments.Inputs, arguments.Location);
            if (arguments.Inputs <= 0)
            {
                Report(DiagnosticDescriptors.InputsNotPositive, arguments.InputsLocation, Name, arguments.Inputs);
            }

            var lossSet = false;
            string? lossExpression = null;
            LocationInfo? lossExpressionArgument = null;
            foreach (var named in arguments.Named)
            {
                var text = named.Text;
                switch (named.Name)
                {
                    case "Loss":
                        lossSet = true;
                        values.LossLocation = text.Expression ?? values.Location;
                        values.Loss = ReadEnum(named, NetworkParser.Losses, "Loss")?.Value ?? values.Loss;
                        break;
                    case "LossExpression":
                        lossExpression = named.Value as string;
                        lossExpressionArgument = text.Argument;
                        values.LossExpressionLocation = text.Argument;
                        values.Loss = ReadLossExpression(lossExpression, text) ?? values.Loss;
                        break;
                    case "Notation":
                        values.Notation = ReadEnum(named, NetworkParser.Notations, "Notation")?.Value ?? values.Notation;
                        break;
                    case "Precision":
                        values.Precision = ReadEnum(named, NetworkParser.Precisions, "Precision")?.Value ?? values.Precision;
                        break;
                    case "Optimizer":
                        values.Optimizer = ReadEnum(named, NetworkParser.Optimizers, "Optimizer")?.Value ?? values.Optimizer;
                        break;
                    case "Momentum" or "Beta1" or "Beta2" or "Epsilon" or "Rho" or "L2" or "WeightDecay" when named.Value is double value:
                        ReadHyperparameter(values, named.Name, value, text);
                        break;
                    case "MaxUnrolledWeights" when named.Value is int threshold:
                        if (threshold < 0 || threshold > NetworkLimits.MaxUnrolledWeights)
                        {
                            Report(DiagnosticDescriptors.UnrollThresholdOutOfRange, text.Expression, Name, threshold, NetworkLimits.MaxUnrolledWeights);
                        }
                        else
                        {
                            values.MaxUnrolledWeights = threshold;
                        }

                        break;
                }
            }

            if (lossSet && lossExpression is not null)
            {
                Report(DiagnosticDescriptors.LossSetTwice, lossExpressionArgument, Name);
            }

            foreach (var (property, location) in values.HyperparameterLocations)
            {
                if (!TrainingSpec.Uses(values.Optimizer, property))
                {
                    var users = string.Join(", ", NetworkParser.Optimizers.Where(o => TrainingSpec.Uses(o.Value, property)).Select(o => "Optimizer." + o.Name));
                    Report(DiagnosticDescriptors.HyperparameterNotUsed, location, property, Name, NetworkParser.Optimizers[(int)values.Optimizer].Name, users);
                }
            }

            return values;
        }

        /// <summary>A hyperparameter: finite, a decay rate in [0, 1) or else at least 0 (reported when not, and then left at its default).</summary>
        private void ReadHyperparameter(NetworkValues values, string property, double value, ArgumentText text)
        {
            var location = text.Expression;
            values.HyperparameterLocations.Add((property, text.Argument ?? location));
            var (_, rate, usual) = Hyperparameters.First(h => h.Name == property);
            var written = value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            if (double.IsNaN(value) || double.IsInfinity(value))
            {
                Report(DiagnosticDescriptors.HyperparameterOutOfRange, location, property, Name, written,
                    $"set it to a finite number{(rate ? " in [0, 1)" : " of at least 0")}, such as {usual}");
                return;
            }

            if (rate ? value < 0 || value >= 1 : value < 0)
            {
                Report(DiagnosticDescriptors.HyperparameterOutOfRange, location, property, Name, written,
                    rate ? $"it is a decay rate, so set it to a number in [0, 1), such as {usual}" : $"set it to a number of at least 0, such as {usual}, or 0 for none");
                return;
            }

            values.Set(property, value);
        }

        /// <summary>A custom loss; null for none (<c>LossExpression = null</c>) or an invalid one (reported).</summary>
        private LossSpec? ReadLossExpression(string? text, ArgumentText where)
        {
            if (text is null)
            {
                return null;
            }

            var expression = ReadExpression(
                text,
                where,
                LossVariables,
                $"The loss expression of '{Name}'",
                (location, error) => ReportParseError(DiagnosticDescriptors.InvalidLossExpression, location, error, error.Message),
                (location, variable) => Report(DiagnosticDescriptors.UnknownLossVariable, location, variable));
            return expression is null ? null : LossSpec.Custom(expression, text);
        }

        private List<Layer> ReadLayers(EquatableArray<LayerArguments> written)
        {
            var layers = new List<Layer>();
            foreach (var layer in written)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                layers.Add(ReadLayer(layer));
            }

            return layers;
        }

        private Layer ReadLayer(LayerArguments layer)
        {
            var number = layer.Number;
            if (layer.Units <= 0)
            {
                Report(DiagnosticDescriptors.UnitsNotPositive, layer.UnitsLocation, number, Name, layer.Units);
            }

            if (layer.IsCustom)
            {
                var text = layer.Activation as string;
                var expression = ReadExpression(
                    text,
                    layer.ActivationText,
                    ActivationVariables,
                    $"The activation of layer {number} of '{Name}'",
                    (location, error) => ReportParseError(DiagnosticDescriptors.InvalidActivationExpression, location, error, number, error.Message),
                    (location, variable) => Report(DiagnosticDescriptors.UnknownActivationVariable, location, number, variable));
                var custom = expression is null ? null : ActivationSpec.Custom(expression, text!);
                return new Layer(number, layer.Units, custom, $"the custom activation \"{text}\"", layer.Location);
            }

            var builtin = ReadEnum(layer.Activation, layer.ActivationText, NetworkParser.Activations, "Activation");
            return new Layer(number, layer.Units, builtin?.Value, "Activation." + builtin?.Name, layer.Location);
        }

        /// <summary>Softmax only last, sizes within the unrolling limits, and a loss that suits the output layer.</summary>
        private void CheckNetwork(NetworkValues network, List<Layer> layers)
        {
            if (layers.Count == 0)
            {
                if (_source.Bound)
                {
                    Report(DiagnosticDescriptors.NoLayers, network.Location, Name);
                }

                return;
            }

            foreach (var hidden in layers.Take(layers.Count - 1).Where(l => l.Activation is { IsSoftmax: true }))
            {
                Report(DiagnosticDescriptors.SoftmaxOnHiddenLayer, hidden.Location, hidden.Number, Name);
            }

            if (network.Inputs > 0 && layers.All(l => l.Units > 0) && CheckSize(network, layers))
            {
                CheckUnrolledExpressions(network, layers);
            }

            var output = layers[layers.Count - 1];
            if (output.Activation is null || network.Loss.Kind == LossKind.Custom)
            {
                return;
            }

            if (network.Loss.Kind == LossKind.CrossEntropy && !output.Activation.IsSoftmax && !output.Activation.IsSigmoid)
            {
                Report(DiagnosticDescriptors.CrossEntropyWithoutProbabilities, network.LossLocation, Name, output.Description);
            }
            else if (network.Loss.Kind == LossKind.BinaryCrossEntropy && !output.Activation.IsSigmoid)
            {
                Report(DiagnosticDescriptors.BinaryCrossEntropyWithoutSigmoid, network.LossLocation, Name, output.Description);
            }
        }

        /// <summary>Whether the network is within <see cref="NetworkLimits.MaxParameters"/> (reported when not).</summary>
        private bool CheckSize(NetworkValues network, List<Layer> layers)
        {
            // Decimal, since the parameters of three layers of int.MaxValue units overflow a long.
            var parameters = ParameterLayout.Count(network.Inputs, layers.Select(l => (l.Kind, (long)l.Units)));

            if (parameters > NetworkLimits.MaxParameters)
            {
                Report(DiagnosticDescriptors.NetworkTooLarge, network.Location, Name, parameters, NetworkLimits.MaxParameters);
                return false;
            }

            return true;
        }

        /// <summary>
        /// A custom expression and its derivative are written out once per unit of an unrolled layer (once in all for a
        /// loop), and a short text can unroll into a huge one (the derivative of a product of n factors has n² nodes;
        /// n nested softplus calls print 2ⁿ copies of x), so their size as written in C# is bounded too.
        /// </summary>
        private void CheckUnrolledExpressions(NetworkValues network, List<Layer> layers)
        {
            var loops = EmitOptions.LoopLayers(network.Inputs, layers.Select(l => (l.Kind, l.Units)).ToList(), network.MaxUnrolledWeights);
            decimal Written(Layer layer) => (layer.Kind ?? LayerKind.Dense).WrittenCopies(layer.Units, loops[layer.Number - 1]);
            foreach (var layer in layers.Where(l => l.Activation is { IsCustom: true }))
            {
                CheckUnrolledSize(layer.Activation!.Expression!, ActivationSpec.Variable, Written(layer), $"The activation of layer {layer.Number} of '{Name}'", layer.Location);
            }

            if (network.Loss.Kind == LossKind.Custom)
            {
                CheckUnrolledSize(network.Loss.PerOutput, LossSpec.Output, Written(layers[layers.Count - 1]), $"The loss expression of '{Name}'", network.LossExpressionLocation);
            }
        }

        private void CheckUnrolledSize(Expr expression, Symbol variable, decimal copies, string description, LocationInfo? location)
        {
            var nodes = (decimal)CSharpPrinter.WrittenSize(expression) + CSharpPrinter.WrittenSize(expression.Differentiate(variable));
            if (nodes * copies > NetworkLimits.MaxUnrolledExpressionNodes)
            {
                Report(DiagnosticDescriptors.ExpressionTooComplex, location, description, nodes, copies, nodes * copies, NetworkLimits.MaxUnrolledExpressionNodes);
            }
        }

        /// <summary>
        /// Parses a user expression and checks it uses only <paramref name="variables"/>; reports through
        /// <paramref name="invalid"/> (with the parser's error) or <paramref name="unknownVariable"/> and returns null.
        /// A valid expression is checked for undefined and overflowing constants once the precision is known (an error,
        /// described as <paramref name="description"/>).
        /// </summary>
        private Expr? ReadExpression(
            string? text,
            ArgumentText where,
            IReadOnlyCollection<string> variables,
            string description,
            Action<LocationInfo?, ParseError> invalid,
            Action<LocationInfo?, string> unknownVariable)
        {
            if (!Expr.TryParse(text!, out var expression, out var error))
            {
                invalid(where.At(text, error.Position), error);
                return null;
            }

            var unknown = expression.Symbols().Select(s => s.Name).Where(name => !variables.Contains(name)).Distinct().ToList();
            foreach (var name in unknown)
            {
                unknownVariable(where.OfVariable(text!, name), name);
            }

            if (unknown.Count > 0)
            {
                return null;
            }

            _constantChecks.Add(precision =>
            {
                if (UndefinedConstants.Find(text!, precision, variables.First()) is { } problem)
                {
                    Report(DiagnosticDescriptors.UndefinedConstant, where.At(text, problem.Range.Start, problem.Range.Length), description, problem.Message);
                }
            });
            return expression;
        }

        private (string Name, T Value)? ReadEnum<T>(NamedArgument named, IReadOnlyList<(string Name, T Value)> table, string enumName) =>
            ReadEnum(named.Value, named.Text, table, enumName);

        /// <summary>The table entry of an enum argument; null (reported) for a value the enum does not define.</summary>
        private (string Name, T Value)? ReadEnum<T>(object? value, ArgumentText text, IReadOnlyList<(string Name, T Value)> table, string enumName)
        {
            if (value is int index && index >= 0 && index < table.Count)
            {
                return table[index];
            }

            Report(
                DiagnosticDescriptors.UndefinedEnumValue,
                text.Expression,
                text.Written ?? value,
                enumName,
                string.Join(", ", table.Select(entry => enumName + "." + entry.Name)));
            return null;
        }
    }

    /// <summary>The values of the <c>[Network]</c> attribute, with the defaults of the attribute's properties.</summary>
    private sealed class NetworkValues
    {
        public NetworkValues(int inputs, LocationInfo? location)
        {
            Inputs = inputs;
            Location = location;
            LossLocation = location;
        }

        public int Inputs { get; }

        /// <summary>The <c>[Network(...)]</c> attribute.</summary>
        public LocationInfo? Location { get; }

        public LossSpec Loss { get; set; } = LossSpec.HalfSquaredError;

        /// <summary>The value of <c>Loss = …</c>; the attribute when the loss is not set.</summary>
        public LocationInfo? LossLocation { get; set; }

        /// <summary>The <c>LossExpression = …</c> argument, if it is set.</summary>
        public LocationInfo? LossExpressionLocation { get; set; }

        public NotationStyle Notation { get; set; } = NotationStyle.Notes;

        public NumericType Precision { get; set; } = NumericType.Double;

        public int MaxUnrolledWeights { get; set; } = NetworkLimits.DefaultMaxUnrolledWeights;

        public OptimizerKind Optimizer { get; set; } = OptimizerKind.StochasticGradientDescent;

        /// <summary>The hyperparameters set in the attribute, with the location of each value.</summary>
        public List<(string Property, LocationInfo? Location)> HyperparameterLocations { get; } = new();

        private readonly Dictionary<string, double> _hyperparameters = new();

        public void Set(string property, double value) => _hyperparameters[property] = value;

        /// <summary>The training spec: the values set, the attribute's defaults for the others.</summary>
        public TrainingSpec Training()
        {
            double Get(string property, double fallback) => _hyperparameters.TryGetValue(property, out var value) ? value : fallback;
            var defaults = new TrainingSpec(Optimizer);
            return new TrainingSpec(
                Optimizer,
                Get("Momentum", defaults.Momentum),
                Get("Beta1", defaults.Beta1),
                Get("Beta2", defaults.Beta2),
                Get("Epsilon", defaults.Epsilon),
                Get("Rho", defaults.Rho),
                Get("L2", defaults.L2),
                Get("WeightDecay", defaults.WeightDecay));
        }
    }

    /// <summary>One <c>[Dense]</c> layer as read; <see cref="Activation"/> is null when it was reported invalid.</summary>
    private sealed class Layer
    {
        public Layer(int number, int units, ActivationSpec? activation, string description, LocationInfo? location)
        {
            Number = number;
            Units = units;
            Activation = activation;
            Kind = activation is null ? null : LayerKind.Of(activation);
            Description = description;
            Location = location;
        }

        /// <summary>1-based, in the order written.</summary>
        public int Number { get; }

        public int Units { get; }

        public ActivationSpec? Activation { get; }

        /// <summary>The layer's kind; null when its activation was reported invalid.</summary>
        public LayerKind? Kind { get; }

        /// <summary>How messages name the activation: <c>Activation.Tanh</c>.</summary>
        public string Description { get; }

        /// <summary>The <c>[Dense(...)]</c> attribute.</summary>
        public LocationInfo? Location { get; }
    }
}
