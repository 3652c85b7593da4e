namespace Jpki.Cli.Tests.Commands.Rules;

/// <summary><c>jpki rules … --profile nextgen</c>: the next-generation card's rules (JPKI-REFERENCE §14) beside today's.</summary>
public sealed class NextGenerationRulesCommandTests
{
    [Theory]
    [InlineData("jpki", "2035-11-16", 1, "renewal-too-early")]
    [InlineData("nextgen", "2035-11-16", 0, null)]
    [InlineData("nextgen", "2035-02-16", 1, "renewal-too-early")]
    [InlineData("nextgen", "2035-02-17", 0, null)]
    public async Task RenewalWindow_Profile_WindowOfThatCard(string profile, string on, int exit, string? refusal)
    {
        var (code, stdout, _) = await CliRunner.RunAsync("rules", "renewal-window", "--expiry", "2036-02-17", "--on", on, "--profile", profile, "--json");
        Assert.Equal(exit, code);
        var json = JsonOutput.Parse(stdout);
        Assert.Equal(refusal, json.Str("code"));
        Assert.Equal(profile == "nextgen" ? "2035-02-17" : "2035-11-17", json.Str("opens"));
    }

    [Theory]
    [InlineData("jpki", "2031-02-17", "birthday-5", "2030-11-17")]
    [InlineData("nextgen", "2036-06-10", "years-10", "2035-06-10")]
    public async Task Validity_Profile_BirthdaysOrTenYears(string profile, string expires, string decidedBy, string opens)
    {
        var (code, stdout, _) = await CliRunner.RunAsync("rules", "validity", "--birth", "1980-02-17", "--issued", "2026-06-10", "--kind", "auth", "--profile", profile, "--json");
        Assert.Equal(0, code);
        var json = JsonOutput.Parse(stdout);
        Assert.Equal((expires, decidedBy, opens), (json.Str("expiresOn"), json.Str("decidedBy"), json.Str("renewalOpens")));
    }

    [Fact]
    public async Task CardExpiry_NextGeneration_OneMonthAfterTheBirthday()
    {
        var (code, stdout, _) = await CliRunner.RunAsync("rules", "card-expiry", "--birth", "1980-02-17", "--applied", "2026-05-01", "--issued", "2026-06-10", "--profile", "nextgen", "--json");
        Assert.Equal(0, code);
        Assert.Equal("2036-03-17", JsonOutput.Parse(stdout).Str("expiresOn"));
    }

    [Fact]
    public async Task Validity_UnknownProfile_BadInput()
    {
        var (code, _, _) = await CliRunner.RunAsync("rules", "validity", "--birth", "1980-02-17", "--issued", "2026-06-10", "--profile", "rsa4096");
        Assert.Equal(2, code);
    }
}
