using System.Security.Cryptography.X509Certificates;

namespace Jpki.Verification.Login;

/// <summary>The outcome of a login.</summary>
/// <param name="Verdict">Valid, or the reason the login is refused.</param>
/// <param name="Certificate">The authentication certificate presented.</param>
/// <param name="AccountKey">When valid: the stable account key (see <see cref="AccountKeys"/>).</param>
public sealed record LoginResult(Verdict Verdict, X509Certificate2? Certificate, string? AccountKey)
{
    /// <summary>True when the login is accepted.</summary>
    public bool IsValid => Verdict.IsValid;
}
