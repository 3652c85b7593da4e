namespace Jpki.Cli.Tests.Commands.Rules;

public sealed class EligibilityAndFeeCommandTests
{
    [Theory]
    [InlineData("2025-06-14", "sign", "mynumber", false, 1, "sign-under-15")]
    [InlineData("2025-06-15", "sign", "mynumber", false, 0, null)]
    [InlineData("2025-06-14", "auth", "mynumber", false, 0, null)]
    [InlineData("2030-01-01", "sign", "mynumber", true, 1, "sign-under-guardianship")]
    [InlineData("2030-01-01", "auth", "mynumber", true, 0, null)]
    [InlineData("2015-12-31", "auth", "juki", false, 0, null)]
    [InlineData("2016-01-01", "auth", "juki", false, 1, "juki-card-issuance-ended")]
    public async Task Eligibility_Cases_ExitCodeAndCode(string issued, string kind, string card, bool guardianship, int exit, string? refusal)
    {
        var args = new List<string> { "rules", "eligibility", "--birth", "2010-06-15", "--issued", issued, "--kind", kind, "--card", card, "--json" };
        if (guardianship)
        {
            args.Add("--under-guardianship");
        }

        var (code, stdout, _) = await CliRunner.RunAsync(args.ToArray());
        Assert.Equal(exit, code);
        var json = JsonOutput.Parse(stdout);
        Assert.Equal(exit == 0, json.GetProperty("allowed").GetBoolean());
        Assert.Equal(refusal, json.Str("code"));
    }

    [Theory]
    [InlineData("rules", "eligibility", "--birth", "2010-06-15", "--issued", "2010-06-14")]
    [InlineData("rules", "eligibility", "--birth", "2010-06-31")]
    [InlineData("rules", "eligibility", "--birth", "2010-06-15", "--card", "resident")]
    public async Task Eligibility_BadInput_Exits2(params string[] args)
        => Assert.Equal(2, (await CliRunner.RunAsync(args)).ExitCode);

    [Theory]
    [InlineData("mynumber", "2025-10-27", "2035-02-17", 0, "free-my-number-card")]
    [InlineData("mynumber", "2035-02-18", "2035-02-17", 200, "outside-card-validity")]
    [InlineData("juki", "2015-12-31", "2020-01-01", 200, "juki-card")]
    public async Task Fee_Cases_YenAndCode(string card, string issued, string expiry, int yen, string feeCode)
    {
        var (code, stdout, _) = await CliRunner.RunAsync("rules", "fee", "--card", card, "--issued", issued, "--card-expiry", expiry, "--json");
        Assert.Equal(0, code);
        var json = JsonOutput.Parse(stdout);
        Assert.Equal(yen, json.GetProperty("yen").GetInt32());
        Assert.Equal(feeCode, json.Str("code"));
    }

    [Theory]
    [InlineData("rules", "fee")] // --card-expiry missing
    [InlineData("rules", "fee", "--card-expiry", "2035-2-17")]
    public async Task Fee_BadInput_Exits2(params string[] args)
        => Assert.Equal(2, (await CliRunner.RunAsync(args)).ExitCode);
}
