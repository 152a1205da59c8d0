using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BackpropGen.Symbolic.Printing;

namespace BackpropGen.Symbolic.Matrices;

/// <summary>
/// One side of a matrix's shape: a layer's width n^{[l]} (with its value in the network at hand) or the number of
/// examples m of a batch (no value). Two dimensions agree when both their name and their value do.
/// </summary>
public sealed class Dimension : IEquatable<Dimension>
{
    private Dimension(string latex, string text, int? value)
    {
        Latex = latex;
        Text = text;
        Value = value;
    }

    /// <summary>n^{[l]}, the number of units of layer <paramref name="layer"/> (0 is the input), which is <paramref name="units"/> here.</summary>
    public static Dimension Units(int layer, int units)
    {
        var l = layer.ToString(CultureInfo.InvariantCulture);
        return new Dimension("n^{[" + l + "]}", "n^[" + l + "]", units);
    }

    /// <summary>n^{[l]}, the number of units of a layer named by a letter (<c>l</c>, <c>l+1</c>, <c>L</c>) in equations for networks of any size: no value.</summary>
    public static Dimension Units(string layer) => new("n^{[" + layer + "]}", "n^[" + layer + "]", null);

    /// <summary>P, the number of parameters of a network, <paramref name="count"/> here: the length of the vector θ of all of them.</summary>
    public static Dimension Parameters(int count) => new("P", "P", count);

    /// <summary>m, the examples of a batch, stacked as columns.</summary>
    public static Dimension Examples { get; } = new("m", "m", null);

    /// <summary>1, the single column of a bias.</summary>
    public static Dimension One { get; } = new("1", "1", 1);

    /// <summary>The name as LaTeX: <c>n^{[2]}</c>, <c>m</c>.</summary>
    public string Latex { get; }

    /// <summary>The name as plain text: <c>n^[2]</c>, <c>m</c>.</summary>
    public string Text { get; }

    /// <summary>The size in the network at hand; null for m, which any batch sets.</summary>
    public int? Value { get; }

    /// <summary>The value where there is one, else the name: <c>3</c>, <c>m</c>.</summary>
    public string ValueLatex => Value?.ToString(CultureInfo.InvariantCulture) ?? Latex;

    public bool Equals(Dimension? other) => other is not null && other.Latex == Latex && other.Value == Value;

    public override bool Equals(object? obj) => obj is Dimension other && Equals(other);

    public override int GetHashCode() => Symbol.StableHash(Latex) * 31 + (Value ?? -1);

    public override string ToString() => Value is { } v ? Text + " = " + v.ToString(CultureInfo.InvariantCulture) : Text;
}

/// <summary>The shape of a matrix, rows × columns.</summary>
public sealed class Shape : IEquatable<Shape>
{
    public Shape(Dimension rows, Dimension columns)
    {
        Rows = rows;
        Columns = columns;
    }

    public Dimension Rows { get; }

    public Dimension Columns { get; }

    public Shape Transposed => new(Columns, Rows);

    public bool Equals(Shape? other) => other is not null && other.Rows.Equals(Rows) && other.Columns.Equals(Columns);

    public override bool Equals(object? obj) => obj is Shape other && Equals(other);

    public override int GetHashCode() => Rows.GetHashCode() * 31 + Columns.GetHashCode();

    public override string ToString() => Rows.Text + " × " + Columns.Text;
}

/// <summary>
/// A matrix-valued expression of the vectorised form of backpropagation: named matrices, transposes, matrix products,
/// Hadamard (elementwise) products, sums and differences, scalar multiples, sums over the examples, and scalar functions
/// applied entry by entry. Every node knows its <see cref="Shape"/>, and a node whose operands' shapes do not fit
/// (a product of an n × k by a j × m matrix with k ≠ j) cannot be built. Printed by the printers' <see cref="Printer.Print(MatrixExpr)"/>.
/// </summary>
public abstract class MatrixExpr
{
    private protected MatrixExpr(Shape shape) => Shape = shape;

    public Shape Shape { get; }

    /// <summary>The direct operands, in order.</summary>
    public abstract IReadOnlyList<MatrixExpr> Operands { get; }

    /// <summary>Aᵀ.</summary>
    public MatrixExpr T => new Transpose(this);

    /// <summary>The text of the LaTeX printer, as the document writes it.</summary>
    public string ToLatex() => LatexPrinter.WithoutSumBounds.Print(this);

    /// <summary>One line of Unicode text.</summary>
    public override string ToString() => UnicodePrinter.Default.Print(this);

    /// <summary>
    /// A scalar expression of one entry as the same expression of whole matrices, where it is linear in them: each symbol
    /// of <paramref name="matrices"/> becomes its matrix, a product of scalars and one matrix a scaled matrix, and a sum of a
    /// matrix and a negated one their difference (θ − η g as Θ − η ∇L). Null for any other form, which holds only entry by entry.
    /// </summary>
    public static MatrixExpr? Lift(Expr entry, IReadOnlyDictionary<Symbol, MatrixExpr> matrices)
    {
        bool HasMatrix(Expr e) => e.Symbols().Any(matrices.ContainsKey);
        switch (entry)
        {
            case Symbol symbol:
                return matrices.TryGetValue(symbol, out var matrix) ? matrix : null;
            case Product product:
            {
                var inner = product.Factors.Where(HasMatrix).ToList();
                if (inner.Count != 1 || Lift(inner[0], matrices) is not { } lifted)
                {
                    return null;
                }

                var scalars = product.Factors.Where(f => !HasMatrix(f)).ToList();
                return scalars.Count == 0 ? lifted : new Scaled(scalars.Count == 1 ? scalars[0] : new Product(scalars), lifted);
            }

            case Sum { Terms: [var first, Product { Factors: [Number { Value: var sign }, ..] } negated] } when sign == Rational.MinusOne:
            {
                var rest = negated.Factors.Skip(1).ToList();
                return Lift(first, matrices) is { } left && Lift(rest.Count == 1 ? rest[0] : new Product(rest), matrices) is { } right
                    ? new MatrixDifference(left, right)
                    : null;
            }

            default:
                return null;
        }
    }

    private protected static void Require(bool fits, string operation, MatrixExpr a, MatrixExpr b)
    {
        if (!fits)
        {
            throw new ArgumentException($"{operation} of {a} ({a.Shape}) and {b} ({b.Shape}): the shapes do not fit");
        }
    }
}

/// <summary>
/// A named matrix, W^{[2]}, \mathrm{dZ}^{[1]}: its name is a <see cref="Symbolic.Symbol"/> the printers print as any other,
/// in bold when <see cref="Bold"/> (the 365 notes' vectors and matrices, \mathbf{u}).
/// </summary>
public sealed class MatrixSymbol : MatrixExpr
{
    public MatrixSymbol(Symbol symbol, Shape shape, bool bold = false) : base(shape)
    {
        Symbol = symbol;
        Bold = bold;
    }

    public MatrixSymbol(string name, string? superscript, Shape shape, bool bold = false) : this(new Symbol(name, superscript, Array.Empty<Subscript>()), shape, bold)
    {
    }

    public Symbol Symbol { get; }

    /// <summary>True when the name is set in bold.</summary>
    public bool Bold { get; }

    public override IReadOnlyList<MatrixExpr> Operands => Array.Empty<MatrixExpr>();
}

/// <summary>Aᵀ.</summary>
public sealed class Transpose : MatrixExpr
{
    public Transpose(MatrixExpr operand) : base(operand.Shape.Transposed) => Operand = operand;

    public MatrixExpr Operand { get; }

    public override IReadOnlyList<MatrixExpr> Operands => new[] { Operand };
}

/// <summary>A B, the matrix product: (n × k)(k × m) is n × m.</summary>
public sealed class MatrixProduct : MatrixExpr
{
    public MatrixProduct(MatrixExpr left, MatrixExpr right) : base(new Shape(left.Shape.Rows, right.Shape.Columns))
    {
        Require(left.Shape.Columns.Equals(right.Shape.Rows), "the matrix product", left, right);
        Left = left;
        Right = right;
    }

    public MatrixExpr Left { get; }

    public MatrixExpr Right { get; }

    public override IReadOnlyList<MatrixExpr> Operands => new[] { Left, Right };
}

/// <summary>A ∗ B, the Hadamard product, entry by entry, of two matrices of one shape.</summary>
public sealed class Hadamard : MatrixExpr
{
    public Hadamard(MatrixExpr left, MatrixExpr right) : base(left.Shape)
    {
        Require(left.Shape.Equals(right.Shape), "the Hadamard product", left, right);
        Left = left;
        Right = right;
    }

    public MatrixExpr Left { get; }

    public MatrixExpr Right { get; }

    public override IReadOnlyList<MatrixExpr> Operands => new[] { Left, Right };
}

/// <summary>A + B, of two matrices of one shape.</summary>
public sealed class MatrixSum : MatrixExpr
{
    public MatrixSum(MatrixExpr left, MatrixExpr right) : base(left.Shape)
    {
        Require(left.Shape.Equals(right.Shape), "the sum", left, right);
        Left = left;
        Right = right;
    }

    public MatrixExpr Left { get; }

    public MatrixExpr Right { get; }

    public override IReadOnlyList<MatrixExpr> Operands => new[] { Left, Right };
}

/// <summary>A − B, of two matrices of one shape.</summary>
public sealed class MatrixDifference : MatrixExpr
{
    public MatrixDifference(MatrixExpr left, MatrixExpr right) : base(left.Shape)
    {
        Require(left.Shape.Equals(right.Shape), "the difference", left, right);
        Left = left;
        Right = right;
    }

    public MatrixExpr Left { get; }

    public MatrixExpr Right { get; }

    public override IReadOnlyList<MatrixExpr> Operands => new[] { Left, Right };
}

/// <summary>c A, a matrix times a scalar expression (1/m).</summary>
public sealed class Scaled : MatrixExpr
{
    public Scaled(Expr factor, MatrixExpr operand) : base(operand.Shape)
    {
        Factor = factor;
        Operand = operand;
    }

    public Expr Factor { get; }

    public MatrixExpr Operand { get; }

    public override IReadOnlyList<MatrixExpr> Operands => new[] { Operand };
}

/// <summary>Σ_{i=1}^{m} A^{(i)}: the columns of a matrix of m examples summed into one column.</summary>
public sealed class ExampleSum : MatrixExpr
{
    public ExampleSum(MatrixExpr operand) : base(new Shape(operand.Shape.Rows, Dimension.One))
    {
        if (!operand.Shape.Columns.Equals(Dimension.Examples))
        {
            throw new ArgumentException($"the sum over the examples of {operand} ({operand.Shape}): its columns are not the m examples");
        }

        Operand = operand;
    }

    public MatrixExpr Operand { get; }

    public override IReadOnlyList<MatrixExpr> Operands => new[] { Operand };
}

/// <summary>
/// g(A, B, …) entry by entry: a scalar expression whose symbols stand for the same entry of matrices of one shape
/// (y(1 − y) for A ∗ (1 − A)); its products are Hadamard products, its powers and functions act on each entry.
/// </summary>
public sealed class Entrywise : MatrixExpr
{
    /// <param name="body">The scalar expression of one entry.</param>
    /// <param name="matrices">Which matrix each symbol of <paramref name="body"/> is an entry of; every one of one shape.</param>
    public Entrywise(Expr body, IReadOnlyDictionary<Symbol, MatrixSymbol> matrices)
        : base(matrices.Values.FirstOrDefault()?.Shape ?? throw new ArgumentException("an entrywise expression needs a matrix", nameof(matrices)))
    {
        var other = body.Symbols().FirstOrDefault(s => !matrices.ContainsKey(s));
        if (other is not null)
        {
            throw new ArgumentException($"the entry's symbol {other} stands for no matrix", nameof(body));
        }

        if (matrices.Values.FirstOrDefault(m => !m.Shape.Equals(Shape)) is { } misfit)
        {
            throw new ArgumentException($"{misfit} ({misfit.Shape}) has not the shape {Shape} of the other matrices entry by entry", nameof(matrices));
        }

        Body = body;
        Matrices = matrices;
    }

    public Expr Body { get; }

    public IReadOnlyDictionary<Symbol, MatrixSymbol> Matrices { get; }

    /// <summary>The body with each symbol replaced by its matrix's name, for printing.</summary>
    public Expr Named => Matrices.Aggregate(Body, (e, m) => e.Substitute(m.Key, m.Value.Symbol));

    public override IReadOnlyList<MatrixExpr> Operands => Matrices.Values.ToArray();
}

/// <summary>g(A) for a named function applied entry by entry, such as g^{[l]′}(Z^{[l]}).</summary>
public sealed class AppliedFunction : MatrixExpr
{
    public AppliedFunction(Symbol function, MatrixExpr argument) : base(argument.Shape)
    {
        Function = function;
        Argument = argument;
    }

    public Symbol Function { get; }

    public MatrixExpr Argument { get; }

    public override IReadOnlyList<MatrixExpr> Operands => new[] { Argument };
}

/// <summary>∇_u L(u): the gradient of a scalar function by every entry of a matrix, of the matrix's shape.</summary>
public sealed class MatrixGradient : MatrixExpr
{
    public MatrixGradient(Symbol function, MatrixSymbol variable) : base(variable.Shape)
    {
        Function = function;
        Variable = variable;
    }

    /// <summary>The scalar function differentiated, such as the loss L.</summary>
    public Symbol Function { get; }

    /// <summary>The matrix it is differentiated by.</summary>
    public MatrixSymbol Variable { get; }

    public override IReadOnlyList<MatrixExpr> Operands => new MatrixExpr[] { Variable };
}

/// <summary>An equation between two matrix expressions of one shape: dZ^{[1]} = W^{[2]T} dZ^{[2]} ∗ g^{[1]′}(Z^{[1]}).</summary>
public sealed class MatrixEquation
{
    public MatrixEquation(MatrixExpr left, MatrixExpr right)
    {
        if (!left.Shape.Equals(right.Shape))
        {
            throw new ArgumentException($"{left} ({left.Shape}) = {right} ({right.Shape}): the two sides have different shapes");
        }

        Left = left;
        Right = right;
    }

    public MatrixExpr Left { get; }

    public MatrixExpr Right { get; }

    public override string ToString() => Left + " = " + Right;
}
