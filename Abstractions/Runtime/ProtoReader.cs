using System;
using System.IO;
using System.Text;

namespace BackpropGen.Runtime;

/// <summary>
/// A minimal protocol buffers decoder over a range of a byte array. Every malformed input (a varint too long, a length
/// beyond the end, an unknown wire type) is an <see cref="InvalidDataException"/>; unknown fields are skipped by their
/// wire type, groups included.
/// </summary>
internal sealed class ProtoReader
{
    private readonly byte[] data;
    private readonly int end;
    private int position;

    public ProtoReader(byte[] data, int offset, int count)
    {
        this.data = data;
        position = offset;
        end = offset + count;
    }

    public bool AtEnd => position >= end;

    /// <summary>The wire type of the field just read by <see cref="ReadTag"/>.</summary>
    public int WireType { get; private set; }

    /// <summary>Reads a field's tag and returns its number; <see cref="WireType"/> gives its wire type.</summary>
    public int ReadTag()
    {
        var tag = ReadVarint();
        var field = tag >> 3;
        WireType = (int)(tag & 7);
        if (field == 0 || field > int.MaxValue)
        {
            throw Malformed($"a field number of {field}");
        }

        return (int)field;
    }

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (position >= end)
            {
                throw Malformed("a varint cut off by the end of its message");
            }

            var b = data[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw Malformed("a varint longer than ten bytes");
    }

    public long ReadInt64() => (long)ReadVarint();

    public uint ReadFixed32()
    {
        Need(4);
        var value = LittleEndian.ReadUInt32(data, position);
        position += 4;
        return value;
    }

    public ulong ReadFixed64()
    {
        Need(8);
        var value = LittleEndian.ReadUInt64(data, position);
        position += 8;
        return value;
    }

    /// <summary>A length-delimited field's contents as a reader of its own.</summary>
    public ProtoReader ReadMessage()
    {
        var length = ReadLength();
        var reader = new ProtoReader(data, position, length);
        position += length;
        return reader;
    }

    public byte[] ReadBytes()
    {
        var length = ReadLength();
        var bytes = new byte[length];
        Buffer.BlockCopy(data, position, bytes, 0, length);
        position += length;
        return bytes;
    }

    public string ReadString()
    {
        var length = ReadLength();
        var text = Encoding.UTF8.GetString(data, position, length);
        position += length;
        return text;
    }

    /// <summary>The field's value as an int64: a varint, or with <see cref="ReadTag"/>'s wire type checked.</summary>
    public long ReadInt64Field(string what)
    {
        Expect(ProtoWriter.Varint, what);
        return ReadInt64();
    }

    public string ReadStringField(string what)
    {
        Expect(ProtoWriter.LengthDelimited, what);
        return ReadString();
    }

    public ProtoReader ReadMessageField(string what)
    {
        Expect(ProtoWriter.LengthDelimited, what);
        return ReadMessage();
    }

    public void Expect(int wireType, string what)
    {
        if (WireType != wireType)
        {
            throw Malformed($"{what} with wire type {WireType}, not {wireType}");
        }
    }

    /// <summary>Skips the value of the field whose tag was just read.</summary>
    public void Skip(int field) => Skip(field, WireType, 0);

    private void Skip(int field, int wireType, int depth)
    {
        switch (wireType)
        {
            case ProtoWriter.Varint:
                ReadVarint();
                break;
            case ProtoWriter.Fixed64:
                Need(8);
                position += 8;
                break;
            case ProtoWriter.LengthDelimited:
                var length = ReadLength();
                position += length;
                break;
            case ProtoWriter.Fixed32:
                Need(4);
                position += 4;
                break;
            case 3:
                if (depth > 64)
                {
                    throw Malformed("groups nested more than 64 deep");
                }

                while (true)
                {
                    if (AtEnd)
                    {
                        throw Malformed($"a group (field {field}) without its end");
                    }

                    var inner = ReadTag();
                    if (WireType == 4)
                    {
                        if (inner != field)
                        {
                            throw Malformed($"a group of field {field} ended by field {inner}");
                        }

                        return;
                    }

                    Skip(inner, WireType, depth + 1);
                }

            default:
                throw Malformed($"wire type {wireType} (field {field})");
        }
    }

    private int ReadLength()
    {
        var length = ReadVarint();
        if (length > (ulong)(end - position))
        {
            throw Malformed($"a length of {length} bytes where {end - position} remain");
        }

        return (int)length;
    }

    private void Need(int count)
    {
        if (end - position < count)
        {
            throw Malformed($"a {count}-byte value cut off by the end of its message");
        }
    }

    private static InvalidDataException Malformed(string what) =>
        new($"The stream is not a well-formed ONNX model (protocol buffers): it holds {what}.");
}
