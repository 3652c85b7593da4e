using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Jpki.Verification.Login;

/// <summary>
/// The default challenge store: a process-local table with a bounded number of waiting challenges. Challenges are
/// kept in the order they were issued, so expired ones are dropped from the front in constant time per challenge (no
/// scan of the whole store); when <see cref="Capacity"/> challenges still wait, the oldest is dropped to make room —
/// a flood shortens how long the oldest waiting challenge lives, it never stops issuing or slows it down. Use a
/// shared store (<c>OpenJpki.Verification.PostgreSql</c>) when several servers verify logins.
/// </summary>
/// <remarks>
/// <para>
/// Built so that issuing costs the same with a million challenges outstanding as with none (issue 16 asks ≥ 50,000/s
/// at 1,000,000; docs/benchmarks.md): a waiting challenge is a fixed-size value in a hash table and one in a
/// first-in-first-out queue, keyed by the nonce's own 32 bytes — no object per challenge, so the garbage collector neither
/// copies nor traces a million of them; the count is the store's own (a concurrent dictionary's <c>Count</c> takes
/// all its locks); an add drops at most <see cref="PruneBatch"/> expired challenges beyond the one it makes room for,
/// so an add after a long quiet spell never holds the lock for a long sweep. One short lock guards both structures:
/// it is held for a table insert and a few dequeues (well under a microsecond), so callers do not queue behind it.
/// </para>
/// <para>
/// The store holds 32-byte challenges (what <see cref="LoginVerifier"/> issues) and a session that is null or the
/// base64url SHA-256 <see cref="LoginVerifier"/> stores; <see cref="TryAddAsync"/> refuses anything else. About 180
/// bytes per waiting challenge (≈ 180 MB at the default bound).
/// </para>
/// </remarks>
public sealed class InMemoryChallengeStore : IChallengeStore
{
    /// <summary>The default bound: one million waiting challenges.</summary>
    public const int DefaultCapacity = 1_000_000;

    /// <summary>The most expired challenges one add drops besides the ones it must (bounded work under the lock).</summary>
    public const int PruneBatch = 256;

    private const int ChallengeLength = 32;

    private readonly Lock _gate = new();
    private readonly Dictionary<Key, Entry> _waiting = [];
    private readonly Queue<Issued> _issued = new();
    private long _sequence;
    private long _evicted;
    private int _count;

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

    /// <summary>The number of challenges waiting (expired ones not yet dropped included).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>How many unexpired challenges were dropped because the store was full.</summary>
    public long Evicted => Interlocked.Read(ref _evicted);

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The challenge is not 32 bytes, or its session is neither null nor a base64url SHA-256.</exception>
    public ValueTask<bool> TryAddAsync(LoginChallenge challenge, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        if (challenge.Challenge.Length != ChallengeLength)
        {
            throw new ArgumentException($"The in-memory store keeps {ChallengeLength}-byte challenges; this one has {challenge.Challenge.Length}.", nameof(challenge));
        }

        var session = default(Hash32);
        if (challenge.Session is { } text && !TryDecode(text, out session))
        {
            throw new ArgumentException("The challenge's session must be the base64url SHA-256 of the session id (43 characters).", nameof(challenge));
        }

        var key = KeyOf(challenge.Id);
        var now = challenge.IssuedAt.UtcTicks;
        lock (_gate)
        {
            var sequence = ++_sequence;
            if (!_waiting.TryAdd(key, new Entry(Hash32.Of(challenge.Challenge.Span), session, challenge.Session is not null, now, challenge.ExpiresAt.UtcTicks, sequence)))
            {
                return ValueTask.FromResult(false);
            }

            _issued.Enqueue(new Issued(key, sequence));
            Volatile.Write(ref _count, _waiting.Count);
            PruneLocked(now);
        }

        return ValueTask.FromResult(true);
    }

    /// <inheritdoc/>
    public ValueTask<LoginChallenge?> TryTakeAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        var key = KeyOf(id);
        Entry entry;
        lock (_gate)
        {
            if (!_waiting.Remove(key, out entry))
            {
                return ValueTask.FromResult<LoginChallenge?>(null);
            }

            Volatile.Write(ref _count, _waiting.Count);
        }

        var challenge = new LoginChallenge(id, entry.Challenge.ToArray(), new DateTimeOffset(entry.IssuedTicks, TimeSpan.Zero), new DateTimeOffset(entry.ExpiresTicks, TimeSpan.Zero))
        {
            Session = entry.HasSession ? Base64Url.EncodeToString(entry.Session.ToArray()) : null,
        };
        return ValueTask.FromResult<LoginChallenge?>(challenge);
    }

    /// <summary>
    /// Drops challenges from the front of the issue order: taken ones (their queue slot only), expired ones (at most
    /// <see cref="PruneBatch"/> per add), and the oldest waiting ones while more than <see cref="Capacity"/> wait. The
    /// queue also holds slots of challenges taken already; it may hold twice the capacity before its oldest goes.
    /// </summary>
    private void PruneLocked(long now)
    {
        var expiredBudget = PruneBatch;
        while (_issued.TryPeek(out var oldest))
        {
            var waiting = _waiting.TryGetValue(oldest.Key, out var entry) && entry.Sequence == oldest.Sequence;
            var expired = waiting && entry.ExpiresTicks < now;
            var full = _waiting.Count > Capacity || _issued.Count > 2L * Capacity;
            if (waiting && !full && (!expired || expiredBudget == 0))
            {
                break;
            }

            _issued.Dequeue();
            if (!waiting)
            {
                continue;
            }

            _waiting.Remove(oldest.Key);
            if (expired)
            {
                expiredBudget--;
            }
            else
            {
                _evicted++;
            }
        }

        Volatile.Write(ref _count, _waiting.Count);
    }

    /// <summary>
    /// The table key of an id: the 32 bytes themselves when the id is their canonical base64url (what
    /// <see cref="LoginVerifier"/> issues: random, so already uniform), else SHA-256 of the id's UTF-8. Two ids share a
    /// key only through a SHA-256 collision or preimage.
    /// </summary>
    private static Key KeyOf(string id)
    {
        if (TryDecode(id, out var bytes))
        {
            return new Key(bytes);
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var length = Encoding.UTF8.GetByteCount(id);
        var utf8 = length <= 256 ? stackalloc byte[length] : new byte[length];
        Encoding.UTF8.GetBytes(id, utf8);
        SHA256.HashData(utf8, hash);
        return new Key(Hash32.Of(hash));
    }

    /// <summary>Decodes the canonical base64url text of 32 bytes (43 characters, no padding, zero trailing bits).</summary>
    private static bool TryDecode(string base64Url, out Hash32 value)
    {
        value = default;
        Span<byte> bytes = stackalloc byte[ChallengeLength + 3];
        // IsValid first: TryDecodeFromChars throws, rather than answering false, on a character outside the alphabet.
        if (base64Url.Length != 43 || !Base64Url.IsValid(base64Url, out var length) || length != ChallengeLength
            || !Base64Url.TryDecodeFromChars(base64Url, bytes, out var written) || written != ChallengeLength)
        {
            return false;
        }

        // 43 characters carry 258 bits: the last character's two low bits must be zero, or two texts would name one value.
        Span<char> canonical = stackalloc char[43];
        if (!Base64Url.TryEncodeToChars(bytes[..ChallengeLength], canonical, out _) || !canonical.SequenceEqual(base64Url))
        {
            return false;
        }

        value = Hash32.Of(bytes[..ChallengeLength]);
        return true;
    }

    /// <summary>32 bytes by value (no reference, so tables of them are not traced by the garbage collector).</summary>
    private readonly record struct Hash32(ulong A, ulong B, ulong C, ulong D)
    {
        public static Hash32 Of(ReadOnlySpan<byte> bytes) => new(
            BinaryPrimitives.ReadUInt64LittleEndian(bytes),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[24..]));

        public byte[] ToArray()
        {
            var bytes = new byte[ChallengeLength];
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, A);
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), B);
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(16), C);
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(24), D);
            return bytes;
        }
    }

    /// <summary>SHA-256 of a challenge id: uniformly spread, so its first word is the hash code.</summary>
    private readonly struct Key(Hash32 hash) : IEquatable<Key>
    {
        private readonly Hash32 _hash = hash;

        public bool Equals(Key other) => _hash == other._hash;

        public override bool Equals(object? obj) => obj is Key other && Equals(other);

        public override int GetHashCode() => unchecked((int)_hash.A);
    }

    private readonly record struct Entry(Hash32 Challenge, Hash32 Session, bool HasSession, long IssuedTicks, long ExpiresTicks, long Sequence);

    private readonly record struct Issued(Key Key, long Sequence);
}
