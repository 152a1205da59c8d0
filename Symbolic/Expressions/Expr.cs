using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using BackpropGen.Symbolic.Parsing;
using BackpropGen.Symbolic.Printing;

namespace BackpropGen.Symbolic;

/// <summary>
/// An immutable expression tree with structural equality. Constructors of the node types
/// (<see cref="Sum"/>, <see cref="Product"/>, …) build exactly the tree written; the static factories here
/// (<see cref="Add(Expr[])"/>, <see cref="Multiply(Expr[])"/>, the operators) build the simplified form.
/// </summary>
public abstract class Expr : IEquatable<Expr>, IComparable<Expr>
{
    private readonly int _hash;

    private protected Expr(int hash)
    {
        _hash = hash;
        EngineWork.Count();
    }

    /// <summary>The node's kind; also the first key of the canonical order.</summary>
    public abstract ExprKind Kind { get; }

    /// <summary>The direct sub-expressions, in order.</summary>
    public abstract IReadOnlyList<Expr> Children { get; }

    /// <summary>A node of the same kind and data with other children (not simplified).</summary>
    public abstract Expr WithChildren(IReadOnlyList<Expr> children);

    // ----- parsing -----

    /// <summary>Parses a user expression such as <c>x / (1 + abs(x))</c>.</summary>
    /// <exception cref="ParseException">The text is not a valid expression.</exception>
    public static Expr Parse(string text) => Parser.Parse(text);

    /// <summary>Parses a user expression; on failure returns false with the position and message.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out Expr? expr, [NotNullWhen(false)] out ParseError? error) =>
        Parser.TryParse(text, out expr, out error);

    // ----- algebra -----

    /// <summary>
    /// The canonical simplified form: one bottom-up pass of the normalizing constructors, so it terminates
    /// on every input. Nodes those constructors build are marked canonical and return themselves.
    /// </summary>
    public Expr Simplify() => IsCanonical ? this : SimplifyChildren();

    /// <summary>True for nodes built by the normalizing constructors (and for numbers and symbols).</summary>
    internal bool IsCanonical { get; private set; }

    /// <summary>Marks a node the normalizing constructors built; returns it.</summary>
    private protected static T Canonical<T>(T node) where T : Expr
    {
        node.IsCanonical = true;
        return node;
    }

    private protected void MarkLeafCanonical() => IsCanonical = true;

    /// <summary>Rebuilds this node from its simplified children with its normalizing constructor.</summary>
    internal abstract Expr SimplifyChildren();

    /// <summary>∂/∂<paramref name="variable"/> of this expression, simplified.</summary>
    public Expr Differentiate(string variable) => Differentiate(new Symbol(variable));

    /// <summary>
    /// ∂/∂<paramref name="variable"/>, simplified. The variable may carry indices: ∂w_{kj}/∂w_{ij} is the
    /// Kronecker δ_{ki} (δ_{jj} = 1), which collapses sums over k.
    /// </summary>
    public Expr Differentiate(Symbol variable) => Simplify().Derivative(variable).Simplify();

    /// <summary>
    /// ∂/∂<paramref name="variable"/> in steps, as a textbook derives it: one rule per step (sum, constant factor,
    /// product, quotient, power, each function's own rule with the chain rule), applied to this tree as written,
    /// then the simplification. Each step is an equation between two forms of the derivative, whose sides hold
    /// <see cref="UnevaluatedDerivative"/> nodes until every rule has applied; the last step's right side is
    /// <see cref="Differentiate(Symbol)"/>.
    /// </summary>
    public IReadOnlyList<DerivativeStep> DifferentiateWithSteps(Symbol variable) => DerivativeSteps.Derive(this, variable);

    /// <summary>∂/∂<paramref name="variable"/> in steps; see <see cref="DifferentiateWithSteps(Symbol)"/>.</summary>
    public IReadOnlyList<DerivativeStep> DifferentiateWithSteps(string variable) => DifferentiateWithSteps(new Symbol(variable));

    /// <summary>The derivative of a simplified node, built with the normalizing constructors.</summary>
    internal abstract Expr Derivative(Symbol variable);

    /// <summary>
    /// Replaces every occurrence of <paramref name="from"/> (structurally equal sub-tree) by
    /// <paramref name="to"/>. The result keeps the shape of this tree; call <see cref="Simplify"/> for the
    /// canonical form.
    /// </summary>
    public Expr Substitute(Expr from, Expr to)
    {
        if (Equals(from))
        {
            return to;
        }

        var children = Children;
        if (children.Count == 0)
        {
            return this;
        }

        Expr[]? replaced = null;
        for (var i = 0; i < children.Count; i++)
        {
            var child = children[i].Substitute(from, to);
            if (!ReferenceEquals(child, children[i]))
            {
                replaced ??= children.ToArray();
                replaced[i] = child;
            }
        }

        return replaced is null ? this : WithChildren(replaced);
    }

    /// <summary>Replaces a named index everywhere it is free (w_{ij} with j → 1 gives w_{i1}).</summary>
    public abstract Expr SubstituteIndex(string index, Subscript value);

    private byte _constant; // 0: not computed yet, 1: constant, 2: not constant

    /// <summary>
    /// True when the tree has no symbol, Kronecker δ or indexed sum, so it has one value (2 log 2, √3);
    /// computed once per node.
    /// </summary>
    public bool IsConstant
    {
        get
        {
            if (_constant == 0)
            {
                var constant = this switch
                {
                    Number => true,
                    Symbol or KroneckerDelta or IndexedSum or UnevaluatedDerivative => false,
                    _ => Children.All(c => c.IsConstant),
                };
                _constant = constant ? (byte)1 : (byte)2;
            }

            return _constant == 1;
        }
    }

    /// <summary>True when <paramref name="part"/> occurs in this tree.</summary>
    public bool Contains(Expr part) => Equals(part) || Children.Any(c => c.Contains(part));

    /// <summary>True when the named index occurs free in this tree.</summary>
    public abstract bool ContainsIndex(string index);

    /// <summary>This node and every node below it, parents before children.</summary>
    public IEnumerable<Expr> Descendants()
    {
        yield return this;
        foreach (var child in Children)
        {
            foreach (var node in child.Descendants())
            {
                yield return node;
            }
        }
    }

    /// <summary>The symbols in this tree, in canonical order, each once.</summary>
    public IReadOnlyList<Symbol> Symbols()
    {
        var found = new SortedSet<Symbol>();
        Collect(this, found);
        return found.ToArray();

        static void Collect(Expr e, SortedSet<Symbol> into)
        {
            if (e is Symbol s)
            {
                into.Add(s);
            }

            foreach (var child in e.Children)
            {
                Collect(child, into);
            }
        }
    }

    // ----- evaluation -----

    /// <summary>
    /// Evaluates in double precision. Keys are symbols as their <c>ToString()</c> writes them
    /// (<c>x</c>, <c>w_{1,2}</c>, <c>a^{(2)}_{1}</c>), with the indices of enclosing sums filled in.
    /// </summary>
    public double Evaluate(IReadOnlyDictionary<string, double> values) =>
        Evaluate(symbol => values.TryGetValue(symbol.ToString(), out var v)
            ? v
            : throw new KeyNotFoundException($"no value given for the symbol '{symbol}'"));

    /// <summary>Evaluates in double precision, asking <paramref name="valueOf"/> for each symbol.</summary>
    public double Evaluate(Func<Symbol, double> valueOf) => Evaluate(new EvaluationContext(valueOf));

    internal abstract double Evaluate(EvaluationContext context);

    // ----- printing -----

    /// <summary>LaTeX math-mode text: <c>\frac{1}{2} \left(y - t\right)^{2}</c>.</summary>
    public string ToLatex() => LatexPrinter.Default.Print(this);

    /// <summary>A C# expression in <see cref="double"/>: <c>1.0 / (1.0 + Math.Exp(-x))</c>.</summary>
    public string ToCSharp() => CSharpPrinter.Double.Print(this);

    /// <summary>A C# expression in the given precision (<c>MathF</c> and <c>f</c> literals for single).</summary>
    public string ToCSharp(NumericType precision) =>
        (precision == NumericType.Single ? CSharpPrinter.Single : CSharpPrinter.Double).Print(this);

    /// <summary>A C# expression printed with the given options.</summary>
    public string ToCSharp(CSharpPrinterOptions options) => new CSharpPrinter(options).Print(this);

    /// <summary>Plain text that <see cref="Parse"/> reads back (for trees of plain symbols).</summary>
    public override string ToString() => TextPrinter.Default.Print(this);

    // ----- equality and order -----

    public abstract bool Equals(Expr? other);

    public sealed override bool Equals(object? obj) => obj is Expr other && Equals(other);

    public sealed override int GetHashCode() => _hash;

    /// <summary>The canonical total order used to sort terms and factors.</summary>
    public int CompareTo(Expr? other)
    {
        if (other is null)
        {
            return 1;
        }

        if (ReferenceEquals(this, other))
        {
            return 0;
        }

        var byKind = Kind.CompareTo(other.Kind);
        return byKind != 0 ? byKind : CompareSameKind(other);
    }

    private protected abstract int CompareSameKind(Expr other);

    private protected static int CompareLists(IReadOnlyList<Expr> a, IReadOnlyList<Expr> b)
    {
        for (var i = 0; i < Math.Min(a.Count, b.Count); i++)
        {
            var c = a[i].CompareTo(b[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return a.Count.CompareTo(b.Count);
    }

    private protected static int HashOf(ExprKind kind, IEnumerable<Expr> children, int seed = 0)
    {
        unchecked
        {
            var hash = (int)kind * 486187739 + seed;
            foreach (var child in children)
            {
                hash = hash * 31 + child.GetHashCode();
            }

            return hash;
        }
    }

    public static bool operator ==(Expr? a, Expr? b) => a is null ? b is null : a.Equals(b);

    public static bool operator !=(Expr? a, Expr? b) => !(a == b);

    // ----- simplified factories -----

    /// <summary>An exact number.</summary>
    public static Expr Constant(Rational value) => new Number(value);

    /// <summary>p/q as an exact number.</summary>
    public static Expr Constant(long numerator, long denominator) => new Number(new Rational(numerator, denominator));

    /// <summary>The simplified sum.</summary>
    public static Expr Add(params Expr[] terms) => Sum.Create(terms);

    /// <summary>The simplified sum.</summary>
    public static Expr Add(IEnumerable<Expr> terms) => Sum.Create(terms);

    /// <summary>The simplified product.</summary>
    public static Expr Multiply(params Expr[] factors) => Product.Create(factors);

    /// <summary>The simplified product.</summary>
    public static Expr Multiply(IEnumerable<Expr> factors) => Product.Create(factors);

    /// <summary>The simplified a − b.</summary>
    public static Expr Subtract(Expr a, Expr b) => Sum.Create(new[] { a, Negate(b) });

    /// <summary>The simplified a / b.</summary>
    public static Expr Divide(Expr a, Expr b) => Product.Create(new[] { a, Power.Create(b, Number.MinusOne) });

    /// <summary>The simplified −a.</summary>
    public static Expr Negate(Expr a) => Product.Create(new[] { Number.MinusOne, a });

    /// <summary>The simplified power.</summary>
    public static Expr Pow(Expr @base, Expr exponent) => Power.Create(@base, exponent);

    /// <summary>The simplified function call.</summary>
    public static Expr Apply(Function function, params Expr[] arguments) => Call.Create(function, arguments);

    /// <summary>The simplified Σ_{index = lower}^{upper} body (bounds optional).</summary>
    public static Expr SumOver(string index, Expr body, Expr? lower = null, Expr? upper = null) =>
        IndexedSum.Create(index, body, lower, upper);

    /// <summary>The simplified Kronecker δ.</summary>
    public static Expr Delta(Subscript a, Subscript b) => KroneckerDelta.Create(a, b);

    public static Expr Exp(Expr x) => Apply(Function.Exp, x);
    public static Expr Log(Expr x) => Apply(Function.Log, x);
    public static Expr Sqrt(Expr x) => Apply(Function.Sqrt, x);
    public static Expr Abs(Expr x) => Apply(Function.Abs, x);
    public static Expr Sin(Expr x) => Apply(Function.Sin, x);
    public static Expr Cos(Expr x) => Apply(Function.Cos, x);
    public static Expr Tanh(Expr x) => Apply(Function.Tanh, x);
    public static Expr Sigmoid(Expr x) => Apply(Function.Sigmoid, x);
    public static Expr ReLU(Expr x) => Apply(Function.ReLU, x);
    public static Expr Softplus(Expr x) => Apply(Function.Softplus, x);
    public static Expr Step(Expr x) => Apply(Function.Step, x);
    public static Expr Sign(Expr x) => Apply(Function.Sign, x);
    public static Expr Max(Expr a, Expr b) => Apply(Function.Max, a, b);
    public static Expr Min(Expr a, Expr b) => Apply(Function.Min, a, b);

    public static implicit operator Expr(int value) => new Number(value);

    public static Expr operator +(Expr a, Expr b) => Add(a, b);

    public static Expr operator -(Expr a, Expr b) => Subtract(a, b);

    public static Expr operator -(Expr a) => Negate(a);

    public static Expr operator *(Expr a, Expr b) => Multiply(a, b);

    public static Expr operator /(Expr a, Expr b) => Divide(a, b);
}

/// <summary>Node kinds, in the canonical order.</summary>
public enum ExprKind
{
    Number,
    Symbol,
    KroneckerDelta,
    Power,
    Call,
    Sum,
    Product,
    IndexedSum,
    Derivative,
}

/// <summary>The floating-point type code is printed in.</summary>
public enum NumericType
{
    Double,
    Single,
}
