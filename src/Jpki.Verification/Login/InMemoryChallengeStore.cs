using System.Collections.Concurrent;

namespace Jpki.Verification.Login;

/// <summary>
/// The default challenge store: a process-local dictionary. Expired challenges are dropped whenever a new one is
/// added. Use a shared store (database, cache) when several servers verify logins.
/// </summary>
public sealed class InMemoryChallengeStore : IChallengeStore
{
    private readonly ConcurrentDictionary<string, LoginChallenge> _challenges = new(StringComparer.Ordinal);

    /// <summary>The number of challenges waiting.</summary>
    public int Count => _challenges.Count;

    /// <inheritdoc/>
    public ValueTask<bool> TryAddAsync(LoginChallenge challenge, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        foreach (var (id, waiting) in _challenges)
        {
            if (waiting.ExpiresAt < challenge.IssuedAt)
            {
                _challenges.TryRemove(id, out _);
            }
        }

        return ValueTask.FromResult(_challenges.TryAdd(challenge.Id, challenge));
    }

    /// <inheritdoc/>
    public ValueTask<LoginChallenge?> TryTakeAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        return ValueTask.FromResult(_challenges.TryRemove(id, out var challenge) ? challenge : null);
    }
}
