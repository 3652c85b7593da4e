using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Jpki.Signing.Signers;

/// <summary>
/// An <see cref="ECDsa"/> whose private operation is an <see cref="ISigner"/> (the next-generation card, ECDSA P-384): what
/// <c>SignedCms</c> and <c>SignedXml</c> need as a "private key" while the key never leaves the card. The public half is
/// the signer certificate's key. Signatures come back as r‖s (IEEE P1363), the form <see cref="ECDsa.SignHash(byte[])"/>
/// returns; CMS turns it into X9.62 DER itself, XMLDSig carries it as is.
/// </summary>
public sealed class SignerEcdsa : ECDsa
{
    private readonly ISigner _signer;
    private readonly ECParameters _public;

    /// <summary>Wraps <paramref name="signer"/>, whose certificate holds an EC key.</summary>
    /// <exception cref="ArgumentException">The certificate's key is not an EC key.</exception>
    public SignerEcdsa(ISigner signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        _signer = signer;
        using var publicKey = signer.Certificate.GetECDsaPublicKey() ?? throw new ArgumentException("The signing certificate does not hold an EC key.", nameof(signer));
        _public = publicKey.ExportParameters(includePrivateParameters: false);
        KeySizeValue = publicKey.KeySize;
        LegalKeySizesValue = [new KeySizes(KeySizeValue, KeySizeValue, 0)];
    }

    /// <summary>The hash that goes with the key's curve (RFC 5480 §4): SHA-384 for P-384, SHA-512 for P-521, else SHA-256.</summary>
    public static HashAlgorithmName HashFor(int keySize) => keySize switch
    {
        384 => HashAlgorithmName.SHA384,
        521 => HashAlgorithmName.SHA512,
        _ => HashAlgorithmName.SHA256,
    };

    /// <inheritdoc/>
    public override ECParameters ExportParameters(bool includePrivateParameters)
        => includePrivateParameters ? throw new CryptographicException("The private key stays with the signer (on the card).") : _public;

    /// <inheritdoc/>
    public override ECParameters ExportExplicitParameters(bool includePrivateParameters)
        => throw new NotSupportedException("Only the named curve of the signer certificate is exported.");

    /// <inheritdoc/>
    public override void ImportParameters(ECParameters parameters) => throw new NotSupportedException("The signer's key cannot be replaced.");

    /// <inheritdoc/>
    public override void GenerateKey(ECCurve curve) => throw new NotSupportedException("The signer's key cannot be replaced.");

    /// <summary>Signs <paramref name="hash"/> on the signer; answers r‖s.</summary>
    /// <exception cref="CryptographicException">The signer refused, or answered a signature of the wrong length.</exception>
    public override byte[] SignHash(byte[] hash)
    {
        ArgumentNullException.ThrowIfNull(hash);
        var algorithm = hash.Length switch
        {
            32 => HashAlgorithmName.SHA256,
            48 => HashAlgorithmName.SHA384,
            64 => HashAlgorithmName.SHA512,
            _ => throw new CryptographicException($"A {hash.Length}-byte hash is not SHA-256, SHA-384 or SHA-512."),
        };
        var signature = _signer.SignHash(hash, algorithm);
        var field = (KeySize + 7) / 8;
        if (signature.Length != 2 * field)
        {
            throw new CryptographicException($"The signer answered {signature.Length} bytes; an ECDSA P-{KeySize} signature r‖s has {2 * field}.");
        }

        return signature;
    }

    /// <inheritdoc/>
    public override bool VerifyHash(byte[] hash, byte[] signature)
    {
        using var ecdsa = Create(_public);
        return ecdsa.VerifyHash(hash, signature);
    }

    /// <inheritdoc/>
    protected override byte[] HashData(byte[] data, int offset, int count, HashAlgorithmName hashAlgorithm)
        => CryptographicOperations.HashData(hashAlgorithm, data.AsSpan(offset, count));

    /// <inheritdoc/>
    protected override byte[] HashData(Stream data, HashAlgorithmName hashAlgorithm)
        => CryptographicOperations.HashData(hashAlgorithm, data);
}
