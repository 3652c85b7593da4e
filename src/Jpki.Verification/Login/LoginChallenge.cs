namespace Jpki.Verification.Login;

/// <summary>A login challenge: 32 random bytes the card must sign, usable once before <see cref="ExpiresAt"/>.</summary>
/// <param name="Id">The challenge as base64url text: what the client sends back (the <em>nonce</em> of an origin-bound login).</param>
/// <param name="Challenge">The 32 random bytes; the card signs the SHA-256 DigestInfo of them (plain login).</param>
/// <param name="IssuedAt">When it was issued.</param>
/// <param name="ExpiresAt">After this instant it is refused.</param>
public sealed record LoginChallenge(string Id, ReadOnlyMemory<byte> Challenge, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt)
{
    /// <summary>
    /// For an origin-bound login: base64url SHA-256 of the browser session the challenge was issued to (the session id
    /// itself is never stored); the answer is accepted in that session only. Null for a plain login.
    /// </summary>
    public string? Session { get; init; }
}
