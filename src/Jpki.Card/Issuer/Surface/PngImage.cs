using System.Buffers.Binary;
using System.IO.Compression;

namespace Jpki.Card.Issuer.Surface;

/// <summary>
/// A minimal PNG writer (ISO/IEC 15948) for the card face's images: 1-bit bilevel (the printed items, as the real card
/// stores them [R soltia48/myna-card <c>ImageFormat</c>]) and 8-bit greyscale. Deflate comes from the BCL's
/// <see cref="ZLibStream"/>; only the chunk framing and its CRC-32 are written here.
/// </summary>
internal static class PngImage
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>A 1-bit greyscale PNG; <paramref name="ink"/>[y * width + x] true = black.</summary>
    public static byte[] EncodeBilevel(int width, int height, bool[] ink)
    {
        var stride = (width + 7) / 8;
        var raw = new byte[height * (stride + 1)];
        for (var y = 0; y < height; y++)
        {
            var row = y * (stride + 1);
            raw[row] = 0; // filter: none
            for (var x = 0; x < width; x++)
            {
                if (!ink[(y * width) + x])
                {
                    raw[row + 1 + (x / 8)] |= (byte)(0x80 >> (x % 8)); // 1 = white in greyscale
                }
            }
        }

        return Encode(width, height, bitDepth: 1, raw);
    }

    /// <summary>An 8-bit greyscale PNG of <paramref name="pixels"/> (row-major, 0 = black).</summary>
    public static byte[] EncodeGray8(int width, int height, byte[] pixels)
    {
        var raw = new byte[height * (width + 1)];
        for (var y = 0; y < height; y++)
        {
            raw[y * (width + 1)] = 0;
            Array.Copy(pixels, y * width, raw, (y * (width + 1)) + 1, width);
        }

        return Encode(width, height, bitDepth: 8, raw);
    }

    private static byte[] Encode(int width, int height, byte bitDepth, byte[] raw)
    {
        using var output = new MemoryStream();
        output.Write(Signature);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = bitDepth;
        header[9] = 0; // greyscale
        header[10] = 0; // deflate
        header[11] = 0; // adaptive filtering
        header[12] = 0; // no interlace
        Chunk(output, "IHDR"u8, header);
        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                zlib.Write(raw);
            }

            Chunk(output, "IDAT"u8, compressed.ToArray());
        }

        Chunk(output, "IEND"u8, []);
        return output.ToArray();
    }

    private static void Chunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        output.Write(number);
        output.Write(type);
        output.Write(data);
        var crc = Update(Update(0xFFFFFFFFu, type), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(number, crc);
        output.Write(number);
    }

    private static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    private static uint[] BuildCrcTable()
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
