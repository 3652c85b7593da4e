using System.Text;
using Jpki.Core.Identity;
using Jpki.Municipality.Residents;

namespace Jpki.Municipality.Tests.Residents;

public sealed class ResidentCsvTests : IAsyncLifetime
{
    private const string Good = ResidentCsv.Header + "\n"
        + "R1,山田　太郎,ヤマダ　タロウ,東京都千代田区千代田１－１,1980-02-17,1,0,H1\n"
        + "R2,山田　花子,ヤマダ　ハナコ,\"東京都千代田区千代田１－１, ２階\",1982-03-01,2,0,H1\r\n"
        + "R3,\"佐藤 \"\"次郎\"\"\",サトウ　ジロウ,大阪府大阪市北区１,2000-02-29,9,1,H2\n";

    private readonly CounterHarness _h = new();

    public Task InitializeAsync() => _h.InitializeAsync();

    public Task DisposeAsync() => _h.DisposeAsync();

    [Fact]
    public void Parse_GoodFile_AllRows()
    {
        var result = ResidentCsv.Parse(Encoding.UTF8.GetBytes("\uFEFF" + Good), new DateOnly(2026, 6, 10));

        Assert.True(result.Accepted);
        Assert.Equal(["R1", "R2", "R3"], result.Residents.Select(r => r.Id));
        Assert.Equal("東京都千代田区千代田１－１, ２階", result.Residents[1].Address);
        Assert.Equal("佐藤 \"次郎\"", result.Residents[2].Name);
        Assert.Equal((Sex.NotApplicable, true, new DateOnly(2000, 2, 29)), (result.Residents[2].Sex, result.Residents[2].UnderGuardianship, result.Residents[2].DateOfBirth));
    }

    public static TheoryData<string, string> BadRows => new()
    {
        { "R9,山田,ヤマダ,東京,1980-02-30,1,0,H1", "bad-date" },
        { "R9,山田,ヤマダ,東京,17/02/1980,1,0,H1", "bad-date" },
        { "R9,山田,ヤマダ,東京,2030-01-01,1,0,H1", "future-date" },
        { "R9,山田,ヤマダ,東京,1980-02-17,3,0,H1", "unknown-sex" },
        { "R9,,ヤマダ,東京,1980-02-17,1,0,H1", "empty-name" },
        { "R9,山田,,東京,1980-02-17,1,0,H1", "empty-kana" },
        { "R9,山田,ヤマダ, ,1980-02-17,1,0,H1", "empty-address" },
        { "R9,山田,ヤマダ,東京,1980-02-17,1,2,H1", "bad-guardianship" },
        { "R9,山田,ヤマダ,東京,1980-02-17,1,0,", "empty-household" },
        { "R 9,山田,ヤマダ,東京,1980-02-17,1,0,H1", "bad-id" },
        { "R1,山田,ヤマダ,東京,1980-02-17,1,0,H1", "duplicate-id" },
        { "R9,山田,ヤマダ,東京,1980-02-17,1,0", "field-count" },
        { "R9,\"山田,ヤマダ,東京,1980-02-17,1,0,H1", "bad-quoting" },
        { "R9,山\u0378田,ヤマダ,東京,1980-02-17,1,0,H1", "unassigned-code-point" },
        { "R9,山\u0007田,ヤマダ,東京,1980-02-17,1,0,H1", "control-character" },
    };

    [Theory]
    [MemberData(nameof(BadRows))]
    public void Parse_BadRow_ReportedWithLineNumberAndNothingReturned(string row, string code)
    {
        var file = Good + row + "\n";

        var result = ResidentCsv.Parse(Encoding.UTF8.GetBytes(file), new DateOnly(2026, 6, 10));

        Assert.False(result.Accepted);
        Assert.Empty(result.Residents);
        var error = Assert.Single(result.Errors);
        Assert.Equal((5, code), (error.Line, error.Code));
    }

    [Fact]
    public void Parse_InvalidUtf8InAUtf8File_ReportedOnItsLine()
    {
        var bytes = Encoding.UTF8.GetBytes(ResidentCsv.Header + "\nR1,山田,ヤマダ,東京,1980-02-17,1,0,H1\n").Concat(new byte[] { (byte)'R', (byte)'2', (byte)',', 0xE5, 0x80, (byte)',', (byte)'\n' }).ToArray();

        var result = ResidentCsv.Parse(bytes, new DateOnly(2026, 6, 10));

        Assert.Equal((3, "invalid-utf8"), (result.Errors.Single().Line, result.Errors.Single().Code));
    }

    [Fact]
    public void Parse_SeveralBadRows_AllReported()
    {
        var file = ResidentCsv.Header + "\nR1,,ヤマダ,東京,1980-02-17,1,0,H1\nR2,山田,ヤマダ,東京,1980-02-17,1,0,H1\nR3,山田,ヤマダ,東京,1980-13-01,1,0,H1\n";

        var result = ResidentCsv.Parse(Encoding.UTF8.GetBytes(file), new DateOnly(2026, 6, 10));

        Assert.Equal([(2, "empty-name"), (4, "bad-date")], result.Errors.Select(e => (e.Line, e.Code)));
    }

    [Theory]
    [InlineData("id,name\n", "bad-header")]
    [InlineData("", "empty-file")]
    public void Parse_BadHeaderOrEmpty_Rejected(string file, string code)
    {
        Assert.Equal(code, ResidentCsv.Parse(Encoding.UTF8.GetBytes(file), new DateOnly(2026, 6, 10)).Errors.Single().Code);
    }

    [Fact]
    public async Task ImportCsvAsync_GoodFile_StoredAndJournaled()
    {
        var result = await _h.Registry.ImportCsvAsync(new MemoryStream(Encoding.UTF8.GetBytes(Good)), _h.Clerk, default);

        Assert.True(result.Accepted);
        Assert.Equal("大阪府大阪市北区１", (await _h.Store.FindResidentAsync("R3", default))!.Address);
        Assert.Equal("ok", (await _h.JournalAsync()).Single().Outcome);
    }

    [Fact]
    public async Task ImportCsvAsync_BadFile_NothingImported()
    {
        var result = await _h.Registry.ImportCsvAsync(new MemoryStream(Encoding.UTF8.GetBytes(Good + "R9,山田,ヤマダ,東京,1980-02-17,7,0,H1\n")), _h.Clerk, default);

        Assert.False(result.Accepted);
        Assert.Null(await _h.Store.FindResidentAsync("R1", default));
        Assert.Equal("rejected", (await _h.JournalAsync()).Single().Outcome);
    }

    [Fact]
    public async Task ImportCsvAsync_IdAlreadyRegistered_NothingImportedLineReported()
    {
        await _h.AddResidentAsync("R2");

        var result = await _h.Registry.ImportCsvAsync(new MemoryStream(Encoding.UTF8.GetBytes(Good)), _h.Clerk, default);

        Assert.Equal((3, "existing-id"), (result.Errors.Single().Line, result.Errors.Single().Code));
        Assert.Null(await _h.Store.FindResidentAsync("R1", default));
        Assert.Null(await _h.Store.FindResidentAsync("R3", default));
    }

    [Fact]
    public async Task EditAsync_ChangesOnlyNonRevokingFields()
    {
        await _h.AddResidentAsync("R1");

        var outcome = await _h.Registry.EditAsync(new ResidentEdit("R1", HouseholdId: "H9", UnderGuardianship: true), _h.Clerk, default);

        Assert.True(outcome.IsAllowed);
        var stored = (await _h.Store.FindResidentAsync("R1", default))!;
        Assert.Equal(("H9", true, "山田　太郎"), (stored.HouseholdId, stored.UnderGuardianship, stored.Name));
        Assert.Equal("resident-not-found", (await _h.Registry.EditAsync(new ResidentEdit("X"), _h.Clerk, default)).Code);
        Assert.Equal("empty-household", (await _h.Registry.EditAsync(new ResidentEdit("R1", HouseholdId: " "), _h.Clerk, default)).Code);
    }
}
