namespace Jpki.Verification.Login;

/// <summary>Options of <see cref="LoginVerifier"/>.</summary>
public sealed record LoginOptions
{
    /// <summary>How long a challenge may be answered. Default 120 seconds.</summary>
    public TimeSpan ChallengeLifetime { get; init; } = TimeSpan.FromSeconds(120);
}
