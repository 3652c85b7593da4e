using Jpki.Authority.Ca;
using Jpki.Verification.Login;

namespace Jpki.Server.Oidc;

/// <summary>
/// The authority's linkage service (JPKI-REFERENCE §8.3) in-process, as <see cref="ICertificateLinkage"/>: the OIDC
/// provider follows renewals back to a citizen's first authentication certificate, so pairwise subjects survive renewals.
/// Certificates of another issuer are unknown here.
/// </summary>
internal sealed class AuthorityLinkage(AuthorityRuntime authority) : ICertificateLinkage
{
    public async ValueTask<CertificateId?> FindPredecessorAsync(CertificateId certificate, CancellationToken cancellationToken)
    {
        if (Issuer(certificate) is null || await authority.Authority.LinkageAsync(certificate.SerialNumber, cancellationToken).ConfigureAwait(false) is not { } linkage
            || linkage.Predecessors.Count == 0)
        {
            return null;
        }

        return certificate with { SerialNumber = linkage.Predecessors[^1] };
    }

    public async ValueTask<CertificateId?> FindAuthenticationForSignatureAsync(CertificateId signCertificate, CancellationToken cancellationToken)
    {
        if (Issuer(signCertificate) is not { Kind: Core.Identity.CertificateKind.Signature }
            || await authority.Authority.LinkageAsync(signCertificate.SerialNumber, cancellationToken).ConfigureAwait(false) is not { } linkage
            || linkage.OtherKind.Count == 0)
        {
            return null;
        }

        return new CertificateId(authority.Authority.AuthCa.Name.Name, linkage.OtherKind[0]);
    }

    private IssuingCa? Issuer(CertificateId certificate)
        => certificate.IssuerName == authority.Authority.SignCa.Name.Name ? authority.Authority.SignCa
            : certificate.IssuerName == authority.Authority.AuthCa.Name.Name ? authority.Authority.AuthCa
            : null;
}
