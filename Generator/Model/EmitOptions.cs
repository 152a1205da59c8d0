using System;
using System.Collections.Generic;
using System.Linq;
using BackpropGen.Generator.Parsing;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Networks;
using Microsoft.CodeAnalysis;

namespace BackpropGen.Generator.Model;

/// <summary>
/// What the consuming project's compilation provides: the SIMD APIs of its target framework, which decide how loops are
/// written, and the runtime library of the BackpropGen package, which Save, Load and the ONNX methods call, and whose
/// build for .NET 8 and later runs large batches on several cores.
/// </summary>
[Flags]
internal enum VectorSupport
{
    /// <summary>Neither: loops are scalar (netstandard2.0 without System.Numerics.Vectors).</summary>
    None = 0,

    /// <summary><c>System.Numerics.Vector&lt;T&gt;</c> and <c>MemoryMarshal.Cast</c>: multiply-adds and dot products in SIMD.</summary>
    Vectors = 1,

    /// <summary><c>Vector.Exp</c> (.NET 9 and later): the exponentials of a loop's sigmoid and softmax a SIMD vector at a time.</summary>
    VectorMath = 2,

    /// <summary><c>BackpropGen.Runtime</c> (the package's own assembly): <c>Save</c>, <c>Load</c>, <c>ExportOnnx</c> and <c>ImportOnnx</c> are generated.</summary>
    Runtime = 4,

    /// <summary>
    /// <c>Vector256&lt;T&gt;</c> and <c>Vector512&lt;T&gt;</c> with <c>FusedMultiplyAdd</c> and <c>Log</c> (.NET 9 and later): the unrolled
    /// straight-line code of small networks runs on lanes of examples in batches.
    /// </summary>
    Lanes = 8,

    /// <summary>
    /// <c>BackpropGen.Runtime.BatchSlots&lt;T&gt;</c> (the runtime library's build for .NET 8 and later): the slots of a large batch
    /// run on several cores, through a small nested class of each network derived from it; without it, on the calling thread.
    /// </summary>
    BatchSlots = 16,

    /// <summary>
    /// C# 11 or later (the default from .NET 7): the stateless helpers (exponentials, squares, SIMD kernels) go into one
    /// <c>file static class</c> beside the network instead of being private members of it.
    /// </summary>
    FileTypes = 32,

    /// <summary>
    /// <c>BackpropGen.Runtime.DenseKernels</c> (the runtime library's build for .NET 8 and later): the matrix products of wide
    /// layers call its register-blocked kernels, at the widest SIMD width the machine accelerates; without it, the network's
    /// own <c>Vector&lt;T&gt;</c> kernels.
    /// </summary>
    DenseKernels = 64,

    /// <summary>
    /// <c>BackpropGen.Runtime.LaneMath</c> (the runtime library's build for .NET 8 and later): the exponential and the
    /// lane-by-lane functions of SIMD lanes are its methods; without it, each network writes its own.
    /// </summary>
    LaneMath = 128,
}

/// <summary>How one network's code is written: its number type, which layers are unrolled, and the SIMD APIs at hand.</summary>
internal sealed record EmitOptions
{
    /// <summary>
    /// The least work of a slot of a batch computed on several cores, in examples × parameters: below it, waking a thread of the
    /// pool and waiting for it costs more than the slot's share of the work saves (measured, <c>Benchmarks/README.md</c>).
    /// </summary>
    public const long DefaultMinSlotWork = 1L << 18;

    /// <summary>
    /// The fewest examples of a gradient's slot: each slot's gradient is added to the first once, a pass over the parameters that
    /// takes about as long as the gradients of a few examples.
    /// </summary>
    public const int DefaultMinSlotRows = 64;

    /// <summary>
    /// The most weights of a layer whose transpose the loop form keeps in its scratch for the δ back-product of the layer below
    /// (512 KB of doubles); a larger layer's back-product takes dot products along its rows instead.
    /// </summary>
    public const int DefaultMaxTransposedWeights = 1 << 16;

    public EmitOptions(
        NumericType precision,
        int maxUnrolledWeights,
        VectorSupport vectors,
        long minSlotWork = DefaultMinSlotWork,
        int minSlotRows = DefaultMinSlotRows,
        int maxTransposedWeights = DefaultMaxTransposedWeights)
    {
        Precision = precision;
        MaxUnrolledWeights = maxUnrolledWeights;
        Vectors = vectors;
        MinSlotWork = minSlotWork;
        MinSlotRows = minSlotRows;
        MaxTransposedWeights = maxTransposedWeights;
    }

    public NumericType Precision { get; }

    /// <summary>Layers with more weights than this are loops.</summary>
    public int MaxUnrolledWeights { get; }

    public VectorSupport Vectors { get; }

    /// <summary>The least work of a slot, in examples × parameters (<see cref="DefaultMinSlotWork"/> but in tests of the split).</summary>
    public long MinSlotWork { get; }

    /// <summary>The fewest examples of a gradient's slot (<see cref="DefaultMinSlotRows"/> but in tests of the split).</summary>
    public int MinSlotRows { get; }

    /// <summary>The most weights of a layer kept transposed (<see cref="DefaultMaxTransposedWeights"/> but in tests of the other back-product).</summary>
    public int MaxTransposedWeights { get; }

    /// <summary>The default threshold with every SIMD API available, in <paramref name="precision"/>.</summary>
    public static EmitOptions Default(NumericType precision) =>
        new(precision, NetworkLimits.DefaultMaxUnrolledWeights, VectorSupport.Vectors | VectorSupport.VectorMath | VectorSupport.Lanes | VectorSupport.Runtime | VectorSupport.BatchSlots | VectorSupport.DenseKernels | VectorSupport.LaneMath | VectorSupport.FileTypes);

    /// <summary>The SIMD APIs <paramref name="compilation"/> references.</summary>
    public static VectorSupport Detect(Compilation compilation)
    {
        static bool Has(Compilation c, string type, string member) =>
            c.GetTypeByMetadataName(type) is { } symbol && symbol.GetMembers(member).Any();

        var support = compilation.GetTypeByMetadataName("BackpropGen.Runtime.NetworkFile") is not null && compilation.GetTypeByMetadataName("BackpropGen.Runtime.OnnxModel") is not null
            ? VectorSupport.Runtime
            : VectorSupport.None;
        if (compilation.GetTypeByMetadataName("BackpropGen.Runtime.BatchSlots`1") is not null)
        {
            support |= VectorSupport.BatchSlots;
        }

        if (compilation.GetTypeByMetadataName("BackpropGen.Runtime.DenseKernels") is not null)
        {
            support |= VectorSupport.DenseKernels;
        }

        if (compilation.GetTypeByMetadataName("BackpropGen.Runtime.LaneMath") is not null)
        {
            support |= VectorSupport.LaneMath;
        }

        if (compilation.GetTypeByMetadataName("System.Numerics.Vector`1") is not null && Has(compilation, "System.Runtime.InteropServices.MemoryMarshal", "Cast"))
        {
            support |= VectorSupport.Vectors;
            if (Has(compilation, "System.Numerics.Vector", "Exp"))
            {
                support |= VectorSupport.VectorMath;
            }
        }

        if (new[] { "Vector256", "Vector512" }.All(v => Has(compilation, "System.Runtime.Intrinsics." + v, "FusedMultiplyAdd") && Has(compilation, "System.Runtime.Intrinsics." + v, "Log")))
        {
            support |= VectorSupport.Lanes;
        }

        if (compilation is Microsoft.CodeAnalysis.CSharp.CSharpCompilation { LanguageVersion: >= Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp11 })
        {
            support |= VectorSupport.FileTypes;
        }

        return support;
    }

    /// <summary>
    /// Which layers of a network of dense layers are loops (index l − 1 for layer l); see
    /// <see cref="LoopLayers(int, IReadOnlyList{ValueTuple{LayerKind, int}}, int)"/>.
    /// </summary>
    public static bool[] LoopLayers(int inputs, int[] units, int maxUnrolledWeights) =>
        LoopLayers(inputs, units.Select(u => ((LayerKind?)null, u)).ToList(), maxUnrolledWeights);

    /// <summary>
    /// Which layers of a network are loops (index l − 1 for layer l): those with more weights than
    /// <paramref name="maxUnrolledWeights"/>, and any layer that would take the unrolled layers past
    /// <see cref="NetworkLimits.MaxUnrolledParameters"/>; each layer's kind counts its weights and biases (a dense
    /// layer's shape where the kind is null, not known yet).
    /// </summary>
    public static bool[] LoopLayers(int inputs, IReadOnlyList<(LayerKind? Kind, int Units)> layers, int maxUnrolledWeights)
    {
        var loops = new bool[layers.Count];
        decimal unrolled = 0;
        long previous = inputs;
        for (var l = 0; l < layers.Count; l++)
        {
            var (kind, units) = layers[l];
            var shape = kind ?? LayerKind.Dense;
            var weights = shape.WeightCount(previous, units);
            var parameters = weights + shape.BiasCount(units);
            loops[l] = weights > maxUnrolledWeights || unrolled + parameters > NetworkLimits.MaxUnrolledParameters;
            if (!loops[l])
            {
                unrolled += parameters;
            }

            previous = units;
        }

        return loops;
    }

    /// <summary>The loop layers of a network spec with these options' threshold.</summary>
    public bool[] LoopLayers(NetworkSpec spec) =>
        LoopLayers(spec.Inputs, spec.Layers.Select(l => ((LayerKind?)l.Kind, l.Units)).ToList(), MaxUnrolledWeights);

}
