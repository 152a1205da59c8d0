using System;
using System.Collections.Generic;
using System.Linq;
using BackpropGen.Symbolic;

namespace BackpropGen.Tests.Support;

/// <summary>Numeric helpers for comparing symbolic results with plain floating point.</summary>
public static class Numerics
{
    /// <summary>The largest magnitude of any sub-expression's value, or infinity when one is not finite.</summary>
    public static double Scale(Expr e, IReadOnlyDictionary<string, double> values)
    {
        var value = SafeEvaluate(e, values);
        if (!double.IsFinite(value))
        {
            return double.PositiveInfinity;
        }

        return e.Children.Select(c => Scale(c, values)).Append(Math.Abs(value)).Max();
    }

    public static double SafeEvaluate(Expr e, IReadOnlyDictionary<string, double> values)
    {
        try
        {
            return e.Evaluate(values);
        }
        catch (ArithmeticException)
        {
            return double.NaN;
        }
    }

    public static bool Close(double a, double b, double relative, double scale = 1) =>
        Math.Abs(a - b) <= relative * (scale + Math.Abs(a) + Math.Abs(b));

    /// <summary>Central finite difference of e in one variable.</summary>
    public static double CentralDifference(Expr e, IReadOnlyDictionary<string, double> at, string variable, double h)
    {
        var plus = new Dictionary<string, double>(at) { [variable] = at[variable] + h };
        var minus = new Dictionary<string, double>(at) { [variable] = at[variable] - h };
        return (e.Evaluate(plus) - e.Evaluate(minus)) / (2 * h);
    }
}
