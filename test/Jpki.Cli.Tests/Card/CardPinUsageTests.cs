using System.Text.Json;

namespace Jpki.Cli.Tests.Card;

/// <summary>
/// A PIN that cannot be right (empty, 17 characters, letters where digits belong) is bad usage: every card command
/// that takes one refuses it with exit code 2 and a sentence that does not contain it, before the card is touched —
/// no try is spent, nothing throws.
/// </summary>
public sealed class CardPinUsageTests : IDisposable
{
    private const string Seventeen = "ABCDEFGH123456789";
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("jpki-cli-pin-usage-");

    private string CardFile => Path.Combine(_directory.FullName, "card.jpkicard");

    private string Message => Path.Combine(_directory.FullName, "message.txt");

    public void Dispose() => _directory.Delete(recursive: true);

    public static TheoryData<string, string[]> Commands => new()
    {
        { "card sign (signature password)", ["card", "sign", "--which", "sign", "--in", "{message}", "--pin"] },
        { "card sign (authentication PIN)", ["card", "sign", "--which", "auth", "--in", "{message}", "--pin"] },
        { "card read-cert --which sign", ["card", "read-cert", "--which", "sign", "--pin"] },
        { "card change-pin (current PIN)", ["card", "change-pin", "--which", "sign", "--new-pin", "NEW123", "--pin"] },
        { "sign (CMS)", ["sign", "--in", "{message}", "--out", "{message}.p7s", "--password"] },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task EmptyPin_UsageErrorExit2_NoTrySpent(string command, string[] args)
    {
        await IssueAsync();
        var (code, stdout, stderr) = await RunAsync(args, "");
        Assert.True(code == 2, $"{command}: exit {code}\n{stdout}{stderr}");
        Assert.Contains("empty", stdout + stderr, StringComparison.Ordinal);
        await AssertTriesUntouchedAsync();
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task SeventeenCharacterPin_UsageErrorExit2_PinNotEchoed_NoTrySpent(string command, string[] args)
    {
        await IssueAsync();
        var (code, stdout, stderr) = await RunAsync(args, Seventeen, json: true);
        Assert.True(code == 2, $"{command}: exit {code}\n{stdout}{stderr}");
        Assert.DoesNotContain(Seventeen, stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", stdout + stderr, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(stdout);
        Assert.Contains("17 characters", json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        await AssertTriesUntouchedAsync();
    }

    [Fact]
    public async Task AuthPinWithLetters_UsageError_NoTrySpent()
    {
        await IssueAsync();
        var (code, stdout, stderr) = await RunAsync(["card", "sign", "--which", "auth", "--in", "{message}", "--pin"], "12a4");
        Assert.Equal(2, code);
        Assert.Contains("digits", stdout + stderr, StringComparison.Ordinal);
        await AssertTriesUntouchedAsync();
    }

    [Fact]
    public async Task DevIssue_SeventeenCharacterSignaturePassword_UsageError()
    {
        Assert.Equal(0, (await CliRunner.RunAsync("card", "new", "--out", CardFile, "--number", "PINUSE1")).ExitCode);
        var (code, stdout, stderr) = await CliRunner.RunAsync(
            "card", "dev-issue", "--card", CardFile, "--data", Path.Combine(_directory.FullName, "jpki-data"), "--auth-pin", "1234", "--sign-password", Seventeen, "--card-pin", "5678");
        Assert.Equal(2, code);
        Assert.DoesNotContain(Seventeen, stdout + stderr, StringComparison.Ordinal);
    }

    private async Task IssueAsync()
    {
        Assert.Equal(0, (await CliRunner.RunAsync("card", "new", "--out", CardFile, "--number", "PINUSE1")).ExitCode);
        var issued = await CliRunner.RunAsync(
            "card", "dev-issue", "--card", CardFile, "--data", Path.Combine(_directory.FullName, "jpki-data"), "--auth-pin", "1234", "--sign-password", "ABC123", "--card-pin", "5678");
        Assert.True(issued.ExitCode == 0, issued.Stderr);
        await File.WriteAllTextAsync(Message, "pin usage");
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string[] args, string pin, bool json = false)
    {
        var full = args.Select(a => a.Replace("{message}", Message, StringComparison.Ordinal))
            .Concat([pin, "--card", CardFile])
            .Concat(json ? ["--json"] : Array.Empty<string>())
            .ToArray();
        return CliRunner.RunAsync(full);
    }

    private async Task AssertTriesUntouchedAsync()
    {
        var info = await CliRunner.RunAsync("card", "info", "--card", CardFile, "--json");
        Assert.True(info.ExitCode == 0, info.Stderr);
        using var json = JsonDocument.Parse(info.Stdout);
        var tries = json.RootElement.GetProperty("triesLeft");
        Assert.Equal((3, 5, 3), (tries.GetProperty("auth").GetInt32(), tries.GetProperty("sign").GetInt32(), tries.GetProperty("card").GetInt32()));
    }
}
