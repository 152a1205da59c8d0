using System;
using System.Linq;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Networks;
using BackpropGen.Tests.Support;

namespace BackpropGen.Tests.Documents;

/// <summary>The document's numbers are the generated code's: same parameters, same loss, same gradient.</summary>
public class NumericExampleTests
{
    private static readonly Lazy<System.Collections.Generic.IReadOnlyList<CompiledNetwork>> Compiled = new(() =>
        CompiledNetworks.Compile(SampleNetworks.All.Values.Select(spec => (spec, NumericType.Double)).ToList()));

    [Theory]
    [MemberData(nameof(SampleNetworks.Names), MemberType = typeof(SampleNetworks))]
    public void The_example_has_the_parameters_loss_and_gradient_of_the_generated_network(string name)
    {
        var spec = SampleNetworks.All[name];
        var network = Compiled.Value.Single(n => ReferenceEquals(n.Spec, spec));
        var example = NumericExample.For(Derivation.Derive(spec))!;
        var net = network.CreateDefault();
        Assert.Equal(network.Parameters(net), example.Parameters);

        var gradient = new double[spec.ParameterCount];
        var loss = network.Gradient(net, example.Input.ToArray(), example.Target.ToArray(), gradient);
        Assert.Equal(loss, example.Loss, 12);
        for (var k = 0; k < gradient.Length; k++)
        {
            Assert.True(Math.Abs(gradient[k] - example.Gradient[k]) <= 1e-12 * (1 + Math.Abs(gradient[k])), $"parameter {k}: code {gradient[k]}, document {example.Gradient[k]}");
        }

        Assert.Equal(network.Forward(net, example.Input.ToArray()), example.Outputs[^1].ToArray(), new Tolerance(1e-12));
    }

    [Theory]
    [InlineData("Notes", @"\frac{\partial L}{\partial w_{11}} &= \delta^{(1)}_{1} x_{1}")]
    [InlineData("Chain", @"\frac{\partial C_{0}}{\partial w^{(L-2)}_{00}} &= \delta^{(L-2)}_{0} a^{(0)}_{0}")]
    [InlineData("Logistic", @"\frac{\partial L}{\partial W^{[1]}_{11}} &= \mathrm{dz}^{[1]}_{1} x_{1}")]
    public void The_document_states_the_example_and_the_worked_gradient_as_the_example_computes_it(string name, string gradient)
    {
        var spec = SampleNetworks.All[name];
        var example = NumericExample.For(Derivation.Derive(spec))!;
        var document = BackpropGen.Generator.Documents.DerivationDocument.Render(Derivation.Derive(spec));
        Assert.Contains(@"\section{A numeric example}", document);
        Assert.Contains(gradient + @" \\", document);
        var value = example.Gradient[spec.Layout.WeightIndex(1, 0, 0)];
        Assert.Contains("&= " + value.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture) + "\n", document);
        Assert.Contains("= 0.5$", document);
    }

    [Theory]
    [MemberData(nameof(SampleNetworks.Names), MemberType = typeof(SampleNetworks))]
    public void Central_differences_of_the_example_agree_with_its_gradient(string name)
    {
        var example = NumericExample.For(Derivation.Derive(SampleNetworks.All[name]))!;
        for (var k = 0; k < example.Parameters.Count; k++)
        {
            Assert.True(example.RelativeError(k) < 1e-6 || Math.Abs(example.Gradient[k] - example.CentralDifference(k)) < 1e-9,
                $"parameter {k}: {example.Gradient[k]} against {example.CentralDifference(k)}");
        }

        var document = BackpropGen.Generator.Documents.DerivationDocument.Render(Derivation.Derive(SampleNetworks.All[name]));
        Assert.Contains(@"\section{Checking the gradient numerically}", document);
        Assert.Contains($"Over all {example.Parameters.Count} parameters, the largest relative error is", document);
    }

    [Theory]
    [InlineData("Chain", @"C_{0}", @"z^{(L)}_{0}", @"w^{(L)}_{00}")]
    [InlineData("Notes", "L", @"a^{(2)}_{1}", "u_{11}")]
    public void The_computational_graph_carries_the_examples_values_and_the_derivatives_of_the_loss(string name, string loss, string z, string w)
    {
        var spec = SampleNetworks.All[name];
        var example = NumericExample.For(Derivation.Derive(spec))!;
        var document = BackpropGen.Generator.Documents.DerivationDocument.Render(Derivation.Derive(spec));
        string Text(double value) => value.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture);
        var count = spec.Layers.Count;
        Assert.Contains($@"\node[value] (z) at (5.5,0) {{${z} = {Text(example.PreActivations[count - 1][0])}$\\ $\partial {loss}/\partial {z} = {Text(example.Deltas[count - 1][0])}$}};", document);
        Assert.Contains($@"$\partial {loss}/\partial {w} = {Text(example.Gradient[spec.Layout.WeightIndex(count, 0, 0)])}$", document);
        Assert.DoesNotContain(@"\node[value]", BackpropGen.Generator.Documents.DerivationDocument.Render(Derivation.Derive(SampleNetworks.Softmax)));
    }

    [Fact]
    public void A_network_with_more_parameters_than_the_limit_has_no_numeric_example()
    {
        var wide = new NetworkSpec(30, new[] { new LayerSpec(20, ActivationSpec.ReLU), new LayerSpec(3, ActivationSpec.Softmax) }, LossSpec.CrossEntropy);
        Assert.Null(NumericExample.For(Derivation.Derive(wide)));
    }

    private sealed class Tolerance(double relative) : System.Collections.Generic.IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= relative * (1 + Math.Abs(x));

        public int GetHashCode(double obj) => 0;
    }
}
