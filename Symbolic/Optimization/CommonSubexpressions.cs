using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace BackpropGen.Symbolic;

/// <summary>One binding of common-subexpression elimination: <c>Name = Value</c>.</summary>
public sealed class Binding
{
    public Binding(Symbol name, Expr value)
    {
        Name = name;
        Value = value;
    }

    public Symbol Name { get; }

    /// <summary>The value, in terms of the inputs and of earlier bindings.</summary>
    public Expr Value { get; }

    public override string ToString() => Name + " = " + Value;
}

/// <summary>The result of <see cref="CommonSubexpressions.Eliminate"/>: bindings in evaluation order, then the rewritten expressions.</summary>
public sealed class CseResult
{
    public CseResult(IReadOnlyList<Binding> bindings, IReadOnlyList<Expr> results)
    {
        Bindings = bindings;
        Results = results;
    }

    /// <summary>Each binding uses only inputs and earlier bindings.</summary>
    public IReadOnlyList<Binding> Bindings { get; }

    /// <summary>The input expressions, in the same order, rewritten in terms of the bindings.</summary>
    public IReadOnlyList<Expr> Results { get; }
}

/// <summary>
/// Common-subexpression elimination over a set of expressions: every compound sub-tree that occurs more
/// than once is computed once, into a binding named <c>prefix0</c>, <c>prefix1</c>, … in order of first
/// use, so the names are stable for the same input. A binding that would be used only once is inlined.
/// Sums over an index are treated as a whole (their bodies depend on the bound index).
/// </summary>
public static class CommonSubexpressions
{
    public static CseResult Eliminate(IReadOnlyList<Expr> expressions, string prefix = "t")
    {
        var counts = new Dictionary<Expr, int>();
        foreach (var e in expressions)
        {
            Count(e, counts);
        }

        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in expressions)
        {
            CollectNames(e, taken);
        }

        var bound = new Dictionary<Expr, Symbol>();
        var values = new List<(Symbol Name, Expr Value)>();
        var next = 0;

        Symbol FreshName()
        {
            string name;
            do
            {
                name = prefix + (next++).ToString(CultureInfo.InvariantCulture);
            }
            while (taken.Contains(name));

            return new Symbol(name);
        }

        Expr Rewrite(Expr e)
        {
            if (bound.TryGetValue(e, out var existing))
            {
                return existing;
            }

            var rebuilt = e is IndexedSum || e.Children.Count == 0 ? e : RebuildChildren(e, Rewrite);
            if (IsCandidate(e) && counts[e] > 1)
            {
                var name = FreshName();
                bound[e] = name;
                values.Add((name, rebuilt));
                return name;
            }

            return rebuilt;
        }

        var results = expressions.Select(Rewrite).ToList();

        // A sub-tree counted twice only because its parent was may now be used once: inline it.
        var uses = new Dictionary<Symbol, int>(values.Count);
        foreach (var (name, _) in values)
        {
            uses[name] = 0;
        }

        foreach (var e in values.Select(v => v.Value).Concat(results))
        {
            CountUses(e, uses);
        }

        var inline = new Dictionary<Symbol, Expr>();
        var renamed = new Dictionary<Symbol, Symbol>();
        var kept = new List<Binding>();
        next = 0;
        Expr Resolve(Expr e) => e switch
        {
            Symbol s when inline.TryGetValue(s, out var value) => value,
            Symbol s when renamed.TryGetValue(s, out var name) => name,
            _ when e.Children.Count == 0 => e,
            _ => RebuildChildren(e, Resolve),
        };

        foreach (var (name, value) in values)
        {
            var resolved = Resolve(value);
            if (uses[name] > 1)
            {
                var stable = FreshName();
                renamed[name] = stable;
                kept.Add(new Binding(stable, resolved));
            }
            else
            {
                inline[name] = resolved;
            }
        }

        return new CseResult(kept, results.Select(Resolve).ToList());
    }

    /// <summary>Evaluates the bindings in order, then the results.</summary>
    public static double[] Evaluate(CseResult cse, Func<Symbol, double> valueOf)
    {
        var bound = new Dictionary<Symbol, double>();
        double Lookup(Symbol s) => bound.TryGetValue(s, out var v) ? v : valueOf(s);
        foreach (var binding in cse.Bindings)
        {
            bound[binding.Name] = binding.Value.Evaluate(Lookup);
        }

        return cse.Results.Select(r => r.Evaluate(Lookup)).ToArray();
    }

    /// <summary>Adds the names of the symbols in <paramref name="e"/>.</summary>
    private static void CollectNames(Expr e, HashSet<string> names)
    {
        if (e is Symbol s)
        {
            names.Add(s.Name);
            return;
        }

        foreach (var child in e.Children)
        {
            CollectNames(child, names);
        }
    }

    private static void Count(Expr e, Dictionary<Expr, int> counts)
    {
        if (!IsCandidate(e))
        {
            foreach (var child in e.Children)
            {
                Count(child, counts);
            }

            return;
        }

        counts[e] = counts.TryGetValue(e, out var n) ? n + 1 : 1;
        if (e is IndexedSum)
        {
            return;
        }

        foreach (var child in e.Children)
        {
            Count(child, counts);
        }
    }

    /// <summary>Counts the uses of the symbols <paramref name="uses"/> holds (the bindings' names); other symbols are not counted.</summary>
    private static void CountUses(Expr e, Dictionary<Symbol, int> uses)
    {
        if (e is Symbol s)
        {
            if (uses.TryGetValue(s, out var n))
            {
                uses[s] = n + 1;
            }

            return;
        }

        foreach (var child in e.Children)
        {
            CountUses(child, uses);
        }
    }

    /// <summary>
    /// Compound trees worth a name; a bare negation or scaling of a symbol is not, nor a constant, which the code
    /// printer writes as one literal.
    /// </summary>
    private static bool IsCandidate(Expr e) => e switch
    {
        Number or Symbol or KroneckerDelta => false,
        _ when e.IsConstant => false,
        Product { Factors: [Number, Symbol] } => false,
        _ => true,
    };

    private static Expr RebuildChildren(Expr e, Func<Expr, Expr> map)
    {
        var children = e.Children;
        var mapped = children.Select(map).ToArray();
        return mapped.Where((c, i) => !ReferenceEquals(c, children[i])).Any() ? e.WithChildren(mapped) : e;
    }
}
