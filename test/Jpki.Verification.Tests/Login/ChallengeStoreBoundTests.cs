using Jpki.Verification.Login;
using Jpki.Verification.Tests.Support;

namespace Jpki.Verification.Tests.Login;

/// <summary>The in-memory store stays bounded: expired challenges leave from the front, a full store drops its oldest.</summary>
[Trait("Category", "Security")]
public class ChallengeStoreBoundTests
{
    private static LoginChallenge Challenge(int i, DateTimeOffset issued, TimeSpan? lifetime = null)
        => new($"c{i}", new byte[32], issued, issued + (lifetime ?? TimeSpan.FromSeconds(120)));

    [Fact]
    public async Task TryAddAsync_ExpiredChallenges_DroppedWhenNewOnesArrive()
    {
        var store = new InMemoryChallengeStore();
        for (var i = 0; i < 100; i++)
        {
            await store.TryAddAsync(Challenge(i, TestPki.Now), default);
        }

        await store.TryAddAsync(Challenge(100, TestPki.Now.AddSeconds(121)), default);

        Assert.Equal(1, store.Count);
        Assert.Equal(0, store.Evicted);
        Assert.Null(await store.TryTakeAsync("c5", default));
        Assert.NotNull(await store.TryTakeAsync("c100", default));
    }

    [Fact]
    public async Task TryAddAsync_Full_DropsTheOldestAndKeepsIssuing()
    {
        var store = new InMemoryChallengeStore(capacity: 3);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(await store.TryAddAsync(Challenge(i, TestPki.Now.AddSeconds(i)), default));
        }

        Assert.Equal(3, store.Count);
        Assert.Equal(2, store.Evicted);
        Assert.Null(await store.TryTakeAsync("c0", default));
        Assert.Null(await store.TryTakeAsync("c1", default));
        Assert.NotNull(await store.TryTakeAsync("c4", default));
    }

    [Fact]
    public async Task TryAddAsync_TakenChallengesAtTheFront_DoNotHoldBackPruning()
    {
        var store = new InMemoryChallengeStore(capacity: 2);
        await store.TryAddAsync(Challenge(0, TestPki.Now), default);
        await store.TryAddAsync(Challenge(1, TestPki.Now), default);
        await store.TryTakeAsync("c0", default);

        await store.TryAddAsync(Challenge(2, TestPki.Now), default);

        Assert.Equal(2, store.Count);
        Assert.Equal(0, store.Evicted);
        Assert.NotNull(await store.TryTakeAsync("c1", default));
    }

    [Fact]
    public async Task TryAddAsync_SameId_Refused()
    {
        var store = new InMemoryChallengeStore();
        Assert.True(await store.TryAddAsync(Challenge(1, TestPki.Now), default));
        Assert.False(await store.TryAddAsync(Challenge(1, TestPki.Now), default));
    }

    [Fact]
    public async Task TryAddAsync_AfterALongQuietSpell_DropsABoundedBatchPerAdd()
    {
        var store = new InMemoryChallengeStore();
        const int Expired = InMemoryChallengeStore.PruneBatch * 3;
        for (var i = 0; i < Expired; i++)
        {
            await store.TryAddAsync(Challenge(i, TestPki.Now), default);
        }

        var later = TestPki.Now.AddHours(1);
        await store.TryAddAsync(Challenge(Expired, later), default);
        Assert.Equal(Expired - InMemoryChallengeStore.PruneBatch + 1, store.Count);

        await store.TryAddAsync(Challenge(Expired + 1, later), default);
        await store.TryAddAsync(Challenge(Expired + 2, later), default);

        Assert.Equal(3, store.Count);
        Assert.Equal(0, store.Evicted);
    }

    [Fact]
    public async Task TryAddAsync_IdTakenAndIssuedAgain_OldQueueSlotDoesNotEvictTheNewOne()
    {
        var store = new InMemoryChallengeStore(capacity: 2);
        await store.TryAddAsync(Challenge(0, TestPki.Now), default);
        await store.TryTakeAsync("c0", default);
        await store.TryAddAsync(Challenge(1, TestPki.Now.AddSeconds(1)), default);
        await store.TryAddAsync(Challenge(0, TestPki.Now.AddSeconds(2)), default);

        await store.TryAddAsync(Challenge(2, TestPki.Now.AddSeconds(3)), default);

        Assert.Equal(1, store.Evicted);
        Assert.Null(await store.TryTakeAsync("c1", default));
        Assert.NotNull(await store.TryTakeAsync("c0", default));
    }

    [Fact]
    public async Task TryTakeAsync_GivesBackWhatWasStored()
    {
        var store = new InMemoryChallengeStore();
        var bytes = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var session = System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.SHA256.HashData("browser"u8));
        var issued = new LoginChallenge("nonce", bytes, TestPki.Now, TestPki.Now.AddSeconds(120)) { Session = session };
        await store.TryAddAsync(issued, default);

        var taken = await store.TryTakeAsync("nonce", default);

        Assert.NotNull(taken);
        Assert.Equal(bytes, taken.Challenge.ToArray());
        Assert.Equal(session, taken.Session);
        Assert.Equal(issued.IssuedAt, taken.IssuedAt);
        Assert.Equal(issued.ExpiresAt, taken.ExpiresAt);
        Assert.Null(await store.TryTakeAsync("nonce", default));
    }

    [Fact]
    public async Task TryTakeAsync_NonCanonicalSpellingOfANonce_DoesNotTakeIt()
    {
        var store = new InMemoryChallengeStore();
        var bytes = new byte[32];
        var id = System.Buffers.Text.Base64Url.EncodeToString(bytes); // 43 characters, the last one 'A' (two zero filler bits)
        await store.TryAddAsync(new LoginChallenge(id, bytes, TestPki.Now, TestPki.Now.AddSeconds(120)), default);

        Assert.Null(await store.TryTakeAsync(id[..^1] + "B", default)); // the same 32 bytes with a filler bit set
        Assert.NotNull(await store.TryTakeAsync(id, default));
    }

    [Fact]
    public async Task TryAddAsync_NotWhatTheVerifierIssues_RefusedClearly()
    {
        var store = new InMemoryChallengeStore();
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.TryAddAsync(new LoginChallenge("short", new byte[16], TestPki.Now, TestPki.Now.AddSeconds(120)), default));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.TryAddAsync(new LoginChallenge("raw-session", new byte[32], TestPki.Now, TestPki.Now.AddSeconds(120)) { Session = "the session id itself" }, default));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void Constructor_CapacityZero_Throws() => Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryChallengeStore(0));
}
