using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Jpki.Core.Identity;
using Jpki.Verification.Login;
using Jpki.Verification.Revocation;
using Jpki.Verification.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Verification.Tests.Login;

/// <summary>
/// Issue 16: the origin-bound login token (the card signs SHA-256(origin) ‖ SHA-256(nonce)) and what the verifier
/// refuses: another origin, another session's nonce, a replay, an expired nonce, a signature certificate, a revoked or
/// expired authentication certificate, a malformed token.
/// </summary>
[Trait("Category", "Security")]
public class OriginBoundLoginTests
{
    private const string Origin = "https://login.example.jp";
    private const string Session = "session-of-browser-a";

    private readonly FakeTimeProvider _clock = new(TestPki.Now);
    private readonly InMemoryChallengeStore _store = new();

    private LoginVerifier Create(IRevocationSource? revocation = null)
        => new(Verifiers.Create(revocation), _store, _clock, options: new LoginOptions { Origins = [Origin] });

    private static X509Certificate2 AuthCertificate(long serial = 0x3003, DateTimeOffset? notAfter = null)
        => TestPki.Issue(new TestPki.Ee { Kind = CertificateKind.Authentication, Serial = serial, NotAfter = notAfter ?? TestPki.Now.AddYears(4) });

    /// <summary>The helper: the card signs the DigestInfo over the origin it saw and the nonce.</summary>
    private static LoginToken CardToken(string nonce, string origin = Origin, X509Certificate2? certificate = null)
    {
        var signature = TestPki.SubjectKey.SignHash(SHA256.HashData(LoginOrigin.SignedData(origin, nonce)), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return new LoginToken(origin, nonce, (certificate ?? AuthCertificate()).RawData, signature);
    }

    [Fact]
    public async Task VerifyTokenAsync_SameOriginSameSession_ValidWithAccountKey()
    {
        var login = Create();
        var nonce = await login.IssueChallengeAsync(Session);

        var result = await login.VerifyTokenAsync(CardToken(nonce.Id), Session);

        Assert.Equal(VerdictCode.Valid, result.Verdict.Code);
        Assert.StartsWith("jpki1:", result.AccountKey, StringComparison.Ordinal);
        Assert.Null(result.BasicFourInfo);
    }

    [Fact]
    public async Task VerifyTokenAsync_SignedForAnotherOrigin_WrongOrigin()
    {
        var login = Create();
        var nonce = await login.IssueChallengeAsync(Session);

        // A phishing page relayed our nonce: the helper signed for the page's own origin.
        var result = await login.VerifyTokenAsync(CardToken(nonce.Id, "https://login.example.jp.evil.example"), Session);

        Assert.Equal(VerdictCode.WrongOrigin, result.Verdict.Code);
        Assert.Null(result.AccountKey);
    }

    [Fact]
    public async Task VerifyTokenAsync_OriginClaimRewrittenToOurs_BadSignature()
    {
        var login = Create();
        var nonce = await login.IssueChallengeAsync(Session);
        var relayed = CardToken(nonce.Id, "https://evil.example");

        // The relay rewrites the claimed origin: the signature is checked over our origin and fails.
        var result = await login.VerifyTokenAsync(relayed with { Origin = Origin }, Session);

        Assert.Equal(VerdictCode.BadSignature, result.Verdict.Code);
    }

    [Fact]
    public async Task VerifyTokenAsync_NonceOfAnotherSession_WrongSession()
    {
        var login = Create();
        var attackers = await login.IssueChallengeAsync("session-of-attacker");

        var result = await login.VerifyTokenAsync(CardToken(attackers.Id), Session);

        Assert.Equal(VerdictCode.WrongSession, result.Verdict.Code);
    }

    [Fact]
    public async Task VerifyTokenAsync_Replay_ChallengeRejected()
    {
        var login = Create();
        var nonce = await login.IssueChallengeAsync(Session);
        var token = CardToken(nonce.Id);
        var first = await login.VerifyTokenAsync(token, Session);

        var replay = await login.VerifyTokenAsync(token, Session);

        Assert.True(first.IsValid);
        Assert.Equal(VerdictCode.ChallengeRejected, replay.Verdict.Code);
    }

    [Fact]
    public async Task VerifyTokenAsync_AfterLifetime_ChallengeExpired()
    {
        var login = Create();
        var nonce = await login.IssueChallengeAsync(Session);
        _clock.Advance(TimeSpan.FromSeconds(120) + TimeSpan.FromTicks(1));

        var result = await login.VerifyTokenAsync(CardToken(nonce.Id), Session);

        Assert.Equal(VerdictCode.ChallengeExpired, result.Verdict.Code);
    }

    [Fact]
    public async Task VerifyTokenAsync_SignatureCertificateAtLogin_WrongKind()
    {
        var login = Create();
        var nonce = await login.IssueChallengeAsync(Session);
        var signCertificate = TestPki.Issue(new TestPki.Ee { Kind = CertificateKind.Signature, Serial = 0x1001 });

        var result = await login.VerifyTokenAsync(CardToken(nonce.Id, certificate: signCertificate), Session);

        Assert.Equal(VerdictCode.WrongKind, result.Verdict.Code);
    }

    [Fact]
    public async Task VerifyTokenAsync_SignatureCertificateWhereAsked_ValidWithBasicFourInfo()
    {
        var login = Create();
        var nonce = await login.IssueChallengeAsync(Session);
        var signCertificate = TestPki.Issue(new TestPki.Ee { Kind = CertificateKind.Signature, Serial = 0x1001 });

        var result = await login.VerifyTokenAsync(CardToken(nonce.Id, certificate: signCertificate), Session, CertificateKind.Signature);

        Assert.Equal(VerdictCode.Valid, result.Verdict.Code);
        Assert.Equal(TestPki.Holder.Name, result.BasicFourInfo!.Name);
    }

    [Fact]
    public async Task VerifyTokenAsync_RevokedAuthenticationCertificate_Revoked()
    {
        var certificate = AuthCertificate(0x3004);
        var crls = new CrlRevocationSource();
        crls.Add(TestPki.Crl(TestPki.AuthCa, TestPki.AuthCaKey, TestPki.Now.AddDays(-1), TestPki.Now.AddDays(6), (certificate, TestPki.Now.AddHours(-2), X509RevocationReason.KeyCompromise)));
        var login = Create(crls);
        var nonce = await login.IssueChallengeAsync(Session);

        var result = await login.VerifyTokenAsync(CardToken(nonce.Id, certificate: certificate), Session);

        Assert.Equal(VerdictCode.Revoked, result.Verdict.Code);
        Assert.Null(result.AccountKey);
    }

    [Fact]
    public async Task VerifyTokenAsync_ExpiredAuthenticationCertificate_Expired()
    {
        var login = Create();
        var nonce = await login.IssueChallengeAsync(Session);
        var expired = TestPki.Issue(new TestPki.Ee { Kind = CertificateKind.Authentication, Serial = 0x3005, NotBefore = TestPki.Now.AddYears(-5), NotAfter = TestPki.Now.AddDays(-1) });

        var result = await login.VerifyTokenAsync(CardToken(nonce.Id, certificate: expired), Session);

        Assert.Equal(VerdictCode.Expired, result.Verdict.Code);
    }

    [Fact]
    public async Task VerifyTokenAsync_UndecodableCertificate_MalformedAndNonceBurnt()
    {
        var login = Create();
        var nonce = await login.IssueChallengeAsync(Session);
        var token = CardToken(nonce.Id);

        var broken = await login.VerifyTokenAsync(token with { Certificate = new byte[] { 0x30, 0x03, 0x02, 0x01 } }, Session);
        var retried = await login.VerifyTokenAsync(token, Session);

        Assert.Equal(VerdictCode.Malformed, broken.Verdict.Code);
        Assert.Equal(VerdictCode.ChallengeRejected, retried.Verdict.Code);
    }

    [Fact]
    public async Task VerifyAsync_PlainAnswerToOriginBoundNonce_Refused()
    {
        var login = Create();
        var nonce = await login.IssueChallengeAsync(Session);
        var plain = TestPki.SubjectKey.SignData(nonce.Challenge.Span, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        var result = await login.VerifyAsync(nonce.Id, plain, AuthCertificate());

        Assert.Equal(VerdictCode.WrongSession, result.Verdict.Code);
    }

    [Fact]
    public void Constructor_OriginWithPath_Throws()
        => Assert.Throws<ArgumentException>(() => new LoginVerifier(Verifiers.Create(), _store, _clock, options: new LoginOptions { Origins = ["https://login.example.jp/path"] }));

    [Fact]
    public async Task VerifyTokenAsync_NoOriginsConfigured_Throws()
    {
        var login = new LoginVerifier(Verifiers.Create(), _store, _clock);
        var nonce = await login.IssueChallengeAsync(Session);

        await Assert.ThrowsAsync<InvalidOperationException>(() => login.VerifyTokenAsync(CardToken(nonce.Id), Session));
    }

    [Fact]
    public void SignedData_IsSha256OfOriginThenSha256OfNonce()
    {
        var data = LoginOrigin.SignedData("https://a.example", "bm9uY2U");

        Assert.Equal(64, data.Length);
        Assert.Equal(SHA256.HashData("https://a.example"u8), data[..32]);
        Assert.Equal(SHA256.HashData("bm9uY2U"u8), data[32..]);
        Assert.Equal(Convert.FromHexString("3031300d060960864801650304020105000420").Concat(SHA256.HashData(data)), LoginOrigin.DigestInfoToSign("https://a.example", "bm9uY2U"));
    }

    [Fact]
    public void SignedData_OpenSslVerifiesTheCardSignatureOverTheDocumentedBytes()
    {
        using var dir = new TempDir();
        var nonce = "q1w2e3r4t5y6u7i8o9p0AaSsDdFfGgHhJjKkLlZzXxC";
        var token = CardToken(nonce);
        var data = Path.Combine(dir.Path, "signed-data.bin");
        var signature = Path.Combine(dir.Path, "signature.bin");
        var key = Path.Combine(dir.Path, "auth.pem");
        File.WriteAllBytes(data, LoginOrigin.SignedData(Origin, nonce));
        File.WriteAllBytes(signature, token.Signature.ToArray());
        File.WriteAllText(key, OpenSsl.Pem("CERTIFICATE", token.Certificate.ToArray()));
        var (_, publicKey, _) = OpenSsl.Run("x509", "-in", key, "-noout", "-pubkey");
        File.WriteAllText(key, publicKey);

        var (exit, stdout, stderr) = OpenSsl.Run("dgst", "-sha256", "-verify", key, "-signature", signature, data);

        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("Verified OK", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HTTPS://Login.Example.JP:443", "https://login.example.jp")]
    [InlineData("http://127.0.0.1:8080/", "http://127.0.0.1:8080")]
    [InlineData("https://login.example.jp:8443", "https://login.example.jp:8443")]
    [InlineData("https://login.example.jp/path", null)]
    [InlineData("https://user@login.example.jp", null)]
    [InlineData("https://login.example.jp?q=1", null)]
    [InlineData("ftp://login.example.jp", null)]
    [InlineData("null", null)]
    public void Normalize_SerialisesAsABrowser(string text, string? expected)
        => Assert.Equal(expected, LoginOrigin.Normalize(text));

    [Fact]
    public void TryParse_RoundTrip()
    {
        var token = CardToken("bm9uY2U");

        Assert.True(LoginToken.TryParse(token.ToJson(), out var parsed, out var error), error);
        Assert.Equal(token.Origin, parsed!.Origin);
        Assert.Equal(token.Nonce, parsed.Nonce);
        Assert.Equal(token.Certificate.ToArray(), parsed.Certificate.ToArray());
        Assert.Equal(token.Signature.ToArray(), parsed.Signature.ToArray());
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{")]
    [InlineData("{\"format\":\"web-eid:1.0\",\"origin\":\"https://a.example\",\"nonce\":\"n\",\"certificate\":\"AA==\",\"algorithm\":\"RS256\",\"signature\":\"AA==\"}")]
    [InlineData("{\"format\":\"jpki-login:1\",\"origin\":\"https://a.example\",\"nonce\":\"n\",\"certificate\":\"AA==\",\"algorithm\":\"ES256\",\"signature\":\"AA==\"}")]
    [InlineData("{\"format\":\"jpki-login:1\",\"origin\":\"https://a.example/x\",\"nonce\":\"n\",\"certificate\":\"AA==\",\"algorithm\":\"RS256\",\"signature\":\"AA==\"}")]
    [InlineData("{\"format\":\"jpki-login:1\",\"origin\":\"https://a.example\",\"nonce\":\"\",\"certificate\":\"AA==\",\"algorithm\":\"RS256\",\"signature\":\"AA==\"}")]
    [InlineData("{\"format\":\"jpki-login:1\",\"origin\":\"https://a.example\",\"nonce\":\"n\",\"certificate\":\"not base64!\",\"algorithm\":\"RS256\",\"signature\":\"AA==\"}")]
    [InlineData("{\"format\":\"jpki-login:1\",\"origin\":\"https://a.example\",\"nonce\":\"n\",\"certificate\":\"AA==\",\"algorithm\":\"RS256\"}")]
    public void TryParse_BadToken_RefusedWithReason(string json)
    {
        Assert.False(LoginToken.TryParse(Encoding.UTF8.GetBytes(json), out var token, out var error));
        Assert.Null(token);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }
}
