using Jpki.Municipality.Staff;

namespace Jpki.Municipality.Tests.Storage;

/// <summary>Migration 3: session stamps, one-time passwords, failed logins per id and client, cookie protection keys.</summary>
public abstract partial class CounterStoreContractTests
{
    private static readonly DateTimeOffset Now3 = new(2026, 6, 10, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Staff_SessionStampAndOneTimeFlag_RoundTrip()
    {
        var staff = new StaffRecord("s.1", "職員", StaffRole.Clerk, "h", MustChangePassword: true, SessionStamp: "ABCDEF", OneTimePasswordUsed: true);
        Assert.True(await Store.AddStaffAsync(staff, default));
        Assert.Equal(staff, await Store.FindStaffAsync("s.1", default));
        Assert.True(await Store.UpdateStaffAsync(staff with { SessionStamp = "123456", OneTimePasswordUsed = false }, default));
        Assert.Equal(staff with { SessionStamp = "123456", OneTimePasswordUsed = false }, await Store.FindStaffAsync("s.1", default));
    }

    [Fact]
    public async Task ClientLoginFailures_CountedPerIdAndClient_LockAtThreshold_RestartAfterTheLock()
    {
        var until = Now3.AddMinutes(15);
        Assert.Equal(new ClientLoginState(0, null), await Store.FindClientLoginStateAsync("a", "10.0.0.1", default));
        await Store.RecordClientLoginFailureAsync("a", "10.0.0.1", 3, Now3, until, default);
        await Store.RecordClientLoginFailureAsync("a", "10.0.0.2", 3, Now3, until, default);
        var second = await Store.RecordClientLoginFailureAsync("a", "10.0.0.1", 3, Now3, until, default);
        var third = await Store.RecordClientLoginFailureAsync("a", "10.0.0.1", 3, Now3, until, default);

        Assert.Equal(new ClientLoginState(2, null), second);
        Assert.True(third.IsLockedAt(Now3));
        Assert.Equal(new ClientLoginState(1, null), await Store.FindClientLoginStateAsync("a", "10.0.0.2", default));

        // A failure while locked keeps the lock as it was; the first failure after it starts the count again.
        Assert.Equal(until, (await Store.RecordClientLoginFailureAsync("a", "10.0.0.1", 3, Now3.AddMinutes(1), Now3.AddMinutes(16), default)).LockedUntil);
        Assert.Equal(new ClientLoginState(1, null), await Store.RecordClientLoginFailureAsync("a", "10.0.0.1", 3, until, until.AddMinutes(15), default));

        await Store.ClearClientLoginFailuresAsync("a", "10.0.0.1", default);
        Assert.Equal(0, (await Store.FindClientLoginStateAsync("a", "10.0.0.1", default)).Failures);
        Assert.Equal(1, (await Store.FindClientLoginStateAsync("a", "10.0.0.2", default)).Failures);
        await Store.ClearClientLoginFailuresAsync("a", null, default);
        Assert.Equal(0, (await Store.FindClientLoginStateAsync("a", "10.0.0.2", default)).Failures);
    }

    [Fact]
    public async Task ClientLoginFailures_ConcurrentFailures_EveryOneCounted()
    {
        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Store.RecordClientLoginFailureAsync("b", "10.0.0.9", 100, Now3, Now3.AddMinutes(15), default)));

        Assert.Equal(10, (await Store.FindClientLoginStateAsync("b", "10.0.0.9", default)).Failures);
    }

    [Fact]
    public async Task DataProtectionKeys_StoredOnce_ListedInNameOrder()
    {
        await Store.StoreDataProtectionKeyAsync("key-b", "<key id=\"b\" />", default);
        await Store.StoreDataProtectionKeyAsync("key-a", "<key id=\"a\" />", default);
        await Store.StoreDataProtectionKeyAsync("key-a", "<key id=\"changed\" />", default);

        Assert.Equal(["<key id=\"a\" />", "<key id=\"b\" />"], await Store.ListDataProtectionKeysAsync(default));
    }
}
