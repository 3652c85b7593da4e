using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Cli.Tests.Commands.Authority;

/// <summary>init → issue → show → revoke → crl → audit verify through the real command tree on a temp data folder.</summary>
public sealed class AuthorityCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "jpki-cli-authority-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 1, 0, 0, TimeSpan.Zero));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private string WritePublicKey()
    {
        using var rsa = RSA.Create(2048);
        var path = Path.Combine(_folder, "holder.pub.pem");
        File.WriteAllText(path, rsa.ExportSubjectPublicKeyInfoPem());
        return path;
    }

    [Fact]
    public async Task AuditVerify_ARevokedRowDeletedWithTheSqliteShell_IsFound()
    {
        Assert.Equal(0, (await CliRunner.RunAsync(_clock, "authority", "init", "--data", _folder, "--test-names")).ExitCode);
        var (issue, issueOut, issueErr) = await CliRunner.RunAsync(
            _clock, "authority", "issue", "--json", "--data", _folder, "--kind", "auth", "--public-key", WritePublicKey(), "--card-id", "C1", "--holder-id", "H1", "--expiry", "2031-02-17");
        Assert.True(issue == 0, issueErr + issueOut);
        var serial = JsonDocument.Parse(issueOut).RootElement.GetProperty("serial").GetString()!;
        Assert.Equal(0, (await CliRunner.RunAsync(_clock, "authority", "revoke", "--data", _folder, "--serial", serial, "--reason", "key-compromise")).ExitCode);
        var (intact, intactOut, intactErr) = await CliRunner.RunAsync(_clock, "authority", "audit", "verify", "--data", _folder);
        Assert.True(intact == 0, intactOut + intactErr);

        // An administrator "un-revokes" the certificate by deleting its row; the append-only log is left alone.
        var (exit, _, error) = await ExternalTool.RunAsync("sqlite3", "sqlite3", [Path.Combine(_folder, "registry.db"), $"DELETE FROM certificates WHERE serial = '{serial}';"]);
        Assert.True(exit == 0, error);
        var (code, stdout, _) = await CliRunner.RunAsync(_clock, "authority", "audit", "verify", "--data", _folder, "--json");

        Assert.Equal(1, code);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("registry-disagrees", json.RootElement.GetProperty("problem").GetString());
        Assert.Contains(serial, json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_ProfileNextgen_P384Roots_IssuesP384Keys_RefusesRsaAndPkcs11()
    {
        Assert.Equal(2, (await CliRunner.RunAsync(_clock, "authority", "init", "--data", _folder, "--profile", "nextgen", "--pkcs11-module", "/nonexistent.so", "--pkcs11-token", "t")).ExitCode);
        Assert.False(File.Exists(Path.Combine(_folder, "authority", "authority.json")));
        var (init, initOut, initErr) = await CliRunner.RunAsync(_clock, "authority", "init", "--json", "--data", _folder, "--test-names", "--profile", "nextgen");
        Assert.True(init == 0, initErr);
        Assert.Equal("nextgen", JsonDocument.Parse(initOut).RootElement.GetProperty("profile").GetString());
        using var root = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(Path.Combine(_folder, "authority", "sign-ca.cer"));
        Assert.Equal("1.2.840.10045.4.3.3", root.SignatureAlgorithm.Value);

        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var ecKey = Path.Combine(_folder, "holder-ec.pub.pem");
        File.WriteAllText(ecKey, ec.ExportSubjectPublicKeyInfoPem());
        var (issue, issueOut, issueErr) = await CliRunner.RunAsync(
            _clock, "authority", "issue", "--json", "--data", _folder, "--kind", "auth", "--public-key", ecKey, "--card-id", "C1", "--holder-id", "H1", "--expiry", "2036-02-17");
        Assert.True(issue == 0, issueErr + issueOut);
        Assert.Equal(2, (await CliRunner.RunAsync(
            _clock, "authority", "issue", "--data", _folder, "--kind", "auth", "--public-key", WritePublicKey(), "--card-id", "C2", "--holder-id", "H2", "--expiry", "2036-02-17")).ExitCode);
    }

    [Fact]
    public async Task LifeCycle_InitIssueRevokeCrl_ExitCodesAndJson()
    {
        var (init, _, initErr) = await CliRunner.RunAsync(_clock, "authority", "init", "--data", _folder, "--test-names");
        Assert.True(init == 0, initErr);
        Assert.Equal(2, (await CliRunner.RunAsync(_clock, "authority", "init", "--data", _folder)).ExitCode);

        var key = WritePublicKey();
        var (issue, issueOut, issueErr) = await CliRunner.RunAsync(
            _clock, "authority", "issue", "--json", "--data", _folder, "--kind", "sign", "--public-key", key, "--card-id", "C1", "--holder-id", "H1",
            "--expiry", "2031-02-17", "--name", "公的　太郎", "--address", "東京都清瀬市中里５丁目８４２番地", "--birth", "1980-02-17", "--sex", "1",
            "--prefecture", "Tokyo-to", "--municipality", "Kiyose-shi");
        Assert.True(issue == 0, issueErr + issueOut);
        var serial = JsonDocument.Parse(issueOut).RootElement.GetProperty("serial").GetString()!;

        Assert.Equal(2, (await CliRunner.RunAsync(_clock, "authority", "issue", "--data", _folder, "--kind", "sign", "--public-key", key, "--card-id", "C1", "--holder-id", "H1", "--expiry", "2031-02-17")).ExitCode);

        var (show, showOut, _) = await CliRunner.RunAsync(_clock, "authority", "show", "--data", _folder, "--holder", "H1");
        Assert.Equal(0, show);
        Assert.Contains(serial, showOut, StringComparison.Ordinal);

        Assert.Equal(0, (await CliRunner.RunAsync(_clock, "authority", "revoke", "--data", _folder, "--serial", serial, "--reason", "affiliation-changed")).ExitCode);
        Assert.Equal(1, (await CliRunner.RunAsync(_clock, "authority", "revoke", "--data", _folder, "--serial", serial)).ExitCode);
        Assert.Equal(1, (await CliRunner.RunAsync(_clock, "authority", "show", "--data", _folder, "--serial", "0ABC")).ExitCode);

        var crl = Path.Combine(_folder, "sign.crl");
        var (crlCode, crlOut, crlErr) = await CliRunner.RunAsync(_clock, "authority", "crl", "--json", "--data", _folder, "--kind", "sign", "--out", crl);
        Assert.True(crlCode == 0, crlErr);
        Assert.Equal(1, JsonDocument.Parse(crlOut).RootElement.GetProperty("entries").GetInt32());

        var (audit, auditOut, _) = await CliRunner.RunAsync(_clock, "authority", "audit", "verify", "--data", _folder);
        Assert.Equal(0, audit);
        // ca.init ×2, tsa.init, cert.issue, cert.revoke, crl.publish (the CLI's CRL is a publication like the server's).
        Assert.Contains("intact: 6 entries", auditOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_VerifierCertificates_KeptAsThumbprintAndIssuer()
    {
        Directory.CreateDirectory(_folder);
        using var key = RSA.Create(2048);
        using var certificate = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=Verifier", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(_clock.GetUtcNow(), _clock.GetUtcNow().AddDays(30));
        var pem = Path.Combine(_folder, "verifier.pem");
        File.WriteAllText(pem, certificate.ExportCertificatePem());

        var (code, _, stderr) = await CliRunner.RunAsync(_clock, "authority", "init", "--data", _folder, "--test-names", "--verifier-cert", pem, "--verifier-ca", pem);

        Assert.True(code == 0, stderr);
        var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "authority", "authority.json"))).RootElement;
        Assert.Equal(Convert.ToHexString(SHA256.HashData(certificate.RawData)), settings.GetProperty("verifierCertificateThumbprints")[0].GetString());
        Assert.Equal(Convert.ToBase64String(certificate.RawData), settings.GetProperty("verifierIssuers")[0].GetString());
    }

    [Fact]
    public async Task Init_RaKeys_KeptSeparateFromVerifierKeysAndHashed()
    {
        var (code, _, stderr) = await CliRunner.RunAsync(_clock, "authority", "init", "--data", _folder, "--test-names", "--ra-key", "terminal-1", "--ra-key", "terminal-2", "--verifier-key", "verifier-1");

        Assert.True(code == 0, stderr);
        var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "authority", "authority.json"))).RootElement;
        Assert.Equal([Jpki.Authority.Ocsp.VerifierAccess.StoredForm("terminal-1"), Jpki.Authority.Ocsp.VerifierAccess.StoredForm("terminal-2")], settings.GetProperty("registrationAuthorityKeys").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([Jpki.Authority.Ocsp.VerifierAccess.StoredForm("verifier-1")], settings.GetProperty("verifierKeys").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Init_VerifierCertificateNotACertificate_BadInput()
    {
        Directory.CreateDirectory(_folder);
        var bogus = Path.Combine(_folder, "bogus.pem");
        File.WriteAllText(bogus, "not a certificate");

        var (code, _, _) = await CliRunner.RunAsync(_clock, "authority", "init", "--data", _folder, "--verifier-cert", bogus);

        Assert.Equal(2, code);
        Assert.False(File.Exists(Path.Combine(_folder, "authority", "authority.json")));
    }

    [Fact]
    public async Task Issue_NoAuthority_BadInput()
    {
        Directory.CreateDirectory(_folder);
        var (code, _, stderr) = await CliRunner.RunAsync(_clock, "authority", "issue", "--data", _folder, "--kind", "auth", "--public-key", WritePublicKey(), "--card-id", "C", "--holder-id", "H", "--expiry", "2031-01-01");
        Assert.Equal(2, code);
        Assert.Contains("authority init", stderr, StringComparison.Ordinal);
    }
}
