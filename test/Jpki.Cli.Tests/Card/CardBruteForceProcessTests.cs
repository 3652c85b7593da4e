using System.Text.Json;

namespace Jpki.Cli.Tests.Card;

/// <summary>
/// PIN brute force against the real <c>jpki</c> executable: every guess is a separate process (as an attacker scripting
/// the CLI would run it), so the card file's retry counter is the only thing that remembers the guesses. The card must
/// lock after the allowed tries (signature password 5, authentication PIN 3) and stay locked for every later process,
/// including one that knows the right PIN.
/// </summary>
public sealed class CardBruteForceProcessTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("jpki-cli-brute-");

    private string CardFile => Path.Combine(_directory.FullName, "card.jpkicard");

    public void Dispose() => _directory.Delete(recursive: true);

    [Theory]
    [InlineData("sign", 5, "WRONG99", "ABC123")]
    [InlineData("auth", 3, "9999", "1234")]
    public async Task WrongPins_OneProcessEach_CardLocksAfterAllowedTriesAndStaysLocked(string which, int tries, string wrong, string right)
    {
        var environment = new Dictionary<string, string>
        {
            ["JPKI_BRUTE_AUTH"] = "1234",
            ["JPKI_BRUTE_SIGN"] = "ABC123",
            ["JPKI_BRUTE_CARD"] = "5678",
            ["JPKI_BRUTE_WRONG"] = wrong,
            ["JPKI_BRUTE_RIGHT"] = right,
        };
        var created = await RunAsync(environment, "card", "new", "--out", CardFile, "--number", "BRUTE1");
        Assert.True(created.ExitCode == 0, created.Stderr);
        var issued = await RunAsync(
            environment, "card", "dev-issue", "--card", CardFile, "--data", Path.Combine(_directory.FullName, "jpki-data"),
            "--auth-pin-env", "JPKI_BRUTE_AUTH", "--sign-password-env", "JPKI_BRUTE_SIGN", "--card-pin-env", "JPKI_BRUTE_CARD");
        Assert.True(issued.ExitCode == 0, issued.Stderr);
        var message = Path.Combine(_directory.FullName, "message.txt");
        var signature = Path.Combine(_directory.FullName, "message.sig");
        await File.WriteAllTextAsync(message, "brute force");
        string[] Sign(string pinVariable) =>
            ["card", "sign", "--card", CardFile, "--which", which, "--in", message, "--out", signature, "--pin-env", pinVariable, "--json"];

        for (var attempt = 1; attempt <= tries; attempt++)
        {
            var guess = await RunAsync(environment, Sign("JPKI_BRUTE_WRONG"));
            Assert.Equal(1, guess.ExitCode);
            Assert.Equal(attempt < tries ? "pin-wrong" : "pin-blocked", ErrorCode(guess.Stdout));
            Assert.Equal(tries - attempt, await TriesLeftAsync(environment, which));
        }

        // Every later process is refused, even with the right PIN, and the card stays at zero.
        for (var again = 0; again < 2; again++)
        {
            var blocked = await RunAsync(environment, Sign("JPKI_BRUTE_RIGHT"));
            Assert.Equal(1, blocked.ExitCode);
            Assert.Equal("pin-blocked", ErrorCode(blocked.Stdout));
            Assert.False(File.Exists(signature));
            Assert.Equal(0, await TriesLeftAsync(environment, which));
        }
    }

    private static string? ErrorCode(string stdout)
    {
        using var json = JsonDocument.Parse(stdout);
        return json.RootElement.GetProperty("error").GetString();
    }

    private async Task<int> TriesLeftAsync(IReadOnlyDictionary<string, string> environment, string which)
    {
        var info = await RunAsync(environment, "card", "info", "--card", CardFile, "--json");
        Assert.True(info.ExitCode == 0, info.Stderr);
        using var json = JsonDocument.Parse(info.Stdout);
        return json.RootElement.GetProperty("triesLeft").GetProperty(which).GetInt32();
    }

    /// <summary>Runs the built jpki as its own process and checks that no password reached its output.</summary>
    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var result = await JpkiProcess.RunAsync(environment, Timeout, args);
        foreach (var secret in environment.Values.Where(v => v.Length >= 6))
        {
            // The 4-digit PINs are too short to search for (a temp path or a serial may contain them by chance).
            Assert.DoesNotContain(secret, result.Stdout + result.Stderr, StringComparison.Ordinal);
        }

        return result;
    }
}
