using System.Security.Cryptography.X509Certificates;
using Jpki.Verification.Certificates;

namespace Jpki.Verification.Login;

/// <summary>The outcome of a login.</summary>
/// <param name="Verdict">Valid, or the reason the login is refused.</param>
/// <param name="Certificate">The certificate presented (an instance shared with later verifications of the same certificate: do not dispose it).</param>
/// <param name="AccountKey">When valid: the stable account key (see <see cref="AccountKeys"/>); for a signature
/// certificate, that of its linked authentication certificate (null when the linkage service knows no link).</param>
public sealed record LoginResult(Verdict Verdict, X509Certificate2? Certificate, string? AccountKey)
{
    /// <summary>True when the login is accepted.</summary>
    public bool IsValid => Verdict.IsValid;

    /// <summary>When a signature certificate was verified: the basic 4 info it certifies; null for an authentication certificate.</summary>
    public CertifiedBasicFourInfo? BasicFourInfo { get; init; }
}
