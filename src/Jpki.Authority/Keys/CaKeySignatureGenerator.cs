using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Jpki.Authority.Keys;

/// <summary>
/// Lets <see cref="CertificateRequest"/> sign through an <see cref="ICaSigningKey"/>: sha256WithRSAEncryption, or
/// ecdsa-with-SHA384 for a next-generation CA key.
/// </summary>
internal sealed class CaKeySignatureGenerator(ICaSigningKey key) : X509SignatureGenerator
{
    /// <summary>AlgorithmIdentifier sha256WithRSAEncryption with NULL parameters.</summary>
    public static readonly byte[] Sha256WithRsaAlgorithm = CaSignatureAlgorithms.Sha256WithRsaIdentifier.ToArray();

    /// <summary>The hash a certificate request must name for <paramref name="key"/>.</summary>
    public static HashAlgorithmName HashFor(ICaSigningKey key) => CaSignatureAlgorithms.Hash(key.SignatureAlgorithm);

    public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm)
    {
        Require(hashAlgorithm);
        return CaSignatureAlgorithms.Identifier(key.SignatureAlgorithm);
    }

    public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm)
    {
        Require(hashAlgorithm);
        return key.SignatureAlgorithm == CaSignatureAlgorithm.EcdsaWithSha384
            ? key.SignHash(SHA384.HashData(data))
            : key.SignSha256Hash(SHA256.HashData(data));
    }

    protected override PublicKey BuildPublicKey() => key.PublicKey;

    private void Require(HashAlgorithmName hashAlgorithm)
    {
        if (hashAlgorithm != HashFor(key))
        {
            throw new ArgumentOutOfRangeException(nameof(hashAlgorithm), hashAlgorithm, $"This CA key signs with {HashFor(key).Name} only.");
        }
    }
}
