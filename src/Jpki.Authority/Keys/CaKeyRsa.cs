using System.Security.Cryptography;

namespace Jpki.Authority.Keys;

/// <summary>
/// An <see cref="RSA"/> whose private operation is <see cref="ICaSigningKey.SignSha256Hash"/>, so that BCL signers
/// (<see cref="System.Security.Cryptography.Pkcs.CmsSigner"/>) can sign with a key that never leaves its file or token.
/// SHA-256 with PKCS#1 v1.5 only; the wrapped key is not owned.
/// </summary>
internal sealed class CaKeyRsa : RSA
{
    private readonly ICaSigningKey _key;
    private readonly RSAParameters _public;

    public CaKeyRsa(ICaSigningKey key)
    {
        _key = key;
        using var publicKey = key.PublicKey.GetRSAPublicKey() ?? throw new CryptographicException("The key is not an RSA key.");
        _public = publicKey.ExportParameters(includePrivateParameters: false);
        KeySizeValue = publicKey.KeySize;
        LegalKeySizesValue = [new KeySizes(KeySizeValue, KeySizeValue, 0)];
    }

    public override RSAParameters ExportParameters(bool includePrivateParameters)
        => includePrivateParameters ? throw new CryptographicException("The private key is not exportable.") : _public;

    public override void ImportParameters(RSAParameters parameters) => throw new NotSupportedException("The key cannot be replaced.");

    public override byte[] SignHash(byte[] hash, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding)
    {
        ArgumentNullException.ThrowIfNull(hash);
        if (hashAlgorithm != HashAlgorithmName.SHA256 || padding != RSASignaturePadding.Pkcs1)
        {
            throw new CryptographicException("The authority signs SHA-256 with PKCS#1 v1.5 only.");
        }

        return _key.SignSha256Hash(hash);
    }

    public override bool VerifyHash(byte[] hash, byte[] signature, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding)
    {
        using var rsa = Create(_public);
        return rsa.VerifyHash(hash, signature, hashAlgorithm, padding);
    }
}
