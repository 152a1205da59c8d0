using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text;
using BackpropGen.Generator.Documents;
using BackpropGen.Generator.Emit;
using BackpropGen.Generator.Model;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Networks;

namespace BackpropGen.Tests.Support;

/// <summary>
/// Emits networks with the C# emitter, compiles them together (warnings as errors) and exposes each through a
/// probe class, since the generated API takes spans, which reflection cannot pass.
/// </summary>
public static class CompiledNetworks
{
    /// <summary>Compiles each network as the generator does by default: its precision, the default threshold, every SIMD API.</summary>
    public static IReadOnlyList<CompiledNetwork> Compile(IReadOnlyList<(NetworkSpec Spec, NumericType Precision)> networks) =>
        Compile(networks.Select(n => (n.Spec, EmitOptions.Default(n.Precision))).ToList());

    /// <summary>
    /// Compiles each network with its own options: its precision, its <c>MaxUnrolledWeights</c> (which layers are loops)
    /// and the SIMD APIs the emitter may use, as <see cref="EmitOptions.Detect"/> would find them in a project.
    /// </summary>
    internal static IReadOnlyList<CompiledNetwork> Compile(IReadOnlyList<(NetworkSpec Spec, EmitOptions Options)> networks)
    {
        var source = new StringBuilder();
        var emitted = new List<string>();
        for (var n = 0; n < networks.Count; n++)
        {
            var (spec, options) = networks[n];
            var name = "Net" + n;
            var derivation = Derivation.Derive(spec);
            emitted.Add(NetworkEmitter.Emit(new NetworkTarget("Compiled", Array.Empty<string>(), name, "internal"), derivation, options, DerivationDocument.Render(derivation)));
            source.Append(emitted[n]);
            source.Append(Probe(name, options.Precision == NumericType.Single ? "float" : "double", (options.Vectors & VectorSupport.Runtime) != 0));
        }

        var assembly = InMemoryCompiler.Compile(source.ToString(), "Networks");
        return networks.Select((network, n) => new CompiledNetwork(assembly.GetType("Compiled.Probe_Net" + n)!, network.Spec, network.Options, emitted[n])).ToList();
    }

    private static string Probe(string name, string type, bool runtime) => $$"""

        namespace Compiled
        {
            public static class Probe_{{name}}
            {
                private static {{type}}[] In(double[] v) => global::System.Array.ConvertAll(v, x => ({{type}})x);
                private static double[] Out({{type}}[] v) => global::System.Array.ConvertAll(v, x => (double)x);
                public static object Create(int seed) => new {{name}}(seed);
                public static object CreateDefault() => new {{name}}();
                public static int[] Counts() => new[] { {{name}}.InputCount, {{name}}.OutputCount, {{name}}.ParameterCount };
                public static double[] GetParameters(object n) => Out((({{name}})n).Parameters.ToArray());
                public static void SetParameters(object n, double[] v) => global::System.MemoryExtensions.CopyTo(In(v), (({{name}})n).Parameters);
                public static double[] Forward(object n, double[] x) { var y = new {{type}}[{{name}}.OutputCount]; (({{name}})n).Forward(In(x), y); return Out(y); }
                public static double Loss(object n, double[] x, double[] t) => (({{name}})n).Loss(In(x), In(t));
                public static double Gradient(object n, double[] x, double[] t, double[] g) { var r = new {{type}}[g.Length]; var loss = (({{name}})n).Gradient(In(x), In(t), r); Out(r).CopyTo(g, 0); return loss; }
                public static double BatchGradient(object n, double[] x, double[] t, double[] g) { var r = new {{type}}[g.Length]; var loss = (({{name}})n).BatchGradient(In(x), In(t), r); Out(r).CopyTo(g, 0); return loss; }
                public static double TrainStep(object n, double[] x, double[] t, double rate) => (({{name}})n).TrainStep(In(x), In(t), ({{type}})rate);
                public static double TrainBatch(object n, double[] x, double[] t, double rate) => (({{name}})n).TrainBatch(In(x), In(t), ({{type}})rate);
                public static string Latex() => {{name}}.DerivationLatex;
                public static double[] ForwardBatch(object n, double[] x, int rows) { var y = new {{type}}[rows * {{name}}.OutputCount]; (({{name}})n).ForwardBatch(In(x), y); return Out(y); }
                public static double CheckGradient(object n, double[] x, double[] t) => (({{name}})n).CheckGradient(In(x), In(t));
                public static void ResetOptimizer(object n) => (({{name}})n).ResetOptimizer();
                public static void SetMaxDegreeOfParallelism(object n, int degree) => (({{name}})n).MaxDegreeOfParallelism = degree;
                public static int GetMaxDegreeOfParallelism(object n) => (({{name}})n).MaxDegreeOfParallelism;
                public static long BatchAllocatedBytes(object n, double[] xs, double[] ts, int calls)
                {
                    var net = ({{name}})n;
                    {{type}}[] xsi = In(xs), tsi = In(ts);
                    var g = new {{type}}[{{name}}.ParameterCount];
                    var ys = new {{type}}[tsi.Length];
                    var rate = ({{type}})1e-6;
                    for (int c = 0; c < 200; c++)
                    {
                        net.BatchGradient(xsi, tsi, g); net.TrainBatch(xsi, tsi, rate); net.ForwardBatch(xsi, ys);
                    }

                    long least = long.MaxValue;
                    for (int window = 0; window < 3; window++)
                    {
                        long before = global::System.GC.GetAllocatedBytesForCurrentThread();
                        for (int c = 0; c < calls; c++)
                        {
                            net.BatchGradient(xsi, tsi, g); net.TrainBatch(xsi, tsi, rate); net.ForwardBatch(xsi, ys);
                        }

                        least = global::System.Math.Min(least, global::System.GC.GetAllocatedBytesForCurrentThread() - before);
                    }

                    return least;
                }
                {{(runtime ? $$"""
                public static byte[] Save(object n) { var s = new global::System.IO.MemoryStream(); (({{name}})n).Save(s); return s.ToArray(); }
                public static void Load(object n, byte[] b) => (({{name}})n).Load(new global::System.IO.MemoryStream(b));
                public static byte[] ExportOnnx(object n) { var s = new global::System.IO.MemoryStream(); (({{name}})n).ExportOnnx(s); return s.ToArray(); }
                public static void ImportOnnx(object n, byte[] b) => (({{name}})n).ImportOnnx(new global::System.IO.MemoryStream(b));
                """ : "")}}
                public static long AllocatedBytes(object n, double[] x, double[] t, double[] xs, double[] ts, int calls)
                {
                    var net = ({{name}})n;
                    {{type}}[] xi = In(x), ti = In(t), xsi = In(xs), tsi = In(ts);
                    var y = new {{type}}[{{name}}.OutputCount];
                    var g = new {{type}}[{{name}}.ParameterCount];
                    var rate = ({{type}})1e-6;
                    // Warm up past tiered compilation, whose one-time work may allocate on this thread; then take the
                    // least of three measured windows: a per-call allocation shows in every one of them.
                    for (int c = 0; c < 2000; c++)
                    {
                        net.Forward(xi, y); net.Loss(xi, ti); net.Gradient(xi, ti, g); net.BatchGradient(xsi, tsi, g); net.TrainStep(xi, ti, rate); net.TrainBatch(xsi, tsi, rate);
                    }

                    long least = long.MaxValue;
                    for (int window = 0; window < 3; window++)
                    {
                        long before = global::System.GC.GetAllocatedBytesForCurrentThread();
                        for (int c = 0; c < calls; c++)
                        {
                            net.Forward(xi, y); net.Loss(xi, ti); net.Gradient(xi, ti, g); net.BatchGradient(xsi, tsi, g); net.TrainStep(xi, ti, rate); net.TrainBatch(xsi, tsi, rate);
                        }

                        least = global::System.Math.Min(least, global::System.GC.GetAllocatedBytesForCurrentThread() - before);
                    }

                    return least;
                }
            }
        }

        """;
}

/// <summary>One compiled network, called through its probe with double arrays whatever its precision.</summary>
public sealed class CompiledNetwork
{
    private readonly Type _probe;

    internal CompiledNetwork(Type probe, NetworkSpec spec, EmitOptions options, string source)
    {
        _probe = probe;
        Spec = spec;
        Options = options;
        Source = source;
    }

    public NetworkSpec Spec { get; }

    /// <summary>The generated class itself, for its private helpers.</summary>
    public Type Class => _probe.Assembly.GetType(_probe.FullName!.Replace("Probe_", ""))!;

    public NumericType Precision => Options.Precision;

    /// <summary>How the network was emitted: its precision, its unroll threshold and the SIMD APIs at hand.</summary>
    internal EmitOptions Options { get; }

    /// <summary>The network's generated C#, as the emitter wrote it (without the probe).</summary>
    public string Source { get; }

    public override string ToString() => $"{Spec} ({Precision}, MaxUnrolledWeights {Options.MaxUnrolledWeights}, {Options.Vectors})";

    public object Create(int seed) => Call<object>("Create", seed);

    public object CreateDefault() => Call<object>("CreateDefault");

    public int[] Counts() => Call<int[]>("Counts");

    public double[] Parameters(object net) => Call<double[]>("GetParameters", net);

    public void SetParameters(object net, double[] values) => Call<object?>("SetParameters", net, values);

    public double[] Forward(object net, double[] input) => Call<double[]>("Forward", net, input);

    public double Loss(object net, double[] input, double[] target) => Call<double>("Loss", net, input, target);

    public double Gradient(object net, double[] input, double[] target, double[] gradient) => Call<double>("Gradient", net, input, target, gradient);

    public double BatchGradient(object net, double[] inputs, double[] targets, double[] gradient) => Call<double>("BatchGradient", net, inputs, targets, gradient);

    public double TrainStep(object net, double[] input, double[] target, double rate) => Call<double>("TrainStep", net, input, target, rate);

    public double TrainBatch(object net, double[] inputs, double[] targets, double rate) => Call<double>("TrainBatch", net, inputs, targets, rate);

    public string Latex() => Call<string>("Latex");

    public double[] ForwardBatch(object net, double[] inputs, int rows) => Call<double[]>("ForwardBatch", net, inputs, rows);

    public double CheckGradient(object net, double[] input, double[] target) => Call<double>("CheckGradient", net, input, target);

    public void ResetOptimizer(object net) => Call<object?>("ResetOptimizer", net);

    public int MaxDegreeOfParallelism(object net) => Call<int>("GetMaxDegreeOfParallelism", net);

    public void SetMaxDegreeOfParallelism(object net, int degree) => Call<object?>("SetMaxDegreeOfParallelism", net, degree);

    /// <summary>The least bytes the calling thread allocated in three windows of <paramref name="calls"/> rounds of BatchGradient, TrainBatch and ForwardBatch.</summary>
    public long BatchAllocatedBytes(object net, double[] inputs, double[] targets, int calls) =>
        Call<long>("BatchAllocatedBytes", net, inputs, targets, calls);

    public byte[] Save(object net) => Call<byte[]>("Save", net);

    public void Load(object net, byte[] file) => Call<object?>("Load", net, file);

    public byte[] ExportOnnx(object net) => Call<byte[]>("ExportOnnx", net);

    public void ImportOnnx(object net, byte[] model) => Call<object?>("ImportOnnx", net, model);

    public long AllocatedBytes(object net, double[] input, double[] target, double[] inputs, double[] targets, int calls) =>
        Call<long>("AllocatedBytes", net, input, target, inputs, targets, calls);

    /// <summary>The flat parameters, an input and a target as the symbols of <see cref="NetworkEvaluator"/>, by the documented layout.</summary>
    public Dictionary<Symbol, double> ToSymbols(double[] parameters, double[] input, double[] target) => DocumentedLayout.ToSymbols(Spec, parameters, input, target);

    /// <summary>The parameter that sits at flat index <paramref name="k"/>.</summary>
    public Symbol ParameterAt(int k) => DocumentedLayout.ParameterAt(Spec, k);

    private T Call<T>(string method, params object[] arguments)
    {
        try
        {
            return (T)_probe.GetMethod(method)!.Invoke(null, arguments)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }
}
