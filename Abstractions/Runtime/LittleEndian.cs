using System;
using System.Runtime.InteropServices;

namespace BackpropGen.Runtime;

/// <summary>Reads and writes integers and IEEE 754 numbers little-endian whatever the machine's byte order.</summary>
internal static class LittleEndian
{
    public static void WriteUInt16(byte[] buffer, int offset, ushort value)
    {
        buffer[offset] = (byte)value;
        buffer[offset + 1] = (byte)(value >> 8);
    }

    public static void WriteUInt32(byte[] buffer, int offset, uint value)
    {
        buffer[offset] = (byte)value;
        buffer[offset + 1] = (byte)(value >> 8);
        buffer[offset + 2] = (byte)(value >> 16);
        buffer[offset + 3] = (byte)(value >> 24);
    }

    public static void WriteUInt64(byte[] buffer, int offset, ulong value)
    {
        WriteUInt32(buffer, offset, (uint)value);
        WriteUInt32(buffer, offset + 4, (uint)(value >> 32));
    }

    public static ushort ReadUInt16(byte[] buffer, int offset) => (ushort)(buffer[offset] | (buffer[offset + 1] << 8));

    public static uint ReadUInt32(byte[] buffer, int offset) =>
        buffer[offset] | ((uint)buffer[offset + 1] << 8) | ((uint)buffer[offset + 2] << 16) | ((uint)buffer[offset + 3] << 24);

    public static ulong ReadUInt64(byte[] buffer, int offset) => ReadUInt32(buffer, offset) | ((ulong)ReadUInt32(buffer, offset + 4) << 32);

    public static void WriteDouble(byte[] buffer, int offset, double value) => WriteUInt64(buffer, offset, (ulong)BitConverter.DoubleToInt64Bits(value));

    public static double ReadDouble(byte[] buffer, int offset) => BitConverter.Int64BitsToDouble((long)ReadUInt64(buffer, offset));

    public static void WriteSingle(byte[] buffer, int offset, float value) => WriteUInt32(buffer, offset, new SingleBits { Single = value }.Bits);

    public static float ReadSingle(byte[] buffer, int offset) => new SingleBits { Bits = ReadUInt32(buffer, offset) }.Single;

    /// <summary>The bits of a float without BitConverter.SingleToInt32Bits, which netstandard2.0 lacks.</summary>
    [StructLayout(LayoutKind.Explicit)]
    private struct SingleBits
    {
        [FieldOffset(0)]
        public float Single;

        [FieldOffset(0)]
        public uint Bits;
    }
}
