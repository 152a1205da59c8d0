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
}
