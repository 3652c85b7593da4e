namespace Jpki.Verification.Revocation;

/// <summary>What a revocation source knows of a certificate.</summary>
public enum RevocationState
{
    /// <summary>Not revoked, according to a fresh, authentic answer.</summary>
    Good = 0,

    /// <summary>Revoked at or before the verification time.</summary>
    Revoked = 1,

    /// <summary>No usable answer (unreachable, stale, badly signed, unknown to the responder).</summary>
    Unknown = 2,
}
