using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Jpki.Signing.Signers;

/// <summary>
/// An <see cref="RSA"/> whose private operation is <see cref="ISigner.SignHash"/>, so that BCL signers
/// (<see cref="System.Security.Cryptography.Pkcs.CmsSigner"/>, <c>SignedXml</c>) sign through a card. PKCS#1 v1.5 only.
/// </summary>
public sealed class SignerRsa : RSA
{
    private readonly ISigner _signer;
    private readonly RSAParameters _public;

    /// <summary>Wraps <paramref name="signer"/>; its certificate must hold an RSA key.</summary>
    /// <exception cref="ArgumentException">The certificate's key is not RSA.</exception>
    public SignerRsa(ISigner signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        _signer = signer;
        using var publicKey = signer.Certificate.GetRSAPublicKey() ?? throw new ArgumentException("The signing certificate does not hold an RSA key.", nameof(signer));
        _public = publicKey.ExportParameters(includePrivateParameters: false);
        KeySizeValue = publicKey.KeySize;
        LegalKeySizesValue = [new KeySizes(KeySizeValue, KeySizeValue, 0)];
    }

    /// <inheritdoc/>
    public override RSAParameters ExportParameters(bool includePrivateParameters)
        => includePrivateParameters ? throw new CryptographicException("The private key stays with the signer (on the card).") : _public;

    /// <inheritdoc/>
    public override void ImportParameters(RSAParameters parameters) => throw new NotSupportedException("The signer's key cannot be replaced.");

    /// <inheritdoc/>
    public override byte[] SignHash(byte[] hash, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding)
    {
        ArgumentNullException.ThrowIfNull(hash);
        if (padding != RSASignaturePadding.Pkcs1)
        {
            throw new CryptographicException("The signer signs with PKCS#1 v1.5 only.");
        }

        return _signer.SignHash(hash, hashAlgorithm);
    }

    /// <inheritdoc/>
    public override bool VerifyHash(byte[] hash, byte[] signature, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding)
    {
        using var rsa = Create(_public);
        return rsa.VerifyHash(hash, signature, hashAlgorithm, padding);
    }
}
