using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BackpropGen.Tests.Support;

namespace BackpropGen.Tests.Robustness;

/// <summary>
/// The generated files (each holding its LaTeX document as a string constant) are byte-identical from run to run
/// and whatever the culture of the machine that builds: a German, Turkish, French or Saudi machine generates
/// exactly what an invariant one does.
/// </summary>
public class DeterminismTests
{
    public static readonly string[] Cultures = { "", "en-US", "de-DE", "tr-TR", "fr-FR", "ar-SA" };

    /// <summary>
    /// The sample networks as users declare them, and one with decimals everywhere: in a custom activation, a custom
    /// loss and LeakyReLU's slope, where a culture's decimal comma or digits would show.
    /// </summary>
    private const string Declarations = """
        using BackpropGen;

        namespace Samples;

        [Network(inputs: 2, Loss = Loss.HalfSquaredError, Notation = Notation.Notes)]
        [Dense(3, Activation.Sigmoid)]
        [Dense(2, Activation.Sigmoid)]
        public partial class NotesNet { }

        [Network(4, Loss = Loss.CrossEntropy)]
        [Dense(5, Activation.Tanh)]
        [Dense(3, Activation.Softmax)]
        public partial class SoftmaxNet { }

        [Network(3, Loss = Loss.BinaryCrossEntropy, Notation = Notation.Vectorized, Precision = Precision.Single)]
        [Dense(1, Activation.Sigmoid)]
        public partial class LogisticRegression { }

        [Network(2, LossExpression = "softplus(y - t) + softplus(t - y)")]
        [Dense(3, "x / (1 + abs(x))")]
        [Dense(1, Activation.Identity)]
        public partial class CustomNet { }

        [Network(3, LossExpression = "0.5 * (y - t)^2 + 1e-3 * abs(y - t)", Notation = Notation.Layered)]
        [Dense(4, Activation.LeakyReLU)]
        [Dense(2, "1.5 * tanh(0.25 * x) - 2.75")]
        public partial class DecimalNet { }
        """;

    [Fact]
    public void Generated_files_are_byte_identical_across_runs_and_cultures()
    {
        var reference = GenerateUnder("");
        Assert.Equal(5, reference.Count);
        Assert.Equal(reference, GenerateUnder(""));

        foreach (var culture in Cultures.Skip(1))
        {
            var generated = GenerateUnder(culture);
            Assert.Equal(reference.Keys, generated.Keys);
            foreach (var (hintName, text) in reference)
            {
                Assert.True(text.Equals(generated[hintName], StringComparison.Ordinal), $"{hintName} differs under {culture}: {FirstDifference(text, generated[hintName])}");
            }
        }
    }

    /// <summary>The cultures above do differ from the invariant one in what a careless generator would print.</summary>
    [Fact]
    public void The_cultures_differ_in_numbers_and_casing()
    {
        static string Sample(CultureInfo c) => (-1234.5).ToString(c) + " " + 0.25.ToString("N2", c) + " " + "FILE".ToLower(c) + " " + "i".ToUpper(c);

        var invariant = Sample(CultureInfo.InvariantCulture);
        var differing = Cultures.Skip(1).Where(name => Sample(CultureInfo.GetCultureInfo(name)) != invariant).ToList();
        Assert.Equal(new[] { "de-DE", "tr-TR", "fr-FR", "ar-SA" }, differing.Where(name => name != "en-US"));
        Assert.Equal("fıle", "FILE".ToLower(CultureInfo.GetCultureInfo("tr-TR")));
    }

    private static Dictionary<string, string> GenerateUnder(string culture)
    {
        var (current, currentUI) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
            var run = GeneratorHarness.Run(Declarations);
            Assert.Empty(run.Diagnostics);
            return new Dictionary<string, string>(run.GeneratedSources, StringComparer.Ordinal);
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (current, currentUI);
        }
    }

    private static string FirstDifference(string expected, string actual)
    {
        var at = Enumerable.Range(0, Math.Min(expected.Length, actual.Length)).FirstOrDefault(i => expected[i] != actual[i], Math.Min(expected.Length, actual.Length));
        string Around(string s) => s.Substring(Math.Max(0, at - 40), Math.Min(80, s.Length - Math.Max(0, at - 40)));
        return $"at {at}: \"{Around(expected)}\" vs \"{Around(actual)}\"";
    }
}
