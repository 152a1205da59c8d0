using System;
using System.Collections.Generic;

namespace BackpropGen.Symbolic;

/// <summary>Symbol values and the indices bound by enclosing sums, during <see cref="Expr.Evaluate(Func{Symbol,double})"/>.</summary>
internal sealed class EvaluationContext
{
    private readonly Func<Symbol, double> _valueOf;
    /// <summary>The indices bound by the enclosing sums; made by the first sum, as most expressions evaluated have none.</summary>
    private Dictionary<string, int>? _indices;

    public EvaluationContext(Func<Symbol, double> valueOf) => _valueOf = valueOf;

    public double ValueOf(Symbol symbol) => _valueOf(symbol.ResolveIndices(this));

    public Subscript Resolve(Subscript index) =>
        index.Name is { } name && _indices is not null && _indices.TryGetValue(name, out var value) ? Subscript.Concrete(value) : index;

    /// <summary>Binds an index for the duration of a sum's term; returns the previous binding to restore.</summary>
    public int? Bind(string index, int value)
    {
        _indices ??= new Dictionary<string, int>(StringComparer.Ordinal);
        int? previous = _indices.TryGetValue(index, out var old) ? old : null;
        _indices[index] = value;
        return previous;
    }

    public void Restore(string index, int? previous)
    {
        if (previous is { } value)
        {
            _indices![index] = value;
        }
        else
        {
            _indices!.Remove(index);
        }
    }
}
