namespace Jpki.Verification.Revocation;

/// <summary>The answer of one revocation source for one certificate.</summary>
/// <param name="State">Good, revoked or unknown.</param>
/// <param name="Message">What the source found, for people (why it is unknown, where the answer came from).</param>
/// <param name="RevokedAt">When revoked, the revocation time.</param>
/// <param name="Reason">When revoked, the reason if the source gave one.</param>
public sealed record RevocationStatus(RevocationState State, string Message, DateTimeOffset? RevokedAt = null, RevocationReason? Reason = null)
{
    /// <summary>A good answer.</summary>
    public static RevocationStatus Good(string source) => new(RevocationState.Good, source);

    /// <summary>No usable answer, and why.</summary>
    public static RevocationStatus Unknown(string why) => new(RevocationState.Unknown, why);

    /// <summary>A revoked answer.</summary>
    public static RevocationStatus Revoked(string source, DateTimeOffset revokedAt, RevocationReason? reason) => new(RevocationState.Revoked, source, revokedAt, reason);
}
