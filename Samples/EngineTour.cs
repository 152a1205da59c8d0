using System;
using System.Collections.Generic;
using System.Globalization;
using BackpropGen.Symbolic;

namespace BackpropGen.Samples;

/// <summary>
/// The algebra engine at work on the formulas of the backpropagation notes: each one is parsed,
/// differentiated, rewritten in forward values, and printed as text, LaTeX and C#.
/// </summary>
internal static class EngineTour
{
    public static void Run()
    {
        var x = new Symbol("x");
        var a = new Symbol("a");
        var y = new Symbol("y");
        var t = new Symbol("t");

        Console.WriteLine("BackpropGen symbolic engine");
        Console.WriteLine();

        Show("sigmoid", Expr.Parse("sigmoid(a)"), a, Expr.Sigmoid(a), y);
        Show("tanh", Expr.Parse("tanh(a)"), a, Expr.Tanh(a), y);
        Show("half squared error", Expr.Parse("1/2 * (y - t)^2"), y, null, null);
        Show("binary cross-entropy", Expr.Parse("-(t * log(y) + (1 - t) * log(1 - y))"), y, null, null);
        Show("custom activation", Expr.Parse("x / (1 + abs(x))"), x, null, null);

        // The layer equation in index form: a_j = Σ_k x_k w_kj + b_j, differentiated by one weight w_ij.
        var layer = Expr.SumOver("k", new Symbol("x", "k") * new Symbol("w", "k", "j")) + new Symbol("b", "j");
        Console.WriteLine("layer equation");
        Console.WriteLine($"  a_j          = {layer.ToLatex()}");
        Console.WriteLine($"  ∂a_j/∂w_ij   = {layer.Differentiate(new Symbol("w", "i", "j")).ToLatex()}   (the sum collapsed through δ_ki)");
        Console.WriteLine();

        // Common subexpressions of an output unit's forward value and δ, ready to print as code.
        var output = Expr.Sigmoid(a);
        var delta = (output - t) * output * (1 - output);
        var cse = CommonSubexpressions.Eliminate(new[] { output, delta }, "s");
        Console.WriteLine("code for y = σ(a) and δ = (y − t) y (1 − y), with common subexpressions shared");
        foreach (var binding in cse.Bindings)
        {
            Console.WriteLine($"  double {binding.Name.ToCSharp()} = {binding.Value.ToCSharp()};");
        }

        Console.WriteLine($"  double y = {cse.Results[0].ToCSharp()};");
        Console.WriteLine($"  double delta = {cse.Results[1].ToCSharp()};");
    }

    private static void Show(string title, Expr expression, Symbol variable, Expr? forward, Symbol? forwardName)
    {
        var derivative = expression.Differentiate(variable.Name);
        var rewritten = forward is null || forwardName is null ? derivative : derivative.Substitute(forward, forwardName).Simplify();
        var point = new Dictionary<string, double> { ["x"] = 0.3, ["a"] = 0.3, ["y"] = 0.7, ["t"] = 1.0 };
        Console.WriteLine(title);
        Console.WriteLine($"  f            = {expression}");
        Console.WriteLine($"  df/d{variable.Name}        = {derivative}");
        if (!ReferenceEquals(rewritten, derivative))
        {
            Console.WriteLine($"  in forward values ({forward} = {forwardName}) = {rewritten}");
        }

        Console.WriteLine($"  LaTeX        = {rewritten.ToLatex()}");
        Console.WriteLine($"  C# (double)  = {rewritten.ToCSharp()}");
        Console.WriteLine($"  C# (float)   = {rewritten.ToCSharp(NumericType.Single)}");
        Console.WriteLine($"  at {variable.Name} = 0.3 = {derivative.Evaluate(point).ToString("G6", CultureInfo.InvariantCulture)}");
        Console.WriteLine();
    }
}
