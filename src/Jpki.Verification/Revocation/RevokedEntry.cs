namespace Jpki.Verification.Revocation;

/// <summary>One entry of a CRL.</summary>
/// <param name="RevokedAt">revocationDate.</param>
/// <param name="Reason">reasonCode, when the entry has one.</param>
public readonly record struct RevokedEntry(DateTimeOffset RevokedAt, RevocationReason? Reason);
