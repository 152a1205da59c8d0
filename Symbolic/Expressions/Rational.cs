using System;
using System.Globalization;
using System.Numerics;

namespace BackpropGen.Symbolic;

/// <summary>An exact rational number p/q in lowest terms with q &gt; 0.</summary>
public readonly struct Rational : IEquatable<Rational>, IComparable<Rational>
{
    /// <summary>Exact arithmetic stops folding past this many bits, so no input can make numbers grow without bound.</summary>
    internal const int MaxBits = 4096;

    /// <summary>Creates p/q in lowest terms.</summary>
    public Rational(BigInteger numerator, BigInteger denominator)
    {
        if (denominator.IsZero)
        {
            throw new DivideByZeroException("a rational number cannot have a zero denominator");
        }

        if (denominator.Sign < 0)
        {
            numerator = -numerator;
            denominator = -denominator;
        }

        var gcd = BigInteger.GreatestCommonDivisor(numerator, denominator);
        if (!gcd.IsOne && !gcd.IsZero)
        {
            numerator /= gcd;
            denominator /= gcd;
        }

        Numerator = numerator;
        _denominatorOrZero = numerator.IsZero ? BigInteger.One : denominator;
    }

    /// <summary>The numerator; carries the sign.</summary>
    public BigInteger Numerator { get; }

    /// <summary>The denominator; always positive (1 for integers).</summary>
    public BigInteger Denominator => _denominatorOrZero.IsZero ? BigInteger.One : _denominatorOrZero;

    // default(Rational) must mean 0/1, so the stored denominator 0 stands for 1.
    private readonly BigInteger _denominatorOrZero;

    public static Rational Zero => new(0, 1);
    public static Rational One => new(1, 1);
    public static Rational MinusOne => new(-1, 1);

    public bool IsZero => Numerator.IsZero;
    public bool IsOne => Numerator.IsOne && Denominator.IsOne;
    public bool IsInteger => Denominator.IsOne;
    public bool IsNegative => Numerator.Sign < 0;
    public int Sign => Numerator.Sign;

    /// <summary>The exact number of bits of |value| (0 for 0).</summary>
    private static long BitLength(BigInteger value)
    {
        var bytes = BigInteger.Abs(value).ToByteArray();
        var last = bytes.Length - 1;
        while (last > 0 && bytes[last] == 0)
        {
            last--;
        }

        var bits = 0;
        for (int top = bytes[last]; top > 0; top >>= 1)
        {
            bits++;
        }

        return last * 8L + bits;
    }

    public static implicit operator Rational(int value) => new(value, 1);

    public static Rational operator +(Rational a, Rational b) =>
        new(a.Numerator * b.Denominator + b.Numerator * a.Denominator, a.Denominator * b.Denominator);

    public static Rational operator -(Rational a, Rational b) => a + (-b);

    public static Rational operator -(Rational a) => new(-a.Numerator, a.Denominator);

    public static Rational operator *(Rational a, Rational b) =>
        new(a.Numerator * b.Numerator, a.Denominator * b.Denominator);

    public static Rational operator /(Rational a, Rational b) =>
        new(a.Numerator * b.Denominator, a.Denominator * b.Numerator);

    public static bool operator ==(Rational a, Rational b) => a.Equals(b);

    public static bool operator !=(Rational a, Rational b) => !a.Equals(b);

    /// <summary>The reciprocal q/p.</summary>
    public Rational Reciprocal() => new(Denominator, Numerator);

    /// <summary>Raises to an integer power; null when the result would exceed the size bound.</summary>
    public Rational? Pow(int exponent)
    {
        if (exponent == 0)
        {
            return One;
        }

        if (IsZero)
        {
            return exponent > 0 ? Zero : null;
        }

        var magnitude = Math.Abs((long)exponent);
        if ((BitLength(Numerator) + BitLength(Denominator)) * magnitude > MaxBits)
        {
            return null;
        }

        var result = new Rational(BigInteger.Pow(Numerator, (int)magnitude), BigInteger.Pow(Denominator, (int)magnitude));
        return exponent < 0 ? result.Reciprocal() : result;
    }

    /// <summary>The exact integer square root when this is the square of a rational, otherwise null.</summary>
    public Rational? ExactSqrt()
    {
        if (IsNegative)
        {
            return null;
        }

        var p = IntegerSqrt(Numerator);
        var q = IntegerSqrt(Denominator);
        return p * p == Numerator && q * q == Denominator ? new Rational(p, q) : null;
    }

    private static BigInteger IntegerSqrt(BigInteger n)
    {
        if (n.IsZero)
        {
            return n;
        }

        var x = (BigInteger)Math.Sqrt((double)n);
        while (x * x > n)
        {
            x--;
        }

        while ((x + 1) * (x + 1) <= n)
        {
            x++;
        }

        return x;
    }

    /// <summary>The nearest double, correctly rounded (BigInteger's own conversion truncates).</summary>
    public double ToDouble()
    {
        if (IsZero)
        {
            return 0.0;
        }

        var magnitude = BigInteger.Abs(Numerator);
        // Scale p/q so the integer quotient has 64 to 66 significant bits; the 53 a double keeps are then
        // rounded once, with a sticky bit standing for any remainder.
        var shift = 65 - (int)(BitLength(magnitude) - BitLength(Denominator));
        var scaledNumerator = shift >= 0 ? magnitude << shift : magnitude;
        var scaledDenominator = shift >= 0 ? Denominator : Denominator << -shift;
        var quotient = BigInteger.DivRem(scaledNumerator, scaledDenominator, out var remainder);
        var extra = (int)Math.Max(0, BitLength(quotient) - 64);
        var sticky = !remainder.IsZero || !(quotient & ((BigInteger.One << extra) - 1)).IsZero;
        var top = (ulong)(quotient >> extra);
        if (sticky)
        {
            top |= 1;
        }

        var value = ScaleByPowerOfTwo((double)top, extra - shift);
        return Numerator.Sign < 0 ? -value : value;
    }

    private static double ScaleByPowerOfTwo(double value, int exponent)
    {
        while (exponent > 1000)
        {
            value *= Math.Pow(2, 1000);
            exponent -= 1000;
        }

        while (exponent < -1000)
        {
            value *= Math.Pow(2, -1000);
            exponent += 1000;
        }

        return value * Math.Pow(2, exponent);
    }

    /// <summary>
    /// The exact decimal expansion when the denominator has no prime factor other than 2 and 5 and the
    /// expansion is short; otherwise null.
    /// </summary>
    public string? ToTerminatingDecimal(int maxDigits = 17)
    {
        var d = Denominator;
        int twos = 0, fives = 0;
        while (d % 2 == 0) { d /= 2; twos++; }
        while (d % 5 == 0) { d /= 5; fives++; }
        if (!d.IsOne)
        {
            return null;
        }

        var scale = Math.Max(twos, fives);
        var scaled = BigInteger.Abs(Numerator) * BigInteger.Pow(10, scale) / Denominator;
        var digits = scaled.ToString(CultureInfo.InvariantCulture);
        if (digits.Length > maxDigits)
        {
            return null;
        }

        if (scale > 0)
        {
            digits = digits.PadLeft(scale + 1, '0');
            digits = digits.Substring(0, digits.Length - scale) + "." + digits.Substring(digits.Length - scale);
        }

        return (IsNegative ? "-" : "") + digits;
    }

    /// <summary>Parses an invariant-culture decimal such as <c>12</c>, <c>0.01</c> or <c>1.5e-3</c> exactly.</summary>
    public static bool TryParseDecimal(string text, out Rational value)
    {
        value = Zero;
        var mantissa = text;
        var exponent = 0;
        var e = text.IndexOfAny(new[] { 'e', 'E' });
        if (e >= 0)
        {
            if (!int.TryParse(text.Substring(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent)
                || Math.Abs(exponent) > 400)
            {
                return false;
            }

            mantissa = text.Substring(0, e);
        }

        var dot = mantissa.IndexOf('.');
        var digits = dot < 0 ? mantissa : mantissa.Remove(dot, 1);
        if (digits.Length == 0 || digits.Length > 400 || !BigInteger.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var integer))
        {
            return false;
        }

        exponent -= dot < 0 ? 0 : mantissa.Length - dot - 1;
        value = exponent >= 0
            ? new Rational(integer * BigInteger.Pow(10, exponent), 1)
            : new Rational(integer, BigInteger.Pow(10, -exponent));
        return true;
    }

    public bool Equals(Rational other) => Numerator == other.Numerator && Denominator == other.Denominator;

    public override bool Equals(object? obj) => obj is Rational other && Equals(other);

    public override int GetHashCode() => unchecked(Numerator.GetHashCode() * 397 ^ Denominator.GetHashCode());

    public int CompareTo(Rational other) => (Numerator * other.Denominator).CompareTo(other.Numerator * Denominator);

    /// <summary><c>3</c>, <c>-1/2</c>: invariant culture.</summary>
    public override string ToString() => Denominator.IsOne
        ? Numerator.ToString(CultureInfo.InvariantCulture)
        : Numerator.ToString(CultureInfo.InvariantCulture) + "/" + Denominator.ToString(CultureInfo.InvariantCulture);
}
