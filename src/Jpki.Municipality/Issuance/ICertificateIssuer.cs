using Jpki.Core.Identity;

namespace Jpki.Municipality.Issuance;

/// <summary>
/// The counter's view of the authority (J-LIS), in the terms of the registration-authority contract
/// (<c>Jpki.Authority.Contracts</c>): issue, revoke, list a holder's certificates, and the CA certificates to write onto
/// cards. <see cref="HttpCertificateIssuer"/> implements it over the authority API; the composition roots (the server,
/// the CLI) implement it over an in-process authority. The counter never sees the authority's own types.
/// </summary>
public interface ICertificateIssuer
{
    /// <summary>
    /// Issues one certificate for a public key generated on the card. With a request id, a repeat of the same request
    /// answers the first outcome (the same certificate), so a caller that lost the answer sends it again.
    /// </summary>
    /// <exception cref="AuthorityRefusedException">The authority refused the request (bad input it judges: key, dates, subject).</exception>
    Task<AuthorityCertificate> IssueAsync(CertificateIssuance request, CancellationToken cancellationToken);

    /// <summary>Revokes a certificate; revoking twice answers <see cref="RevokeResult.AlreadyRevoked"/> (the first revocation stands).</summary>
    Task<RevokeResult> RevokeAsync(CertificateSerial serial, RevocationReason reason, CancellationToken cancellationToken);

    /// <summary>All certificates of a holder, oldest first, revoked ones included.</summary>
    Task<IReadOnlyList<AuthorityCertificate>> FindByHolderAsync(HolderId holder, CancellationToken cancellationToken);

    /// <summary>The certificate (DER) of the CA that issues <paramref name="kind"/> certificates, written next to them on the card.</summary>
    Task<byte[]> GetCaCertificateAsync(CertificateKind kind, CancellationToken cancellationToken);
}
