using System.Security.Cryptography.X509Certificates;

namespace Jpki.Verification.Signatures;

/// <summary>Options of <see cref="SignatureValidator"/>.</summary>
public sealed record SignatureValidationOptions
{
    /// <summary>
    /// The trust anchors for time-stamps: TSA roots (e.g. OpenJpki's <c>authority/tsa/tsa-root.cer</c>) or TSA unit
    /// certificates trusted directly. Kept apart from the JPKI roots: a TSA root can never make a citizen
    /// certificate valid. Empty: no time-stamp is trusted (signatures are judged at the validation time).
    /// </summary>
    public IReadOnlyList<X509Certificate2> TimestampTrust { get; init; } = [];

    /// <summary>The largest CMS or XML signature read into memory, in bytes. Default 64 MiB.</summary>
    public long MaxSignatureBytes { get; init; } = 64L * 1024 * 1024;
}
