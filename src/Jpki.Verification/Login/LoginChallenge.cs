namespace Jpki.Verification.Login;

/// <summary>A login challenge: 32 random bytes the card must sign, usable once before <see cref="ExpiresAt"/>.</summary>
/// <param name="Id">The challenge as base64url text: what the client sends back.</param>
/// <param name="Challenge">The 32 random bytes; the card signs the SHA-256 DigestInfo of them.</param>
/// <param name="IssuedAt">When it was issued.</param>
/// <param name="ExpiresAt">After this instant it is refused.</param>
public sealed record LoginChallenge(string Id, ReadOnlyMemory<byte> Challenge, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);
