using Jpki.Verification.Paths;

namespace Jpki.Verification;

/// <summary>Options of <see cref="JpkiVerifier"/>. The defaults are the safe ones.</summary>
public sealed record VerifierOptions
{
    /// <summary>Path validation options (test policy, depth).</summary>
    public PathValidationOptions Path { get; init; } = new();

    /// <summary>
    /// UNSAFE: accept a certificate when no revocation source gives an answer. Default false: no fresh, authentic
    /// answer means <see cref="VerdictCode.NoRevocationData"/> (fail closed). A revoked answer is always honoured.
    /// </summary>
    public bool UnsafeSkipRevocationCheck { get; init; }

    /// <summary>
    /// Require the ESS signingCertificateV2 signed attribute in CMS signatures (RFC 5035). Default false: when present
    /// it must match the signer certificate; when absent (plain <c>openssl cms -sign</c>) the signature is still accepted.
    /// </summary>
    public bool RequireSigningCertificateV2 { get; init; }
}
