using System.Security.Cryptography;

namespace Jpki.Card.Applications;

/// <summary>
/// An ECDSA P-384 private key inside the next-generation card (JPKI-REFERENCE §14 [R]: ECDSA P-384 with SHA-384).
/// </summary>
/// <remarks>
/// What the real next-generation card takes and returns is not public. Ours [I]: COMPUTE DIGITAL SIGNATURE takes the hash
/// itself (the host hashes, SHA-384 in the profile; 20–64 bytes are accepted, a longer hash is truncated to 384 bits as
/// X9.62 prescribes) and returns the signature as raw r‖s, 48 + 48 bytes (IEEE P1363). Why: hashing on the host is how
/// today's card works (the host sends a DigestInfo), a fixed 96-byte answer always fits one short response, and r‖s is
/// what PKCS#11 <c>CKM_ECDSA</c> (OpenSC, pkcs11-tool), XMLDSig's ecdsa-sha384 and JWS ES384 carry as they are; the
/// host wraps it into X9.62 DER (<c>SEQUENCE { r, s }</c>) for X.509, CMS and PDF. The issuer channel answers the public
/// key as the uncompressed point <c>04 ‖ X ‖ Y</c> (97 bytes, SEC 1 §2.3.3).
/// </remarks>
internal sealed class CardEcKey : CardKey
{
    /// <summary>The length of r‖s for P-384.</summary>
    public const int SignatureLength = 96;

    /// <summary>The length of the uncompressed point 04 ‖ X ‖ Y for P-384.</summary>
    public const int PointLength = 97;

    private const int MinHashLength = 20;
    private const int MaxHashLength = 64;

    private readonly ECDsa _ecdsa;

    public CardEcKey(ReadOnlySpan<byte> pkcs8)
    {
        _ecdsa = ECDsa.Create();
        try
        {
            _ecdsa.ImportPkcs8PrivateKey(pkcs8, out _);
            var parameters = _ecdsa.ExportParameters(includePrivateParameters: false);
            if (parameters.Curve.Oid?.Value != ECCurve.NamedCurves.nistP384.Oid.Value)
            {
                throw new CryptographicException("The key EF does not hold a P-384 key.");
            }
        }
        catch
        {
            _ecdsa.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public override CardKeyAlgorithm Algorithm => CardKeyAlgorithm.EcdsaP384;

    /// <summary>The public half, for tests and the issuer channel.</summary>
    public ECParameters PublicParameters => _ecdsa.ExportParameters(includePrivateParameters: false);

    /// <inheritdoc/>
    public override bool AcceptsInput(int length) => length is >= MinHashLength and <= MaxHashLength;

    /// <summary>ECDSA over the hash <paramref name="input"/>; r‖s, 96 bytes.</summary>
    public override byte[] Sign(ReadOnlySpan<byte> input)
    {
        if (!AcceptsInput(input.Length))
        {
            throw new ArgumentException("Input must be a hash of 20 to 64 bytes.", nameof(input));
        }

        return _ecdsa.SignHash(input, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    /// <inheritdoc/>
    public override byte[] PublicKeyAnswer()
    {
        var q = PublicParameters.Q;
        return [0x04, .. q.X!, .. q.Y!];
    }

    public override void Dispose() => _ecdsa.Dispose();
}
