using System;
using System.IO;
using System.Text;

namespace BackpropGen.Runtime;

/// <summary>
/// Saves and loads a network's parameters as one self-describing, checksummed binary record (the layout is described
/// byte by byte in docs/FILE-FORMAT.md).
/// </summary>
/// <remarks>
/// A record holds a signature, the format version, the precision, a fingerprint and the readable text of the network's
/// structure (inputs, each layer's units and activation, precision; not the class name), the parameter count, the
/// parameters little-endian and a CRC-32. <see cref="Load(Stream, NetworkShape, double[])"/> reads exactly one record, so a
/// stream may hold several one after another, and it reads the whole record and checks all of it before it changes
/// the parameters.
/// </remarks>
public static class NetworkFile
{
    /// <summary>The format version this library writes and the newest it reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>The bytes every record starts with: 0x89, "BPG", CR, LF, 0x1A, LF.</summary>
    private static readonly byte[] Signature = { 0x89, 0x42, 0x50, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

    /// <summary>Signature, version, precision, reserved byte, fingerprint and text length.</summary>
    private const int FixedHeaderLength = 24;

    /// <summary>The longest structure text a record may hold.</summary>
    private const int MaxTextLength = 1 << 20;

    /// <summary>Writes <paramref name="parameters"/> of a network of <paramref name="shape"/> as one record.</summary>
    /// <param name="stream">A writable stream; the record is written at its position.</param>
    /// <param name="shape">The network's structure; <see cref="NetworkShape.Single"/> must be false.</param>
    /// <param name="parameters">The <see cref="NetworkShape.ParameterCount"/> parameters in the layout of <see cref="NetworkShape"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The shape is of float precision, or the array's length is not the parameter count.</exception>
    public static void Save(Stream stream, NetworkShape shape, double[] parameters)
    {
        Check(stream, shape, parameters?.Length, single: false, nameof(parameters));
        var record = Encode(shape, 8, out var start);
        for (var i = 0; i < parameters!.Length; i++)
        {
            LittleEndian.WriteDouble(record, start + 8 * i, parameters[i]);
        }

        Finish(stream, record);
    }

    /// <summary>Writes <paramref name="parameters"/> of a network of <paramref name="shape"/> as one record.</summary>
    /// <param name="stream">A writable stream; the record is written at its position.</param>
    /// <param name="shape">The network's structure; <see cref="NetworkShape.Single"/> must be true.</param>
    /// <param name="parameters">The <see cref="NetworkShape.ParameterCount"/> parameters in the layout of <see cref="NetworkShape"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The shape is of double precision, or the array's length is not the parameter count.</exception>
    public static void Save(Stream stream, NetworkShape shape, float[] parameters)
    {
        Check(stream, shape, parameters?.Length, single: true, nameof(parameters));
        var record = Encode(shape, 4, out var start);
        for (var i = 0; i < parameters!.Length; i++)
        {
            LittleEndian.WriteSingle(record, start + 4 * i, parameters[i]);
        }

        Finish(stream, record);
    }

    /// <summary>
    /// Reads one record from <paramref name="stream"/> into <paramref name="parameters"/>; the parameters are unchanged
    /// when it throws.
    /// </summary>
    /// <param name="stream">A readable stream positioned at a record; it is left just after the record.</param>
    /// <param name="shape">The network's structure; <see cref="NetworkShape.Single"/> must be false.</param>
    /// <param name="parameters">Receives the <see cref="NetworkShape.ParameterCount"/> parameters.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The shape is of float precision, or the array's length is not the parameter count.</exception>
    /// <exception cref="InvalidDataException">
    /// The stream holds no BackpropGen record, a record of a newer format version, of the other precision or of another
    /// structure, or a truncated or corrupt one; the message says which.
    /// </exception>
    public static void Load(Stream stream, NetworkShape shape, double[] parameters)
    {
        Check(stream, shape, parameters?.Length, single: false, nameof(parameters));
        var record = Read(stream, shape, out var start);
        for (var i = 0; i < parameters!.Length; i++)
        {
            parameters[i] = LittleEndian.ReadDouble(record, start + 8 * i);
        }
    }

    /// <summary>
    /// Reads one record from <paramref name="stream"/> into <paramref name="parameters"/>; the parameters are unchanged
    /// when it throws.
    /// </summary>
    /// <param name="stream">A readable stream positioned at a record; it is left just after the record.</param>
    /// <param name="shape">The network's structure; <see cref="NetworkShape.Single"/> must be true.</param>
    /// <param name="parameters">Receives the <see cref="NetworkShape.ParameterCount"/> parameters.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The shape is of double precision, or the array's length is not the parameter count.</exception>
    /// <exception cref="InvalidDataException">
    /// The stream holds no BackpropGen record, a record of a newer format version, of the other precision or of another
    /// structure, or a truncated or corrupt one; the message says which.
    /// </exception>
    public static void Load(Stream stream, NetworkShape shape, float[] parameters)
    {
        Check(stream, shape, parameters?.Length, single: true, nameof(parameters));
        var record = Read(stream, shape, out var start);
        for (var i = 0; i < parameters!.Length; i++)
        {
            parameters[i] = LittleEndian.ReadSingle(record, start + 4 * i);
        }
    }

    /// <summary>The 64-bit FNV-1a hash of the UTF-8 structure text, the record's fingerprint.</summary>
    /// <param name="shape">The network's structure.</param>
    /// <returns>The fingerprint stored at offset 12 of a record.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="shape"/> is null.</exception>
    public static ulong Fingerprint(NetworkShape shape) =>
        Fingerprint(Encoding.UTF8.GetBytes((shape ?? throw new ArgumentNullException(nameof(shape))).ToString()));

    internal static void Check(Stream stream, NetworkShape shape, int? length, bool single, string parameterName)
    {
        if (stream is null)
        {
            throw new ArgumentNullException(nameof(stream));
        }

        if (shape is null)
        {
            throw new ArgumentNullException(nameof(shape));
        }

        if (length is null)
        {
            throw new ArgumentNullException(parameterName);
        }

        if (shape.Single != single)
        {
            throw new ArgumentException(
                $"The network {shape} uses {Precision(shape.Single)} parameters, but a {Precision(single)}[] was passed.", parameterName);
        }

        if (length != shape.ParameterCount)
        {
            throw new ArgumentException(
                $"The network {shape} has {shape.ParameterCount} parameters, but the array holds {length}.", parameterName);
        }
    }

    internal static string Precision(bool single) => single ? "float" : "double";

    private static ulong Fingerprint(byte[] text) => Fingerprint(text, 0, text.Length);

    private static ulong Fingerprint(byte[] bytes, int offset, int count)
    {
        var hash = 14695981039346656037ul;
        for (var i = offset; i < offset + count; i++)
        {
            hash = (hash ^ bytes[i]) * 1099511628211ul;
        }

        return hash;
    }

    /// <summary>A record with everything but the parameters and the checksum filled in.</summary>
    private static byte[] Encode(NetworkShape shape, int size, out int parameterStart)
    {
        var text = Encoding.UTF8.GetBytes(shape.ToString());
        parameterStart = FixedHeaderLength + text.Length + 4;
        var record = new byte[parameterStart + (size * shape.ParameterCount) + 4];
        Buffer.BlockCopy(Signature, 0, record, 0, Signature.Length);
        LittleEndian.WriteUInt16(record, 8, FormatVersion);
        record[10] = (byte)size;
        record[11] = 0;
        LittleEndian.WriteUInt64(record, 12, Fingerprint(text));
        LittleEndian.WriteUInt32(record, 20, (uint)text.Length);
        Buffer.BlockCopy(text, 0, record, FixedHeaderLength, text.Length);
        LittleEndian.WriteUInt32(record, FixedHeaderLength + text.Length, (uint)shape.ParameterCount);
        return record;
    }

    private static void Finish(Stream stream, byte[] record)
    {
        var end = record.Length - 4;
        LittleEndian.WriteUInt32(record, end, Crc32.Compute(record, 0, end));
        stream.Write(record, 0, record.Length);
    }

    /// <summary>Reads one whole record and checks it against <paramref name="shape"/>.</summary>
    private static byte[] Read(Stream stream, NetworkShape shape, out int parameterStart)
    {
        var header = new byte[FixedHeaderLength];
        var read = ReadFully(stream, header, 0, Signature.Length);
        if (read == 0)
        {
            throw new InvalidDataException("Not a BackpropGen network file: the stream is empty (no bytes where a record should begin).");
        }

        for (var i = 0; i < read; i++)
        {
            if (header[i] != Signature[i])
            {
                throw new InvalidDataException(
                    $"Not a BackpropGen network file: it starts with the bytes {Hex(header, read)}, a BackpropGen file with {Hex(Signature, Signature.Length)}.");
            }
        }

        if (read < Signature.Length)
        {
            throw Truncated("the 8-byte signature", Signature.Length, read);
        }

        read += ReadFully(stream, header, read, 2);
        if (read < 10)
        {
            throw Truncated("the 24-byte header", FixedHeaderLength, read);
        }

        var version = LittleEndian.ReadUInt16(header, 8);
        if (version > FormatVersion)
        {
            throw new InvalidDataException(
                $"The stream holds a BackpropGen network file of format version {version}, written by a newer BackpropGen; this library reads versions up to {FormatVersion}.");
        }

        if (version == 0)
        {
            throw new InvalidDataException("The BackpropGen network file is corrupt: its format version is 0, which no BackpropGen writes.");
        }

        read += ReadFully(stream, header, read, FixedHeaderLength - read);
        if (read < FixedHeaderLength)
        {
            throw Truncated("the 24-byte header", FixedHeaderLength, read);
        }

        var textLength = LittleEndian.ReadUInt32(header, 20);
        if (textLength > MaxTextLength)
        {
            throw new InvalidDataException(
                $"The BackpropGen network file is corrupt: its header gives a structure text of {textLength} bytes, more than the {MaxTextLength} a record may hold.");
        }

        var countAt = FixedHeaderLength + (int)textLength;
        var front = new byte[countAt + 4];
        Buffer.BlockCopy(header, 0, front, 0, FixedHeaderLength);
        read += ReadFully(stream, front, FixedHeaderLength, front.Length - FixedHeaderLength);
        if (read < front.Length)
        {
            throw Truncated("the header and the structure text", front.Length, read);
        }

        var size = header[10];
        var count = LittleEndian.ReadUInt32(front, countAt);
        var expectedSize = shape.Single ? 4 : 8;
        var total = (long)front.Length + ((long)count * size) + 4;
        if (total > int.MaxValue || (total > 1L << 26 && (count != shape.ParameterCount || size != expectedSize)))
        {
            throw new InvalidDataException(
                $"The stream's record claims {count} parameters of {size} bytes each ({total} bytes), this network has {shape.ParameterCount} {Precision(shape.Single)} parameters: another network, or a corrupt file.");
        }

        var record = new byte[total];
        Buffer.BlockCopy(front, 0, record, 0, front.Length);
        read += ReadFully(stream, record, front.Length, record.Length - front.Length);
        if (read < record.Length)
        {
            throw Truncated("the record", record.Length, read);
        }

        var stored = LittleEndian.ReadUInt32(record, record.Length - 4);
        var computed = Crc32.Compute(record, 0, record.Length - 4);
        if (stored != computed)
        {
            throw new InvalidDataException(
                $"The BackpropGen network file is corrupt: its checksum (CRC-32) is 0x{stored:X8}, its bytes give 0x{computed:X8}.");
        }

        var text = Encoding.UTF8.GetString(record, FixedHeaderLength, (int)textLength);
        if (size != 4 && size != 8)
        {
            throw new InvalidDataException($"The BackpropGen network file is corrupt: its precision code is {size}, not 4 (float) or 8 (double).");
        }

        if (size != expectedSize)
        {
            throw new InvalidDataException(
                $"The stream holds {Precision(size == 4)} parameters, this network uses {Precision(shape.Single)} (the stream's network: {text}; this network: {shape}).");
        }

        var own = shape.ToString();
        if (text != own)
        {
            throw new InvalidDataException(
                $"The stream holds a network of another structure{Difference(text, own)}: the stream's is {text}, this network is {own}.");
        }

        if (LittleEndian.ReadUInt64(record, 12) != Fingerprint(record, FixedHeaderLength, (int)textLength))
        {
            throw new InvalidDataException("The BackpropGen network file is corrupt: its structure fingerprint does not match its structure text.");
        }

        if (count != shape.ParameterCount)
        {
            throw new InvalidDataException(
                $"The BackpropGen network file is corrupt: it holds {count} parameters, its structure {text} has {shape.ParameterCount}.");
        }

        parameterStart = countAt + 4;
        return record;
    }

    /// <summary>Where two structure texts first differ, as " (layer 2: 3 Sigmoid here, 4 Sigmoid there)".</summary>
    private static string Difference(string stream, string own)
    {
        var theirs = WithoutPrecision(stream).Split(new[] { " → " }, StringSplitOptions.None);
        var ours = WithoutPrecision(own).Split(new[] { " → " }, StringSplitOptions.None);
        if (theirs[0] != ours[0])
        {
            return $" (the stream's has {theirs[0]}, this network {ours[0]})";
        }

        if (theirs.Length != ours.Length)
        {
            return $" (the stream's has {theirs.Length - 1} layers, this network {ours.Length - 1})";
        }

        for (var k = 1; k < ours.Length; k++)
        {
            if (theirs[k] != ours[k])
            {
                return $" (layer {k}: {theirs[k]} in the stream, {ours[k]} in this network)";
            }
        }

        return string.Empty;
    }

    private static string WithoutPrecision(string text)
    {
        var comma = text.LastIndexOf(", ", StringComparison.Ordinal);
        return comma < 0 ? text : text.Substring(0, comma);
    }

    private static InvalidDataException Truncated(string what, long expected, long read) =>
        new($"The BackpropGen network file is truncated: {what} needs {expected} bytes, the stream ended after {read}.");

    private static string Hex(byte[] bytes, int count)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            builder.Append(i == 0 ? string.Empty : " ").Append(bytes[i].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }

    /// <summary>Reads until <paramref name="count"/> bytes are read or the stream ends, never further.</summary>
    private static int ReadFully(Stream stream, byte[] buffer, int offset, int count)
    {
        var total = 0;
        while (total < count)
        {
            var n = stream.Read(buffer, offset + total, count - total);
            if (n <= 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }
}
