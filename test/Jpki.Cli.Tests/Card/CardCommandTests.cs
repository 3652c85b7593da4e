using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Jpki.Cli.Tests.Card;

public sealed class CardCommandTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("jpki-cli-card-");

    private string CardFile => Path.Combine(_directory.FullName, "card.jpkicard");

    public void Dispose() => _directory.Delete(recursive: true);

    private async Task IssueAsync()
    {
        Assert.Equal(0, (await CliRunner.RunAsync("card", "new", "--out", CardFile, "--number", "CLI1")).ExitCode);
        Environment.SetEnvironmentVariable("JPKI_TEST_AUTH", "1234");
        Environment.SetEnvironmentVariable("JPKI_TEST_SIGN", "ABC123");
        Environment.SetEnvironmentVariable("JPKI_TEST_CARD", "5678");
        var issued = await CliRunner.RunAsync(
            "card", "dev-issue", "--card", CardFile, "--data", Path.Combine(_directory.FullName, "jpki-data"),
            "--auth-pin-env", "JPKI_TEST_AUTH", "--sign-password-env", "JPKI_TEST_SIGN", "--card-pin-env", "JPKI_TEST_CARD");
        Assert.True(issued.ExitCode == 0, issued.Stderr);
    }

    [Fact]
    public async Task New_WithCardPinEnv_TheCardPinIsSet_WithoutIt_TheOutputSaysHowToSetIt_ABadPinMakesNoFile()
    {
        Environment.SetEnvironmentVariable("JPKI_TEST_NEW_CARD_PIN", "2468");
        var withPin = await CliRunner.RunAsync("card", "new", "--out", CardFile, "--number", "CLI2", "--card-pin-env", "JPKI_TEST_NEW_CARD_PIN", "--json");
        Assert.True(withPin.ExitCode == 0, withPin.Stderr);
        Assert.True(JsonDocument.Parse(withPin.Stdout).RootElement.GetProperty("cardPinSet").GetBoolean());
        Assert.DoesNotContain("2468", withPin.Stdout + withPin.Stderr, StringComparison.Ordinal);
        using (var card = Jpki.Card.Virtual.VirtualCard.Open(CardFile))
        {
            Assert.True(card.IsPinSet(Jpki.Core.Pins.PinKind.CardPin));
        }

        var bare = Path.Combine(_directory.FullName, "bare.jpkicard");
        var withoutPin = await CliRunner.RunAsync("card", "new", "--out", bare, "--number", "CLI3");
        Assert.Equal(0, withoutPin.ExitCode);
        Assert.Contains("暗証番号の初期化", withoutPin.Stdout, StringComparison.Ordinal);
        using (var card = Jpki.Card.Virtual.VirtualCard.Open(bare))
        {
            Assert.False(card.IsPinSet(Jpki.Core.Pins.PinKind.CardPin));
        }

        Environment.SetEnvironmentVariable("JPKI_TEST_NEW_CARD_PIN", "24a8");
        var bad = Path.Combine(_directory.FullName, "bad.jpkicard");
        var refused = await CliRunner.RunAsync("card", "new", "--out", bad, "--number", "CLI4", "--card-pin-env", "JPKI_TEST_NEW_CARD_PIN");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("card PIN is not valid", refused.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("24a8", refused.Stdout + refused.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(bad));
    }

    [Fact]
    public async Task NewDevIssueInfo_Json_ShowsTokenCertificatesAndTries()
    {
        await IssueAsync();
        var (code, stdout, _) = await CliRunner.RunAsync("card", "info", "--card", CardFile, "--json");
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("JPKIAPICCTOKEN2", json.RootElement.GetProperty("label").GetString());
        Assert.True(json.RootElement.GetProperty("certificates").GetProperty("sign").GetBoolean());
        Assert.Equal(5, json.RootElement.GetProperty("triesLeft").GetProperty("sign").GetInt32());
    }

    [Fact]
    public async Task Sign_WithPinFile_SignatureVerifiesWithCertificateFromReadCert()
    {
        await IssueAsync();
        var message = Path.Combine(_directory.FullName, "message.txt");
        var pinFile = Path.Combine(_directory.FullName, "pin.txt");
        var signature = Path.Combine(_directory.FullName, "signature.bin");
        var certificate = Path.Combine(_directory.FullName, "sign.der");
        await File.WriteAllTextAsync(message, "hello");
        await File.WriteAllTextAsync(pinFile, "abc123\n");
        var signed = await CliRunner.RunAsync("card", "sign", "--card", CardFile, "--which", "sign", "--in", message, "--out", signature, "--pin-file", pinFile);
        Assert.True(signed.ExitCode == 0, signed.Stderr);
        var read = await CliRunner.RunAsync("card", "read-cert", "--card", CardFile, "--which", "sign", "--der", "--out", certificate, "--pin-file", pinFile);
        Assert.True(read.ExitCode == 0, read.Stderr);
        using var cert = X509CertificateLoader.LoadCertificateFromFile(certificate);
        using var rsa = cert.GetRSAPublicKey()!;
        Assert.True(rsa.VerifyData(await File.ReadAllBytesAsync(message), await File.ReadAllBytesAsync(signature), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public async Task Sign_WrongPinsUntilBlocked_TheCardsEventsOnStderr_NeverThePinOrTheHolder()
    {
        await IssueAsync();
        var message = Path.Combine(_directory.FullName, "message.txt");
        await File.WriteAllTextAsync(message, "hello");
        var pinFile = Path.Combine(_directory.FullName, "wrong.txt");
        await File.WriteAllTextAsync(pinFile, "9753\n");
        var stderr = new System.Text.StringBuilder();
        for (var i = 0; i < 3; i++)
        {
            var (code, _, err) = await CliRunner.RunAsync("card", "sign", "--card", CardFile, "--which", "auth", "--in", message, "--pin-file", pinFile);
            Assert.Equal(1, code);
            stderr.Append(err);
        }

        var text = stderr.ToString();
        Assert.Contains("info: Jpki.Card[2101] Card CLI1: wrong", text, StringComparison.Ordinal);
        Assert.Contains("1 tries left.", text, StringComparison.Ordinal);
        Assert.Contains("warn: Jpki.Card[2102] Card CLI1:", text, StringComparison.Ordinal);
        var quiet = await CliRunner.RunAsync("card", "sign", "--card", CardFile, "--which", "auth", "--in", message, "--pin-file", pinFile, "--log-level", "Warning");
        Assert.DoesNotContain("[2103]", quiet.Stderr, StringComparison.Ordinal);
        var verbose = await CliRunner.RunAsync("card", "sign", "--card", CardFile, "--which", "auth", "--in", message, "--pin-file", pinFile, "--log-level", "Debug");
        Assert.Contains("[2103]", verbose.Stderr, StringComparison.Ordinal);

        // The dev-issued holder (試験 太郎 of 永田町, My Number 123456789018) and the PINs are in no line.
        string[] secrets = ["9753", "1234", "ABC123", "5678", "試験", "太郎", "永田町", "1990-01-01", "123456789018"];
        Assert.All(secrets, p => Assert.DoesNotContain(p, text + quiet.Stderr + verbose.Stderr, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sign_WrongPinOnCommandLine_ExitsNegativeWarnsAndNeverEchoes()
    {
        await IssueAsync();
        var message = Path.Combine(_directory.FullName, "message.txt");
        await File.WriteAllTextAsync(message, "hello");
        var (code, stdout, stderr) = await CliRunner.RunAsync("card", "sign", "--card", CardFile, "--which", "auth", "--in", message, "--pin", "9876");
        Assert.Equal(1, code);
        Assert.Contains("command line", stderr, StringComparison.Ordinal);
        Assert.Contains("2 tries left", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("9876", stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangePin_ThenSignWithNewPin_Works()
    {
        await IssueAsync();
        Environment.SetEnvironmentVariable("JPKI_TEST_NEW", "4321");
        var changed = await CliRunner.RunAsync("card", "change-pin", "--card", CardFile, "--which", "card", "--pin-env", "JPKI_TEST_CARD", "--new-pin-env", "JPKI_TEST_NEW");
        Assert.True(changed.ExitCode == 0, changed.Stderr);
        var again = await CliRunner.RunAsync("card", "change-pin", "--card", CardFile, "--which", "card", "--pin-env", "JPKI_TEST_CARD", "--new-pin-env", "JPKI_TEST_NEW");
        Assert.Equal(1, again.ExitCode); // the old card PIN no longer verifies
    }

    [Theory]
    [InlineData("card", "info")]
    [InlineData("card", "info", "--card", "x.jpkicard", "--reader", "r")]
    public async Task Info_NeitherOrBothConnections_BadUsage(params string[] args)
    {
        var (code, _, stderr) = await CliRunner.RunAsync(args);
        Assert.Equal(2, code);
        Assert.Contains("--card", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Info_CardInUse_ClearError()
    {
        Assert.Equal(0, (await CliRunner.RunAsync("card", "new", "--out", CardFile)).ExitCode);
        using var held = Jpki.Card.Virtual.VirtualCard.Open(CardFile);
        var (code, _, stderr) = await CliRunner.RunAsync("card", "info", "--card", CardFile);
        Assert.Equal(2, code);
        Assert.Contains("in use", stderr, StringComparison.Ordinal);
    }
}
