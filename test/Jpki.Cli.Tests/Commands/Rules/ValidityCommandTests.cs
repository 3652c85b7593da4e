using Microsoft.Extensions.Time.Testing;

namespace Jpki.Cli.Tests.Commands.Rules;

public sealed class ValidityCommandTests
{
    [Fact]
    public async Task Validity_ReferenceCard_JsonHasExpiryAndBound()
    {
        var (code, stdout, _) = await CliRunner.RunAsync("rules", "validity", "--birth", "1980-02-17", "--issued", "2025-10-27", "--json");
        Assert.Equal(0, code);
        var json = JsonOutput.Parse(stdout);
        Assert.Equal("sign", json.Str("kind"));
        Assert.Equal("2030-02-17", json.Str("expiresOn"));
        Assert.Equal("2030-02-17T23:59:59+09:00", json.Str("notAfter"));
        Assert.Equal("birthday-5", json.Str("decidedBy"));
        Assert.Equal("2029-11-17", json.Str("renewalOpens"));
        Assert.False(json.GetProperty("earlyRenewal").GetBoolean());
    }

    [Theory]
    [InlineData("sign", "--previous-expiry", "2030-02-17", "2029-11-17", "2035-02-17", "birthday-6")]
    [InlineData("sign", "--previous-expiry", "2030-02-17", "2029-11-16", "2034-02-17", "birthday-5")]
    [InlineData("sign", "--card-expiry", "2028-06-30", "2025-10-27", "2028-06-30", "card")]
    [InlineData("auth", "--card-expiry", "2028-06-30", "2025-10-27", "2028-06-30", "card")]
    [InlineData("sign", "--auth-expiry", "2029-12-31", "2025-10-27", "2029-12-31", "auth-certificate")]
    public async Task Validity_Bounds_JsonNamesDecidingBound(string kind, string option, string value, string issued, string expected, string bound)
    {
        var (code, stdout, _) = await CliRunner.RunAsync("rules", "validity", "--birth", "1980-02-17", "--issued", issued, "--kind", kind, option, value, "--json");
        Assert.Equal(0, code);
        var json = JsonOutput.Parse(stdout);
        Assert.Equal(expected, json.Str("expiresOn"));
        Assert.Equal(bound, json.Str("decidedBy"));
        Assert.Equal(kind, json.Str("kind"));
    }

    [Fact]
    public async Task Validity_NoIssued_UsesTodayInJapan()
    {
        // 2025-02-16 15:00 UTC is 2025-02-17 00:00 JST: the birthday itself, so not counted.
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 2, 16, 15, 0, 0, TimeSpan.Zero));
        var (code, stdout, _) = await CliRunner.RunAsync(clock, "rules", "validity", "--birth", "1980-02-17", "--json");
        Assert.Equal(0, code);
        var json = JsonOutput.Parse(stdout);
        Assert.Equal("2025-02-17", json.Str("issuedOn"));
        Assert.Equal("2030-02-17", json.Str("expiresOn"));
    }

    [Fact]
    public async Task Validity_Human_SaysExpiryAndBound()
    {
        var (code, stdout, _) = await CliRunner.RunAsync("rules", "validity", "--birth", "1980-02-17", "--issued", "2025-10-27");
        Assert.Equal(0, code);
        Assert.Contains("2030-02-17", stdout, StringComparison.Ordinal);
        Assert.Contains("birthday-5", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validity_CardAlreadyExpired_ExitsNegativeWithCode()
    {
        var (code, stdout, _) = await CliRunner.RunAsync("rules", "validity", "--birth", "1980-02-17", "--issued", "2025-10-27", "--card-expiry", "2025-10-26", "--json");
        Assert.Equal(1, code);
        var json = JsonOutput.Parse(stdout);
        Assert.Equal("card-expired", json.Str("code"));
        Assert.Equal("refused", json.Str("verdict"));
    }

    [Theory]
    [InlineData("--birth", "1980-2-17")]
    [InlineData("--birth", "1980-02-30")]
    [InlineData("--birth", "17/02/1980")]
    [InlineData("--birth", "1980-02-17T00:00")]
    [InlineData("--birth", " 1980-02-17")]
    [InlineData("--birth", "１９８０-02-17")]
    [InlineData("--card-expiry", "2030-13-01")]
    [InlineData("--previous-expiry", "tomorrow")]
    public async Task Validity_BadDate_ExitsBadInputNamingOption(string option, string value)
    {
        var args = option == "--birth"
            ? new[] { "rules", "validity", "--birth", value, "--issued", "2025-10-27" }
            : new[] { "rules", "validity", "--birth", "1980-02-17", "--issued", "2025-10-27", option, value };
        var (code, _, stderr) = await CliRunner.RunAsync(args);
        Assert.Equal(2, code);
        Assert.Contains(option, stderr, StringComparison.Ordinal);
        Assert.Contains("YYYY-MM-DD", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validity_BadDateJson_WritesErrorObject()
    {
        var (code, stdout, _) = await CliRunner.RunAsync("rules", "validity", "--birth", "1980-02-30", "--json");
        Assert.Equal(2, code);
        Assert.Equal("bad-input", JsonOutput.Parse(stdout).Str("error"));
    }

    [Theory]
    [InlineData("rules", "validity")] // --birth missing
    [InlineData("rules", "validity", "--birth", "1980-02-17", "--kind", "both")]
    [InlineData("rules", "validity", "--birth", "1980-02-17", "--issued", "1979-01-01")]
    [InlineData("rules", "validity", "--birth", "1980-02-17", "--kind", "auth", "--auth-expiry", "2029-01-01")]
    public async Task Validity_BadUsage_ExitsBadInput(params string[] args)
    {
        var (code, _, stderr) = await CliRunner.RunAsync(args);
        Assert.Equal(2, code);
        Assert.False(string.IsNullOrWhiteSpace(stderr));
    }
}
