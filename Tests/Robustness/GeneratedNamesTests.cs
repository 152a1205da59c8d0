using System.Linq;
using BackpropGen.Generator.Parsing;
using BackpropGen.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace BackpropGen.Tests.Robustness;

/// <summary>
/// The names the generated code declares and the types it writes, read from its syntax: every private member is one
/// of <see cref="NetworkParser.PrivateMemberNames"/> (so the clash check knows it and no user name meets it), every
/// other member is the public API, and no local is declared with <c>var</c> (a class named <c>var</c> would capture it).
/// </summary>
public class GeneratedNamesTests
{
    private static readonly string[] PublicMembers =
    {
        "InputCount", "OutputCount", "ParameterCount", "Parameters", "Forward", "Loss", "Gradient", "BatchGradient",
        "TrainStep", "TrainBatch", "DerivationLatex", "ForwardBatch", "CheckGradient", "ResetOptimizer", "Save", "Load",
        "ExportOnnx", "ImportOnnx", "MaxDegreeOfParallelism",
    };

    [Theory]
    [InlineData("[Network(2)]\n[Dense(3, Activation.Sigmoid)]\n[Dense(2, Activation.Sigmoid)]\npublic partial class Net { }")]
    [InlineData("[Network(4, Loss = Loss.CrossEntropy, MaxUnrolledWeights = 0)]\n[Dense(5, Activation.Sigmoid)]\n[Dense(3, Activation.Softmax)]\npublic partial class Net { }")]
    [InlineData("[Network(4, Loss = Loss.HalfSquaredError, Precision = Precision.Single, MaxUnrolledWeights = 0)]\n[Dense(5, Activation.Tanh)]\n[Dense(3, Activation.Softmax)]\npublic partial class Net { }")]
    [InlineData("public partial class Outer\n{\n    [Network(2, Loss = global::BackpropGen.Loss.SquaredError)]\n    [Dense(2, Activation.ReLU)]\n    private partial class Net { }\n}")]
    public void Generated_members_are_the_public_API_or_registered_private_names_and_no_var(string declaration)
    {
        var run = GeneratorHarness.Run("using BackpropGen;\n" + declaration);
        Assert.Empty(run.Diagnostics);
        var root = CSharpSyntaxTree.ParseText(Assert.Single(run.GeneratedSources).Value).GetRoot();
        var network = root.DescendantNodes().OfType<ClassDeclarationSyntax>().Single(c => c.Identifier.ValueText == "Net");

        foreach (var member in network.Members)
        {
            var name = member switch
            {
                MethodDeclarationSyntax method => method.Identifier.ValueText,
                PropertyDeclarationSyntax property => property.Identifier.ValueText,
                FieldDeclarationSyntax field => field.Declaration.Variables.Single().Identifier.ValueText,
                ClassDeclarationSyntax nested => nested.Identifier.ValueText,
                ConstructorDeclarationSyntax => null,
                _ => "unexpected " + member.Kind(),
            };
            if (name is null)
            {
                continue;
            }

            var isPublic = member.Modifiers.Any(SyntaxKind.PublicKeyword);
            Assert.True(
                isPublic ? PublicMembers.Contains(name) : NetworkParser.PrivateMemberNames.Contains(name),
                $"'{name}' ({(isPublic ? "public" : "not public")}) is neither public API nor in NetworkParser.PrivateMemberNames");
        }

        Assert.DoesNotContain(root.DescendantNodes().OfType<IdentifierNameSyntax>(), n => n.Identifier.ValueText == "var");
    }
}
