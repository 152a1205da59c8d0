using BackpropGen.Symbolic.Networks;
using BackpropGen.Tests.Support;

namespace BackpropGen.Tests.Networks;

/// <summary>The one parameter layout: each layer's in × out weights, row-major, then its biases.</summary>
public class ParameterLayoutTests
{
    [Fact]
    public void The_notes_network_has_its_weights_and_biases_where_the_contract_says()
    {
        var layout = SampleNetworks.Notes.Layout;
        Assert.Equal(17, layout.Total);
        Assert.Equal((0, 6, 9), (layout.WeightStart(1), layout.BiasStart(1), layout.End(1)));
        Assert.Equal((9, 15, 17), (layout.WeightStart(2), layout.BiasStart(2), layout.End(2)));
        Assert.Equal(6, layout.WeightCount(1));
        Assert.Equal(9 + 2 * 2 + 1, layout.WeightIndex(2, 2, 1)); // u from hidden unit 2 to output 1: row 2 of 3 × 2
        Assert.Equal(16, layout.BiasIndex(2, 1));
    }

    [Fact]
    public void Counting_parameters_never_overflows()
    {
        Assert.Equal(((decimal)int.MaxValue + 1) * ((decimal)int.MaxValue + 1), ParameterLayout.Count(int.MaxValue, new long[] { int.MaxValue, 1 }));
        Assert.Equal(17m, ParameterLayout.Count(2, new long[] { 3, 2 }));
    }

    [Fact]
    public void The_layout_and_the_size_checks_ask_each_layer_kind_for_its_shape()
    {
        // A kind with a shared 2-tap kernel and one bias (the shape of a 1-D convolution of one channel): the layout
        // must place the next layer after its 3 parameters, not after a dense (4 + 1) · 4 block.
        var kernel = new KernelShapedKind(taps: 2);
        var layout = new ParameterLayout(4, new (LayerKind, int)[] { (kernel, 4), (LayerKind.Dense, 2) });
        Assert.Equal((0, 2, 3), (layout.WeightStart(1), layout.BiasStart(1), layout.End(1)));
        Assert.Equal((3, 11, 13), (layout.WeightStart(2), layout.BiasStart(2), layout.End(2)));
        Assert.Equal(13m, ParameterLayout.Count(4, new (LayerKind?, long)[] { (kernel, 4), (null, 2) }));

        // The unroll decision counts the kind's weights too: 2 kernel weights stay under a threshold of 3, 16 dense ones would not.
        Assert.Equal(new[] { false, true }, global::BackpropGen.Generator.Model.EmitOptions.LoopLayers(4, new (LayerKind?, int)[] { (kernel, 4), (null, 4) }, 3));
        Assert.Equal(new[] { true, true }, global::BackpropGen.Generator.Model.EmitOptions.LoopLayers(4, new (LayerKind?, int)[] { (null, 4), (null, 4) }, 3));
    }

    /// <summary>Counts parameters as a one-channel convolution would; derives like a dense identity layer (not exercised here).</summary>
    private sealed class KernelShapedKind : LayerKind
    {
        private readonly int _taps;

        public KernelShapedKind(int taps) => _taps = taps;

        public override string Name => "kernel";

        public override decimal WeightCount(decimal inputs, decimal units) => _taps;

        public override decimal BiasCount(decimal units) => 1;

        internal override void DeriveOutputAndDelta(LayerDerivation derivation, DerivationContext context) => throw new System.NotSupportedException();

        internal override BackpropGen.Symbolic.Expr? StableLoss(int layer, BackpropGen.Symbolic.Expr loss) => null;

        public override bool Equals(LayerKind? other) => other is KernelShapedKind k && k._taps == _taps;

        public override int GetHashCode() => _taps;
    }
}
