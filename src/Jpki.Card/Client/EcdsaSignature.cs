using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;

namespace Jpki.Card.Client;

/// <summary>
/// The two forms of an ECDSA signature: raw r‖s (IEEE P1363; what the next-generation card answers, what XMLDSig and JWS
/// carry) and X9.62 DER <c>SEQUENCE { INTEGER r, INTEGER s }</c> (RFC 3279 §2.2.3; what X.509, CMS and PDF carry).
/// </summary>
public static class EcdsaSignature
{
    /// <summary>r‖s (two equal halves) → DER.</summary>
    /// <exception cref="ArgumentException">Empty or odd length.</exception>
    public static byte[] ToDer(ReadOnlySpan<byte> rawRs)
    {
        if (rawRs.IsEmpty || rawRs.Length % 2 != 0)
        {
            throw new ArgumentException("r‖s has two halves of equal length.", nameof(rawRs));
        }

        var half = rawRs.Length / 2;
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(new BigInteger(rawRs[..half], isUnsigned: true, isBigEndian: true));
            writer.WriteInteger(new BigInteger(rawRs[half..], isUnsigned: true, isBigEndian: true));
        }

        return writer.Encode();
    }

    /// <summary>DER → r‖s with each half <paramref name="fieldLength"/> bytes (48 for P-384).</summary>
    /// <exception cref="CryptographicException">Not a DER SEQUENCE of two positive INTEGERs that fit the field.</exception>
    public static byte[] ToRaw(ReadOnlySpan<byte> der, int fieldLength)
    {
        try
        {
            var reader = new AsnReader(der.ToArray(), AsnEncodingRules.DER);
            var sequence = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            var raw = new byte[2 * fieldLength];
            for (var i = 0; i < 2; i++)
            {
                var value = sequence.ReadIntegerBytes().Span;
                if (value[0] >= 0x80)
                {
                    throw new CryptographicException("An ECDSA signature component is negative.");
                }

                value = value[0] == 0 && value.Length > 1 ? value[1..] : value;
                if (value.Length > fieldLength)
                {
                    throw new CryptographicException("An ECDSA signature component is longer than the field.");
                }

                value.CopyTo(raw.AsSpan(((i + 1) * fieldLength) - value.Length));
            }

            sequence.ThrowIfNotEmpty();
            return raw;
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException("The ECDSA signature is not DER SEQUENCE { r, s }.", e);
        }
    }
}
