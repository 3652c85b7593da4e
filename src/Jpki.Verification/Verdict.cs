using System.Globalization;

namespace Jpki.Verification;

/// <summary>
/// A verification verdict: <see cref="VerdictCode.Valid"/>, or the precise reason with a stable machine code and a
/// sentence a person can act on. Expected outcomes are values, never exceptions.
/// </summary>
public sealed record Verdict
{
    private Verdict(VerdictCode code, string message, DateTimeOffset? revokedAt, RevocationReason? reason)
    {
        Code = code;
        Message = message;
        RevokedAt = revokedAt;
        RevocationReason = reason;
    }

    /// <summary>The verdict.</summary>
    public VerdictCode Code { get; }

    /// <summary>The stable kebab-case machine code, e.g. <c>revoked</c>, <c>no-revocation-data</c>.</summary>
    public string MachineCode => CodeOf(Code);

    /// <summary>A sentence a person can act on. Never contains a secret.</summary>
    public string Message { get; }

    /// <summary>True when the verdict is <see cref="VerdictCode.Valid"/>.</summary>
    public bool IsValid => Code == VerdictCode.Valid;

    /// <summary>For <see cref="VerdictCode.Revoked"/>: when the certificate was revoked.</summary>
    public DateTimeOffset? RevokedAt { get; }

    /// <summary>For <see cref="VerdictCode.Revoked"/>: the reason code, when the CRL or OCSP answer carried one.</summary>
    public RevocationReason? RevocationReason { get; }

    /// <summary>The valid verdict.</summary>
    public static Verdict Valid { get; } = new(VerdictCode.Valid, "The signature and its certificate are valid.", null, null);

    /// <summary>A negative verdict (any code but <see cref="VerdictCode.Valid"/> and <see cref="VerdictCode.Revoked"/>).</summary>
    /// <exception cref="ArgumentException"><paramref name="code"/> is Valid or Revoked, or the message is empty.</exception>
    public static Verdict Fail(VerdictCode code, string message)
    {
        if (code is VerdictCode.Valid or VerdictCode.Revoked)
        {
            throw new ArgumentException("Use Valid or Revoked(...) for these codes.", nameof(code));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        return new(code, message, null, null);
    }

    /// <summary>The revoked verdict, with the revocation time and reason.</summary>
    public static Verdict Revoked(DateTimeOffset revokedAt, RevocationReason? reason, string subject)
    {
        var why = reason is { } r ? string.Create(CultureInfo.InvariantCulture, $" (reason: {CodeOf(r)})") : string.Empty;
        return new(
            VerdictCode.Revoked,
            string.Create(CultureInfo.InvariantCulture, $"The certificate {subject} was revoked at {revokedAt.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ}{why}; a signature is checked against the revocation status at verification time (JPKI law art. 21)."),
            revokedAt,
            reason);
    }

    /// <summary>The kebab-case machine code of <paramref name="code"/>.</summary>
    public static string CodeOf(VerdictCode code) => code switch
    {
        VerdictCode.Valid => "valid",
        VerdictCode.BadSignature => "bad-signature",
        VerdictCode.Expired => "expired",
        VerdictCode.NotYetValid => "not-yet-valid",
        VerdictCode.Revoked => "revoked",
        VerdictCode.Untrusted => "untrusted",
        VerdictCode.WrongKind => "wrong-kind",
        VerdictCode.NoRevocationData => "no-revocation-data",
        VerdictCode.ContentTampered => "content-tampered",
        VerdictCode.Malformed => "malformed",
        VerdictCode.ChallengeRejected => "challenge-rejected",
        VerdictCode.WrongOrigin => "wrong-origin",
        VerdictCode.ChallengeExpired => "challenge-expired",
        VerdictCode.WrongSession => "wrong-session",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, null),
    };

    /// <summary>The kebab-case name of a revocation reason.</summary>
    public static string CodeOf(RevocationReason reason) => reason switch
    {
        Verification.RevocationReason.Unspecified => "unspecified",
        Verification.RevocationReason.KeyCompromise => "key-compromise",
        Verification.RevocationReason.CaCompromise => "ca-compromise",
        Verification.RevocationReason.AffiliationChanged => "affiliation-changed",
        Verification.RevocationReason.Superseded => "superseded",
        Verification.RevocationReason.CessationOfOperation => "cessation-of-operation",
        Verification.RevocationReason.CertificateHold => "certificate-hold",
        Verification.RevocationReason.RemoveFromCrl => "remove-from-crl",
        Verification.RevocationReason.PrivilegeWithdrawn => "privilege-withdrawn",
        Verification.RevocationReason.AaCompromise => "aa-compromise",
        _ => "unknown",
    };

    /// <inheritdoc/>
    public override string ToString() => $"{MachineCode}: {Message}";
}
