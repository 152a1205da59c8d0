using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text;
using BackpropGen.Generator.Emit;
using BackpropGen.Generator.Model;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Networks;
using static BackpropGen.Symbolic.Networks.NetworkSymbols;

namespace BackpropGen.Tests.Support;

/// <summary>
/// Emits networks with the C# emitter, compiles them together (warnings as errors) and exposes each through a
/// probe class, since the generated API takes spans, which reflection cannot pass.
/// </summary>
public static class CompiledNetworks
{
    public static IReadOnlyList<CompiledNetwork> Compile(IReadOnlyList<(NetworkSpec Spec, NumericType Precision)> networks)
    {
        var source = new StringBuilder();
        for (var n = 0; n < networks.Count; n++)
        {
            var (spec, precision) = networks[n];
            var name = "Net" + n;
            source.Append(NetworkEmitter.Emit(new NetworkTarget("Compiled", Array.Empty<string>(), name, "internal"), Derivation.Derive(spec), EmitOptions.Default(precision)));
            source.Append(Probe(name, precision == NumericType.Single ? "float" : "double"));
        }

        var assembly = InMemoryCompiler.Compile(source.ToString(), "Networks");
        return networks.Select((network, n) => new CompiledNetwork(assembly.GetType("Compiled.Probe_Net" + n)!, network.Spec, network.Precision)).ToList();
    }

    private static string Probe(string name, string type) => $$"""

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

    public CompiledNetwork(Type probe, NetworkSpec spec, NumericType precision)
    {
        _probe = probe;
        Spec = spec;
        Precision = precision;
    }

    public NetworkSpec Spec { get; }

    public NumericType Precision { get; }

    public override string ToString() => $"{Spec} ({Precision})";

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

    public long AllocatedBytes(object net, double[] input, double[] target, double[] inputs, double[] targets, int calls) =>
        Call<long>("AllocatedBytes", net, input, target, inputs, targets, calls);

    /// <summary>The flat parameters, an input and a target as the symbols of <see cref="NetworkEvaluator"/>, by the documented layout.</summary>
    public Dictionary<Symbol, double> ToSymbols(double[] parameters, double[] input, double[] target)
    {
        var values = new Dictionary<Symbol, double>();
        var offset = 0;
        for (var l = 1; l <= Spec.Layers.Count; l++)
        {
            int inputs = Spec.UnitsOf(l - 1), units = Spec.UnitsOf(l);
            for (var i = 0; i < inputs; i++)
            {
                for (var j = 0; j < units; j++)
                {
                    values[Weight(l, i, j)] = parameters[offset + i * units + j];
                }
            }

            for (var j = 0; j < units; j++)
            {
                values[Bias(l, j)] = parameters[offset + inputs * units + j];
            }

            offset += (inputs + 1) * units;
        }

        for (var i = 0; i < input.Length; i++)
        {
            values[Output(0, i)] = input[i];
        }

        for (var j = 0; j < target.Length; j++)
        {
            values[Target(j)] = target[j];
        }

        return values;
    }

    /// <summary>The parameter that sits at flat index <paramref name="k"/>.</summary>
    public Symbol ParameterAt(int k)
    {
        var offset = 0;
        for (var l = 1; l <= Spec.Layers.Count; l++)
        {
            int inputs = Spec.UnitsOf(l - 1), units = Spec.UnitsOf(l);
            if (k < offset + inputs * units)
            {
                return Weight(l, (k - offset) / units, (k - offset) % units);
            }

            if (k < offset + (inputs + 1) * units)
            {
                return Bias(l, k - offset - inputs * units);
            }

            offset += (inputs + 1) * units;
        }

        throw new ArgumentOutOfRangeException(nameof(k));
    }

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
