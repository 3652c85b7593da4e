using Jpki.Municipality.Hosting;
using Jpki.Municipality.Residents;

namespace Jpki.Municipality.Tests.Cards;

/// <summary>The runtime's composition and its pending-revocation loop.</summary>
public sealed class CounterRuntimeTests : IAsyncLifetime
{
    private readonly RealCounter _c = new();

    public Task InitializeAsync() => _c.InitializeAsync();

    public Task DisposeAsync() => _c.DisposeAsync();

    [Fact]
    public async Task OpenAsync_EmptyFolder_CounterDbAndTestAuthorityCreated()
    {
        Assert.True(File.Exists(Path.Combine(_c.DataDirectory, "counter.db")));
        Assert.True(File.Exists(Path.Combine(_c.DataDirectory, "authority", "authority.json")));
        Assert.Equal(8, await _c.Runtime.Store.SchemaVersionAsync(default));
    }

    [Fact]
    public async Task RunPendingRevocationsAsync_RoundsOnTheClockUntilCancelled()
    {
        await _c.AddResidentWithCardAsync("R1");
        var rounds = 0;
        var firstRound = new TaskCompletionSource();
        var secondRound = new TaskCompletionSource();
        using var stop = new CancellationTokenSource();

        var loop = _c.Runtime.RunPendingRevocationsAsync(
            left =>
            {
                Assert.Equal(0, left);
                (++rounds == 1 ? firstRound : secondRound).TrySetResult();
            },
            e => Assert.Fail(e.GetType().Name),
            stop.Token);
        await firstRound.Task.WaitAsync(TimeSpan.FromSeconds(30));
        _c.Clock.Advance(_c.Runtime.Options.RevocationRetryInterval);
        await secondRound.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(rounds >= 2);
    }

    [Fact]
    public async Task Changes_MoveAfterIssuance_SignRevokedThroughTheRuntime()
    {
        var id = await _c.AddResidentWithCardAsync("R1");
        using (var card = await _c.Runtime.Cards.OpenAsync(id, default))
        {
            Assert.True((await _c.Runtime.Counter.IssueAsync(_c.Clerk, card, RealCounter.Request("R1"), default)).IsAllowed);
        }

        var moved = await _c.Runtime.Changes.ApplyAsync(new ResidentChange(ResidentChangeKind.MoveWithin, "R1", NewAddress: "東京都千代田区丸の内２－２"), _c.Clerk, default);

        Assert.True(moved.IsAllowed && moved.Value!.AllRevocationsDone, moved.Message);
        Assert.Equal(0, await _c.Runtime.Changes.RetryPendingAsync(default));
        var records = await _c.Authority.Authority.Registry.FindByHolderAsync("R1", default);
        Assert.Single(records, r => r.Revocation is not null);
    }
}
