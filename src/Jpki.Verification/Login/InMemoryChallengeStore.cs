using System.Collections.Concurrent;

namespace Jpki.Verification.Login;

/// <summary>
/// The default challenge store: a process-local dictionary with a bounded number of waiting challenges. Challenges
/// are kept in the order they were issued, so expired ones are dropped from the front in constant time per challenge
/// (no scan of the whole store); when <see cref="Capacity"/> challenges still wait, the oldest is dropped to make room
/// — a flood shortens how long the oldest waiting challenge lives, it never stops issuing or slows it down. Use a
/// shared store (<c>OpenJpki.Verification.PostgreSql</c>) when several servers verify logins.
/// </summary>
public sealed class InMemoryChallengeStore : IChallengeStore
{
    /// <summary>The default bound: one million waiting challenges (about 300 MB).</summary>
    public const int DefaultCapacity = 1_000_000;

    private readonly ConcurrentDictionary<string, LoginChallenge> _challenges = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<LoginChallenge> _issued = new();
    private readonly Lock _prune = new();
    private long _evicted;
    private long _queued;

    /// <summary>Creates the store.</summary>
    /// <param name="capacity">The most challenges waiting at once; default <see cref="DefaultCapacity"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is less than 1.</exception>
    public InMemoryChallengeStore(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    /// <summary>The most challenges waiting at once.</summary>
    public int Capacity { get; }

    /// <summary>The number of challenges waiting.</summary>
    public int Count => _challenges.Count;

    /// <summary>How many unexpired challenges were dropped because the store was full.</summary>
    public long Evicted => Interlocked.Read(ref _evicted);

    /// <inheritdoc/>
    public ValueTask<bool> TryAddAsync(LoginChallenge challenge, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        if (!_challenges.TryAdd(challenge.Id, challenge))
        {
            return ValueTask.FromResult(false);
        }

        _issued.Enqueue(challenge);
        Interlocked.Increment(ref _queued);
        Prune(challenge.IssuedAt);
        return ValueTask.FromResult(true);
    }

    /// <inheritdoc/>
    public ValueTask<LoginChallenge?> TryTakeAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        return ValueTask.FromResult(_challenges.TryRemove(id, out var challenge) ? challenge : null);
    }

    /// <summary>
    /// Drops challenges from the front of the issue order while they are expired, taken already, or beyond the
    /// capacity (or the queue beyond twice the capacity). Each challenge is dequeued once, so the cost is constant per issued challenge.
    /// </summary>
    private void Prune(DateTimeOffset now)
    {
        if (!_prune.TryEnter())
        {
            return; // another thread is pruning; the next add catches up.
        }

        try
        {
            while (_issued.TryPeek(out var oldest))
            {
                var waiting = _challenges.TryGetValue(oldest.Id, out var current) && ReferenceEquals(current, oldest);
                // The queue also holds challenges taken already; it may hold twice the capacity before the oldest goes.
                if (waiting && oldest.ExpiresAt >= now && _challenges.Count <= Capacity && Interlocked.Read(ref _queued) <= 2L * Capacity)
                {
                    return;
                }

                _issued.TryDequeue(out _);
                Interlocked.Decrement(ref _queued);
                if (waiting && _challenges.TryRemove(new KeyValuePair<string, LoginChallenge>(oldest.Id, oldest)) && oldest.ExpiresAt >= now)
                {
                    Interlocked.Increment(ref _evicted);
                }
            }
        }
        finally
        {
            _prune.Exit();
        }
    }
}
