using Jpki.Core.Rules;
using Jpki.Core.Time;

namespace Jpki.Municipality.Applications;

/// <summary>
/// A holder's certificate as the counter judges it at a moment: its standing, its last day, when its renewal window
/// opens (JPKI-REFERENCE §10: three months before expiry; one year for a next-generation card's certificate, §14) and whether it can be renewed today.
/// </summary>
/// <param name="Certificate">The authority's record.</param>
/// <param name="Standing">Valid, expired or revoked.</param>
/// <param name="ExpiresOn">The last valid Japan day.</param>
/// <param name="RenewalOpens">The first day of its renewal window.</param>
/// <param name="RenewableToday">Valid and inside its renewal window today.</param>
public sealed record HolderCertificate(AuthorityCertificate Certificate, CertificateStanding Standing, DateOnly ExpiresOn, DateOnly RenewalOpens, bool RenewableToday)
{
    /// <summary>Judges <paramref name="certificate"/> at <paramref name="now"/>.</summary>
    public static HolderCertificate At(AuthorityCertificate certificate, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var expires = JapanTime.ToJapanDate(certificate.NotAfter);
        var window = RenewalWindow.For(expires, CertificateGenerations.Of(certificate));
        var standing = certificate.Revocation is not null ? CertificateStanding.Revoked
            : certificate.IsLiveAt(now) ? CertificateStanding.Valid
            : CertificateStanding.Expired;
        return new HolderCertificate(certificate, standing, expires, window.Opens, standing == CertificateStanding.Valid && window.Contains(JapanTime.ToJapanDate(now)));
    }
}
