using System;
using System.Text;

namespace BackpropGen.Generator.Emit;

/// <summary>An indented text writer for generated C#, with <c>using</c>-scoped blocks; lines end with \n.</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public CodeWriter()
    {
    }

    /// <summary>
    /// A writer <paramref name="deeper"/> levels inside the current indentation of <paramref name="outer"/>, for text
    /// written before the lines that go ahead of it.
    /// </summary>
    public CodeWriter(CodeWriter outer, int deeper) => _indent = outer._indent + deeper;

    /// <summary>Appends the lines of <paramref name="other"/> as they are.</summary>
    public void Append(CodeWriter other) => _text.Append(other._text);

    /// <summary>Appends the lines of <paramref name="other"/> without the blank lines at its end, for the last text of a block.</summary>
    public void AppendBlock(CodeWriter other)
    {
        var end = other._text.Length;
        while (end >= 2 && other._text[end - 1] == '\n' && other._text[end - 2] == '\n')
        {
            end--;
        }

        _text.Append(other._text.ToString(0, end));
    }

    public void Line(string line = "")
    {
        if (line.Length > 0)
        {
            _text.Append(' ', _indent * 4).Append(line);
        }

        _text.Append('\n');
    }

    /// <summary>Writes <paramref name="header"/> (none when empty, for a bare block) and <c>{</c>; disposing writes <c>}</c>.</summary>
    public Block Open(string header)
    {
        if (header.Length > 0)
        {
            Line(header);
        }

        Line("{");
        _indent++;
        return new Block(this);
    }

    /// <summary>An XML doc comment: each line of <paramref name="text"/> prefixed with <c>///</c>.</summary>
    public void Doc(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            Line(line.Length == 0 ? "///" : "/// " + line);
        }
    }

    public override string ToString() => _text.ToString();

    public readonly struct Block : IDisposable
    {
        private readonly CodeWriter _writer;

        public Block(CodeWriter writer) => _writer = writer;

        public void Dispose()
        {
            _writer._indent--;
            _writer.Line("}");
        }
    }
}
