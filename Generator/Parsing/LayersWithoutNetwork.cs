using System.Linq;
using System.Threading;
using BackpropGen.Generator.Diagnostics;
using BackpropGen.Generator.Model;
using Microsoft.CodeAnalysis;

namespace BackpropGen.Generator.Parsing;

/// <summary>
/// A class with <c>[Dense]</c> layers but no <c>[Network]</c> generates nothing, which would pass unnoticed; it gets a
/// warning at its first <c>[Dense]</c> (of each declaration that has some).
/// </summary>
internal static class LayersWithoutNetwork
{
    /// <summary>The transform of the pipeline over <c>[Dense]</c> declarations: the warning, or nothing.</summary>
    public static EquatableArray<DiagnosticInfo> Check(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type
            || type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == NetworkParser.NetworkAttributeName)
            || context.Attributes.FirstOrDefault()?.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not { } first)
        {
            return EquatableArray<DiagnosticInfo>.Empty;
        }

        return EquatableArray.Create(DiagnosticInfo.Create(DiagnosticDescriptors.LayersWithoutNetwork, SourceLocations.Of(first), type.Name));
    }
}
