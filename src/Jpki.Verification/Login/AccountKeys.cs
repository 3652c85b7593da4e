using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Jpki.Verification.Login;

/// <summary>
/// A stable account key for a citizen across certificate renewals: derived from the first authentication certificate
/// in the chain of renewals (followed back through <see cref="ICertificateLinkage"/>), so a renewed card still logs in
/// to the same account. The key reveals nothing about the person and is not a My Number.
/// </summary>
public static class AccountKeys
{
    /// <summary>The most renewals followed back (a 100-year life at one renewal every 5 years is 20).</summary>
    public const int MaxRenewals = 64;

    /// <summary>The account key of a chain whose first certificate is <paramref name="first"/>: <c>jpki1:</c> + base64url(SHA-256).</summary>
    public static string FromFirstCertificate(CertificateId first)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"openjpki-account-v1\n{first.IssuerName}\n{first.SerialNumber}"));
        return "jpki1:" + Base64Url.EncodeToString(hash);
    }

    /// <summary>Follows predecessors back from <paramref name="certificate"/> to the first certificate of its chain of renewals.</summary>
    /// <exception cref="InvalidOperationException">The linkage service reports a loop or more than <see cref="MaxRenewals"/> renewals.</exception>
    public static async ValueTask<CertificateId> FirstOfChainAsync(CertificateId certificate, ICertificateLinkage? linkage, CancellationToken cancellationToken)
    {
        if (linkage is null)
        {
            return certificate;
        }

        var seen = new HashSet<CertificateId> { certificate };
        var current = certificate;
        for (var i = 0; i < MaxRenewals; i++)
        {
            if (await linkage.FindPredecessorAsync(current, cancellationToken).ConfigureAwait(false) is not { } previous)
            {
                return current;
            }

            if (!seen.Add(previous))
            {
                throw new InvalidOperationException("The linkage service reports a renewal loop.");
            }

            current = previous;
        }

        throw new InvalidOperationException($"The linkage service reports more than {MaxRenewals} renewals.");
    }
}
