using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Jpki.Cli.Tests.Verify;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Cli.Tests.Security;

/// <summary>Issue 12: <c>jpki verify</c> and <c>jpki login verify</c> against what broke when tried from outside.</summary>
[Trait("Category", "Security")]
public sealed class VerifyHostileInputTests : IClassFixture<VerifyFixture>
{
    private readonly VerifyFixture _f;
    private readonly FakeTimeProvider _clock = new(VerifyFixture.Now);

    public VerifyHostileInputTests(VerifyFixture fixture) => _f = fixture;

    [Fact]
    public async Task Verify_OcspUrl_AsksTheResponderInsteadOfCrashing()
    {
        // The docs' example: nothing listens on port 1, so the answer is fail-closed, exit 1 — not an unhandled exception.
        var (code, stdout, stderr) = await CliRunner.RunAsync(_clock, "verify", "--in", _f.Document, "--sig", _f.Signature, "--trust", _f.TrustPem, "--ocsp", "http://127.0.0.1:1/ocsp");

        Assert.Equal(1, code);
        Assert.Contains("no-revocation-data", stdout, StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1:1/ocsp", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoginVerify_OcspUrl_AsksTheResponderInsteadOfCrashing()
    {
        var challenge = RandomNumberGenerator.GetBytes(32);
        var signature = Path.Combine(_f.Dir, "login-ocsp.sig");
        File.WriteAllBytes(signature, _f.SubjectKey.SignData(challenge, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        var (code, stdout, stderr) = await CliRunner.RunAsync(_clock, "login", "verify", "--challenge", System.Buffers.Text.Base64Url.EncodeToString(challenge), "--signature", signature, "--cert", _f.AuthPem, "--trust", _f.TrustPem, "--ocsp", "http://127.0.0.1:1/ocsp");

        Assert.Equal(1, code);
        Assert.Contains("no-revocation-data", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/ocsp")]
    [InlineData("/ocsp")]
    [InlineData("not a url")]
    public async Task Verify_OcspThatIsNoHttpUrl_Exit2(string value)
    {
        var (code, _, stderr) = await CliRunner.RunAsync(_clock, "verify", "--in", _f.Document, "--sig", _f.Signature, "--trust", _f.TrustPem, "--ocsp", value);

        Assert.Equal(2, code);
        Assert.Contains("--ocsp", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_AttachedSignatureWithInOfTheSameContent_Exit0()
    {
        var (code, stdout, _) = await CliRunner.RunAsync(_clock, "verify", "--in", _f.Document, "--sig", _f.AttachedSignature, "--trust", _f.TrustPem, "--crl", _f.CrlPath);

        Assert.Equal(0, code);
        Assert.StartsWith("VALID", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_CertificateWithMonth13_Exit1MalformedWithoutAStackTrace()
    {
        var signature = File.ReadAllBytes(_f.AttachedSignature);
        var notBefore = signature.AsSpan().IndexOf((ReadOnlySpan<byte>)[0x17, 0x0D]); // the first UTCTime is the signer certificate's notBefore
        Assert.True(notBefore > 0);
        signature[notBefore + 4] = (byte)'1';
        signature[notBefore + 5] = (byte)'3';
        var broken = Path.Combine(_f.Dir, "month13.p7s");
        File.WriteAllBytes(broken, signature);

        var (code, stdout, stderr) = await CliRunner.RunAsync(_clock, "verify", "--sig", broken, "--trust", _f.TrustPem, "--crl", _f.CrlPath, "--json");

        Assert.Equal(1, code);
        Assert.Equal("malformed", JsonDocument.Parse(stdout).RootElement.GetProperty("verdict").GetString());
        Assert.Empty(stderr);
    }

    [Fact]
    public async Task Verify_SelfMadeRootWithTheJlisName_RefusedUnlessPinned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(Jpki.Verification.Trust.JlisRoots.SignCaName, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var fake = request.CreateSelfSigned(VerifyFixture.Now.AddYears(-1), VerifyFixture.Now.AddYears(5));
        var path = Path.Combine(_f.Dir, "fake-jlis.pem");
        File.WriteAllText(path, fake.ExportCertificatePem());

        var (refused, _, stderr) = await CliRunner.RunAsync(_clock, "verify", "--in", _f.Document, "--sig", _f.Signature, "--trust", path, "--trust", _f.TrustPem, "--crl", _f.CrlPath);

        Assert.Equal(2, refused);
        Assert.Contains("pin", stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(fake.GetCertHashString(HashAlgorithmName.SHA256), stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TheVerdictSaysWhetherTheAnchorWasPinned()
    {
        var fingerprint = X509Certificate2.CreateFromPem(File.ReadAllText(_f.TrustPem)).GetCertHashString(HashAlgorithmName.SHA256);

        var (_, configured, _) = await CliRunner.RunAsync(_clock, "verify", "--in", _f.Document, "--sig", _f.Signature, "--trust", _f.TrustPem, "--crl", _f.CrlPath, "--json");
        var (code, pinned, _) = await CliRunner.RunAsync(_clock, "verify", "--in", _f.Document, "--sig", _f.Signature, "--trust", _f.TrustPem, "--trust-pin", fingerprint, "--crl", _f.CrlPath, "--json");
        var (_, human, _) = await CliRunner.RunAsync(_clock, "verify", "--in", _f.Document, "--sig", _f.Signature, "--trust", _f.TrustPem, "--crl", _f.CrlPath);

        Assert.Equal(0, code);
        Assert.False(JsonDocument.Parse(configured).RootElement.GetProperty("anchor").GetProperty("pinned").GetBoolean());
        Assert.True(JsonDocument.Parse(pinned).RootElement.GetProperty("anchor").GetProperty("pinned").GetBoolean());
        Assert.Contains("not pinned", human, StringComparison.Ordinal);
    }
}
