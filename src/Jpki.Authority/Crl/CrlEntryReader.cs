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
    private readonly BufferedStream _stream;
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
            ExpectHeader(stream, 0x30); // CertificateList
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

    /// <summary>The next entry as (serial hex in registry form, revocation date, reason), or false at the end of the list.</summary>
    public bool TryRead(out string serialHex, out DateTimeOffset revokedAt, out RevocationReason reason)
    {
        serialHex = string.Empty;
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
        var entry = new byte[length];
        _stream.ReadExactly(entry);
        _remaining -= 1 + headerSize + length;
        var reader = new AsnReader(entry, AsnEncodingRules.DER);
        var serial = reader.ReadIntegerBytes().Span;
        while (serial.Length > 1 && serial[0] == 0)
        {
            serial = serial[1..];
        }

        serialHex = Convert.ToHexString(serial);
        revokedAt = reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) ? reader.ReadUtcTime(2049) : reader.ReadGeneralizedTime();
        if (reader.HasData)
        {
            var extensions = reader.ReadSequence();
            while (extensions.HasData)
            {
                var extension = extensions.ReadSequence();
                var oid = extension.ReadObjectIdentifier();
                if (extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean))
                {
                    _ = extension.ReadBoolean();
                }

                var value = extension.ReadOctetString();
                if (oid == Profiles.Oids.CrlReason)
                {
                    reason = new AsnReader(value, AsnEncodingRules.DER).ReadEnumeratedValue<RevocationReason>();
                }
            }
        }

        reader.ThrowIfNotEmpty();
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
