using System;

namespace BackpropGen.Symbolic;

/// <summary>
/// Counts the steps the engine takes on the current thread: nodes built, exact rational results and root-finding
/// iterations. Every rational the engine folds has at most <see cref="Rational.MaxBits"/> bits a part, so each step
/// is bounded, and tests bound the engine's work by this count instead of by a clock.
/// </summary>
internal static class EngineWork
{
    [ThreadStatic]
    private static long t_steps;

    /// <summary>The steps counted on this thread so far.</summary>
    public static long Steps => t_steps;

    public static void Count() => t_steps++;
}
