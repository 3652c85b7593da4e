using System.Security.Cryptography.X509Certificates;

namespace Jpki.Verification.Cms;

/// <summary>What the cryptographic check of a CMS signature established, before path and revocation.</summary>
internal sealed record CmsInspection(
    Verdict? Failure,
    X509Certificate2? Signer,
    X509Certificate2Collection Certificates,
    DateTimeOffset? SigningTime,
    ReadOnlyMemory<byte>? Content);
