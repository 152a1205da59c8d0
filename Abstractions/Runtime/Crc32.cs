using System.ComponentModel;

namespace BackpropGen.Runtime;

/// <summary>
/// The CRC-32 of ISO-HDLC (as zlib, PNG and Ethernet compute it): reflected polynomial 0xEDB88320, initial value and
/// final XOR 0xFFFFFFFF. <see cref="NetworkFile"/> protects each record with it; CRC-32("123456789") = 0xCBF43926.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>The CRC-32 of <paramref name="count"/> bytes of <paramref name="data"/> from <paramref name="offset"/>.</summary>
    /// <param name="data">The bytes.</param>
    /// <param name="offset">The index of the first byte.</param>
    /// <param name="count">The number of bytes.</param>
    /// <returns>The checksum.</returns>
    /// <exception cref="System.ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="System.ArgumentOutOfRangeException">The range lies outside <paramref name="data"/>.</exception>
    public static uint Compute(byte[] data, int offset, int count)
    {
        if (data is null)
        {
            throw new System.ArgumentNullException(nameof(data));
        }

        if (offset < 0 || count < 0 || offset > data.Length - count)
        {
            throw new System.ArgumentOutOfRangeException(nameof(count), "The range lies outside the array.");
        }

        var crc = 0xFFFFFFFFu;
        for (var i = offset; i < offset + count; i++)
        {
            crc = Table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
        }

        return crc ^ 0xFFFFFFFFu;
    }

    /// <summary>The CRC-32 of all of <paramref name="data"/>.</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>The checksum.</returns>
    /// <exception cref="System.ArgumentNullException"><paramref name="data"/> is null.</exception>
    public static uint Compute(byte[] data) => Compute(data ?? throw new System.ArgumentNullException(nameof(data)), 0, data.Length);

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
