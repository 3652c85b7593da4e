using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Jpki.Authority.Keys;

/// <summary>Lets <see cref="CertificateRequest"/> sign through an <see cref="ICaSigningKey"/> (sha256WithRSAEncryption only).</summary>
internal sealed class CaKeySignatureGenerator(ICaSigningKey key) : X509SignatureGenerator
{
    /// <summary>AlgorithmIdentifier sha256WithRSAEncryption with NULL parameters.</summary>
    public static readonly byte[] Sha256WithRsaAlgorithm = [0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B, 0x05, 0x00];

    public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm)
    {
        Require(hashAlgorithm);
        return (byte[])Sha256WithRsaAlgorithm.Clone();
    }

    public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm)
    {
        Require(hashAlgorithm);
        return key.SignSha256Hash(SHA256.HashData(data));
    }

    protected override PublicKey BuildPublicKey() => key.PublicKey;

    private static void Require(HashAlgorithmName hashAlgorithm)
    {
        if (hashAlgorithm != HashAlgorithmName.SHA256)
        {
            throw new ArgumentOutOfRangeException(nameof(hashAlgorithm), hashAlgorithm, "The authority signs with SHA-256 only.");
        }
    }
}
