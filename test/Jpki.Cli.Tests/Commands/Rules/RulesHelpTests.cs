namespace Jpki.Cli.Tests.Commands.Rules;

public sealed class RulesHelpTests
{
    [Fact]
    public async Task RulesHelp_ListsSubcommands()
    {
        var (code, stdout, _) = await CliRunner.RunAsync("rules", "--help");
        Assert.Equal(0, code);
        foreach (var name in new[] { "validity", "renewal-window", "card-expiry", "pin", "eligibility", "fee" })
        {
            Assert.Contains(name, stdout, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("validity")]
    [InlineData("renewal-window")]
    [InlineData("card-expiry")]
    [InlineData("pin")]
    [InlineData("eligibility")]
    [InlineData("fee")]
    public async Task SubcommandHelp_StatesExitCodes(string name)
    {
        var (code, stdout, _) = await CliRunner.RunAsync("rules", name, "--help");
        Assert.Equal(0, code);
        Assert.Contains("Exit codes", stdout, StringComparison.Ordinal);
        Assert.Contains("JPKI-REFERENCE", stdout, StringComparison.Ordinal);
    }
}
