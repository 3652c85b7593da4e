using System.Security.Cryptography;

namespace Jpki.Verification.Cms;

/// <summary>
/// PKCS#1 DigestInfo (RFC 8017 §9.2): what the JPKI card signs with <c>80 2A 00 80</c>. The card pads and signs the
/// DigestInfo it is given, so the host builds it.
/// </summary>
public static class DigestInfo
{
    private static readonly byte[] Sha256Prefix = Convert.FromHexString("3031300d060960864801650304020105000420");
    private static readonly byte[] Sha384Prefix = Convert.FromHexString("3041300d060960864801650304020205000430");
    private static readonly byte[] Sha512Prefix = Convert.FromHexString("3051300d060960864801650304020305000440");

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

    /// <summary>The DER DigestInfo of an already computed SHA-256, SHA-384 or SHA-512 hash (RFC 8017 §9.2 note 1 prefixes).</summary>
    /// <exception cref="ArgumentException">Another algorithm, or a hash of the wrong length.</exception>
    public static byte[] For(System.Security.Cryptography.HashAlgorithmName algorithm, ReadOnlySpan<byte> hash)
    {
        var (prefix, length) = algorithm.Name switch
        {
            "SHA256" => (Sha256Prefix, 32),
            "SHA384" => (Sha384Prefix, 48),
            "SHA512" => (Sha512Prefix, 64),
            _ => throw new ArgumentException($"{algorithm.Name} is not accepted; use SHA-256, SHA-384 or SHA-512.", nameof(algorithm)),
        };
        if (hash.Length != length)
        {
            throw new ArgumentException($"A {algorithm.Name} hash is {length} bytes.", nameof(hash));
        }

        return [.. prefix, .. hash];
    }
}
