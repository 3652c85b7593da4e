using System.Security.Cryptography.X509Certificates;
using Jpki.Verification.Certificates;
using Jpki.Verification.Paths;

namespace Jpki.Verification;

/// <summary>The result of verifying a signature: the verdict and what was learnt about the signer.</summary>
public sealed record SignatureVerification
{
    /// <summary>Valid, or the precise reason.</summary>
    public required Verdict Verdict { get; init; }

    /// <summary>The signer's certificate, when the signature named one.</summary>
    public X509Certificate2? SignerCertificate { get; init; }

    /// <summary>The validated path, when one was built.</summary>
    public CertificatePath? Path { get; init; }

    /// <summary>The signingTime signed attribute (a claim of the signer, not a trusted timestamp).</summary>
    public DateTimeOffset? SigningTime { get; init; }

    /// <summary>The basic 4 info of a signature certificate, decoded; null for an authentication certificate.</summary>
    public CertifiedBasicFourInfo? BasicFourInfo { get; init; }

    /// <summary>The signed content of an attached (non-detached) CMS signature.</summary>
    public ReadOnlyMemory<byte>? Content { get; init; }

    /// <summary>The verification time that was used.</summary>
    public DateTimeOffset VerifiedAt { get; init; }

    /// <summary>True when the verdict is valid.</summary>
    public bool IsValid => Verdict.IsValid;
}
