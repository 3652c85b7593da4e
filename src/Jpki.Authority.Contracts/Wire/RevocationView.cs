namespace Jpki.Authority.Contracts.Wire;

/// <summary>The answer to a revocation: <c>revoked</c> now or <c>already-revoked</c> (the first revocation stays). Typed: <see cref="RevocationAnswer"/>.</summary>
/// <param name="Serial">The serial.</param>
/// <param name="Result"><c>revoked</c> or <c>already-revoked</c>.</param>
/// <param name="RevokedAt">The published revocation date (the first one).</param>
/// <param name="RevocationReason">The reason's wire name (the first one).</param>
public sealed record RevocationView(string Serial, string Result, DateTimeOffset RevokedAt, string RevocationReason);
