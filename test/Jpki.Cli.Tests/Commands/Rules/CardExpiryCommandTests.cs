namespace Jpki.Cli.Tests.Commands.Rules;

public sealed class CardExpiryCommandTests
{
    [Theory]
    [InlineData("1990-10-10", "2020-04-01", "2020-05-15", "2029-10-10", 10, 29)] // JPKI-REFERENCE §7
    [InlineData("2005-06-15", "2023-06-14", "2023-07-01", "2028-06-15", 5, 17)]
    [InlineData("2005-06-15", "2023-06-15", "2023-07-01", "2033-06-15", 10, 18)]
    public async Task CardExpiry_Cases_JsonFields(string birth, string applied, string issued, string expected, int birthdays, int age)
    {
        var (code, stdout, _) = await CliRunner.RunAsync("rules", "card-expiry", "--birth", birth, "--applied", applied, "--issued", issued, "--json");
        Assert.Equal(0, code);
        var json = JsonOutput.Parse(stdout);
        Assert.Equal(expected, json.Str("expiresOn"));
        Assert.Equal(birthdays, json.GetProperty("birthdaysCounted").GetInt32());
        Assert.Equal(age, json.GetProperty("ageAtApplication").GetInt32());
    }

    [Fact]
    public async Task CardExpiry_Human_SaysExpiry()
    {
        var (code, stdout, _) = await CliRunner.RunAsync("rules", "card-expiry", "--birth", "1990-10-10", "--applied", "2020-04-01", "--issued", "2020-05-15");
        Assert.Equal(0, code);
        Assert.Contains("2029-10-10", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rules", "card-expiry", "--birth", "1990-10-10", "--applied", "2020-04-01")] // --issued missing
    [InlineData("rules", "card-expiry", "--birth", "1990-10-10", "--applied", "2020-04-31", "--issued", "2020-05-15")]
    [InlineData("rules", "card-expiry", "--birth", "1990-10-10", "--applied", "1990-10-09", "--issued", "2020-05-15")]
    [InlineData("rules", "card-expiry", "--birth", "1990-10-10", "--applied", "2020-05-16", "--issued", "2020-05-15")]
    public async Task CardExpiry_BadInput_Exits2(params string[] args)
        => Assert.Equal(2, (await CliRunner.RunAsync(args)).ExitCode);
}
