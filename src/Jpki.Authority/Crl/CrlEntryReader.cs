using System.Formats.Asn1;
using Jpki.Authority.Registry;

namespace Jpki.Authority.Crl;

/// <summary>
/// Reads the revokedCertificates of a DER CRL file one entry at a time (the file may hold millions): the TBSCertList
/// headers are walked as TLVs and each entry is decoded on its own, so memory does not grow with the CRL. Used by the
/// coverage check to read back exactly the bytes that are about to be published.
/// </summary>
internal sealed class CrlEntryReader : IDisposable
{
    /// <summary>Far above the longest entry we write (a 33-octet serial, a GeneralizedTime and a reasonCode: under 80 octets).</summary>
    private const int MaxEntryLength = 4096;

    /// <summary>The DER of the reasonCode extension's OID, 2.5.29.21.</summary>
    private static readonly byte[] CrlReasonOid = [0x06, 0x03, 0x55, 0x1D, 0x15];

    private readonly BufferedStream _stream;
    private byte[] _entry = new byte[128];
    private long _remaining;

    private CrlEntryReader(BufferedStream stream, long remaining)
    {
        _stream = stream;
        _remaining = remaining;
    }

    /// <summary>Opens <paramref name="path"/> and positions the reader on its first entry.</summary>
    /// <exception cref="InvalidDataException">The file is not a DER CRL of the shape we write.</exception>
    public static CrlEntryReader Open(string path)
    {
        var stream = new BufferedStream(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1), 1 << 16);
        try
        {
            if (stream.ReadByte() != 0x30)
            {
                throw new InvalidDataException("Not a DER CRL.");
            }

            // CertificateList: its length must account for the whole file (a truncated or padded file is refused even
            // when the damage lies after the entries).
            var (outer, outerHeader) = ReadLengthCounted(stream);
            if (1L + outerHeader + outer != stream.Length)
            {
                throw new InvalidDataException("The CRL file's length does not match its DER length.");
            }

            ExpectHeader(stream, 0x30); // TBSCertList
            Skip(stream, 0x02);         // version
            Skip(stream, 0x30);         // signature
            Skip(stream, 0x30);         // issuer
            SkipTime(stream);           // thisUpdate
            SkipTime(stream);           // nextUpdate (always written)
            var tag = stream.ReadByte();
            long remaining = 0;
            if (tag == 0x30)
            {
                remaining = ReadLength(stream);
            }
            else if (tag != 0xA0)
            {
                throw new InvalidDataException("The CRL has neither revokedCertificates nor extensions after nextUpdate.");
            }

            return new CrlEntryReader(stream, remaining);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The next entry as (serial octets as encoded, revocation date, reason), or false at the end of the list. The serial
    /// is valid until the next call: entries are decoded in one reused buffer, nothing is allocated per entry.
    /// </summary>
    public bool TryRead(out ReadOnlySpan<byte> serial, out DateTimeOffset revokedAt, out RevocationReason reason)
    {
        serial = default;
        revokedAt = default;
        reason = RevocationReason.Unspecified;
        if (_remaining <= 0)
        {
            return false;
        }

        if (_stream.ReadByte() != 0x30)
        {
            throw new InvalidDataException("A CRL entry is not a SEQUENCE.");
        }

        var (length, headerSize) = ReadLengthCounted(_stream);
        if (length > _entry.Length)
        {
            if (length > MaxEntryLength)
            {
                throw new InvalidDataException("A CRL entry is longer than any entry we write.");
            }

            _entry = new byte[length];
        }

        var entry = _entry.AsSpan(0, length);
        try
        {
            _stream.ReadExactly(entry);
        }
        catch (EndOfStreamException ex)
        {
            throw new InvalidDataException("The CRL ends early.", ex);
        }

        _remaining -= 1 + headerSize + length;
        try
        {
            serial = AsnDecoder.ReadIntegerBytes(entry, AsnEncodingRules.DER, out var consumed);
            var rest = entry[consumed..];
            var tag = Asn1Tag.Decode(rest, out _);
            revokedAt = tag.HasSameClassAndValue(Asn1Tag.UtcTime)
                ? AsnDecoder.ReadUtcTime(rest, AsnEncodingRules.DER, out consumed, 2049)
                : AsnDecoder.ReadGeneralizedTime(rest, AsnEncodingRules.DER, out consumed);
            rest = rest[consumed..];
            if (!rest.IsEmpty)
            {
                AsnDecoder.ReadSequence(rest, AsnEncodingRules.DER, out var offset, out var extensionsLength, out consumed);
                if (consumed != rest.Length)
                {
                    throw new InvalidDataException("A CRL entry has data after its extensions.");
                }

                var extensions = rest.Slice(offset, extensionsLength);
                while (!extensions.IsEmpty)
                {
                    AsnDecoder.ReadSequence(extensions, AsnEncodingRules.DER, out offset, out var extensionLength, out consumed);
                    var extension = extensions.Slice(offset, extensionLength);
                    extensions = extensions[consumed..];
                    _ = AsnDecoder.ReadEncodedValue(extension, AsnEncodingRules.DER, out _, out _, out var oidLength);
                    var oid = extension[..oidLength];
                    extension = extension[oidLength..];
                    if (Asn1Tag.Decode(extension, out _).HasSameClassAndValue(Asn1Tag.Boolean))
                    {
                        _ = AsnDecoder.ReadBoolean(extension, AsnEncodingRules.DER, out consumed);
                        extension = extension[consumed..];
                    }

                    var value = AsnDecoder.ReadOctetString(extension, AsnEncodingRules.DER, out consumed);
                    if (consumed != extension.Length)
                    {
                        throw new InvalidDataException("A CRL entry extension has data after its value.");
                    }

                    if (oid.SequenceEqual(CrlReasonOid))
                    {
                        reason = AsnDecoder.ReadEnumeratedValue<RevocationReason>(value, AsnEncodingRules.DER, out consumed);
                        if (consumed != value.Length)
                        {
                            throw new InvalidDataException("A CRL reasonCode has data after its value.");
                        }
                    }
                }
            }
        }
        catch (AsnContentException ex)
        {
            throw new InvalidDataException("A CRL entry is not DER: " + ex.Message, ex);
        }

        if (_remaining < 0)
        {
            throw new InvalidDataException("A CRL entry runs past the revokedCertificates list.");
        }

        return true;
    }

    public void Dispose() => _stream.Dispose();

    private static void ExpectHeader(Stream stream, int tag)
    {
        if (stream.ReadByte() != tag)
        {
            throw new InvalidDataException("Not a DER CRL.");
        }

        _ = ReadLength(stream);
    }

    private static void Skip(Stream stream, int tag)
    {
        if (stream.ReadByte() != tag)
        {
            throw new InvalidDataException("Not a DER CRL.");
        }

        SkipBytes(stream, ReadLength(stream));
    }

    private static void SkipTime(Stream stream)
    {
        var tag = stream.ReadByte();
        if (tag is not (0x17 or 0x18))
        {
            throw new InvalidDataException("A CRL time is neither UTCTime nor GeneralizedTime.");
        }

        SkipBytes(stream, ReadLength(stream));
    }

    private static void SkipBytes(Stream stream, long count)
    {
        Span<byte> sink = stackalloc byte[256];
        while (count > 0)
        {
            var chunk = (int)Math.Min(count, sink.Length);
            stream.ReadExactly(sink[..chunk]);
            count -= chunk;
        }
    }

    private static long ReadLength(Stream stream) => ReadLengthCounted(stream).Length;

    private static (int Length, int HeaderSize) ReadLengthCounted(Stream stream)
    {
        var first = stream.ReadByte();
        if (first < 0)
        {
            throw new InvalidDataException("The CRL ends early.");
        }

        if (first < 0x80)
        {
            return (first, 1);
        }

        var octets = first & 0x7F;
        if (octets is 0 or > 4)
        {
            throw new InvalidDataException("A CRL length is not DER.");
        }

        long length = 0;
        for (var i = 0; i < octets; i++)
        {
            var b = stream.ReadByte();
            if (b < 0)
            {
                throw new InvalidDataException("The CRL ends early.");
            }

            length = (length << 8) | (uint)b;
        }

        return (checked((int)length), 1 + octets);
    }
}
