using Jpki.Authority.Crl;
using Jpki.Authority.Ocsp;
using Jpki.Core.Identity;

namespace Jpki.Authority.Registry;

/// <summary>
/// Where the published revocation data lives so that every server process on one registry shares it: the CRL
/// publication state and documents, the pre-signed OCSP answers, the publisher lease and a wake-up on changes
/// (PostgreSQL LISTEN/NOTIFY; a polled sequence on SQLite). Both registry stores implement it; a registry that does
/// not is served by an in-process stand-in (one process only).
/// </summary>
public interface IRevocationPublicationStore
{
    /// <summary>The current publication of <paramref name="kind"/>, or null before the first.</summary>
    Task<CrlPublicationState?> GetCrlPublicationAsync(CertificateKind kind, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="documents"/> and makes them current in one transaction — only when they are newer than
    /// what is published: a base generation whose number is above the current base, or a delta generation for the
    /// current base whose number is above the current delta. Returns false (storing nothing) otherwise, so a publisher
    /// that lost its lease while building can never publish an older number. A base generation records its
    /// <paramref name="buildTime"/> (<see cref="CrlPublicationState.BaseBuildTime"/>); a delta leaves it.
    /// </summary>
    Task<bool> PublishCrlsAsync(CertificateKind kind, bool delta, long number, long sequence, long? baseNumber, IReadOnlyList<CrlDocumentFile> documents, DateTimeOffset publishedAt, TimeSpan buildTime, CancellationToken cancellationToken);

    /// <summary>Copies the bytes of one published CRL document into <paramref name="destination"/>.</summary>
    /// <exception cref="FileNotFoundException">The document is not (or no longer) stored.</exception>
    Task CopyCrlDocumentAsync(CrlDocumentInfo document, Stream destination, CancellationToken cancellationToken);

    /// <summary>The stored answer for a certificate and CertID hash, or null.</summary>
    Task<StoredOcspResponse?> FindOcspResponseAsync(string serialHex, OcspCertIdHash hash, CancellationToken cancellationToken);

    /// <summary>
    /// Stores answers, each replacing an older one for the same certificate and hash. A good answer is stored only
    /// while the certificate is still unrevoked (a revocation deletes the stored answer in its own transaction), so an
    /// answer signed just before a revocation never outlives it. Returns how many were stored.
    /// </summary>
    Task<int> StoreOcspResponsesAsync(IReadOnlyList<StoredOcspResponse> responses, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> certificates whose stored answer is due (refreshAt ≤ <paramref name="now"/>) or,
    /// among those issued at or after <paramref name="issuedFrom"/>, not expired and not revoked, missing. Also returns the newest
    /// issuance instant looked at, the cursor for the next call.
    /// </summary>
    Task<(IReadOnlyList<OcspWork> Work, DateTimeOffset IssuedCursor)> FindOcspWorkAsync(DateTimeOffset now, DateTimeOffset issuedFrom, int limit, CancellationToken cancellationToken);

    /// <summary>Takes the publisher lease if no other process holds it; null when another does.</summary>
    Task<IPublisherLease?> TryAcquirePublisherLeaseAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Returns when the revocation sequence may have moved past <paramref name="cursor"/> or a publication may have
    /// changed, or after <paramref name="timeout"/> (whichever is first). Spurious returns are allowed.
    /// </summary>
    Task WaitForChangeAsync(long cursor, TimeSpan timeout, CancellationToken cancellationToken);
}
