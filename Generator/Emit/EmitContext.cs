using System;
using System.Collections.Generic;

namespace BackpropGen.Generator.Emit;

/// <summary>Where the symbols of the derivation live in the code being written.</summary>
internal enum Access
{
    /// <summary>In locals of the unrolled code: x0, h1_2, delta2_0.</summary>
    Locals,

    /// <summary>In the block buffers, example <c>e</c>: h1[e * 3 + 2], inputs[e * 2 + 1].</summary>
    Row,

    /// <summary>In the block buffers, element <c>j</c> of the whole block: h1[j] (for element-wise loops).</summary>
    Flat,
}

/// <summary>
/// The method being written: its text, how derivation symbols are reached in it, and what it used, so that its
/// declarations (the parameters array, the block buffers) are written for exactly what the body uses.
/// </summary>
internal sealed class EmitContext
{
    private readonly HashSet<string> _buffers = new(StringComparer.Ordinal);

    public EmitContext(CodeWriter writer, Access access)
    {
        Writer = writer;
        Access = access;
    }

    public CodeWriter Writer { get; }

    public Access Access { get; private set; }

    /// <summary>True once the body read or wrote the parameters array <c>p</c>.</summary>
    public bool UsesParameters { get; private set; }

    /// <summary>Records a use of block buffer <paramref name="name"/> and returns the name.</summary>
    public string Buffer(string name)
    {
        _buffers.Add(name);
        return name;
    }

    /// <summary>Records a use of the parameters array and returns its name.</summary>
    public string Parameters()
    {
        UsesParameters = true;
        return "p";
    }

    public bool Uses(string buffer) => _buffers.Contains(buffer);

    /// <summary>Reaches symbols by <paramref name="access"/> until the returned scope is disposed.</summary>
    public IDisposable In(Access access)
    {
        var previous = Access;
        Access = access;
        return new Restore(() => Access = previous);
    }

    private sealed class Restore : IDisposable
    {
        private readonly Action _restore;

        public Restore(Action restore) => _restore = restore;

        public void Dispose() => _restore();
    }
}
