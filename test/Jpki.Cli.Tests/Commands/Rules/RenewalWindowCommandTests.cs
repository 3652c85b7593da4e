using Microsoft.Extensions.Time.Testing;

namespace Jpki.Cli.Tests.Commands.Rules;

public sealed class RenewalWindowCommandTests
{
    [Theory]
    [InlineData("2030-05-31", "2030-02-27", 1, "renewal-too-early", "2030-02-28")]
    [InlineData("2030-05-31", "2030-02-28", 0, null, null)]
    [InlineData("2030-05-31", "2030-05-31", 0, null, null)]
    [InlineData("2030-05-31", "2030-06-01", 1, "renewal-after-expiry", null)]
    [InlineData("2028-05-31", "2028-02-29", 0, null, null)]
    public async Task RenewalWindow_On_VerdictAndExitCode(string expiry, string on, int exit, string? refusal, string? firstPossible)
    {
        var (code, stdout, _) = await CliRunner.RunAsync("rules", "renewal-window", "--expiry", expiry, "--on", on, "--json");
        Assert.Equal(exit, code);
        var json = JsonOutput.Parse(stdout);
        Assert.Equal(exit == 0, json.GetProperty("inside").GetBoolean());
        Assert.Equal(refusal, json.Str("code"));
        Assert.Equal(firstPossible, json.Str("firstPossibleDate"));
        Assert.Equal(on, json.Str("on"));
        Assert.Equal(expiry, json.Str("expiry"));
    }

    [Fact]
    public async Task RenewalWindow_TooEarlyHuman_NamesFirstPossibleDate()
    {
        var (code, stdout, _) = await CliRunner.RunAsync("rules", "renewal-window", "--expiry", "2030-02-17", "--on", "2029-11-16");
        Assert.Equal(1, code);
        Assert.Contains("2029-11-17", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenewalWindow_AfterExpiryHuman_SaysNewIssuance()
    {
        var (code, stdout, _) = await CliRunner.RunAsync("rules", "renewal-window", "--expiry", "2030-02-17", "--on", "2030-02-18");
        Assert.Equal(1, code);
        Assert.Contains("new issuance", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(14, 59, 59, 1)] // 23:59:59 JST on 2029-11-16: too early
    [InlineData(15, 0, 0, 0)]   // 00:00 JST on 2029-11-17: the first day
    public async Task RenewalWindow_NoOn_UsesTodayInJapan(int hour, int minute, int second, int exit)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2029, 11, 16, hour, minute, second, TimeSpan.Zero));
        var (code, _, _) = await CliRunner.RunAsync(clock, "rules", "renewal-window", "--expiry", "2030-02-17");
        Assert.Equal(exit, code);
    }

    [Theory]
    [InlineData("rules", "renewal-window")]
    [InlineData("rules", "renewal-window", "--expiry", "2030-02-29")]
    [InlineData("rules", "renewal-window", "--expiry", "2030-02-17", "--on", "2030/01/01")]
    public async Task RenewalWindow_BadInput_Exits2(params string[] args)
        => Assert.Equal(2, (await CliRunner.RunAsync(args)).ExitCode);
}
