using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Card.Client;
using Jpki.Core.Identity;
using Jpki.Verification.Cms;

namespace Jpki.Signing.Signers;

/// <summary>
/// The signature key of a My Number card (署名用電子証明書's key, EF 001A): the host builds the DigestInfo and the
/// card pads and signs it with <c>80 2A 00 80</c> (JPKI-REFERENCE §4.4). The signature password must have been
/// verified on <paramref name="client"/> before signing. Not thread-safe (one card, one APDU at a time).
/// </summary>
/// <param name="client">The card client (a virtual card in-process, or a reader over PC/SC).</param>
/// <param name="certificate">The signature certificate read from the card.</param>
/// <param name="chain">The CA certificates to embed (the card's EF 0002); null for none.</param>
public sealed class CardSigner(JpkiCardClient client, X509Certificate2 certificate, IReadOnlyList<X509Certificate2>? chain = null) : ISigner
{
    /// <inheritdoc/>
    public X509Certificate2 Certificate { get; } = certificate ?? throw new ArgumentNullException(nameof(certificate));

    /// <inheritdoc/>
    public IReadOnlyList<X509Certificate2> CertificateChain { get; } = chain ?? [];

    private bool IsEcdsa => Certificate.PublicKey.Oid.Value == SignerKeys.EcPublicKey;

    /// <summary>
    /// Reads the signature certificate (EF 0001, needs the signature password verified) and the signature CA
    /// certificate (EF 0002) from the card, and returns a signer over them.
    /// </summary>
    /// <exception cref="CardStatusException">The card refused (6982: the password is not verified).</exception>
    /// <exception cref="InvalidOperationException">The card holds no signature certificate.</exception>
    public static CardSigner FromCard(JpkiCardClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var der = client.ReadCertificate(CertificateSlot.Signature) ?? throw new InvalidOperationException("The card holds no signature certificate.");
        var chain = client.ReadCertificate(CertificateSlot.SignatureCa) is { } ca ? new[] { X509CertificateLoader.LoadCertificate(ca) } : [];
        return new CardSigner(client, X509CertificateLoader.LoadCertificate(der), chain);
    }

    /// <inheritdoc/>
    public byte[] SignHash(ReadOnlySpan<byte> hash, HashAlgorithmName algorithm)
    {
        try
        {
            // The next-generation card (ECDSA P-384) signs the hash itself and answers r‖s (docs/card.md); today's card
            // pads a DigestInfo with PKCS#1 v1.5.
            return IsEcdsa
                ? client.SignEcdsaHash(CertificateKind.Signature, hash)
                : client.SignDigestInfo(CertificateKind.Signature, DigestInfo.For(algorithm, hash));
        }
        catch (CardStatusException e)
        {
            throw new CryptographicException($"The card refused to sign: {e.Message}", e);
        }
    }
}
