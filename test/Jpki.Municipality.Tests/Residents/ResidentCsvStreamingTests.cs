using System.Text;
using Jpki.Municipality.Residents;
using Jpki.Testing;

namespace Jpki.Municipality.Tests.Residents;

/// <summary>
/// The streaming register import: Shift_JIS files as municipal systems export them (made here by glibc's iconv, an
/// encoder that is not ours), CRLF, the Japanese header, detection, lengths a certificate can carry, progress.
/// </summary>
public sealed class ResidentCsvStreamingTests : IAsyncLifetime
{
    private static readonly DateOnly Today = new(2026, 6, 10);
    private readonly CounterHarness _h = new();

    public Task InitializeAsync() => _h.InitializeAsync();

    public Task DisposeAsync() => _h.DisposeAsync();

    [Fact]
    public async Task Import_ShiftJisByIconvWithCrlfAndJapaneseHeader_DetectedAndStored()
    {
        var text = ResidentCsv.JapaneseHeader + "\r\n"
            + "R1,髙橋　一郎,ﾀｶﾊｼ ｲﾁﾛｳ,東京都千代田区千代田１－１,1980-02-17,1,0,H1\r\n"
            + "R2,渡邊　花子,ワタナベ　ハナコ,大阪府大阪市北区梅田２－４－９　ソーダ荘１０２,1990-12-31,2,0,H2\r\n";
        var cp932 = Iconv.Encode(text, "CP932");
        Assert.NotEqual(Encoding.UTF8.GetBytes(text), cp932); // really another encoding

        var result = await _h.Registry.ImportCsvAsync(new MemoryStream(cp932), _h.Clerk, default);

        Assert.True(result.Accepted, string.Join("; ", result.Errors.Select(e => e.Message)));
        Assert.Equal((CsvTextEncoding.ShiftJis, 2, 3), (result.Encoding, result.Imported, result.Lines));
        Assert.Equal("渡邊　花子", (await _h.Store.FindResidentAsync("R2", default))!.Name);
        Assert.Equal("大阪府大阪市北区梅田２－４－９　ソーダ荘１０２", (await _h.Store.FindResidentAsync("R2", default))!.Address); // ソ: trail byte 0x5C
        Assert.Equal("ﾀｶﾊｼ ｲﾁﾛｳ", (await _h.Store.FindResidentAsync("R1", default))!.NameKana);
    }

    [Fact]
    public async Task Import_ShiftJisReadAsUtf8_EveryLineReportedInJapaneseNothingStored()
    {
        var cp932 = Iconv.Encode(ResidentCsv.Header + "\nR1,山田　太郎,ヤマダ　タロウ,東京都,1980-02-17,1,0,H1\nR2,山田　花子,ヤマダ　ハナコ,東京都,1980-02-17,2,0,H1\n", "CP932");

        var result = await _h.Registry.ImportCsvAsync(new MemoryStream(cp932), _h.Clerk, new ResidentImportOptions(CsvTextEncoding.Utf8), default);

        Assert.False(result.Accepted);
        Assert.Equal([(2, "invalid-utf8"), (3, "invalid-utf8")], result.Errors.Select(e => (e.Line, e.Code)));
        Assert.Contains("Shift_JIS", result.Errors[0].Message, StringComparison.Ordinal);
        Assert.Null(await _h.Store.FindResidentAsync("R1", default));
    }

    [Fact]
    public async Task Import_BadBytesInShiftJis_ReportedOnTheirLine()
    {
        var bytes = Iconv.Encode(ResidentCsv.Header + "\nR1,山田　太郎,ヤマダ　タロウ,東京都,1980-02-17,1,0,H1\n", "CP932")
            .Concat(new byte[] { (byte)'R', (byte)'2', (byte)',', 0x81, 0x0D, (byte)'\n' }).ToArray();

        var result = await _h.Registry.ImportCsvAsync(new MemoryStream(bytes), _h.Clerk, new ResidentImportOptions(CsvTextEncoding.ShiftJis), default);

        Assert.Equal((3, "invalid-shift-jis"), (result.Errors.Single().Line, result.Errors.Single().Code));
    }

    [Fact]
    [Trait("Category", "Security")]
    public async Task Import_ThreeHundredThousandCharacterName_RefusedWithoutBufferingTheLine()
    {
        // Issue 12: a 300,000-character name was accepted. Now the line is longer than any good line: reported, skipped.
        var csv = ResidentCsv.Header + "\nR1," + new string('山', 300_000) + ",ヤマダ,東京都,1980-02-17,1,0,H1\nR2,山田,ヤマダ,東京都,1980-02-17,1,0,H1\n";

        var result = await _h.Registry.ImportCsvAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), _h.Clerk, default);

        Assert.False(result.Accepted);
        Assert.Equal((2, "line-too-long"), (result.Errors.Single().Line, result.Errors.Single().Code));
        Assert.Null(await _h.Store.FindResidentAsync("R2", default));
    }

    [Theory]
    [Trait("Category", "Security")]
    [InlineData(101, 1, 1, "name-too-long")]
    [InlineData(100, 201, 1, "kana-too-long")]
    [InlineData(100, 200, 201, "address-too-long")]
    public void Parse_FieldLongerThanACertificateCarries_Refused(int name, int kana, int address, string code)
    {
        var csv = ResidentCsv.Header + $"\nR1,{new string('山', name)},{new string('ヤ', kana)},{new string('東', address)},1980-02-17,1,0,H1\n";

        var result = ResidentCsv.Parse(Encoding.UTF8.GetBytes(csv), Today);

        Assert.Equal((2, code), (result.Errors.Single().Line, result.Errors.Single().Code));
    }

    [Fact]
    public void Parse_LongestAllowedFields_Accepted()
    {
        var csv = ResidentCsv.Header + $"\nR1,{string.Concat(Enumerable.Repeat("𠮷", 100))},{new string('ヤ', 200)},{new string('東', 200)},1980-02-17,1,0,H1\n";

        Assert.True(ResidentCsv.Parse(Encoding.UTF8.GetBytes(csv), Today).Accepted);
    }

    [Fact]
    public async Task Import_TwentyThousandLines_StreamedWithProgressAndExistingIdsOnTheirLines()
    {
        await _h.AddResidentAsync("R10007");
        var csv = new StringBuilder(ResidentCsv.Header).Append('\n');
        for (var i = 0; i < 20_000; i++)
        {
            csv.Append("R").Append(i).Append(",山田　太郎").Append(i).Append(",ヤマダ　タロウ,東京都千代田区千代田１－").Append(i).Append(",1980-02-17,1,0,H").Append(i / 3).Append('\n');
        }

        var progress = new List<ResidentImportProgress>();
        var result = await _h.Registry.ImportCsvAsync(
            new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())), _h.Clerk, new ResidentImportOptions(Progress: new Recorder(progress)), default);

        Assert.Equal((10_009, "existing-id"), (result.Errors.Single().Line, result.Errors.Single().Code));
        Assert.Null(await _h.Store.FindResidentAsync("R0", default));
        Assert.True(progress.Count >= 20, $"{progress.Count} progress reports");
        Assert.Equal(20_001, progress[^1].Lines);
        Assert.True(progress.Zip(progress.Skip(1)).All(p => p.Second.Bytes >= p.First.Bytes));

        var again = await _h.Registry.ImportCsvAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString().Replace("R10007,", "S10007,", StringComparison.Ordinal))), _h.Clerk, default);
        Assert.Equal(20_000, again.Imported);
        Assert.Equal(20_001, await _h.Store.CountResidentsAsync(new ResidentQuery("ヤマダ"), default));
    }

    private sealed class Recorder(List<ResidentImportProgress> list) : IProgress<ResidentImportProgress>
    {
        public void Report(ResidentImportProgress value) => list.Add(value);
    }
}
