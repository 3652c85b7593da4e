namespace Jpki.Authority.Registry;

/// <summary>One CRL entry, streamed from the registry.</summary>
/// <param name="SerialHex">Serial number, uppercase hex.</param>
/// <param name="RevokedAt">Revocation date.</param>
/// <param name="Reason">CRLReason.</param>
public readonly record struct RevokedEntry(string SerialHex, DateTimeOffset RevokedAt, RevocationReason Reason);
