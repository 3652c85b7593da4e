using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Cli.Tests.Rules;

public sealed class OfficeCommandTests
{
    [Fact]
    public async Task Office_YearEnd_ExitsOneWithNextOpening()
    {
        var (code, stdout, _) = await CliRunner.RunAsync("rules", "office", "--at", "2026-12-29T09:00+09:00");

        Assert.Equal(1, code);
        Assert.Contains("year-end", stdout, StringComparison.Ordinal);
        Assert.Contains("2027-01-04 (Mon) 08:30 JST", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Office_WeekdayMorning_ExitsZero()
    {
        var (code, stdout, _) = await CliRunner.RunAsync("rules", "office", "--at", "2026-11-25T08:30:00+09:00");

        Assert.Equal(0, code);
        Assert.Contains("open", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Office_NoOffset_IsReadAsJst()
    {
        var (code, _, _) = await CliRunner.RunAsync("rules", "office", "--at", "2026-11-25T16:59");
        Assert.Equal(0, code);
        (code, _, _) = await CliRunner.RunAsync("rules", "office", "--at", "2026-11-25T17:00");
        Assert.Equal(1, code);
    }

    [Fact]
    public async Task Office_DefaultsToTheInjectedClock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 9, 22, 1, 0, 0, TimeSpan.Zero)); // 10:00 JST, 国民の休日

        var (code, stdout, _) = await CliRunner.RunAsync(clock, "rules", "office", "--json");

        Assert.Equal(1, code);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal("office-closed", doc.RootElement.GetProperty("code").GetString());
        Assert.Equal("national-holiday", doc.RootElement.GetProperty("reason").GetString());
        Assert.Equal(new DateTimeOffset(2026, 9, 24, 8, 30, 0, TimeSpan.FromHours(9)), doc.RootElement.GetProperty("nextOpening").GetDateTimeOffset());
    }

    [Fact]
    public async Task Office_ExtraOpenSunday_ExitsZero()
    {
        var (code, _, _) = await CliRunner.RunAsync("rules", "office", "--at", "2026-11-29T10:00+09:00", "--open-date", "2026-11-29");
        Assert.Equal(0, code);
    }

    [Fact]
    public async Task Office_CustomClosingTime_IsUsed()
    {
        var (code, _, _) = await CliRunner.RunAsync("rules", "office", "--at", "2026-11-25T18:00+09:00", "--closes", "19:00");
        Assert.Equal(0, code);
    }

    [Theory]
    [InlineData("--at", "tomorrow")]
    [InlineData("--at", "9999-12-31T23:00+09:00")]
    [InlineData("--opens", "8.30")]
    [InlineData("--closed-date", "2026/11/25")]
    [InlineData("--closes", "08:00")] // closes before it opens
    public async Task Office_BadInput_ExitsTwo(string option, string value)
    {
        string[] args = option == "--at"
            ? ["rules", "office", option, value]
            : ["rules", "office", "--at", "2026-11-25T10:00+09:00", option, value];

        var (code, _, stderr) = await CliRunner.RunAsync(args);

        Assert.Equal(2, code);
        Assert.StartsWith("error:", stderr, StringComparison.Ordinal);
    }
}
