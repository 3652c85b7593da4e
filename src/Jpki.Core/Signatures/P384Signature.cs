using System.Numerics;
using System.Security.Cryptography;

namespace Jpki.Core.Signatures;

/// <summary>
/// Raw ECDSA P-384 signatures, r‖s (IEEE P1363: two 48-byte big-endian halves), as the next-generation card answers
/// them and as JWS <c>ES384</c> (RFC 7518 §3.4) and the Web eID token carry them. The canonical form this library
/// accepts where it decides the rules (the login token): exactly 96 bytes, 0 &lt; r &lt; n and 0 &lt; s ≤ n/2 ("low-S";
/// (r, n − s) verifies as well as (r, s), so without it every signature has a second valid spelling).
/// </summary>
public static class P384Signature
{
    /// <summary>The length of r‖s for P-384.</summary>
    public const int Length = 96;

    /// <summary>The OID of the named curve P-384 (secp384r1, SEC 2 §2.5.1).</summary>
    public const string CurveOid = "1.3.132.0.34";

    /// <summary>The order n of the P-384 base point (FIPS 186-5 / SP 800-186 §3.2.1.4).</summary>
    private static readonly BigInteger Order = BigInteger.Parse(
        "0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973",
        System.Globalization.NumberStyles.HexNumber,
        System.Globalization.CultureInfo.InvariantCulture);

    private static readonly BigInteger HalfOrder = Order >> 1;

    /// <summary>
    /// Whether <paramref name="signature"/> is a canonical P-384 r‖s: 96 bytes, r in [1, n − 1], s in [1, n/2].
    /// <paramref name="reason"/> says what is wrong (no signature bytes in it) when the result is false.
    /// </summary>
    public static bool IsCanonical(ReadOnlySpan<byte> signature, out string? reason)
    {
        if (signature.Length != Length)
        {
            reason = $"An ES384 signature is r‖s of exactly {Length} bytes; this one has {signature.Length}.";
            return false;
        }

        var r = new BigInteger(signature[..(Length / 2)], isUnsigned: true, isBigEndian: true);
        var s = new BigInteger(signature[(Length / 2)..], isUnsigned: true, isBigEndian: true);
        if (r.IsZero || s.IsZero || r >= Order || s >= Order)
        {
            reason = "The ES384 signature has r or s equal to zero or not below the curve order.";
            return false;
        }

        if (s > HalfOrder)
        {
            reason = "The ES384 signature is not in low-S form (s > n/2); the signer must answer s ≤ n/2.";
            return false;
        }

        reason = null;
        return true;
    }

    /// <summary>The low-S twin of a valid r‖s: (r, n − s) when s &gt; n/2, else the signature unchanged (a copy).</summary>
    /// <exception cref="ArgumentException">Not 96 bytes.</exception>
    public static byte[] ToLowS(ReadOnlySpan<byte> signature)
    {
        if (signature.Length != Length)
        {
            throw new ArgumentException($"r‖s of P-384 has {Length} bytes.", nameof(signature));
        }

        var result = signature.ToArray();
        var s = new BigInteger(signature[(Length / 2)..], isUnsigned: true, isBigEndian: true);
        if (s > HalfOrder)
        {
            var twin = Order - s;
            var half = result.AsSpan(Length / 2);
            half.Clear();
            var written = twin.GetByteCount(isUnsigned: true);
            twin.TryWriteBytes(half[(half.Length - written)..], out _, isUnsigned: true, isBigEndian: true);
        }

        return result;
    }

    /// <summary>Whether <paramref name="ecdsa"/> is a key on the named curve P-384.</summary>
    public static bool IsP384(ECDsa ecdsa)
    {
        try
        {
            var curve = ecdsa.ExportParameters(includePrivateParameters: false).Curve;
            return curve.IsNamed && (curve.Oid.Value == CurveOid || curve.Oid.FriendlyName is "nistP384" or "secP384r1" or "ECDSA_P384");
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
