using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Text.Json;

namespace Jpki.Cli.Tests.Sign;

public sealed class SignCommandTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("jpki-cli-sign-");

    private string CardFile => Path.Combine(_directory.FullName, "card.jpkicard");

    private string PasswordFile => Path.Combine(_directory.FullName, "password.txt");

    public void Dispose() => _directory.Delete(recursive: true);

    private async Task IssueAsync()
    {
        Assert.Equal(0, (await CliRunner.RunAsync("card", "new", "--out", CardFile, "--number", "SIGN1")).ExitCode);
        Environment.SetEnvironmentVariable("JPKI_SIGNTEST_AUTH", "1234");
        Environment.SetEnvironmentVariable("JPKI_SIGNTEST_SIGN", "ABC123");
        Environment.SetEnvironmentVariable("JPKI_SIGNTEST_CARD", "5678");
        var issued = await CliRunner.RunAsync(
            "card", "dev-issue", "--card", CardFile, "--data", Path.Combine(_directory.FullName, "jpki-data"),
            "--auth-pin-env", "JPKI_SIGNTEST_AUTH", "--sign-password-env", "JPKI_SIGNTEST_SIGN", "--card-pin-env", "JPKI_SIGNTEST_CARD");
        Assert.True(issued.ExitCode == 0, issued.Stderr);
        await File.WriteAllTextAsync(PasswordFile, "abc123\n");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Sign_VirtualCard_CmsVerifiesWithCardCertificate(bool attached)
    {
        await IssueAsync();
        var message = Path.Combine(_directory.FullName, "request.txt");
        var p7s = message + ".p7s";
        await File.WriteAllTextAsync(message, "住民票の写しの交付を請求します。");
        var args = new List<string> { "sign", "--card", CardFile, "--in", message, "--out", p7s, "--password-file", PasswordFile, "--json" };
        if (attached)
        {
            args.Add("--attached");
        }

        var (code, stdout, stderr) = await CliRunner.RunAsync([.. args]);

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(!attached, json.RootElement.GetProperty("detached").GetBoolean());
        var cms = attached ? new SignedCms() : new SignedCms(new ContentInfo(await File.ReadAllBytesAsync(message)), detached: true);
        cms.Decode(await File.ReadAllBytesAsync(p7s));
        cms.CheckSignature(verifySignatureOnly: true);
        Assert.Contains(cms.SignerInfos[0].SignedAttributes.Cast<CryptographicAttributeObject>(), a => a.Oid.Value == "1.2.840.113549.1.9.16.2.47");
    }

    [Fact]
    public async Task Sign_WrongPassword_ExitsNegativeWithoutFile()
    {
        await IssueAsync();
        var message = Path.Combine(_directory.FullName, "request.txt");
        await File.WriteAllTextAsync(message, "x");
        await File.WriteAllTextAsync(PasswordFile, "WRONG99\n");

        var (code, _, _) = await CliRunner.RunAsync("sign", "--card", CardFile, "--in", message, "--out", message + ".p7s", "--password-file", PasswordFile);

        Assert.Equal(1, code);
        Assert.False(File.Exists(message + ".p7s"));
    }
}
