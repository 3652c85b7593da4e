using Jpki.Core.Identity;
using Jpki.Municipality.Residents;
using Jpki.OnlineApplication;

namespace Jpki.OnlineApplication.Tests;

public sealed class ResidentMatchTests
{
    private const string Address = "東京都千代田区永田町一丁目７番１号";

    private static Resident R(string id, string address, ResidentStatus status = ResidentStatus.Active)
        => new(id, "電子　花子", "デンシ　ハナコ", address, new DateOnly(1990, 2, 28), Sex.Female, false, "H1", status);

    public static TheoryData<Resident[], string, string?> Cases => new()
    {
        { [], "not-found", null },
        { [R("A", Address)], "match", "A" },
        { [R("A", "東京都千代田区永田町 一丁目７番１号")], "match", "A" },
        { [R("A", "東京都港区芝公園四丁目２番８号")], "address-differs", "A" },
        { [R("A", Address, ResidentStatus.MovedOut)], "moved-out", "A" },
        { [R("A", Address, ResidentStatus.Deceased)], "deceased", "A" },
        { [R("A", Address, ResidentStatus.MovedOut), R("B", Address)], "match", "B" },
        { [R("A", Address), R("B", Address)], "ambiguous", "A" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Classify_Cases(Resident[] candidates, string code, string? residentId)
    {
        var match = ResidentMatch.Classify(Address, candidates);

        Assert.Equal(code, match.Code);
        Assert.Equal(residentId, match.Resident?.Id);
        Assert.Equal(code != "match", match.NeedsAttention);
    }
}

/// <summary>
/// The staff queue finds the resident whose certificate carries substitutes: the signature certificate says 吉田 for the
/// register's 𠮷田 and ＳＭＩＴＨ for SMITH (JPKI's character set), which once gave 該当なし.
/// </summary>
public sealed class MappedNameMatchTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "jpki-match-" + Guid.NewGuid().ToString("N")[..12]);
    private Jpki.Municipality.Storage.ICounterStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = Jpki.Municipality.Storage.CounterStores.OpenSqlite(Path.Combine(_directory, "counter.db"));
        await _store.MigrateAsync(default);
        await _store.AddResidentsAsync(
        [
            new Resident("G1", "\U00020BB7田　太郎", "ヨシダ　タロウ", "東京都千代田区千代田1-1", new DateOnly(1980, 2, 17), Sex.Male, false, "H1"),
            new Resident("S1", "SMITH JOHN", "スミス　ジョン", "東京都港区芝公園4-2-8", new DateOnly(1975, 7, 4), Sex.Male, false, "H2"),
            new Resident("K1", "髙橋　一郎", "タカハシ　イチロウ", "東京都千代田区千代田１－１", new DateOnly(1980, 2, 17), Sex.Male, false, "H3"),
        ], default);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Theory]
    [InlineData("吉田　太郎", "東京都千代田区千代田１－１", 1980, 2, 17, "G1")]
    [InlineData("ＳＭＩＴＨ　ＪＯＨＮ", "東京都港区芝公園４－２－８", 1975, 7, 4, "S1")]
    [InlineData("高橋　一郎", "東京都千代田区千代田１－１", 1980, 2, 17, "K1")]
    public async Task Match_CertificateWritingOfARegisteredName_Found(string certificateName, string certificateAddress, int year, int month, int day, string expected)
    {
        await using var directory = new CounterResidentDirectory(_store, ownsStore: false);

        var found = await directory.FindAsync(certificateName, new DateOnly(year, month, day), default);
        var match = ResidentMatch.Classify(certificateAddress, found);

        Assert.Equal(("match", expected), (match.Code, match.Resident?.Id));
    }
}
