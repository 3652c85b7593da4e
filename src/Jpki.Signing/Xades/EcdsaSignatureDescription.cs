using System.Security.Cryptography;

namespace Jpki.Signing.Xades;

/// <summary>
/// XMLDSig's ECDSA signature methods (RFC 6931 §2.3.6, <c>http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256|384|512</c>)
/// for <see cref="System.Security.Cryptography.Xml.SignedXml"/>, which knows RSA and DSA only: the digest of the
/// method and a formatter that asks the <see cref="ECDsa"/> (a <see cref="Signers.SignerEcdsa"/> over the card) for r‖s,
/// the form XMLDSig carries. Registered with <see cref="CryptoConfig"/> once, by <see cref="Register"/>.
/// </summary>
public abstract class EcdsaSignatureDescription : SignatureDescription
{
    private static readonly Lazy<bool> Registered = new(() =>
    {
        CryptoConfig.AddAlgorithm(typeof(Sha256), "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256");
        CryptoConfig.AddAlgorithm(typeof(Sha384), "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384");
        CryptoConfig.AddAlgorithm(typeof(Sha512), "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512");
        return true;
    });

    private readonly HashAlgorithmName _hash;

    private EcdsaSignatureDescription(HashAlgorithmName hash)
    {
        _hash = hash;
        KeyAlgorithm = typeof(ECDsa).AssemblyQualifiedName;
    }

    /// <summary>Makes the three methods known to <see cref="CryptoConfig"/> (idempotent).</summary>
    public static void Register() => _ = Registered.Value;

    /// <summary>The hash of the method.</summary>
    public HashAlgorithmName Hash => _hash;

    /// <inheritdoc/>
    public override HashAlgorithm CreateDigest() => _hash == HashAlgorithmName.SHA384 ? SHA384.Create() : _hash == HashAlgorithmName.SHA512 ? SHA512.Create() : SHA256.Create();

    /// <inheritdoc/>
    public override AsymmetricSignatureFormatter CreateFormatter(AsymmetricAlgorithm key) => new Formatter((ECDsa)key);

    /// <inheritdoc/>
    public override AsymmetricSignatureDeformatter CreateDeformatter(AsymmetricAlgorithm key) => new Deformatter((ECDsa)key);

    /// <summary>ecdsa-sha256.</summary>
    public sealed class Sha256() : EcdsaSignatureDescription(HashAlgorithmName.SHA256);

    /// <summary>ecdsa-sha384 (the next-generation card).</summary>
    public sealed class Sha384() : EcdsaSignatureDescription(HashAlgorithmName.SHA384);

    /// <summary>ecdsa-sha512.</summary>
    public sealed class Sha512() : EcdsaSignatureDescription(HashAlgorithmName.SHA512);

    private sealed class Formatter(ECDsa key) : AsymmetricSignatureFormatter
    {
        private ECDsa _key = key;

        public override byte[] CreateSignature(byte[] rgbHash) => _key.SignHash(rgbHash);

        public override void SetHashAlgorithm(string strName)
        {
            // The hash is the method's; ECDSA signs the hash without naming it.
        }

        public override void SetKey(AsymmetricAlgorithm key) => _key = (ECDsa)key;
    }

    private sealed class Deformatter(ECDsa key) : AsymmetricSignatureDeformatter
    {
        private ECDsa _key = key;

        public override bool VerifySignature(byte[] rgbHash, byte[] rgbSignature) => _key.VerifyHash(rgbHash, rgbSignature);

        public override void SetHashAlgorithm(string strName)
        {
            // As in the formatter.
        }

        public override void SetKey(AsymmetricAlgorithm key) => _key = (ECDsa)key;
    }
}
