namespace Jpki.Verification.Login;

/// <summary>Options of <see cref="LoginVerifier"/>.</summary>
public sealed record LoginOptions
{
    /// <summary>How long a challenge may be answered. Default 120 seconds.</summary>
    public TimeSpan ChallengeLifetime { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// The web origins of this relying party (<c>https://login.example.jp</c>) an origin-bound login may be signed for;
    /// compared exactly after normalisation (<see cref="LoginOrigin.Normalize"/>). Needed by
    /// <see cref="LoginVerifier.VerifyTokenAsync"/>; empty by default.
    /// </summary>
    public IReadOnlyList<string> Origins { get; init; } = [];
}
