using System.Security.Cryptography.X509Certificates;

namespace Jpki.Verification.Revocation;

/// <summary>A source of revocation status: a CRL cache, an OCSP client, or the caller's own.</summary>
public interface IRevocationSource
{
    /// <summary>
    /// The status of <paramref name="certificate"/>, issued (and signed) by <paramref name="issuer"/>, as of
    /// <paramref name="at"/>. Must not throw for bad outside data or network failures: answer
    /// <see cref="RevocationState.Unknown"/> with the reason instead.
    /// </summary>
    ValueTask<RevocationStatus> CheckAsync(X509Certificate2 certificate, X509Certificate2 issuer, DateTimeOffset at, CancellationToken cancellationToken);
}
