using Jpki.Authority.Registry;

namespace Jpki.Municipality.Issuance;

/// <summary>
/// The counter's view of the authority (J-LIS): issue, revoke, and list a holder's certificates. An adapter over
/// <c>Jpki.Authority</c> implements it in-process; a remote adapter can implement it over the issuer API.
/// </summary>
public interface ICertificateIssuer
{
    /// <summary>Issues one certificate for a public key generated on the card.</summary>
    Task<IssuedCertificate> IssueAsync(CertificateIssueRequest request, CancellationToken cancellationToken);

    /// <summary>Revokes a certificate; revoking twice answers <see cref="RevokeResult.AlreadyRevoked"/>.</summary>
    Task<RevokeResult> RevokeAsync(string serialHex, RevocationReason reason, CancellationToken cancellationToken);

    /// <summary>All certificates of a holder, oldest first, revoked ones included.</summary>
    Task<IReadOnlyList<CertificateRecord>> FindByHolderAsync(string holderId, CancellationToken cancellationToken);
}
