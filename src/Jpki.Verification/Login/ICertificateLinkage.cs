namespace Jpki.Verification.Login;

/// <summary>
/// The authority's linkage service (JPKI-REFERENCE §8.3), as a relying party sees it: which certificate a renewed one
/// replaced, and which authentication certificate belongs with a signature certificate. Implement it over the
/// authority's API (or J-LIS's, for a notified verifier).
/// </summary>
public interface ICertificateLinkage
{
    /// <summary>The certificate that <paramref name="certificate"/> replaced on renewal, or null when it is the first.</summary>
    ValueTask<CertificateId?> FindPredecessorAsync(CertificateId certificate, CancellationToken cancellationToken);

    /// <summary>The authentication certificate issued with signature certificate <paramref name="signCertificate"/> (law art. 18(5)), or null.</summary>
    ValueTask<CertificateId?> FindAuthenticationForSignatureAsync(CertificateId signCertificate, CancellationToken cancellationToken);
}
