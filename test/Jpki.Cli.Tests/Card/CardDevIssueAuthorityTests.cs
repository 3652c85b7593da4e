using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Jpki.Authority.Ca;
using Jpki.Server;

namespace Jpki.Cli.Tests.Card;

/// <summary>
/// Issue 12 (Low): <c>jpki card dev-issue --data</c> has the data folder's TEST authority issue real JPKI-profile
/// certificates, so the project's own verifier, openssl and <c>jpki serve</c>'s OCSP on the same folder know them; a
/// production authority is refused without touching the card. Before, dev-issue wrote bare certificates of throw-away CAs
/// (no subjectAltName, policy or CRL distribution point) that <c>jpki verify</c> refused.
/// </summary>
[Trait("Category", "Security")]
public sealed class CardDevIssueAuthorityTests : IDisposable
{
    private const string AuthPin = "1234";
    private const string SignPassword = "ABC123";

    // The certificate policies, written out from JPKI-REFERENCE §6.2 rather than taken from the code under test.
    private const string TestSignPolicy = "1.2.392.200149.8.5.1.0.20";
    private const string TestAuthPolicy = "1.2.392.200149.8.5.1.0.30";
    private const string ProductionSignPolicy = "1.2.392.200149.8.5.1.1.20";

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("jpki-cli-devissue-");

    private string Data => Path.Combine(_directory.FullName, "jpki-data");

    private string CardFile => Path.Combine(_directory.FullName, "card.jpkicard");

    private string File(string name) => Path.Combine(_directory.FullName, name);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Delete(recursive: true);
    }

    [Fact]
    public async Task DevIssue_CardSignaturesVerifyWithJpkiVerify_TrustingTheFolderRoots_AndNotWithoutTheTestPolicy()
    {
        var issued = await DevIssueAsync("DEV1");
        Assert.True(issued.GetProperty("authorityInitialized").GetBoolean());
        Assert.Equal(Path.GetFullPath(Data), issued.GetProperty("dataFolder").GetString());
        var signRoot = issued.GetProperty("signRoot").GetString()!;
        var authRoot = issued.GetProperty("authRoot").GetString()!;
        Assert.Equal(AuthorityFolder.CaCertificatePath(Data, Jpki.Core.Identity.CertificateKind.Signature), signRoot);
        Assert.True(AuthorityFolder.ReadSettings(Data).TestNames);

        // A CAdES signature made on the card (`jpki sign --card`), judged by `jpki verify` with the folder's CRL.
        var message = File("request.txt");
        await System.IO.File.WriteAllTextAsync(message, "住民票の写しの交付を請求します。");
        await System.IO.File.WriteAllTextAsync(File("password.txt"), SignPassword + "\n");
        var signed = await CliRunner.RunAsync("sign", "--card", CardFile, "--in", message, "--out", File("request.p7s"), "--password-file", File("password.txt"));
        Assert.True(signed.ExitCode == 0, signed.Stderr);
        Assert.Equal(0, (await CliRunner.RunAsync("authority", "crl", "--data", Data, "--kind", "sign", "--out", File("sign.crl"))).ExitCode);
        var verified = await CliRunner.RunAsync("verify", "--in", message, "--sig", File("request.p7s"), "--trust", signRoot, "--crl", File("sign.crl"), "--allow-test-policy", "--json");
        Assert.True(verified.ExitCode == 0, verified.Stdout + verified.Stderr);

        // The authentication key's raw answer (`jpki card sign --which auth`) to a login challenge, judged by `jpki login verify`.
        var challenge = RandomNumberGenerator.GetBytes(32);
        await System.IO.File.WriteAllBytesAsync(File("challenge.bin"), challenge);
        var answered = await CliRunner.RunAsync("card", "sign", "--card", CardFile, "--which", "auth", "--in", File("challenge.bin"), "--out", File("challenge.sig"), "--pin", AuthPin);
        Assert.True(answered.ExitCode == 0, answered.Stderr);
        Assert.Equal(0, (await CliRunner.RunAsync("card", "read-cert", "--card", CardFile, "--which", "auth", "--out", File("auth.pem"))).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("authority", "crl", "--data", Data, "--kind", "auth", "--out", File("auth.crl"))).ExitCode);
        string[] login = ["login", "verify", "--challenge", Base64Url.EncodeToString(challenge), "--signature", File("challenge.sig"), "--cert", File("auth.pem"), "--trust", authRoot, "--crl", File("auth.crl")];
        var loggedIn = await CliRunner.RunAsync([.. login, "--allow-test-policy"]);
        Assert.True(loggedIn.ExitCode == 0, loggedIn.Stdout + loggedIn.Stderr);

        // A relying party that accepts only production policies refuses them: they are test certificates.
        Assert.Equal(1, (await CliRunner.RunAsync("verify", "--in", message, "--sig", File("request.p7s"), "--trust", signRoot, "--crl", File("sign.crl"))).ExitCode);
        Assert.Equal(1, (await CliRunner.RunAsync(login)).ExitCode);
    }

    [Fact]
    public async Task DevIssue_OpenSslVerifiesTheCertificatesReadBack_UnderTheTestPolicies_AndShowsSanCrlDpAndPolicy()
    {
        var issued = await DevIssueAsync("DEV2");
        var signRoot = Pem(issued.GetProperty("signRoot").GetString()!, "sign-root.pem");
        var authRoot = Pem(issued.GetProperty("authRoot").GetString()!, "auth-root.pem");
        foreach (var (which, pin) in new[] { ("sign", SignPassword), ("auth", (string?)null), ("sign-ca", null), ("auth-ca", null) })
        {
            string[] args = ["card", "read-cert", "--card", CardFile, "--which", which, "--out", File(which + ".pem")];
            var read = await CliRunner.RunAsync(pin is null ? args : [.. args, "--pin", pin]);
            Assert.True(read.ExitCode == 0, read.Stderr);
        }

        // The CA certificates on the card are the folder's roots.
        Assert.Equal(await System.IO.File.ReadAllTextAsync(signRoot), await System.IO.File.ReadAllTextAsync(File("sign-ca.pem")), ignoreLineEndingDifferences: true);
        Assert.Equal(await System.IO.File.ReadAllTextAsync(authRoot), await System.IO.File.ReadAllTextAsync(File("auth-ca.pem")), ignoreLineEndingDifferences: true);

        var sign = OpenSsl.Run("verify", "-CAfile", signRoot, "-policy", TestSignPolicy, "-explicit_policy", File("sign.pem"));
        Assert.True(sign.ExitCode == 0, sign.Stdout + sign.Stderr);
        Assert.Contains(": OK", sign.Stdout, StringComparison.Ordinal);
        var auth = OpenSsl.Run("verify", "-CAfile", authRoot, "-policy", TestAuthPolicy, "-explicit_policy", File("auth.pem"));
        Assert.True(auth.ExitCode == 0, auth.Stdout + auth.Stderr);

        // openssl refuses what must be refused: the production policy, and the other CA's root.
        Assert.NotEqual(0, OpenSsl.Run("verify", "-CAfile", signRoot, "-policy", ProductionSignPolicy, "-explicit_policy", File("sign.pem")).ExitCode);
        Assert.NotEqual(0, OpenSsl.Run("verify", "-CAfile", signRoot, File("auth.pem")).ExitCode);

        var text = OpenSsl.Run("x509", "-in", File("sign.pem"), "-noout", "-text");
        Assert.Equal(0, text.ExitCode);
        Assert.Contains("X509v3 Subject Alternative Name", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("X509v3 CRL Distribution Points", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("URI:" + JpkiServerOptions.DefaultUrls + "/crl/", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("Policy: " + TestSignPolicy, text.Stdout, StringComparison.Ordinal);
        Assert.Contains("OCSP - URI:" + JpkiServerOptions.DefaultUrls + "/ocsp", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("O=JPKI-TEST", text.Stdout.Replace(" = ", "=", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DevIssue_ThenServeOnTheSameFolder_OcspGoodForTheCardCertificate_RevokedAfterAuthorityRevoke()
    {
        var issued = await DevIssueAsync("DEV3");
        var serial = issued.GetProperty("authentication").GetProperty("serial").GetString()!;
        var authRoot = Pem(issued.GetProperty("authRoot").GetString()!, "auth-root.pem");
        Assert.Equal(0, (await CliRunner.RunAsync("card", "read-cert", "--card", CardFile, "--which", "auth", "--out", File("auth.pem"))).ExitCode);

        // As `jpki serve --data <folder>`: the server opens the folder's authority, which dev-issue initialised.
        await using var runtime = await AuthorityFolder.OpenAsync(Data, TimeProvider.System, CancellationToken.None);
        await using var app = JpkiServerHost.Build(new JpkiServerOptions { DataDirectory = Data, Urls = "http://127.0.0.1:0" }, TimeProvider.System, runtime);
        await app.StartAsync();
        try
        {
            var url = app.Urls.First() + "/ocsp";
            string[] ocsp = ["ocsp", "-issuer", authRoot, "-CAfile", authRoot, "-cert", File("auth.pem"), "-url", url];
            var good = OpenSsl.Run(ocsp);
            Assert.True(good.ExitCode == 0, good.Stdout + good.Stderr);
            Assert.Contains("Response verify OK", good.Stdout + good.Stderr, StringComparison.Ordinal);
            Assert.Contains(": good", good.Stdout, StringComparison.Ordinal);

            var invalidated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            runtime.Ocsp.Invalidated += (_, s) =>
            {
                if (s == serial)
                {
                    invalidated.TrySetResult();
                }
            };
            var revoked = await CliRunner.RunAsync("authority", "revoke", "--data", Data, "--serial", serial, "--reason", "key-compromise");
            Assert.True(revoked.ExitCode == 0, revoked.Stdout + revoked.Stderr);
            await invalidated.Task.WaitAsync(TimeSpan.FromMinutes(1));

            var answer = OpenSsl.Run(ocsp);
            Assert.True(answer.ExitCode == 0, answer.Stdout + answer.Stderr);
            Assert.Contains(": revoked", answer.Stdout, StringComparison.Ordinal);
            Assert.Contains("Reason: keyCompromise", answer.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task DevIssue_OntoAFolderWithAProductionAuthority_Exit2_CardAndRegistryUntouched()
    {
        Assert.Equal(0, (await CliRunner.RunAsync("authority", "init", "--data", Data)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("card", "new", "--out", CardFile, "--number", "DEV4")).ExitCode);
        var before = await System.IO.File.ReadAllBytesAsync(CardFile);

        var (code, stdout, stderr) = await CliRunner.RunAsync(
            "card", "dev-issue", "--card", CardFile, "--data", Data, "--auth-pin", AuthPin, "--sign-password", SignPassword, "--card-pin", "5678");

        Assert.Equal(2, code);
        Assert.Contains("production authority", stderr, StringComparison.Ordinal);
        Assert.Equal("", stdout);
        Assert.Equal(before, await System.IO.File.ReadAllBytesAsync(CardFile));
        var info = await CliRunner.RunAsync("card", "info", "--card", CardFile, "--json");
        Assert.False(JsonDocument.Parse(info.Stdout).RootElement.GetProperty("certificates").GetProperty("sign").GetBoolean());
        await using var runtime = await AuthorityFolder.OpenAsync(Data, TimeProvider.System, CancellationToken.None);
        Assert.Empty(await runtime.Authority.Registry.FindByCardAsync("DEV4", CancellationToken.None));
    }

    private async Task<JsonElement> DevIssueAsync(string number)
    {
        Assert.Equal(0, (await CliRunner.RunAsync("card", "new", "--out", CardFile, "--number", number)).ExitCode);
        var (code, stdout, stderr) = await CliRunner.RunAsync(
            "card", "dev-issue", "--card", CardFile, "--data", Data, "--auth-pin", AuthPin, "--sign-password", SignPassword, "--card-pin", "5678", "--json");
        Assert.True(code == 0, stderr);
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    /// <summary>The DER root at <paramref name="der"/> as a PEM file for openssl.</summary>
    private string Pem(string der, string name)
    {
        System.IO.File.WriteAllText(File(name), OpenSsl.Pem("CERTIFICATE", System.IO.File.ReadAllBytes(der)) + "\n");
        return File(name);
    }
}
