using System.Security.Cryptography;

namespace Jpki.Authority.Keys;

/// <summary>
/// How a CA key signs: today's J-LIS CAs use sha256WithRSAEncryption (JPKI-REFERENCE §6 [C]); the next-generation
/// profile ecdsa-with-SHA384 on P-384 (§14 [R]).
/// </summary>
public enum CaSignatureAlgorithm
{
    /// <summary>RSA-2048, RSASSA-PKCS1-v1_5 over SHA-256 (1.2.840.113549.1.1.11).</summary>
    Sha256WithRsa = 1,

    /// <summary>ECDSA on P-384 over SHA-384 (1.2.840.10045.4.3.3, RFC 5758 §3.2), X9.62 DER signature value.</summary>
    EcdsaWithSha384 = 2,
}

/// <summary>The AlgorithmIdentifier and hash of each <see cref="CaSignatureAlgorithm"/>.</summary>
public static class CaSignatureAlgorithms
{
    /// <summary>AlgorithmIdentifier sha256WithRSAEncryption with NULL parameters (RFC 4055).</summary>
    public static ReadOnlySpan<byte> Sha256WithRsaIdentifier => [0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B, 0x05, 0x00];

    /// <summary>AlgorithmIdentifier ecdsa-with-SHA384, parameters absent (RFC 5758 §3.2).</summary>
    public static ReadOnlySpan<byte> EcdsaWithSha384Identifier => [0x30, 0x0A, 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x03];

    /// <summary>The DER AlgorithmIdentifier of <paramref name="algorithm"/>.</summary>
    public static byte[] Identifier(CaSignatureAlgorithm algorithm) => algorithm switch
    {
        CaSignatureAlgorithm.Sha256WithRsa => Sha256WithRsaIdentifier.ToArray(),
        CaSignatureAlgorithm.EcdsaWithSha384 => EcdsaWithSha384Identifier.ToArray(),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown CA signature algorithm."),
    };

    /// <summary>The hash <paramref name="algorithm"/> signs.</summary>
    public static HashAlgorithmName Hash(CaSignatureAlgorithm algorithm) =>
        algorithm == CaSignatureAlgorithm.EcdsaWithSha384 ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256;

    /// <summary>The algorithm of <paramref name="key"/>'s public key: ECDSA P-384 or RSA.</summary>
    public static CaSignatureAlgorithm Of(System.Security.Cryptography.X509Certificates.PublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Oid.Value == "1.2.840.10045.2.1" ? CaSignatureAlgorithm.EcdsaWithSha384 : CaSignatureAlgorithm.Sha256WithRsa;
    }
}
