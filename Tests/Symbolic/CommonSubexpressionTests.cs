using System.Linq;
using BackpropGen.Symbolic;

namespace BackpropGen.Tests.Symbolic;

public class CommonSubexpressionTests
{
    private static readonly Symbol A = new("a");
    private static readonly Symbol T = new("t");

    [Fact]
    public void A_repeated_call_is_bound_once_and_used_by_name()
    {
        var y = Expr.Sigmoid(A);
        var delta = (y - T) * y * (1 - y);
        var cse = CommonSubexpressions.Eliminate(new[] { y, delta });

        var binding = Assert.Single(cse.Bindings);
        Assert.Equal("t0", binding.Name.Name);
        Assert.Equal(Expr.Sigmoid(A), binding.Value);
        Assert.Equal(binding.Name, cse.Results[0]);
        Assert.False(cse.Results[1].Contains(Expr.Sigmoid(A)));
    }

    [Fact]
    public void Names_are_stable_and_avoid_symbols_already_in_use()
    {
        var t0 = new Symbol("t0");
        var e = Expr.Exp(A) * Expr.Exp(A) + t0 + Expr.Exp(A);
        var first = CommonSubexpressions.Eliminate(new[] { e, Expr.Exp(A) });
        var second = CommonSubexpressions.Eliminate(new[] { e, Expr.Exp(A) });
        Assert.Equal(first.Bindings.Select(b => b.ToString()), second.Bindings.Select(b => b.ToString()));
        Assert.DoesNotContain(first.Bindings, b => b.Name.Name == "t0");
    }

    [Fact]
    public void A_subtree_repeated_only_inside_a_bound_parent_is_inlined()
    {
        // exp(-a) appears twice, but only inside 2 + exp(-a), which is bound: one binding suffices.
        var inner = Expr.Add(2, Expr.Exp(-A));
        var cse = CommonSubexpressions.Eliminate(new[] { Expr.Log(inner), Expr.Sqrt(inner) });
        var binding = Assert.Single(cse.Bindings);
        Assert.Equal(inner, binding.Value);
    }

    [Fact]
    public void Bindings_come_in_dependency_order()
    {
        var u = Expr.Exp(A) + 1;
        var v = Expr.Log(u) * Expr.Log(u);
        var cse = CommonSubexpressions.Eliminate(new[] { v, u, Expr.Log(u) });
        for (var i = 0; i < cse.Bindings.Count; i++)
        {
            var later = cse.Bindings.Skip(i).Select(b => b.Name).ToHashSet();
            Assert.DoesNotContain(cse.Bindings[i].Value.Symbols(), s => later.Contains(s));
        }
    }

    [Fact]
    public void Nothing_is_bound_when_nothing_repeats()
    {
        var cse = CommonSubexpressions.Eliminate(new[] { Expr.Exp(A), Expr.Log(T) });
        Assert.Empty(cse.Bindings);
    }
}
