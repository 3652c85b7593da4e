namespace Jpki.Cli.Tests;

public sealed class RootCommandTests
{
    [Fact]
    public async Task Help_ListsTopLevelCommands()
    {
        var (code, stdout, _) = await CliRunner.RunAsync("--help");
        Assert.Equal(0, code);
        Assert.Contains("serve", stdout, StringComparison.Ordinal);
        Assert.Contains("rules", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownOption_ExitsWithBadUsage()
    {
        var (code, _, stderr) = await CliRunner.RunAsync("--no-such-option");
        Assert.Equal(2, code);
        Assert.Contains("--no-such-option", stderr, StringComparison.Ordinal);
    }
}
