using Jpki.Authority.Ca;

namespace Jpki.Authority.Tests.Support;

/// <summary>Serials 0x11 0x22 … counting up from a fixed start, subject ids "TESTCN" + counter: deterministic golden output.</summary>
public sealed class FixedIdentifierSource(byte first = 0x4A) : IIdentifierSource
{
    private int _next;

    public byte[] NextSerial()
    {
        var n = Interlocked.Increment(ref _next);
        var serial = new byte[16];
        serial[0] = first;
        BitConverter.TryWriteBytes(serial.AsSpan(12), System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(n));
        return serial;
    }

    public string NextSubjectId() => "TESTCN" + Volatile.Read(ref _next).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
}
