using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Cli.Tests.Verify;

public sealed class VerifyCommandTests : IClassFixture<VerifyFixture>
{
    private readonly VerifyFixture _f;
    private readonly FakeTimeProvider _clock = new(VerifyFixture.Now);

    public VerifyCommandTests(VerifyFixture fixture) => _f = fixture;

    [Fact]
    public async Task Verify_ValidDetachedWithCrl_Exit0AndBasicFourInfoInJson()
    {
        var (code, stdout, _) = await CliRunner.RunAsync(_clock, "verify", "--in", _f.Document, "--sig", _f.Signature, "--trust", _f.TrustPem, "--crl", _f.CrlPath, "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("valid", json.RootElement.GetProperty("verdict").GetString());
        Assert.Equal("公的　花子", json.RootElement.GetProperty("basicFourInfo").GetProperty("name").GetString());
        Assert.Equal("1990-01-01", json.RootElement.GetProperty("basicFourInfo").GetProperty("dateOfBirth").GetString());
    }

    [Fact]
    public async Task Verify_Attached_Exit0()
    {
        var (code, stdout, _) = await CliRunner.RunAsync(_clock, "verify", "--sig", _f.AttachedSignature, "--trust", _f.TrustPem, "--crl", _f.CrlPath);

        Assert.Equal(0, code);
        Assert.StartsWith("VALID", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TamperedFile_Exit1WithReason()
    {
        var tampered = Path.Combine(_f.Dir, "tampered.txt");
        File.WriteAllBytes(tampered, "申請書!"u8.ToArray());

        var (code, stdout, _) = await CliRunner.RunAsync(_clock, "verify", "--in", tampered, "--sig", _f.Signature, "--trust", _f.TrustPem, "--crl", _f.CrlPath);

        Assert.Equal(1, code);
        Assert.Contains("content-tampered", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [Trait("Category", "Security")]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Verify_NewerCrlListsSigner_RevokedWhateverTheOrder(bool newerFirst)
    {
        // Issue 12 item 1: `--crl new.crl --crl old.crl` called a revoked certificate VALID (the last CRL added won).
        string[] crls = newerFirst ? ["--crl", _f.RevokedCrlPath, "--crl", _f.CrlPath] : ["--crl", _f.CrlPath, "--crl", _f.RevokedCrlPath];

        var (code, stdout, _) = await CliRunner.RunAsync(_clock, ["verify", "--in", _f.Document, "--sig", _f.Signature, "--trust", _f.TrustPem, .. crls, "--json"]);

        Assert.Equal(1, code);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("revoked", json.RootElement.GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task Verify_NoRevocationSource_Exit1FailClosed()
    {
        var (code, stdout, _) = await CliRunner.RunAsync(_clock, "verify", "--in", _f.Document, "--sig", _f.Signature, "--trust", _f.TrustPem);

        Assert.Equal(1, code);
        Assert.Contains("no-revocation-data", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ExplicitNoRevocationCheck_Exit0WithWarning()
    {
        var (code, _, stderr) = await CliRunner.RunAsync(_clock, "verify", "--in", _f.Document, "--sig", _f.Signature, "--trust", _f.TrustPem, "--no-revocation-check");

        Assert.Equal(0, code);
        Assert.Contains("warning", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_AtAfterExpiry_Exit1Expired()
    {
        var (code, stdout, _) = await CliRunner.RunAsync(_clock, "verify", "--in", _f.Document, "--sig", _f.Signature, "--trust", _f.TrustPem, "--no-revocation-check", "--at", "2031-01-01T00:00:00Z", "--json");

        Assert.Equal(1, code);
        Assert.Contains("\"expired\"", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--at", "yesterday")]
    [InlineData("--sig", "/nonexistent/file.p7s")]
    public async Task Verify_BadInput_Exit2(string option, string value)
    {
        var args = new List<string> { "verify", "--in", _f.Document, "--sig", _f.Signature, "--trust", _f.TrustPem, "--crl", _f.CrlPath };
        var at = args.IndexOf(option);
        if (at >= 0)
        {
            args[at + 1] = value;
        }
        else
        {
            args.AddRange([option, value]);
        }

        var (code, _, _) = await CliRunner.RunAsync(_clock, [.. args]);

        Assert.Equal(2, code);
    }

    [Fact]
    public async Task Verify_NoTrust_Exit2()
    {
        var (code, _, stderr) = await CliRunner.RunAsync(_clock, "verify", "--in", _f.Document, "--sig", _f.Signature, "--crl", _f.CrlPath);

        Assert.Equal(2, code);
        Assert.Contains("--trust", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoginVerify_CardAnswer_Exit0WithAccountKey()
    {
        var challenge = RandomNumberGenerator.GetBytes(32);
        var signature = Path.Combine(_f.Dir, "login.sig");
        File.WriteAllText(signature, Convert.ToBase64String(_f.SubjectKey.SignData(challenge, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)));

        var (code, stdout, _) = await CliRunner.RunAsync(_clock, "login", "verify", "--challenge", Base64Url.EncodeToString(challenge), "--signature", signature, "--cert", _f.AuthPem, "--trust", _f.TrustPem, "--crl", _f.CrlPath, "--json");

        Assert.Equal(0, code);
        Assert.Contains("jpki1:", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoginVerify_OtherChallenge_Exit1BadSignature()
    {
        var signature = Path.Combine(_f.Dir, "login-other.sig");
        File.WriteAllBytes(signature, _f.SubjectKey.SignData(new byte[32], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        var (code, stdout, _) = await CliRunner.RunAsync(_clock, "login", "verify", "--challenge", Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)), "--signature", signature, "--cert", _f.AuthPem, "--trust", _f.TrustPem, "--crl", _f.CrlPath);

        Assert.Equal(1, code);
        Assert.Contains("bad-signature", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoginChallenge_Prints32BytesBase64Url()
    {
        var (code, stdout, _) = await CliRunner.RunAsync(_clock, "login", "challenge");

        Assert.Equal(0, code);
        Assert.Equal(32, Base64Url.DecodeFromChars(stdout.Trim()).Length);
    }
}
