namespace Jpki.Authority.Contracts.Wire;

/// <summary>The JSON body of <c>POST /api/authority/certificates/{serial}/revocation</c>.</summary>
/// <param name="Reason">A name of <see cref="WireNames.ReasonNames"/>; null = <c>unspecified</c>.</param>
/// <param name="RevokedAt">The revocation date to publish; null = now.</param>
public sealed record RevokeBody(string? Reason, DateTimeOffset? RevokedAt);
