using Jpki.Verification.Paths;

namespace Jpki.Verification;

/// <summary>The result of verifying a certificate: path, JPKI profile and revocation.</summary>
/// <param name="Verdict">Valid, or the precise reason.</param>
/// <param name="Path">The path, when one was built.</param>
public sealed record CertificateVerification(Verdict Verdict, CertificatePath? Path);
