using Jpki.Core.Identity;
using Jpki.Core.Pins;

namespace Jpki.Municipality.Issuance;

/// <summary>
/// The card presented at the counter, through the card client and the (non-faithful, see JPKI-REFERENCE §10)
/// issuer channel: read its identity, verify the holder's card PIN, generate key pairs in the key EFs, write and read
/// back certificates, and set or reset PINs.
/// </summary>
public interface ICounterCard
{
    /// <summary>Card number, kind and expiry as read from the card.</summary>
    Task<CardInfo> ReadInfoAsync(CancellationToken cancellationToken);

    /// <summary>Verifies the card PIN (券面事項入力補助用). Never throws for a wrong PIN: it is a result.</summary>
    Task<PinCheck> VerifyCardPinAsync(SecretPin pin, CancellationToken cancellationToken);

    /// <summary>Generates a key pair in the key EF of <paramref name="kind"/>; returns the DER SubjectPublicKeyInfo.</summary>
    Task<byte[]> GenerateKeyPairAsync(CertificateKind kind, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the certificate EF of <paramref name="kind"/> (and its CA certificate first, when the card holds one): the
    /// end-entity certificate is the last thing written, so once it is on the card its key and PIN are too.
    /// </summary>
    Task WriteCertificateAsync(CertificateKind kind, ReadOnlyMemory<byte> der, CancellationToken cancellationToken);

    /// <summary>
    /// Reads back the certificate EF of <paramref name="kind"/> as the issuer (no holder PIN); null when it is empty. How
    /// the counter tells, after an issuance stopped while the card was being written, whether the certificate reached it.
    /// </summary>
    /// <exception cref="Exception">The card could not be read (pulled out, refused): the caller must not guess.</exception>
    Task<byte[]?> ReadCertificateAsync(CertificateKind kind, CancellationToken cancellationToken);

    /// <summary>Sets (or resets and unblocks) a PIN to an already validated value.</summary>
    Task SetPinAsync(PinKind kind, SecretPin pin, CancellationToken cancellationToken);

    /// <summary>
    /// Unblocks the authentication PIN or the signature password with the card's PUK and sets <paramref name="newPin"/>
    /// (an already validated value) — on the card itself, without the issuer channel (next-generation card, docs/card.md).
    /// A wrong, blocked, unset or missing PUK is a result, never an exception.
    /// </summary>
    Task<PukCheck> UnblockWithPukAsync(PinKind kind, SecretPin puk, SecretPin newPin, CancellationToken cancellationToken);
}
