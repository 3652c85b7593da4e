namespace Jpki.Verification.Login;

/// <summary>Where issued challenges wait for their answer. Implementations must make <see cref="TryTakeAsync"/> atomic.</summary>
public interface IChallengeStore
{
    /// <summary>Stores a new challenge; false when the id already exists.</summary>
    ValueTask<bool> TryAddAsync(LoginChallenge challenge, CancellationToken cancellationToken);

    /// <summary>Removes and returns the challenge, or null when unknown or already taken (single use).</summary>
    ValueTask<LoginChallenge?> TryTakeAsync(string id, CancellationToken cancellationToken);
}
