using System.Security.Cryptography;

namespace Jpki.Verification.Cms;

/// <summary>
/// PKCS#1 DigestInfo (RFC 8017 §9.2): what the JPKI card signs with <c>80 2A 00 80</c>. The card pads and signs the
/// DigestInfo it is given, so the host builds it.
/// </summary>
public static class DigestInfo
{
    private static readonly byte[] Sha256Prefix = Convert.FromHexString("3031300d060960864801650304020105000420");

    /// <summary>The DER DigestInfo of SHA-256(<paramref name="data"/>).</summary>
    public static byte[] Sha256Of(ReadOnlySpan<byte> data) => FromSha256Hash(SHA256.HashData(data));

    /// <summary>The DER DigestInfo of an already computed SHA-256 hash.</summary>
    /// <exception cref="ArgumentException">The hash is not 32 bytes.</exception>
    public static byte[] FromSha256Hash(ReadOnlySpan<byte> hash)
    {
        if (hash.Length != 32)
        {
            throw new ArgumentException("A SHA-256 hash is 32 bytes.", nameof(hash));
        }

        return [.. Sha256Prefix, .. hash];
    }
}
