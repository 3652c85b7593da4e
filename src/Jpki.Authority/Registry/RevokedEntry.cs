namespace Jpki.Authority.Registry;

/// <summary>One CRL entry, streamed from the registry.</summary>
/// <param name="SerialHex">Serial number, uppercase hex.</param>
/// <param name="RevokedAt">Revocation date.</param>
/// <param name="Reason">CRLReason.</param>
/// <param name="Partition">The CRL partition written into the certificate at issuance (0: the full CRL only).</param>
/// <param name="Sequence">The revocation's position in the registry's revocation sequence (commit order, from 1).</param>
public readonly record struct RevokedEntry(string SerialHex, DateTimeOffset RevokedAt, RevocationReason Reason, int Partition = 0, long Sequence = 0);
