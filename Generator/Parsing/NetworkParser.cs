using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using BackpropGen.Generator.Diagnostics;
using BackpropGen.Generator.Model;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Networks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace BackpropGen.Generator.Parsing;

/// <summary>
/// The pipeline's transform: reads a <c>[Network]</c> class and its <c>[Dense]</c> layers into a <see cref="NetworkSource"/>,
/// where its code goes and the raw values of its attributes with their places, and reports what only the compilation
/// shows (the class's shape, clashes with the generated members, layers on several declarations). Everything else —
/// parsing expressions, checking values, estimating sizes — is <see cref="NetworkValidator"/>'s. Never throws: an
/// unexpected exception becomes an internal-error diagnostic.
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

    private static readonly SymbolDisplayFormat NamespaceFormat = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);

    /// <summary>The syntax <c>[Network]</c> can be on: a class, or a record class (reported as an error).</summary>
    public static bool IsCandidate(SyntaxNode node, CancellationToken cancellationToken) =>
        node is ClassDeclarationSyntax or RecordDeclarationSyntax { ClassOrStructKeyword.RawKind: not (int)SyntaxKind.StructKeyword };

    /// <summary>
    /// The transform of the pipeline: the raw values of one <c>[Network]</c> class and the problems only the compilation
    /// shows; <see cref="NetworkValidator.Validate"/> reads the rest.
    /// </summary>
    public static NetworkSource Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol { TypeKind: TypeKind.Class } type || context.TargetNode is not TypeDeclarationSyntax declaration)
        {
            return NetworkSource.Invalid(null, context.TargetSymbol.Name, null, EquatableArray<DiagnosticInfo>.Empty);
        }

        NetworkTarget? target = null;
        try
        {
            target = CreateTarget(type);
            return new Reader(context, type, declaration, target, cancellationToken).Read();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var identifier = SourceLocations.Of(declaration.Identifier);
            var error = DiagnosticInfo.ForException(type.Name, identifier, exception);
            return NetworkSource.Invalid(target, type.Name, identifier, EquatableArray.Create(error));
        }
    }

    /// <summary>
    /// The private members the emitter writes, all named with a leading <c>__</c> so that no class or member of
    /// the user's meets them; a user member with one of these names is reported like a clash with the public API. The
    /// helpers written into the file-local class stay in the list: a member of the user's class of the same name would
    /// hide the <c>using static</c> import from the generated code.
    /// </summary>
    internal static readonly string[] PrivateMemberNames =
    {
        "__parameters", "__batchGradient", "__scratch", "__DefaultSeed", "__Block", "__Latex", "__CheckLength", "__CheckBatch",
        "__Square", "__AddScaled", "__Dot", "__Sigmoid", "__Softmax", "__AccumulateBatch", "__ForwardBlock", "__LossBlock",
        "__BackwardBlock", "__TransposeWeights", "__AddGradients", "__EvaluateLoss", "__Scratch", "__Objective", "__ApplyUpdate", "__Penalty",
        "__AddPenaltyGradient", "__ranges", "__shape", "__m", "__v", "__s", "__step", "__MultiplyAdd", "__AddOuterProducts",
        "__AccumulateRange", "__Examples", "__Lanes512", "__Lanes256", "__ForwardPass", "__GradientPass", "__Exp", "__Tanh",
        "__Sin", "__Cos", "__Pow",
        "__ForwardRange", "__SlotExamples", "__ForwardSlotExamples",
        "__maxDegreeOfParallelism", "__Slots", "__Workers", "__AccumulateSlots", "__slotGradient",
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

        public NetworkSource Read()
        {
            var identifier = SourceLocations.Of(_declaration.Identifier);

            // [Network] on two declarations is the compiler's CS0579; generating for both would add the same file twice.
            if (_type.GetAttributes().Count(a => Is(a.AttributeClass, NetworkAttributeName)) != 1 || _context.Attributes.Length != 1)
            {
                return NetworkSource.Invalid(null, Name, identifier, EquatableArray<DiagnosticInfo>.Empty);
            }

            CheckShape();
            var network = ReadNetwork(_context.Attributes[0]);
            var layers = ReadLayers();
            if (!_type.IsRecord)
            {
                CheckGeneratedNames(Precision(network));
            }

            return new NetworkSource(_target, Name, identifier, _bound, network, layers, _diagnostics.ToEquatableArray());
        }

        /// <summary>The precision the generated members' parameters will have, for the clash check; the validator reports an undefined one.</summary>
        private static NumericType Precision(NetworkArguments? network) =>
            network?.Named.LastOrDefault(n => n.Name == "Precision") is { Value: int value } && value >= 0 && value < Precisions.Count
                ? Precisions[value].Value
                : NumericType.Double;

        private void Report(DiagnosticDescriptor descriptor, LocationInfo? location, params object?[] messageArguments) =>
            _diagnostics.Add(DiagnosticInfo.Create(descriptor, location ?? SourceLocations.Of(_declaration.Identifier), messageArguments));

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

        private NetworkArguments? ReadNetwork(AttributeData attribute)
        {
            var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(_cancellationToken) as AttributeSyntax;
            if (attribute.AttributeConstructor is not { } constructor || attribute.ConstructorArguments is not [{ Value: int inputs }])
            {
                _bound = false;
                return null;
            }

            var named = new List<NamedArgument>();
            foreach (var argument in attribute.NamedArguments)
            {
                if (argument.Value.Kind is TypedConstantKind.Error or TypedConstantKind.Array)
                {
                    _bound &= argument.Value.Kind != TypedConstantKind.Error;
                    continue;
                }

                var written = SourceLocations.Named(syntax, argument.Key);
                if (argument.Key == "Loss" && _target.Visibility is null && written?.Expression is MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "Loss" } } access)
                {
                    Report(DiagnosticDescriptors.LossNameHidden, SourceLocations.Of(access.Expression), Name, access.Name.Identifier.ValueText);
                }

                named.Add(new NamedArgument(argument.Key, argument.Value.Value, SourceLocations.Text(written, argument.Value.Value as string)));
            }

            return new NetworkArguments(inputs, SourceLocations.Of(SourceLocations.Constructor(syntax, constructor, 0)?.Expression), SourceLocations.Of(syntax), named.ToEquatableArray());
        }

        /// <summary>The <c>[Dense]</c> layers in the order they are written; null when that order is ambiguous or unknown.</summary>
        private EquatableArray<LayerArguments>? ReadLayers()
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

            var layers = new List<LayerArguments>();
            for (var i = 0; i < ordered.Count; i++)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                if (ReadLayer(i + 1, ordered[i].Data, ordered[i].Syntax) is { } layer)
                {
                    layers.Add(layer);
                }
            }

            return layers.ToEquatableArray();
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

        private LayerArguments? ReadLayer(int number, AttributeData attribute, AttributeSyntax syntax)
        {
            if (attribute.AttributeConstructor is not { Parameters.Length: 2 } constructor
                || attribute.ConstructorArguments is not [{ Value: int units }, { Kind: not TypedConstantKind.Error } activationArgument])
            {
                _bound = false;
                return null;
            }

            var activation = activationArgument.Kind == TypedConstantKind.Array ? null : activationArgument.Value;
            return new LayerArguments(
                number,
                units,
                SourceLocations.Of(SourceLocations.Constructor(syntax, constructor, 0)?.Expression),
                constructor.Parameters[1].Type.SpecialType == SpecialType.System_String,
                activation,
                SourceLocations.Text(SourceLocations.Constructor(syntax, constructor, 1), activation as string),
                SourceLocations.Of(syntax));
        }
    }
}
