using BackpropGen.Generator.Generation;
using BackpropGen.Generator.Model;
using BackpropGen.Generator.Parsing;
using Microsoft.CodeAnalysis;

namespace BackpropGen.Generator;

/// <summary>
/// Generates, for each <c>partial class</c> marked <c>[Network]</c>, its forward pass, gradients and training
/// steps and the LaTeX document that derives them. This file only wires the pipeline: parsing is in
/// <see cref="NetworkParser"/>, deriving and emitting in <see cref="NetworkGeneration"/>.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class BackpropGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // Each network is parsed, derived and emitted on its own, before any Collect, so an edit to one network
        // recomputes that network only, and an edit that leaves a network's declaration equal recomputes nothing.
        // The transform reads raw attribute values and their places only; expressions, checks and size estimates run
        // in the next step, which an edit beside a network (its values and places unchanged) does not reach.
        var networks = context.SyntaxProvider
            .ForAttributeWithMetadataName(NetworkParser.NetworkAttributeName, NetworkParser.IsCandidate, NetworkParser.Parse)
            .WithTrackingName(TrackingNames.Sources)
            .Select(NetworkValidator.Validate)
            .WithTrackingName(TrackingNames.Networks);

        // Which SIMD APIs the project's framework has decides how loops are written; it changes only with the references.
        var vectors = context.CompilationProvider
            .Select(static (compilation, _) => EmitOptions.Detect(compilation))
            .WithTrackingName(TrackingNames.VectorSupport);

        // Generation reads the declaration without its diagnostics and their locations: lines inserted above a network
        // move its warnings but leave its model equal, so nothing is derived again.
        var models = networks
            .Select(static (declaration, _) => declaration.Model)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.Models);

        var generated = models
            .Combine(vectors)
            .Select(NetworkGeneration.Generate)
            .WithTrackingName(TrackingNames.Generated);

        // The files are added together, so two networks whose names differ only in case get distinct file names.
        context.RegisterSourceOutput(generated.Collect(), NetworkGeneration.AddSources);

        // Diagnostics are placed in the current compilation's trees, so pragmas suppress them; only networks that
        // have diagnostics are looked at again when the compilation changes.
        var declared = networks
            .SelectMany(static (network, _) => network.Diagnostics.AsImmutableArray())
            .Combine(context.CompilationProvider);
        context.RegisterSourceOutput(declared, NetworkGeneration.Report);

        var internalErrors = generated
            .SelectMany(static (network, _) => network.Diagnostics.AsImmutableArray())
            .Combine(context.CompilationProvider);
        context.RegisterSourceOutput(internalErrors, NetworkGeneration.Report);

        // [Dense] without [Network] generates nothing; it is worth a warning.
        var strayLayers = context.SyntaxProvider
            .ForAttributeWithMetadataName(NetworkParser.DenseAttributeName, NetworkParser.IsCandidate, LayersWithoutNetwork.Check)
            .WithTrackingName(TrackingNames.LayersWithoutNetwork)
            .SelectMany(static (found, _) => found.AsImmutableArray())
            .Combine(context.CompilationProvider);

        context.RegisterSourceOutput(strayLayers, NetworkGeneration.Report);
    }
}
