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
    public void Constructor_CapacityZero_Throws() => Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryChallengeStore(0));
}
