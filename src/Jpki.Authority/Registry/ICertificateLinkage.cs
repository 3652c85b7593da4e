namespace Jpki.Authority.Registry;

/// <summary>
/// The linkage queries of JPKI-REFERENCE §8.3, for authorised verifiers only: a holder's signature certificate ↔
/// authentication certificate, and old ↔ new certificates across renewals (the <c>previous_serial</c> chain).
/// Kept apart from <see cref="ICertificateRegistry"/> so that code that only issues and revokes cannot link.
/// </summary>
public interface ICertificateLinkage
{
    /// <summary>
    /// The certificates of the other kind that belong to the same holder and were issued onto the same card as
    /// <paramref name="serialHex"/>, oldest first; empty when the serial is unknown.
    /// </summary>
    Task<IReadOnlyList<CertificateRecord>> FindCounterpartsAsync(string serialHex, CancellationToken cancellationToken);

    /// <summary>
    /// The renewal chain that contains <paramref name="serialHex"/>: from the first certificate (no predecessor)
    /// through every certificate whose <see cref="CertificateRecord.PreviousSerialHex"/> names the one before, oldest
    /// first. Empty when the serial is unknown. Where a certificate was renewed more than once (a branch), the
    /// earliest-issued successor is followed.
    /// </summary>
    Task<IReadOnlyList<CertificateRecord>> FindRenewalChainAsync(string serialHex, CancellationToken cancellationToken);

    /// <summary>The certificates that name <paramref name="serialHex"/> as their predecessor, oldest first.</summary>
    Task<IReadOnlyList<CertificateRecord>> FindSuccessorsAsync(string serialHex, CancellationToken cancellationToken);
}
