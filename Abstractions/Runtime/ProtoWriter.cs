using System.IO;
using System.Text;

namespace BackpropGen.Runtime;

/// <summary>
/// A minimal protocol buffers encoder: varints, fixed 32/64-bit values and length-delimited fields. A nested message is
/// built in its own writer and appended with <see cref="WriteMessage"/>.
/// </summary>
internal sealed class ProtoWriter
{
    public const int Varint = 0;
    public const int Fixed64 = 1;
    public const int LengthDelimited = 2;
    public const int Fixed32 = 5;

    private readonly MemoryStream buffer = new();

    public int Length => (int)buffer.Length;

    public void WriteTag(int field, int wireType) => WriteVarint(((ulong)(uint)field << 3) | (uint)wireType);

    public void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        buffer.WriteByte((byte)value);
    }

    /// <summary>An int64 or int32 field: negative values take ten bytes, as protobuf encodes them.</summary>
    public void WriteInt64(int field, long value)
    {
        WriteTag(field, Varint);
        WriteVarint((ulong)value);
    }

    public void WriteFloat(int field, float value)
    {
        WriteTag(field, Fixed32);
        var bytes = new byte[4];
        LittleEndian.WriteSingle(bytes, 0, value);
        buffer.Write(bytes, 0, 4);
    }

    public void WriteString(int field, string value) => WriteBytes(field, Encoding.UTF8.GetBytes(value));

    public void WriteBytes(int field, byte[] value)
    {
        WriteTag(field, LengthDelimited);
        WriteVarint((ulong)value.Length);
        buffer.Write(value, 0, value.Length);
    }

    public void WriteMessage(int field, ProtoWriter message) => WriteBytes(field, message.ToArray());

    public byte[] ToArray() => buffer.ToArray();
}
