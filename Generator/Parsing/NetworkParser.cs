using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using BackpropGen.Generator.Diagnostics;
using BackpropGen.Generator.Model;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Networks;
using BackpropGen.Symbolic.Printing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace BackpropGen.Generator.Parsing;

/// <summary>
/// Reads a <c>[Network]</c> class and its <c>[Dense]</c> layers into a <see cref="NetworkDeclaration"/>: the
/// network as a <see cref="NetworkSpec"/>, where its code goes, and every problem found as a diagnostic that
/// points at the value to change. Never throws: an unexpected exception becomes an internal-error diagnostic.
/// </summary>
internal static class NetworkParser
{
    public const string NetworkAttributeName = "BackpropGen.NetworkAttribute";

    public const string DenseAttributeName = "BackpropGen.DenseAttribute";

    /// <summary>The members of <c>BackpropGen.Activation</c>, indexed by value.</summary>
    internal static readonly IReadOnlyList<(string Name, ActivationSpec Value)> Activations = new[]
    {
        ("Identity", ActivationSpec.Identity),
        ("Sigmoid", ActivationSpec.Sigmoid),
        ("Tanh", ActivationSpec.Tanh),
        ("ReLU", ActivationSpec.ReLU),
        ("LeakyReLU", ActivationSpec.LeakyReLU),
        ("Softplus", ActivationSpec.Softplus),
        ("Softmax", ActivationSpec.Softmax),
    };

    /// <summary>The members of <c>BackpropGen.Loss</c>, indexed by value.</summary>
    internal static readonly IReadOnlyList<(string Name, LossSpec Value)> Losses = new[]
    {
        ("HalfSquaredError", LossSpec.HalfSquaredError),
        ("SquaredError", LossSpec.SquaredError),
        ("MeanSquaredError", LossSpec.MeanSquaredError),
        ("BinaryCrossEntropy", LossSpec.BinaryCrossEntropy),
        ("CrossEntropy", LossSpec.CrossEntropy),
    };

    /// <summary>The members of <c>BackpropGen.Notation</c>, indexed by value.</summary>
    internal static readonly IReadOnlyList<(string Name, NotationStyle Value)> Notations = new[]
    {
        ("Notes", NotationStyle.Notes),
        ("Layered", NotationStyle.Layered),
        ("Vectorized", NotationStyle.Vectorized),
    };

    /// <summary>The members of <c>BackpropGen.Precision</c>, indexed by value.</summary>
    internal static readonly IReadOnlyList<(string Name, NumericType Value)> Precisions = new[]
    {
        ("Double", NumericType.Double),
        ("Single", NumericType.Single),
    };

    /// <summary>The members of <c>BackpropGen.Optimizer</c>, indexed by value.</summary>
    internal static readonly IReadOnlyList<(string Name, OptimizerKind Value)> Optimizers = new[]
    {
        ("StochasticGradientDescent", OptimizerKind.StochasticGradientDescent),
        ("Momentum", OptimizerKind.Momentum),
        ("Nesterov", OptimizerKind.Nesterov),
        ("Adam", OptimizerKind.Adam),
        ("AdamW", OptimizerKind.AdamW),
        ("RMSProp", OptimizerKind.RMSProp),
    };

    /// <summary>
    /// The hyperparameters of <c>[Network]</c>: their defaults, whether they are decay rates in [0, 1) (else at least
    /// 0), and a usual value for the message of an invalid one.
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

    private static readonly string[] ActivationVariables = { "x" };

    private static readonly string[] LossVariables = { "y", "t" };

    private static readonly SymbolDisplayFormat NamespaceFormat = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);

    /// <summary>The syntax <c>[Network]</c> can be on: a class, or a record class (reported as an error).</summary>
    public static bool IsCandidate(SyntaxNode node, CancellationToken cancellationToken) =>
        node is ClassDeclarationSyntax or RecordDeclarationSyntax { ClassOrStructKeyword.RawKind: not (int)SyntaxKind.StructKeyword };

    /// <summary>The transform of the pipeline: one declaration per <c>[Network]</c> class.</summary>
    public static NetworkDeclaration Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol { TypeKind: TypeKind.Class } type || context.TargetNode is not TypeDeclarationSyntax declaration)
        {
            return NetworkDeclaration.Invalid(null, EquatableArray<DiagnosticInfo>.Empty);
        }

        NetworkTarget? target = null;
        try
        {
            target = CreateTarget(type);
            return new Reader(context, type, declaration, target, cancellationToken).Read();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var error = DiagnosticInfo.ForException(type.Name, SourceLocations.Of(declaration.Identifier), exception);
            return NetworkDeclaration.Invalid(target, EquatableArray.Create(error));
        }
    }

    /// <summary>
    /// The private members the emitter writes, all named with a leading <c>__</c> so that no class or member of
    /// the user's meets them; a user member with one of these names is reported like a clash with the public API.
    /// </summary>
    internal static readonly string[] PrivateMemberNames =
    {
        "__parameters", "__batchGradient", "__scratch", "__DefaultSeed", "__Block", "__Latex", "__CheckLength", "__CheckBatch",
        "__Square", "__AddScaled", "__Dot", "__Sigmoid", "__Softmax", "__AccumulateBatch", "__ForwardBlock", "__LossBlock",
        "__BackwardBlock", "__AddGradients", "__EvaluateLoss", "__Scratch", "__Objective", "__ApplyUpdate", "__Penalty",
        "__AddPenaltyGradient", "__ranges", "__shape", "__m", "__v", "__s", "__step", "__MultiplyAdd", "__AddOuterProducts",
        "__AccumulateRange", "__ForwardRange", "__SlotExamples", "__ForwardSlotExamples", "__MaxSlots", "__Piece",
        "__maxDegreeOfParallelism", "__Slots", "__Helpers", "__Workers",
    };

    private static NetworkTarget CreateTarget(INamedTypeSymbol type)
    {
        var containingTypes = new List<string>();
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            containingTypes.Insert(0, DeclarationHead(outer));
        }

        var @namespace = type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString(NamespaceFormat) : null;
        return new NetworkTarget(@namespace, containingTypes, Escape(type.Name), Visibility(type), CopiedAttributes(type));
    }

    /// <summary>
    /// The <c>[Obsolete]</c> and <c>[Experimental]</c> of the class or, failing that, of its innermost container that has
    /// one, as C# code (<c>[global::System.Obsolete("use V2", true)]</c>); empty when there are none. The extension class
    /// copies them: it names the class, which is an error (CS0619, or the experimental ID) outside a type marked so too.
    /// </summary>
    private static string CopiedAttributes(INamedTypeSymbol type)
    {
        var code = new List<string>();
        foreach (var name in new[] { "System.ObsoleteAttribute", "System.Diagnostics.CodeAnalysis.ExperimentalAttribute" })
        {
            for (var current = type; current is not null; current = current.ContainingType)
            {
                if (current.GetAttributes().FirstOrDefault(a => Is(a.AttributeClass, name)) is { } attribute)
                {
                    code.Add(AttributeCode(name, attribute));
                    break;
                }
            }
        }

        return string.Join("\n", code);
    }

    /// <summary>An attribute whose arguments are strings, booleans or numbers, written back as C#.</summary>
    private static string AttributeCode(string name, AttributeData attribute)
    {
        static string? Value(TypedConstant constant) => constant.Kind != TypedConstantKind.Primitive ? null
            : constant.Value switch
            {
                null => "null",
                string text => SymbolDisplay.FormatLiteral(text, quote: true),
                bool flag => flag ? "true" : "false",
                int number => number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => null,
            };

        var arguments = attribute.ConstructorArguments.Select(Value)
            .Concat(attribute.NamedArguments.Select(n => Value(n.Value) is { } value ? n.Key + " = " + value : null))
            .ToList();
        var written = arguments.Where(a => a is not null).ToList();
        return "[global::" + name.Substring(0, name.Length - "Attribute".Length)
            + (written.Count == 0 ? "" : "(" + string.Join(", ", written) + ")") + "]";
    }

    /// <summary>
    /// <c>public</c> when the class and every container are public, <c>internal</c> when all are at least visible
    /// in the assembly, null when a private or protected container (or class) hides it from its namespace.
    /// </summary>
    private static string? Visibility(INamedTypeSymbol type)
    {
        var result = "public";
        for (var current = type; current is not null; current = current.ContainingType)
        {
            switch (current.DeclaredAccessibility)
            {
                case Accessibility.Public:
                    break;
                case Accessibility.Internal or Accessibility.ProtectedOrInternal:
                    result = "internal";
                    break;
                default:
                    return null;
            }
        }

        return result;
    }

    /// <summary>What the emitter writes after <c>partial</c>: <c>class Outer</c>, <c>record struct Pair</c>.</summary>
    private static string DeclarationHead(INamedTypeSymbol type)
    {
        var keyword = type.TypeKind switch
        {
            TypeKind.Struct when type.IsRecord => "record struct",
            TypeKind.Struct => "struct",
            TypeKind.Interface => "interface",
            _ when type.IsRecord => "record",
            _ => "class",
        };
        return keyword + " " + Escape(type.Name);
    }

    private static string Escape(string identifier) =>
        SyntaxFacts.GetKeywordKind(identifier) == SyntaxKind.None ? identifier : "@" + identifier;

    private static bool Is(INamedTypeSymbol? attributeClass, string metadataName) =>
        attributeClass is not null && attributeClass.ToDisplayString() == metadataName;

    /// <summary>The state of reading one class: its diagnostics and whether the compiler could bind every attribute.</summary>
    private sealed class Reader
    {
        private readonly GeneratorAttributeSyntaxContext _context;
        private readonly INamedTypeSymbol _type;
        private readonly TypeDeclarationSyntax _declaration;
        private readonly NetworkTarget _target;
        private readonly CancellationToken _cancellationToken;
        private readonly List<DiagnosticInfo> _diagnostics = new();

        /// <summary>Checks of the custom expressions for undefined and overflowing constants, run once the precision is known.</summary>
        private readonly List<Action<NumericType>> _constantChecks = new();

        /// <summary>False when an attribute did not bind; the compiler reports that, and nothing is generated.</summary>
        private bool _bound = true;

        public Reader(GeneratorAttributeSyntaxContext context, INamedTypeSymbol type, TypeDeclarationSyntax declaration, NetworkTarget target, CancellationToken cancellationToken)
        {
            _context = context;
            _type = type;
            _declaration = declaration;
            _target = target;
            _cancellationToken = cancellationToken;
        }

        private string Name => _type.Name;

        public NetworkDeclaration Read()
        {
            // [Network] on two declarations is the compiler's CS0579; generating for both would add the same file twice.
            if (_type.GetAttributes().Count(a => Is(a.AttributeClass, NetworkAttributeName)) != 1 || _context.Attributes.Length != 1)
            {
                return NetworkDeclaration.Invalid(null, EquatableArray<DiagnosticInfo>.Empty);
            }

            CheckShape();
            var network = ReadNetwork(_context.Attributes[0]);
            var layers = ReadLayers();
            if (!_type.IsRecord)
            {
                CheckGeneratedNames(network?.Precision ?? NumericType.Double);
            }
            _constantChecks.ForEach(check => check(network?.Precision ?? NumericType.Double));
            if (network is not null && layers is not null)
            {
                CheckNetwork(network, layers);
            }

            var diagnostics = _diagnostics.ToEquatableArray();
            if (!_bound || network is null || layers is null || _diagnostics.Any(d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error))
            {
                return NetworkDeclaration.Invalid(_target, diagnostics);
            }

            var spec = new NetworkSpec(network.Inputs, layers.Select(l => new LayerSpec(l.Units, l.Activation!)), network.Loss, network.Notation, Name, network.Training());
            return new NetworkDeclaration(_target, spec, network.Precision, diagnostics, network.MaxUnrolledWeights);
        }

        private void Report(DiagnosticDescriptor descriptor, LocationInfo? location, params object?[] messageArguments) =>
            _diagnostics.Add(DiagnosticInfo.Create(descriptor, location ?? SourceLocations.Of(_declaration.Identifier), messageArguments));

        /// <summary>An expression that does not parse; the parser's suggestion for a misspelt function goes with it, for the code fix.</summary>
        private void ReportParseError(DiagnosticDescriptor descriptor, LocationInfo? location, ParseError error, params object?[] messageArguments)
        {
            var diagnostic = DiagnosticInfo.Create(descriptor, location ?? SourceLocations.Of(_declaration.Identifier), messageArguments);
            _diagnostics.Add(error.Suggestion is null ? diagnostic : diagnostic.WithProperty(DiagnosticProperties.Suggestion, error.Suggestion));
        }

        /// <summary>The network is a class, not a record, and it and the types around it are partial, non-generic and non-static.</summary>
        private void CheckShape()
        {
            var identifier = SourceLocations.Of(_declaration.Identifier);
            if (_type.IsRecord)
            {
                Report(DiagnosticDescriptors.NetworkNotAClass, identifier, Name);
            }
            else if (!_declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                Report(DiagnosticDescriptors.NetworkClassNotPartial, identifier, Name);
            }

            if (_type.IsStatic)
            {
                Report(DiagnosticDescriptors.NetworkClassStatic, identifier, Name);
            }

            if (_type.IsFileLocal)
            {
                Report(DiagnosticDescriptors.FileLocalType, identifier, Name, Name);
            }

            if (_type.TypeParameters.Length > 0)
            {
                Report(DiagnosticDescriptors.NetworkClassGeneric, identifier, Name);
            }

            var outer = _type.ContainingType;
            foreach (var outerDeclaration in _declaration.Ancestors().OfType<TypeDeclarationSyntax>())
            {
                if (outer is null)
                {
                    break;
                }

                var location = SourceLocations.Of(outerDeclaration.Identifier);
                if (!outerDeclaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    Report(DiagnosticDescriptors.ContainingTypeNotPartial, location, outer.Name, Name);
                }

                if (outer.IsStatic)
                {
                    Report(DiagnosticDescriptors.ContainingTypeStatic, location, outer.Name, Name);
                }

                if (outer.TypeParameters.Length > 0)
                {
                    Report(DiagnosticDescriptors.ContainingTypeGeneric, location, outer.Name, Name);
                }

                if (outer.IsFileLocal)
                {
                    Report(DiagnosticDescriptors.FileLocalType, location, outer.Name, Name);
                }

                outer = outer.ContainingType;
            }
        }

        /// <summary>
        /// The generated members a user member or the class's name can meet: (name, what it is, parameters of a method
        /// as R = ReadOnlySpan of the element type, S = Span of it, T = the element type; null for other members).
        /// </summary>
        private IEnumerable<(string Name, string Description, string? Parameters)> GeneratedMembers(string element)
        {
            var r = $"ReadOnlySpan<{element}>";
            var s = $"Span<{element}>";
            yield return ("InputCount", "constant 'InputCount'", null);
            yield return ("OutputCount", "constant 'OutputCount'", null);
            yield return ("ParameterCount", "constant 'ParameterCount'", null);
            yield return ("Parameters", "property 'Parameters'", null);
            yield return ("DerivationLatex", "property 'DerivationLatex'", null);
            yield return ("MaxDegreeOfParallelism", "property 'MaxDegreeOfParallelism'", null);
            yield return ("Forward", $"method 'Forward({r} input, {s} output)'", "RS");
            if (_target.Visibility is null)
            {
                yield return ("Loss", $"method 'Loss({r} input, {r} target)'", "RR");
            }

            yield return ("Gradient", $"method 'Gradient({r} input, {r} target, {s} gradient)'", "RRS");
            yield return ("BatchGradient", $"method 'BatchGradient({r} inputs, {r} targets, {s} gradient)'", "RRS");
            yield return ("TrainStep", $"method 'TrainStep({r} input, {r} target, {element} learningRate)'", "RRT");
            yield return ("TrainBatch", $"method 'TrainBatch({r} inputs, {r} targets, {element} learningRate)'", "RRT");
            yield return ("ForwardBatch", $"method 'ForwardBatch({r} inputs, {s} outputs)'", "RS");
            yield return ("CheckGradient", $"method 'CheckGradient({r} input, {r} target)'", "RR");
            yield return ("ResetOptimizer", "method 'ResetOptimizer()'", "");
            yield return ("Save", "method 'Save(Stream stream)'", "M");
            yield return ("Load", "method 'Load(Stream stream)'", "M");
            yield return ("ExportOnnx", "method 'ExportOnnx(Stream stream)'", "M");
            yield return ("ImportOnnx", "method 'ImportOnnx(Stream stream)'", "M");
            foreach (var name in PrivateMemberNames)
            {
                yield return (name, $"private member '{name}'", null);
            }
        }

        /// <summary>
        /// What the generated members would meet in the user's class: its name (BPG0029), a member of the same name
        /// or, for a method, the same name and parameters (BPG0030), a constructor of the generated constructors'
        /// parameters (BPG0030), a primary constructor (BPG0031), a base class without a constructor the generated
        /// ones can call (BPG0032), a type with the name of the extension class (BPG0033). Each would be a compiler
        /// error inside the generated file; reported here at the user's declaration with what to change.
        /// </summary>
        private void CheckGeneratedNames(NumericType precision)
        {
            var element = precision == NumericType.Single ? "float" : "double";
            var elementType = precision == NumericType.Single ? SpecialType.System_Single : SpecialType.System_Double;
            var generated = GeneratedMembers(element).ToList();
            var identifier = SourceLocations.Of(_declaration.Identifier);

            if (generated.FirstOrDefault(g => g.Name == Name) is { Name: not null } named)
            {
                Report(DiagnosticDescriptors.NetworkNamedLikeMember, identifier, Name, named.Name);
            }

            foreach (var member in _type.GetMembers())
            {
                if (member.IsImplicitlyDeclared || LocationOf(member) is not { } location)
                {
                    continue;
                }

                if (member is IMethodSymbol { MethodKind: MethodKind.Constructor } constructor)
                {
                    if (IsPrimaryConstructor(constructor))
                    {
                        continue;
                    }

                    var clash = constructor.Parameters.Length == 0 ? $"constructor '{Name}()'"
                        : constructor.Parameters is [{ Type.SpecialType: SpecialType.System_Int32 }] ? $"constructor '{Name}(int seed)'"
                        : null;
                    if (clash is not null)
                    {
                        Report(DiagnosticDescriptors.MemberClashesWithGenerated, location, Describe(member), Name, clash,
                            "remove it: the generated constructors initialise the parameters, and code of yours can run in a method called after construction");
                    }

                    continue;
                }

                if (member is IMethodSymbol { MethodKind: not MethodKind.Ordinary })
                {
                    continue;
                }

                foreach (var (name, description, parameters) in generated)
                {
                    if (member.Name != name)
                    {
                        continue;
                    }

                    // A method of another arity or other parameters is an overload, which is allowed.
                    if (parameters is not null && member is IMethodSymbol method
                        && (method.Arity != 0 || !SameParameters(method, parameters, elementType)))
                    {
                        continue;
                    }

                    Report(DiagnosticDescriptors.MemberClashesWithGenerated, location, Describe(member), Name, description, "rename it");
                }
            }

            foreach (var reference in _type.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(_cancellationToken) is TypeDeclarationSyntax { ParameterList: { } parameterList })
                {
                    Report(DiagnosticDescriptors.PrimaryConstructor, SourceLocations.Of(parameterList), Name);
                }
            }

            CheckBaseConstructor();

            if (_target.Visibility is not null && _context.SemanticModel.Compilation.Assembly.GetTypeByMetadataName(_target.ExtensionsName) is { } taken)
            {
                Report(DiagnosticDescriptors.ExtensionsClassNameTaken, LocationOf(taken) ?? identifier, taken.Name, _target.FullName);
            }
        }

        private void CheckBaseConstructor()
        {
            if (_type.BaseType is not { TypeKind: TypeKind.Class, SpecialType: SpecialType.None } baseType)
            {
                return;
            }

            var compilation = _context.SemanticModel.Compilation;
            if (baseType.InstanceConstructors.Any(c => c.Parameters.All(p => p.IsOptional || p.IsParams) && compilation.IsSymbolAccessibleWithin(c, _type)))
            {
                return;
            }

            var baseSyntax = _type.DeclaringSyntaxReferences
                .Select(r => r.GetSyntax(_cancellationToken))
                .OfType<TypeDeclarationSyntax>()
                .Select(d => d.BaseList?.Types.FirstOrDefault())
                .FirstOrDefault(t => t is not null);
            Report(DiagnosticDescriptors.BaseWithoutParameterlessConstructor, SourceLocations.Of(baseSyntax) ?? SourceLocations.Of(_declaration.Identifier), Name, baseType.Name);
        }

        private static bool IsPrimaryConstructor(IMethodSymbol constructor) =>
            constructor.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is TypeDeclarationSyntax);

        /// <summary>Whether <paramref name="method"/>'s parameter types are <paramref name="parameters"/> (R, S, T), whatever their ref kinds.</summary>
        private static bool SameParameters(IMethodSymbol method, string parameters, SpecialType element)
        {
            if (method.Parameters.Length != parameters.Length)
            {
                return false;
            }

            for (var i = 0; i < parameters.Length; i++)
            {
                var type = method.Parameters[i].Type;
                var matches = parameters[i] switch
                {
                    'T' => type.SpecialType == element,
                    'M' => type is INamedTypeSymbol { Name: "Stream", ContainingNamespace: { Name: "IO", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } },
                    _ => type is INamedTypeSymbol { TypeArguments: [{ SpecialType: var argument }] } span
                        && argument == element
                        && span.ContainingNamespace is { Name: "System", ContainingNamespace.IsGlobalNamespace: true }
                        && span.Name == (parameters[i] == 'R' ? "ReadOnlySpan" : "Span"),
                };
                if (!matches)
                {
                    return false;
                }
            }

            return true;
        }

        private static LocationInfo? LocationOf(ISymbol symbol) =>
            symbol.Locations.FirstOrDefault(l => l.IsInSource) is { SourceTree: { } tree } location ? LocationInfo.Create(tree, location.SourceSpan) : null;

        private static string Describe(ISymbol member)
        {
            var kind = member switch
            {
                IMethodSymbol { MethodKind: MethodKind.Constructor } => "The constructor",
                IMethodSymbol => "The method",
                IPropertySymbol => "The property",
                IFieldSymbol { IsConst: true } => "The constant",
                IFieldSymbol => "The field",
                IEventSymbol => "The event",
                INamedTypeSymbol => "The nested type",
                _ => "The member",
            };
            return $"{kind} '{member.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)}'";
        }

        private NetworkAttributeValues? ReadNetwork(AttributeData attribute)
        {
            var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(_cancellationToken) as AttributeSyntax;
            if (attribute.AttributeConstructor is not { } constructor || attribute.ConstructorArguments is not [{ Value: int inputs }])
            {
                _bound = false;
                return null;
            }

            var values = new NetworkAttributeValues(inputs, SourceLocations.Of(syntax));
            if (inputs <= 0)
            {
                Report(DiagnosticDescriptors.InputsNotPositive, SourceLocations.Of(SourceLocations.Constructor(syntax, constructor, 0)?.Expression), Name, inputs);
            }

            var lossSet = false;
            string? lossExpression = null;
            foreach (var named in attribute.NamedArguments)
            {
                var argument = SourceLocations.Named(syntax, named.Key);
                if (named.Value.Kind == TypedConstantKind.Error)
                {
                    _bound = false;
                    continue;
                }

                switch (named.Key)
                {
                    case "Loss":
                        lossSet = true;
                        values.LossLocation = SourceLocations.Of(argument?.Expression) ?? values.Location;
                        values.Loss = ReadEnum(named.Value, Losses, "Loss", argument)?.Value ?? values.Loss;
                        if (_target.Visibility is null && argument?.Expression is MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "Loss" } } access)
                        {
                            Report(DiagnosticDescriptors.LossNameHidden, SourceLocations.Of(access.Expression), Name, access.Name.Identifier.ValueText);
                        }

                        break;
                    case "LossExpression":
                        lossExpression = named.Value.Value as string;
                        values.LossExpressionLocation = SourceLocations.Of(argument);
                        values.Loss = ReadLossExpression(lossExpression, argument) ?? values.Loss;
                        break;
                    case "Notation":
                        values.Notation = ReadEnum(named.Value, Notations, "Notation", argument)?.Value ?? values.Notation;
                        break;
                    case "Precision":
                        values.Precision = ReadEnum(named.Value, Precisions, "Precision", argument)?.Value ?? values.Precision;
                        break;
                    case "Optimizer":
                        values.Optimizer = ReadEnum(named.Value, Optimizers, "Optimizer", argument)?.Value ?? values.Optimizer;
                        break;
                    case "Momentum" or "Beta1" or "Beta2" or "Epsilon" or "Rho" or "L2" or "WeightDecay" when named.Value.Value is double value:
                        ReadHyperparameter(values, named.Key, value, argument);
                        break;
                    case "MaxUnrolledWeights" when named.Value.Value is int threshold:
                        if (threshold < 0 || threshold > NetworkLimits.MaxUnrolledWeights)
                        {
                            Report(DiagnosticDescriptors.UnrollThresholdOutOfRange, SourceLocations.Of(argument?.Expression), Name, threshold, NetworkLimits.MaxUnrolledWeights);
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
                Report(DiagnosticDescriptors.LossSetTwice, SourceLocations.Of(SourceLocations.Named(syntax, "LossExpression")), Name);
            }

            foreach (var (property, location) in values.HyperparameterLocations)
            {
                if (!TrainingSpec.Uses(values.Optimizer, property))
                {
                    var users = string.Join(", ", Optimizers.Where(o => TrainingSpec.Uses(o.Value, property)).Select(o => "Optimizer." + o.Name));
                    Report(DiagnosticDescriptors.HyperparameterNotUsed, location, property, Name, Optimizers[(int)values.Optimizer].Name, users);
                }
            }

            return values;
        }

        /// <summary>A hyperparameter: finite, a decay rate in [0, 1) or else at least 0 (reported when not, and then left at its default).</summary>
        private void ReadHyperparameter(NetworkAttributeValues values, string property, double value, AttributeArgumentSyntax? argument)
        {
            var location = SourceLocations.Of(argument?.Expression);
            values.HyperparameterLocations.Add((property, SourceLocations.Of(argument) ?? location));
            var (_, rate, usual) = Hyperparameters.First(h => h.Name == property);
            var text = value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            if (double.IsNaN(value) || double.IsInfinity(value))
            {
                Report(DiagnosticDescriptors.HyperparameterOutOfRange, location, property, Name, text,
                    $"set it to a finite number{(rate ? " in [0, 1)" : " of at least 0")}, such as {usual}");
                return;
            }

            if (rate ? value < 0 || value >= 1 : value < 0)
            {
                Report(DiagnosticDescriptors.HyperparameterOutOfRange, location, property, Name, text,
                    rate ? $"it is a decay rate, so set it to a number in [0, 1), such as {usual}" : $"set it to a number of at least 0, such as {usual}, or 0 for none");
                return;
            }

            values.Set(property, value);
        }

        /// <summary>A custom loss; null for none (<c>LossExpression = null</c>) or an invalid one (reported).</summary>
        private LossSpec? ReadLossExpression(string? text, AttributeArgumentSyntax? argument)
        {
            if (text is null)
            {
                return null;
            }

            var expression = ReadExpression(
                text,
                argument,
                LossVariables,
                $"The loss expression of '{Name}'",
                (location, error) => ReportParseError(DiagnosticDescriptors.InvalidLossExpression, location, error, error.Message),
                (location, variable) => Report(DiagnosticDescriptors.UnknownLossVariable, location, variable));
            return expression is null ? null : LossSpec.Custom(expression, text);
        }

        /// <summary>The <c>[Dense]</c> layers in the order they are written; null when that order is ambiguous or unknown.</summary>
        private List<Layer>? ReadLayers()
        {
            var attributes = _type.GetAttributes()
                .Where(a => Is(a.AttributeClass, DenseAttributeName))
                .Select(a => (Data: a, Syntax: a.ApplicationSyntaxReference?.GetSyntax(_cancellationToken) as AttributeSyntax))
                .ToList();
            if (attributes.Any(a => a.Syntax is null))
            {
                _bound = false;
                return null;
            }

            var ordered = attributes
                .Select(a => (a.Data, Syntax: a.Syntax!, Declaration: DeclarationIndex(a.Syntax!)))
                .OrderBy(a => a.Declaration)
                .ThenBy(a => a.Syntax.SpanStart)
                .ToList();
            if (ordered.FirstOrDefault(a => a.Declaration != ordered[0].Declaration) is { Syntax: not null } elsewhere)
            {
                Report(DiagnosticDescriptors.LayersOnSeveralDeclarations, SourceLocations.Of(elsewhere.Syntax), Name);
                return null;
            }

            var layers = new List<Layer>();
            for (var i = 0; i < ordered.Count; i++)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                if (ReadLayer(i + 1, ordered[i].Data, ordered[i].Syntax) is { } layer)
                {
                    layers.Add(layer);
                }
            }

            return layers;
        }

        /// <summary>Which of the class's partial declarations <paramref name="attribute"/> is written on.</summary>
        private int DeclarationIndex(AttributeSyntax attribute)
        {
            var declarations = _type.DeclaringSyntaxReferences;
            for (var i = 0; i < declarations.Length; i++)
            {
                if (declarations[i].SyntaxTree == attribute.SyntaxTree && declarations[i].Span.Contains(attribute.Span))
                {
                    return i;
                }
            }

            return -1;
        }

        private Layer? ReadLayer(int number, AttributeData attribute, AttributeSyntax syntax)
        {
            if (attribute.AttributeConstructor is not { Parameters.Length: 2 } constructor
                || attribute.ConstructorArguments is not [{ Value: int units }, { Kind: not TypedConstantKind.Error } activationArgument])
            {
                _bound = false;
                return null;
            }

            if (units <= 0)
            {
                Report(DiagnosticDescriptors.UnitsNotPositive, SourceLocations.Of(SourceLocations.Constructor(syntax, constructor, 0)?.Expression), number, Name, units);
            }

            var argument = SourceLocations.Constructor(syntax, constructor, 1);
            if (constructor.Parameters[1].Type.SpecialType == SpecialType.System_String)
            {
                var text = activationArgument.Value as string;
                var expression = ReadExpression(
                    text,
                    argument,
                    ActivationVariables,
                    $"The activation of layer {number} of '{Name}'",
                    (location, error) => ReportParseError(DiagnosticDescriptors.InvalidActivationExpression, location, error, number, error.Message),
                    (location, variable) => Report(DiagnosticDescriptors.UnknownActivationVariable, location, number, variable));
                var custom = expression is null ? null : ActivationSpec.Custom(expression, text!);
                return new Layer(number, units, custom, $"the custom activation \"{text}\"", SourceLocations.Of(syntax));
            }

            var builtin = ReadEnum(activationArgument, Activations, "Activation", argument);
            return new Layer(number, units, builtin?.Value, "Activation." + builtin?.Name, SourceLocations.Of(syntax));
        }

        /// <summary>Softmax only last, sizes within the unrolling limits, and a loss that suits the output layer.</summary>
        private void CheckNetwork(NetworkAttributeValues network, List<Layer> layers)
        {
            if (layers.Count == 0)
            {
                if (_bound)
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
        private bool CheckSize(NetworkAttributeValues network, List<Layer> layers)
        {
            // Decimal, since the parameters of three layers of int.MaxValue units overflow a long.
            var parameters = ParameterLayout.Count(network.Inputs, layers.Select(l => (long)l.Units));

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
        private void CheckUnrolledExpressions(NetworkAttributeValues network, List<Layer> layers)
        {
            var loops = EmitOptions.LoopLayers(network.Inputs, layers.Select(l => l.Units).ToArray(), network.MaxUnrolledWeights);
            int Written(Layer layer) => loops[layer.Number - 1] ? 1 : layer.Units;
            foreach (var layer in layers.Where(l => l.Activation is { IsCustom: true }))
            {
                CheckUnrolledSize(layer.Activation!.Expression!, ActivationSpec.Variable, Written(layer), $"The activation of layer {layer.Number} of '{Name}'", layer.Location);
            }

            if (network.Loss.Kind == LossKind.Custom)
            {
                CheckUnrolledSize(network.Loss.PerOutput, LossSpec.Output, Written(layers[layers.Count - 1]), $"The loss expression of '{Name}'", network.LossExpressionLocation);
            }
        }

        private void CheckUnrolledSize(Expr expression, Symbol variable, int units, string description, LocationInfo? location)
        {
            var nodes = (decimal)CSharpPrinter.WrittenSize(expression) + CSharpPrinter.WrittenSize(expression.Differentiate(variable));
            if (nodes * units > NetworkLimits.MaxUnrolledExpressionNodes)
            {
                Report(DiagnosticDescriptors.ExpressionTooComplex, location, description, nodes, units, nodes * units, NetworkLimits.MaxUnrolledExpressionNodes);
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
            AttributeArgumentSyntax? argument,
            IReadOnlyCollection<string> variables,
            string description,
            Action<LocationInfo?, ParseError> invalid,
            Action<LocationInfo?, string> unknownVariable)
        {
            if (!Expr.TryParse(text!, out var expression, out var error))
            {
                invalid(SourceLocations.InExpression(argument, text, error.Position), error);
                return null;
            }

            var unknown = expression.Symbols().Select(s => s.Name).Where(name => !variables.Contains(name)).Distinct().ToList();
            foreach (var name in unknown)
            {
                unknownVariable(SourceLocations.OfVariable(argument, text!, name), name);
            }

            if (unknown.Count > 0)
            {
                return null;
            }

            _constantChecks.Add(precision =>
            {
                if (UndefinedConstants.Find(text!, precision, variables.First()) is { } problem)
                {
                    Report(DiagnosticDescriptors.UndefinedConstant, SourceLocations.InExpression(argument, text, problem.Range.Start, problem.Range.Length), description, problem.Message);
                }
            });
            return expression;
        }

        /// <summary>The table entry of an enum argument; null (reported) for a value the enum does not define.</summary>
        private (string Name, T Value)? ReadEnum<T>(TypedConstant constant, IReadOnlyList<(string Name, T Value)> table, string enumName, AttributeArgumentSyntax? argument)
        {
            if (constant.Value is int value && value >= 0 && value < table.Count)
            {
                return table[value];
            }

            Report(
                DiagnosticDescriptors.UndefinedEnumValue,
                SourceLocations.Of(argument?.Expression),
                argument?.Expression.ToString() ?? constant.Value,
                enumName,
                string.Join(", ", table.Select(entry => enumName + "." + entry.Name)));
            return null;
        }
    }

    /// <summary>The values of the <c>[Network]</c> attribute, with the defaults of the attribute's properties.</summary>
    private sealed class NetworkAttributeValues
    {
        public NetworkAttributeValues(int inputs, LocationInfo? location)
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
            Description = description;
            Location = location;
        }

        /// <summary>1-based, in the order written.</summary>
        public int Number { get; }

        public int Units { get; }

        public ActivationSpec? Activation { get; }

        /// <summary>How messages name the activation: <c>Activation.Tanh</c>.</summary>
        public string Description { get; }

        /// <summary>The <c>[Dense(...)]</c> attribute.</summary>
        public LocationInfo? Location { get; }
    }
}
