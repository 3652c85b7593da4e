using System.Security.Cryptography;
using Jpki.Card.Client;
using Jpki.Core.Identity;

namespace Jpki.Cli.Commands.Sign;

/// <summary>
/// An <see cref="RSA"/> whose private operation is the card's COMPUTE DIGITAL SIGNATURE (<c>80 2A 00 80</c>) with the
/// signature key: the host builds the SHA-256 DigestInfo, the card pads and signs it. The password must already be
/// verified. Only PKCS#1 v1.5 with SHA-256 is possible.
/// </summary>
internal sealed class CardRsa : RSA
{
    private readonly JpkiCardClient _client;
    private readonly RSAParameters _public;

    public CardRsa(JpkiCardClient client, RSA publicKey)
    {
        _client = client;
        _public = publicKey.ExportParameters(includePrivateParameters: false);
        KeySizeValue = publicKey.KeySize;
        LegalKeySizesValue = [new KeySizes(KeySizeValue, KeySizeValue, 0)];
    }

    public override RSAParameters ExportParameters(bool includePrivateParameters)
        => includePrivateParameters ? throw new CryptographicException("The private key stays on the card.") : _public;

    public override void ImportParameters(RSAParameters parameters) => throw new NotSupportedException("The card's key cannot be replaced.");

    public override byte[] SignHash(byte[] hash, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding)
    {
        ArgumentNullException.ThrowIfNull(hash);
        if (hashAlgorithm != HashAlgorithmName.SHA256 || padding != RSASignaturePadding.Pkcs1)
        {
            throw new CryptographicException("The card signs SHA-256 DigestInfos with PKCS#1 v1.5 only.");
        }

        return _client.SignSha256Hash(CertificateKind.Signature, hash);
    }

    public override bool VerifyHash(byte[] hash, byte[] signature, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding)
    {
        using var rsa = Create(_public);
        return rsa.VerifyHash(hash, signature, hashAlgorithm, padding);
    }
}
