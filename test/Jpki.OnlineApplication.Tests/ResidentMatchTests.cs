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
