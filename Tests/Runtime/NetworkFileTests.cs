using System;
using System.IO;
using System.Linq;
using System.Text;
using BackpropGen.Runtime;

namespace BackpropGen.Tests.Runtime;

/// <summary>Save and Load: round trips, several records in one stream, and every way a stream can be wrong.</summary>
public class NetworkFileTests
{
    private static readonly NetworkShape DoubleShape = Reference.Shape(false, 2, (3, "Sigmoid"), (2, "Sigmoid"));
    private static readonly NetworkShape FloatShape = Reference.Shape(true, 2, (3, "Sigmoid"), (2, "Sigmoid"));

    private static byte[] Saved(NetworkShape shape, int seed = 1)
    {
        var stream = new MemoryStream();
        if (shape.Single)
        {
            NetworkFile.Save(stream, shape, Reference.RandomFloats(shape.ParameterCount, seed));
        }
        else
        {
            NetworkFile.Save(stream, shape, Reference.RandomDoubles(shape.ParameterCount, seed));
        }

        return stream.ToArray();
    }

    /// <summary>Loading <paramref name="bytes"/> into <paramref name="shape"/> fails and leaves the parameters as they were.</summary>
    private static InvalidDataException LoadFails(byte[] bytes, NetworkShape shape)
    {
        if (shape.Single)
        {
            var parameters = Enumerable.Repeat(42f, shape.ParameterCount).ToArray();
            var error = Assert.Throws<InvalidDataException>(() => NetworkFile.Load(new MemoryStream(bytes), shape, parameters));
            Assert.All(parameters, p => Assert.Equal(42f, p));
            return error;
        }
        else
        {
            var parameters = Enumerable.Repeat(42.0, shape.ParameterCount).ToArray();
            var error = Assert.Throws<InvalidDataException>(() => NetworkFile.Load(new MemoryStream(bytes), shape, parameters));
            Assert.All(parameters, p => Assert.Equal(42.0, p));
            return error;
        }
    }

    /// <summary>Recomputes the trailing CRC-32 after a deliberate change, so the check under test is not the checksum's.</summary>
    private static byte[] Resealed(byte[] bytes)
    {
        var crc = Crc32.Compute(bytes, 0, bytes.Length - 4);
        for (var i = 0; i < 4; i++)
        {
            bytes[bytes.Length - 4 + i] = (byte)(crc >> (8 * i));
        }

        return bytes;
    }

    [Fact]
    public void Double_parameters_round_trip_bit_for_bit()
    {
        var parameters = Reference.RandomDoubles(DoubleShape.ParameterCount, 3);
        parameters[0] = double.Epsilon;
        parameters[1] = -0.0;
        parameters[2] = double.MaxValue;
        parameters[3] = double.NaN;
        var stream = new MemoryStream();
        NetworkFile.Save(stream, DoubleShape, parameters);
        stream.Position = 0;
        var loaded = new double[DoubleShape.ParameterCount];
        NetworkFile.Load(stream, DoubleShape, loaded);
        Assert.Equal(parameters.Select(BitConverter.DoubleToInt64Bits), loaded.Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void Float_parameters_round_trip_bit_for_bit()
    {
        var parameters = Reference.RandomFloats(FloatShape.ParameterCount, 4);
        parameters[0] = float.Epsilon;
        parameters[1] = -0f;
        parameters[2] = float.MaxValue;
        var stream = new MemoryStream();
        NetworkFile.Save(stream, FloatShape, parameters);
        stream.Position = 0;
        var loaded = new float[FloatShape.ParameterCount];
        NetworkFile.Load(stream, FloatShape, loaded);
        Assert.Equal(parameters.Select(BitConverter.SingleToInt32Bits), loaded.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void The_record_is_laid_out_as_the_format_document_says()
    {
        var parameters = Reference.RandomDoubles(DoubleShape.ParameterCount, 5);
        var stream = new MemoryStream();
        NetworkFile.Save(stream, DoubleShape, parameters);
        var bytes = stream.ToArray();
        var text = Encoding.UTF8.GetBytes("2 inputs → 3 Sigmoid → 2 Sigmoid, double");
        Assert.Equal(new byte[] { 0x89, (byte)'B', (byte)'P', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes.Take(8));
        Assert.Equal(1, BitConverter.ToUInt16(bytes, 8));
        Assert.Equal(8, bytes[10]);
        Assert.Equal(text.Length, BitConverter.ToInt32(bytes, 20));
        Assert.Equal(text, bytes.Skip(24).Take(text.Length));
        var count = 24 + text.Length;
        Assert.Equal(17, BitConverter.ToInt32(bytes, count));
        Assert.Equal(parameters, Enumerable.Range(0, 17).Select(i => BitConverter.ToDouble(bytes, count + 4 + (8 * i))));
        Assert.Equal(count + 4 + (17 * 8) + 4, bytes.Length);
        Assert.Equal(ShapeAndChecksumTests.BitwiseCrc32(bytes.Take(bytes.Length - 4)), BitConverter.ToUInt32(bytes, bytes.Length - 4));
        var fnv = 14695981039346656037ul;
        foreach (var b in text)
        {
            fnv = unchecked((fnv ^ b) * 1099511628211ul);
        }

        Assert.Equal(fnv, BitConverter.ToUInt64(bytes, 12));
    }

    [Fact]
    public void The_example_record_of_the_format_document_is_what_Save_writes_and_Load_reads()
    {
        // Computed for docs/FILE-FORMAT.md by an independent script (Python's struct and zlib.crc32).
        var documented = string.Concat(
            "89 42 50 47 0D 0A 1A 0A 01 00 08 00 B4 1B DE 4F ",
            "5B B2 B9 35 1E 00 00 00 31 20 69 6E 70 75 74 20 ",
            "E2 86 92 20 31 20 49 64 65 6E 74 69 74 79 2C 20 ",
            "64 6F 75 62 6C 65 02 00 00 00 00 00 00 00 00 00 ",
            "E0 3F 00 00 00 00 00 00 F0 BF BA C3 2F D2").Split(' ').Select(h => Convert.ToByte(h, 16)).ToArray();
        var shape = Reference.Shape(false, 1, (1, "Identity"));
        var stream = new MemoryStream();
        NetworkFile.Save(stream, shape, new[] { 0.5, -1.0 });
        Assert.Equal(documented, stream.ToArray());
        var loaded = new double[2];
        NetworkFile.Load(new MemoryStream(documented), shape, loaded);
        Assert.Equal(new[] { 0.5, -1.0 }, loaded);
        Assert.Equal(0x35B9B25B4FDE1BB4ul, NetworkFile.Fingerprint(shape));
    }

    [Fact]
    public void Two_records_in_one_stream_load_one_after_the_other()
    {
        var other = Reference.Shape(true, 4, (1, "expr:(div x (add 1 (abs x)))"));
        var first = Reference.RandomDoubles(DoubleShape.ParameterCount, 6);
        var second = Reference.RandomFloats(other.ParameterCount, 7);
        var stream = new MemoryStream();
        NetworkFile.Save(stream, DoubleShape, first);
        NetworkFile.Save(stream, other, second);
        NetworkFile.Save(stream, DoubleShape, second.Select(v => (double)v).ToArray().Concat(new double[12]).ToArray());
        stream.Position = 0;
        var a = new double[DoubleShape.ParameterCount];
        var b = new float[other.ParameterCount];
        var c = new double[DoubleShape.ParameterCount];
        NetworkFile.Load(stream, DoubleShape, a);
        NetworkFile.Load(stream, other, b);
        NetworkFile.Load(stream, DoubleShape, c);
        Assert.Equal(first, a);
        Assert.Equal(second, b);
        Assert.Equal(second.Select(v => (double)v), c.Take(5));
        Assert.Equal(stream.Length, stream.Position);
        Assert.Contains("empty", LoadFails(Array.Empty<byte>(), DoubleShape).Message);
    }

    [Fact]
    public void A_stream_that_returns_a_byte_at_a_time_loads()
    {
        var bytes = Saved(DoubleShape, 8);
        var loaded = new double[DoubleShape.ParameterCount];
        NetworkFile.Load(new TrickleStream(bytes), DoubleShape, loaded);
        Assert.Equal(Reference.RandomDoubles(DoubleShape.ParameterCount, 8), loaded);
    }

    [Fact]
    public void An_empty_stream_is_not_a_BackpropGen_file()
    {
        var message = LoadFails(Array.Empty<byte>(), DoubleShape).Message;
        Assert.Contains("Not a BackpropGen network file", message);
        Assert.Contains("empty", message);
    }

    [Theory]
    [InlineData("PK\u0003\u0004 a zip archive")]
    [InlineData("{\"weights\": [1, 2, 3]}")]
    [InlineData("\u0089PNG\r\n\u001a\n")]
    [InlineData("B")]
    public void Foreign_bytes_are_not_a_BackpropGen_file(string foreign)
    {
        var message = LoadFails(foreign.Select(c => (byte)c).ToArray(), DoubleShape).Message;
        Assert.Contains("Not a BackpropGen network file", message);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(20)]
    [InlineData(30)]
    [InlineData(70)]
    [InlineData(100)]
    [InlineData(-1)]
    [InlineData(-4)]
    [InlineData(-5)]
    public void A_truncated_record_says_how_many_bytes_it_needs_and_how_many_it_got(int keep)
    {
        var bytes = Saved(DoubleShape);
        var length = keep > 0 ? keep : bytes.Length + keep;
        var message = LoadFails(bytes.Take(length).ToArray(), DoubleShape).Message;
        Assert.Contains("truncated", message);
        Assert.Contains($"ended after {length}", message);
        if (length > 28 + 44)
        {
            Assert.Contains($"needs {bytes.Length} bytes", message);
        }
    }

    [Theory]
    [InlineData(-5)]
    [InlineData(-60)]
    [InlineData(80)]
    [InlineData(30)]
    [InlineData(14)]
    public void A_flipped_byte_is_a_checksum_mismatch(int at)
    {
        var bytes = Saved(DoubleShape);
        bytes[at >= 0 ? at : bytes.Length + at] ^= 0x10;
        var message = LoadFails(bytes, DoubleShape).Message;
        Assert.Contains("corrupt", message);
        Assert.Contains("checksum", message);
    }

    [Fact]
    public void Another_layer_width_names_both_structures()
    {
        var wider = Reference.Shape(false, 2, (4, "Sigmoid"), (2, "Sigmoid"));
        var message = LoadFails(Saved(DoubleShape), wider).Message;
        Assert.Contains("another structure", message);
        Assert.Contains("2 inputs → 3 Sigmoid → 2 Sigmoid, double", message);
        Assert.Contains("2 inputs → 4 Sigmoid → 2 Sigmoid, double", message);
        Assert.Contains("layer 1", message);
    }

    [Fact]
    public void Another_activation_names_both()
    {
        var tanh = Reference.Shape(false, 2, (3, "Sigmoid"), (2, "Tanh"));
        var message = LoadFails(Saved(DoubleShape), tanh).Message;
        Assert.Contains("layer 2: 2 Sigmoid in the stream, 2 Tanh in this network", message);
    }

    [Fact]
    public void Another_number_of_inputs_or_layers_is_another_structure()
    {
        Assert.Contains("3 inputs", LoadFails(Saved(DoubleShape), Reference.Shape(false, 3, (3, "Sigmoid"), (2, "Sigmoid"))).Message);
        Assert.Contains("has 2 layers, this network 3", LoadFails(Saved(DoubleShape), Reference.Shape(false, 2, (3, "Sigmoid"), (2, "Sigmoid"), (2, "Sigmoid"))).Message);
    }

    [Fact]
    public void Another_precision_says_which_each_side_uses()
    {
        Assert.Contains("the stream holds float parameters, this network uses double", LoadFails(Saved(FloatShape), DoubleShape).Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("the stream holds double parameters, this network uses float", LoadFails(Saved(DoubleShape), FloatShape).Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_newer_format_version_is_unsupported()
    {
        var bytes = Saved(DoubleShape);
        bytes[8] = 2;
        var message = LoadFails(Resealed(bytes), DoubleShape).Message;
        Assert.Contains("format version 2", message);
        Assert.Contains("newer", message);
    }

    [Fact]
    public void Differently_spelled_custom_expressions_are_the_same_structure()
    {
        var a = Reference.Shape(false, 2, (2, "expr:(div x (add 1 (abs x)))"));
        var b = Reference.Shape(false, 2, (2, "expr:( div  x\n(add 1.0 (abs x)) )"));
        var parameters = Reference.RandomDoubles(a.ParameterCount, 9);
        var stream = new MemoryStream();
        NetworkFile.Save(stream, a, parameters);
        stream.Position = 0;
        var loaded = new double[b.ParameterCount];
        NetworkFile.Load(stream, b, loaded);
        Assert.Equal(parameters, loaded);
        Assert.Contains("layer 1", LoadFails(stream.ToArray(), Reference.Shape(false, 2, (2, "expr:(div x (add 2 (abs x)))"))).Message);
    }

    [Fact]
    public void A_wrong_array_is_an_argument_error()
    {
        Assert.Throws<ArgumentException>(() => NetworkFile.Save(new MemoryStream(), DoubleShape, new double[16]));
        Assert.Throws<ArgumentException>(() => NetworkFile.Save(new MemoryStream(), DoubleShape, new float[17]));
        Assert.Throws<ArgumentException>(() => NetworkFile.Load(new MemoryStream(Saved(DoubleShape)), DoubleShape, new double[18]));
        Assert.Throws<ArgumentNullException>(() => NetworkFile.Load(new MemoryStream(Saved(DoubleShape)), DoubleShape, (double[])null!));
    }

    /// <summary>A stream that hands out at most one byte per read.</summary>
    private sealed class TrickleStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 1));
    }
}
