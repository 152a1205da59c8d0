using System;
using System.Collections.Generic;
using System.Linq;
using BackpropGen.Symbolic;
using BackpropGen.Symbolic.Networks;
using static BackpropGen.Symbolic.Networks.NetworkSymbols;

namespace BackpropGen.Tests.Support;

/// <summary>
/// Two independent ways to get a network's gradient: backpropagation that evaluates only the derivation's
/// formulas (the ones the document prints), and central finite differences of a plain forward pass that
/// shares nothing with the derivation but the declared activation and loss expressions.
/// </summary>
public static class NetworkEvaluator
{
    /// <summary>Random weights, biases and inputs, and targets that suit the loss (one-hot for softmax with cross-entropy).</summary>
    public static Dictionary<Symbol, double> RandomPoint(NetworkSpec spec, Random random)
    {
        var values = new Dictionary<Symbol, double>();
        for (var i = 0; i < spec.Inputs; i++)
        {
            values[Output(0, i)] = random.NextDouble() * 2 - 1;
        }

        for (var l = 1; l <= spec.Layers.Count; l++)
        {
            for (var j = 0; j < spec.UnitsOf(l); j++)
            {
                values[Bias(l, j)] = random.NextDouble() - 0.5;
                for (var i = 0; i < spec.UnitsOf(l - 1); i++)
                {
                    values[Weight(l, i, j)] = random.NextDouble() * 2 - 1;
                }
            }
        }

        var softmax = spec.Layers[spec.Layers.Count - 1].Activation.IsSoftmax;
        var hot = random.Next(spec.Outputs);
        for (var j = 0; j < spec.Outputs; j++)
        {
            values[Target(j)] = spec.Loss.Kind switch
            {
                LossKind.CrossEntropy when softmax => j == hot ? 1 : 0,
                LossKind.CrossEntropy or LossKind.BinaryCrossEntropy => 0.05 + 0.9 * random.NextDouble(),
                _ => random.NextDouble() * 2 - 1,
            };
        }

        return values;
    }

    /// <summary>The loss by a plain forward pass: a_j = Σ_i h_i w_ij + b_j, h_j = f(a_j), L = Σ_j ℓ(h_j, t_j).</summary>
    public static double Loss(NetworkSpec spec, IReadOnlyDictionary<Symbol, double> p)
    {
        var loss = spec.Loss.ForOutputs(spec.Outputs);
        return Outputs(spec, p).Select((y, j) => loss.Evaluate(s => s.Name == "y" ? y : p[Target(j)])).Sum();
    }

    /// <summary>The outputs by the plain forward pass of <see cref="Loss"/>: a_j = Σ_i h_i w_ij + b_j, h_j = f(a_j).</summary>
    public static double[] Outputs(NetworkSpec spec, IReadOnlyDictionary<Symbol, double> p)
    {
        var h = Enumerable.Range(0, spec.Inputs).Select(i => p[Output(0, i)]).ToArray();
        for (var l = 1; l <= spec.Layers.Count; l++)
        {
            var activation = spec.Layers[l - 1].Activation;
            var a = Enumerable.Range(0, spec.UnitsOf(l))
                .Select(j => p[Bias(l, j)] + h.Select((hi, i) => hi * p[Weight(l, i, j)]).Sum())
                .ToArray();
            if (activation.IsSoftmax)
            {
                var max = a.Max();
                var exps = a.Select(v => Math.Exp(v - max)).ToArray();
                h = exps.Select(e => e / exps.Sum()).ToArray();
            }
            else
            {
                h = a.Select(v => activation.Expression!.Evaluate(s => v)).ToArray();
            }
        }

        return h;
    }

    /// <summary>∂L/∂parameter by a central difference of <see cref="Loss"/>.</summary>
    public static double FiniteDifference(NetworkSpec spec, IReadOnlyDictionary<Symbol, double> p, Symbol parameter, double step = 1e-6)
    {
        var plus = new Dictionary<Symbol, double>(p) { [parameter] = p[parameter] + step };
        var minus = new Dictionary<Symbol, double>(p) { [parameter] = p[parameter] - step };
        return (Loss(spec, plus) - Loss(spec, minus)) / (2 * step);
    }

    /// <summary>
    /// Forward and backward passes that evaluate the derivation's per-unit formulas: a_j, h_j, the loss, every
    /// δ_j from the output down, then every gradient. Returns all values, gradients keyed by their parameter.
    /// </summary>
    public static Backpropagation Backpropagate(Derivation derivation, IReadOnlyDictionary<Symbol, double> point)
    {
        var values = new Dictionary<Symbol, double>(point);
        double ValueOf(Symbol s) => values.TryGetValue(s, out var v) ? v : throw new KeyNotFoundException($"no value for {s} yet");

        foreach (var layer in derivation.Layers)
        {
            for (var j = 0; j < layer.Units; j++)
            {
                values[PreActivation(layer.Number, j)] = layer.PreActivationAt(j).Evaluate(ValueOf);
            }

            for (var j = 0; j < layer.Units; j++)
            {
                values[Output(layer.Number, j)] = layer.OutputAt(j).Evaluate(ValueOf);
            }
        }

        var loss = derivation.Loss.Evaluate(ValueOf);
        foreach (var layer in derivation.Layers.Reverse())
        {
            for (var j = 0; j < layer.Units; j++)
            {
                values[Delta(layer.Number, j)] = layer.DeltaAt(j).Evaluate(ValueOf);
            }
        }

        var gradient = new Dictionary<Symbol, double>();
        foreach (var layer in derivation.Layers)
        {
            for (var j = 0; j < layer.Units; j++)
            {
                gradient[Bias(layer.Number, j)] = layer.BiasGradientAt(j).Evaluate(ValueOf);
                for (var i = 0; i < layer.Inputs; i++)
                {
                    gradient[Weight(layer.Number, i, j)] = layer.WeightGradientAt(i, j).Evaluate(ValueOf);
                }
            }
        }

        return new Backpropagation(loss, values, gradient);
    }
}

/// <summary>The loss, every forward value and δ, and the gradient of every parameter.</summary>
public sealed record Backpropagation(double Loss, IReadOnlyDictionary<Symbol, double> Values, IReadOnlyDictionary<Symbol, double> Gradient)
{
    public double ValueOf(Symbol s) => Values[s];
}
