using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text;
using BackpropGen.Symbolic;
using BackpropGen.Tests.Support;
using FsCheck;
using FsCheck.Fluent;

namespace BackpropGen.Tests.Symbolic;

/// <summary>
/// Printed C# is compiled with Roslyn and run: it must compute what <see cref="Expr.Evaluate(Func{Symbol,double})"/>
/// computes. The random expressions come from fixed seeds, so a failure repeats.
/// </summary>
public class CSharpExecutionTests
{
    [Fact]
    public void Random_expressions_and_their_derivatives_compute_the_same_in_compiled_csharp()
    {
        var expressions = ExprGenerators.Tree(12).Sample(150, new Rnd(12UL), size: 50)
            .SelectMany(e => new[] { e.Simplify(), e.Differentiate("x") })
            .ToArray();
        CompareCompiled(expressions, NumericType.Double, relative: 1e-12);
    }

    [Fact]
    public void Float_code_computes_the_same_within_single_precision()
    {
        var expressions = ExprGenerators.Tree(6).Sample(100, new Rnd(6UL), size: 50).Select(e => e.Simplify()).ToArray();
        CompareCompiled(expressions, NumericType.Single, relative: 1e-3);
    }

    [Fact]
    public void Folded_constants_compute_the_same_in_compiled_csharp()
    {
        var expressions = new[]
        {
            "x - 2 * log(2)", "x * log(1/2)", "y - log(1/2) * x", "sigmoid(x * log(1/2))", "-(x * log(1/2))^3",
            "sqrt(2) * x / log(3)", "softplus(y - x) + softplus(x - y) - 2 * log(2)", "z / (1 - log(1/2) * x)",
        }.Select(e => Expr.Parse(e).Simplify()).ToArray();
        CompareCompiled(expressions, NumericType.Double, relative: 1e-12);
        CompareCompiled(expressions, NumericType.Single, relative: 1e-5);
    }

    [Theory]
    [InlineData(-1000.0, 0.0)]
    [InlineData(-40.0, 4.248354255291589e-18)]
    [InlineData(0.0, 0.5)]
    [InlineData(1000.0, 1.0)]
    public void The_printed_sigmoid_saturates_without_nan(double x, double expected)
    {
        var method = CompileOne(Expr.Sigmoid(new Symbol("x")), NumericType.Double);
        var value = (double)method.Invoke(null, new object[] { new[] { x, 0.0, 0.0 } })!;
        Assert.Equal(expected, value, 15);
    }

    [Theory]
    [InlineData(-1000.0)]
    [InlineData(1000.0)]
    public void The_printed_softplus_stays_finite(double x)
    {
        var method = CompileOne(Expr.Softplus(new Symbol("x")), NumericType.Double);
        var value = (double)method.Invoke(null, new object[] { new[] { x, 0.0, 0.0 } })!;
        Assert.True(double.IsFinite(value));
        Assert.Equal(Math.Max(x, 0), value, 9);
    }

    private static MethodInfo CompileOne(Expr e, NumericType precision) =>
        Compile(new[] { e }, precision).GetType("Formulas")!.GetMethod("F0")!;

    private static void CompareCompiled(Expr[] expressions, NumericType precision, double relative)
    {
        var assembly = Compile(expressions, precision);
        var type = assembly.GetType("Formulas")!;
        var random = new Random(12345);
        for (var i = 0; i < expressions.Length; i++)
        {
            var method = type.GetMethod("F" + i)!;
            for (var trial = 0; trial < 3; trial++)
            {
                var point = new[] { random.NextDouble() * 4 - 2, random.NextDouble() * 4 - 2, random.NextDouble() * 4 - 2 };
                var values = new Dictionary<string, double> { ["x"] = point[0], ["y"] = point[1], ["z"] = point[2] };
                var expected = Numerics.SafeEvaluate(expressions[i], values);
                var scale = Numerics.Scale(expressions[i], values);
                if (!double.IsFinite(expected) || scale > 1e4)
                {
                    continue;
                }

                var actual = Convert.ToDouble(method.Invoke(null, new object[] { precision == NumericType.Single ? point.Select(p => (float)p).ToArray() : point }));
                Assert.True(Numerics.Close(expected, actual, relative, scale),
                    $"{expressions[i]} at ({string.Join(", ", point)}): evaluated {expected}, C# {actual}\nC#: {expressions[i].ToCSharp(precision)}");
            }
        }
    }

    private static Assembly Compile(IReadOnlyList<Expr> expressions, NumericType precision)
    {
        var type = precision == NumericType.Single ? "float" : "double";
        var source = new StringBuilder("using System;\npublic static class Formulas\n{\n");
        for (var i = 0; i < expressions.Count; i++)
        {
            source.AppendLine($"    public static {type} F{i}({type}[] v)");
            source.AppendLine("    {");
            source.AppendLine($"        {type} x = v[0], y = v[1], z = v[2];");
            source.AppendLine($"        return {expressions[i].ToCSharp(precision)};");
            source.AppendLine("    }");
        }

        source.AppendLine("}");
        return InMemoryCompiler.Compile(source.ToString(), "Formulas");
    }
}
