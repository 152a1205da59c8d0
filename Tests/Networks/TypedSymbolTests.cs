using System.Linq;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Networks;
using static BackpropGen.Symbolic.Networks.NetworkSymbols;

namespace BackpropGen.Tests.Networks;

/// <summary>A network symbol's role and layer are data of the symbol, not read back from its name.</summary>
public class TypedSymbolTests
{
    [Fact]
    public void A_symbol_spelled_like_a_network_symbol_is_not_one()
    {
        var spelled = new Symbol("h", "(2)", new Subscript[] { "j" });
        Assert.NotEqual<Expr>(Output(2, Unit), spelled);
        Assert.False(TryClassify(spelled, out _, out int _));
        Assert.Null(TagOf(spelled));
    }

    [Fact]
    public void Role_and_layer_travel_with_the_symbol_through_index_substitution()
    {
        var weight = Weight(3, From, Unit).SubstituteIndex(From, 4).SubstituteIndex(Unit, 1);
        var symbol = Assert.IsType<Symbol>(weight);
        Assert.True(TryClassify(symbol, out var role, out int layer));
        Assert.Equal(SymbolRole.Weight, role);
        Assert.Equal(3, layer);
        Assert.Equal(new[] { 4, 1 }, symbol.Indices.Select(i => i.Value));
    }

    [Fact]
    public void The_input_is_its_own_role_and_the_general_layers_are_not_numbered()
    {
        Assert.Equal(SymbolRole.Input, TagOf(Output(0, 1))!.Role);
        Assert.Equal(SymbolRole.Output, TagOf(Output(1, 1))!.Role);
        var general = Delta(GeneralNextLayer, Next);
        Assert.Equal("l+1", TagOf(general)!.Layer.ToString());
        Assert.False(TryClassify(general, out _, out int _));
        Assert.Equal("l-1", GeneralPreviousLayer.ToString());
    }

    /// <summary>Symbols of the same role and layer share their tag; a tag made anew is equal to it, hashes alike and orders alike.</summary>
    [Fact]
    public void A_new_tag_is_the_same_as_a_shared_one()
    {
        var shared = Weight(2, From, Unit);
        var made = new Symbol("w", "(2)", new Subscript[] { From, Unit }, new NetworkTag(SymbolRole.Weight, 2));
        Assert.Equal<Expr>(shared, made);
        Assert.Equal(shared.GetHashCode(), made.GetHashCode());
        Assert.Equal(0, shared.CompareTo(made));
        Assert.Same(shared.Tag, Weight(2, 0, 1).Tag);
        Assert.NotEqual<Expr>(shared, Weight(GeneralLayer.Shift(2), From, Unit));
        Assert.Equal(new NetworkTag(SymbolRole.OptimizerState, 0, "m"), TagOf(OptimizerState("m")));
        Assert.NotEqual(new NetworkTag(SymbolRole.OptimizerState, 0, "m"), TagOf(OptimizerState("v")));
    }

    [Fact]
    public void Differentiation_tells_apart_symbols_that_differ_only_in_their_tag()
    {
        var tagged = Output(1, Unit);
        var plain = new Symbol("h", "(1)", new Subscript[] { "j" });
        Assert.Equal(Number.Zero, (tagged * 2).Differentiate(plain).Simplify());
        Assert.Equal(Expr.Constant(2, 1), (tagged * 2).Differentiate(tagged).Simplify());
    }
}
