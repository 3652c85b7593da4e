using Jpki.Core.Identity;
using Jpki.Municipality.Proxy;
using Jpki.Municipality.Reports;
using Jpki.Municipality.Residents;
using Jpki.Municipality.Staff;

namespace Jpki.Municipality.Tests.Storage;

/// <summary>Migration 2: staff accounts with login state, card and inquiry lists, the daily close.</summary>
public abstract partial class CounterStoreContractTests
{
    private static readonly DateTimeOffset Later = new DateTimeOffset(2026, 6, 10, 1, 30, 0, TimeSpan.Zero).AddTicks(1234);

    [Fact]
    public async Task AddStaff_RoundTripsEveryField_DuplicateRefused()
    {
        var staff = new StaffRecord("clerk.1", "窓口　一郎", StaffRole.Clerk, "AQAAAAIAAYagAAAAE-hash", Disabled: true, FailedLogins: 3, LockedUntil: Later, MustChangePassword: true);

        Assert.True(await Store.AddStaffAsync(staff, default));
        Assert.False(await Store.AddStaffAsync(staff with { DisplayName = "other" }, default));

        Assert.Equal(staff, await Store.FindStaffAsync("clerk.1", default));
        Assert.Null(await Store.FindStaffAsync("nobody", default));
    }

    [Fact]
    public async Task ListStaff_OrderedById()
    {
        await Store.AddStaffAsync(new StaffRecord("b", "B", StaffRole.Supervisor, "h"), default);
        await Store.AddStaffAsync(new StaffRecord("a", "A", StaffRole.Clerk, "h"), default);

        Assert.Equal(["a", "b"], (await Store.ListStaffAsync(default)).Select(s => s.Id));
    }

    [Fact]
    public async Task UpdateStaff_ReplacesFields_UnknownReturnsFalse()
    {
        await Store.AddStaffAsync(new StaffRecord("a", "A", StaffRole.Clerk, "h1"), default);

        Assert.True(await Store.UpdateStaffAsync(new StaffRecord("a", "A2", StaffRole.Supervisor, "h2", Disabled: true), default));
        Assert.False(await Store.UpdateStaffAsync(new StaffRecord("z", "Z", StaffRole.Clerk, "h"), default));

        Assert.Equal(new StaffRecord("a", "A2", StaffRole.Supervisor, "h2", Disabled: true), await Store.FindStaffAsync("a", default));
    }

    [Fact]
    public async Task ListClientLocks_OnlyPairsLockedNow_ByIdThenClient()
    {
        var now = Later.AddMinutes(-30);
        await Store.RecordClientLoginFailureAsync("b", "10.0.0.2", 1, now, Later, default);
        await Store.RecordClientLoginFailureAsync("a", "10.0.0.9", 1, now, Later, default);
        await Store.RecordClientLoginFailureAsync("a", "10.0.0.1", 1, now, Later, default);
        await Store.RecordClientLoginFailureAsync("a", "10.0.0.5", 3, now, Later, default); // one failure: not locked
        await Store.RecordClientLoginFailureAsync("c", "10.0.0.3", 1, now.AddHours(-2), now.AddHours(-1), default); // lock over

        var locks = await Store.ListClientLocksAsync(now, default);

        Assert.Equal([new ClientLock("a", "10.0.0.1", Later), new ClientLock("a", "10.0.0.9", Later), new ClientLock("b", "10.0.0.2", Later)], locks);
        Assert.Empty(await Store.ListClientLocksAsync(Later, default));
    }

    [Fact]
    public async Task ListCards_OnlyTheHolders()
    {
        await Store.AddResidentsAsync([Person("R1"), Person("R2")], default);
        await Store.SaveCardAsync(new ResidentCard("C2", "R1", CardKind.MyNumberCard, new DateOnly(2035, 2, 17), CardStatus.Lost), default);
        await Store.SaveCardAsync(new ResidentCard("C1", "R1", CardKind.JukiCard, new DateOnly(2030, 1, 1)), default);
        await Store.SaveCardAsync(new ResidentCard("C3", "R2", CardKind.MyNumberCard, new DateOnly(2035, 2, 17)), default);

        var cards = await Store.ListCardsAsync("R1", default);

        Assert.Equal(["C1", "C2"], cards.Select(c => c.CardId));
        Assert.Equal(CardStatus.Lost, cards[1].Status);
    }

    [Fact]
    public async Task ListInquiries_ByStatus_OldestFirst()
    {
        await Store.AddResidentsAsync([Person("R1")], default);
        var newer = Inquiry("1111-1111-1111-1117", Later);
        var older = Inquiry("2222-2222-2222-2224", Later.AddHours(-1));
        var closed = Inquiry("3333-3333-3333-3331", Later.AddHours(-2));
        await Store.AddInquiryAsync(newer, default);
        await Store.AddInquiryAsync(older, default);
        await Store.AddInquiryAsync(closed, default);
        await Store.CloseInquiryAsync(closed.Reference, InquiryStatus.Completed, "ok", Later, default);

        Assert.Equal([older, newer], await Store.ListInquiriesAsync(InquiryStatus.Open, 10, default));
        Assert.Equal([older], await Store.ListInquiriesAsync(InquiryStatus.Open, 1, default));
        Assert.Equal([closed.Reference], (await Store.ListInquiriesAsync(InquiryStatus.Completed, 10, default)).Select(i => i.Reference));
    }

    private static ProxyInquiry Inquiry(string reference, DateTimeOffset at) =>
        new(reference, "R1", "山田　太郎", "東京都千代田区千代田１－１", "山田　花子", "運転免許証", at, new DateOnly(2026, 6, 10), new DateOnly(2026, 7, 10), "clerk1");
}
