using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Cli.Tests.Security;

/// <summary>
/// Issue 12 through the <c>jpki authority</c> commands: a revocation dated in the future (item 2), what the issuance
/// validator refuses (the same codes as the RA API), a base URL that is no URL, and the test-environment policy OID.
/// </summary>
[Trait("Category", "Security")]
public sealed class AuthorityHostileInputTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "jpki-cli-hostile-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 1, 0, 0, TimeSpan.Zero));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("2099-01-01T00:00:00Z")]
    [InlineData("2026-11-26")]
    public async Task Revoke_AtADateInTheFuture_Exit2AndNotRevoked(string at)
    {
        var serial = await InitAndIssueAsync();

        var (code, _, stderr) = await CliRunner.RunAsync(_clock, "authority", "revoke", "--data", _folder, "--serial", serial, "--reason", "key-compromise", "--at", at);
        var (_, show, _) = await CliRunner.RunAsync(_clock, "authority", "show", "--data", _folder, "--serial", serial, "--json");

        Assert.Equal(2, code);
        Assert.Contains("future", stderr, StringComparison.Ordinal);
        Assert.False(JsonDocument.Parse(show).RootElement.GetProperty("certificates")[0].TryGetProperty("revokedAt", out _), show);
    }

    [Theory]
    [InlineData("--expiry", "9999-12-31", "outlive")]
    [InlineData("--name-flags", "0", "substitution flags")]
    [InlineData("--name", "公的\n太郎", "control character")]
    [InlineData("--address", "東京都😀", "JPKI character set")]
    [InlineData("--birth", "2030-01-01", "after today")]
    [InlineData("--previous", "7FFF0000000000000000000000000001", "previous serial")]
    public async Task Issue_WhatTheValidatorRefuses_Exit2(string option, string value, string message)
    {
        await InitAndIssueAsync();
        var args = SignArgs(WritePublicKey());
        var index = Array.IndexOf(args, option);
        if (index < 0)
        {
            args = [.. args, option, value];
        }
        else
        {
            args[index + 1] = value;
        }

        var (code, _, stderr) = await CliRunner.RunAsync(_clock, args);

        Assert.Equal(2, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://ca.example.jp")]
    [InlineData("/relative")]
    [InlineData("http://ca.example.jp/path?query=1")]
    [InlineData("http://user:pass@ca.example.jp")]
    public async Task Init_BaseUrlThatIsNoUrl_Exit2AndNoAuthority(string baseUrl)
    {
        var (code, _, stderr) = await CliRunner.RunAsync(_clock, "authority", "init", "--data", _folder, "--test-names", "--base-url", baseUrl);

        Assert.Equal(2, code);
        Assert.Contains("--base-url", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder, "authority", "authority.json")));
    }

    [Theory]
    [InlineData("sign", "1.2.392.200149.8.5.1.0.20")]
    [InlineData("auth", "1.2.392.200149.8.5.1.0.30")]
    public async Task TestNames_IssueTheTestEnvironmentPolicy_AsOpensslReadsIt(string kind, string policy)
    {
        Assert.Equal(0, (await CliRunner.RunAsync(_clock, "authority", "init", "--data", _folder, "--test-names")).ExitCode);
        var pem = Path.Combine(_folder, kind + ".pem");
        var args = kind == "sign" ? SignArgs(WritePublicKey()) : ["authority", "issue", "--data", _folder, "--kind", "auth", "--public-key", WritePublicKey(), "--card-id", "C1", "--holder-id", "H1", "--expiry", "2031-02-17"];
        var (code, _, stderr) = await CliRunner.RunAsync(_clock, [.. args, "--out", pem]);
        Assert.True(code == 0, stderr);

        var (exit, text, error) = Jpki.Testing.OpenSsl.Run("x509", "-in", pem, "-noout", "-ext", "certificatePolicies");

        Assert.True(exit == 0, error);
        Assert.Contains("Policy: " + policy, text, StringComparison.Ordinal);
    }

    private async Task<string> InitAndIssueAsync()
    {
        if (!File.Exists(Path.Combine(_folder, "authority", "authority.json")))
        {
            Assert.Equal(0, (await CliRunner.RunAsync(_clock, "authority", "init", "--data", _folder, "--test-names")).ExitCode);
        }

        var (code, stdout, stderr) = await CliRunner.RunAsync(_clock, [.. SignArgs(WritePublicKey()), "--json"]);
        Assert.True(code == 0, stderr);
        return JsonDocument.Parse(stdout).RootElement.GetProperty("serial").GetString()!;
    }

    private string[] SignArgs(string key) =>
    [
        "authority", "issue", "--data", _folder, "--kind", "sign", "--public-key", key, "--card-id", "C1", "--holder-id", "H1",
        "--expiry", "2031-02-17", "--name", "公的　太郎", "--address", "東京都清瀬市中里５丁目８４２番地", "--birth", "1980-02-17", "--sex", "1",
        "--prefecture", "Tokyo-to", "--municipality", "Kiyose-shi",
    ];

    private string WritePublicKey()
    {
        Directory.CreateDirectory(_folder);
        using var rsa = RSA.Create(2048);
        var path = Path.Combine(_folder, "holder-" + Guid.NewGuid().ToString("N")[..6] + ".pub.pem");
        File.WriteAllText(path, rsa.ExportSubjectPublicKeyInfoPem());
        return path;
    }
}
