using System.Security.Cryptography;
using Jpki.Core.Identity;
using Jpki.Verification.Cms;
using Jpki.Verification.Login;
using Jpki.Verification.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Verification.Tests.Login;

public class LoginVerifierTests
{
    private readonly FakeTimeProvider _clock = new(TestPki.Now);
    private readonly InMemoryChallengeStore _store = new();

    private LoginVerifier Create(ICertificateLinkage? linkage = null) => new(Verifiers.Create(), _store, _clock, linkage);

    /// <summary>The card: PKCS#1 v1.5 over the SHA-256 DigestInfo of the challenge.</summary>
    private static byte[] CardSign(LoginChallenge challenge, RSA? key = null)
        => (key ?? TestPki.SubjectKey).SignHash(SHA256.HashData(challenge.Challenge.Span), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    private static System.Security.Cryptography.X509Certificates.X509Certificate2 AuthCertificate(long serial = 0x3003)
        => TestPki.Issue(new TestPki.Ee { Kind = CertificateKind.Authentication, Serial = serial });

    [Fact]
    public async Task IssueChallengeAsync_Returns32RandomBytesLiving120Seconds()
    {
        var login = Create();
        var first = await login.IssueChallengeAsync();
        var second = await login.IssueChallengeAsync();

        Assert.Equal(32, first.Challenge.Length);
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(TestPki.Now.AddSeconds(120), first.ExpiresAt);
        Assert.Equal(2, _store.Count);
    }

    [Fact]
    public async Task VerifyAsync_CardSignature_ValidWithAccountKey()
    {
        var login = Create();
        var challenge = await login.IssueChallengeAsync();

        var result = await login.VerifyAsync(challenge.Id, CardSign(challenge), AuthCertificate());

        Assert.Equal(VerdictCode.Valid, result.Verdict.Code);
        Assert.StartsWith("jpki1:", result.AccountKey, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_Replay_Rejected()
    {
        var login = Create();
        var challenge = await login.IssueChallengeAsync();
        var signature = CardSign(challenge);
        _ = await login.VerifyAsync(challenge.Id, signature, AuthCertificate());

        var replay = await login.VerifyAsync(challenge.Id, signature, AuthCertificate());

        Assert.Equal(VerdictCode.ChallengeRejected, replay.Verdict.Code);
    }

    [Fact]
    public async Task VerifyAsync_AfterLifetime_Rejected()
    {
        var login = Create();
        var challenge = await login.IssueChallengeAsync();
        _clock.Advance(TimeSpan.FromSeconds(121));

        var result = await login.VerifyAsync(challenge.Id, CardSign(challenge), AuthCertificate());

        Assert.Equal(VerdictCode.ChallengeExpired, result.Verdict.Code);
    }

    [Fact]
    public async Task VerifyAsync_UnknownChallenge_Rejected()
    {
        var result = await Create().VerifyAsync("bm90LWlzc3VlZA", new byte[256], AuthCertificate());

        Assert.Equal(VerdictCode.ChallengeRejected, result.Verdict.Code);
    }

    [Fact]
    public async Task VerifyAsync_SignatureCertificate_WrongKind()
    {
        var login = Create();
        var challenge = await login.IssueChallengeAsync();

        var result = await login.VerifyAsync(challenge.Id, CardSign(challenge), TestPki.Issue());

        Assert.Equal(VerdictCode.WrongKind, result.Verdict.Code);
        Assert.Null(result.AccountKey);
    }

    [Fact]
    public async Task VerifyAsync_OtherKey_BadSignatureAndChallengeConsumed()
    {
        var login = Create();
        var challenge = await login.IssueChallengeAsync();

        var result = await login.VerifyAsync(challenge.Id, CardSign(challenge, TestPki.OtherSubjectKey), AuthCertificate());

        Assert.Equal(VerdictCode.BadSignature, result.Verdict.Code);
        Assert.Equal(0, _store.Count);
    }

    [Fact]
    public async Task VerifyAsync_RenewedCertificate_SameAccountKeyAsOriginal()
    {
        var original = AuthCertificate(0x3003);
        var renewed = AuthCertificate(0x4004);
        var renewedAgain = AuthCertificate(0x5005);
        var linkage = new FakeLinkage();
        linkage.Predecessors[CertificateId.Of(renewed)] = CertificateId.Of(original);
        linkage.Predecessors[CertificateId.Of(renewedAgain)] = CertificateId.Of(renewed);
        var login = Create(linkage);

        var keys = new List<string?>();
        foreach (var certificate in new[] { original, renewed, renewedAgain })
        {
            var challenge = await login.IssueChallengeAsync();
            keys.Add((await login.VerifyAsync(challenge.Id, CardSign(challenge), certificate)).AccountKey);
        }

        Assert.Single(keys.Distinct());
        Assert.Equal(AccountKeys.FromFirstCertificate(CertificateId.Of(original)), keys[0]);
    }

    [Fact]
    public async Task AccountKeyForSignatureCertificateAsync_LinkedAuth_MatchesLoginKey()
    {
        var auth = AuthCertificate();
        var sign = TestPki.Issue();
        var linkage = new FakeLinkage();
        linkage.AuthForSign[CertificateId.Of(sign)] = CertificateId.Of(auth);
        var login = Create(linkage);
        var challenge = await login.IssueChallengeAsync();

        var fromLogin = (await login.VerifyAsync(challenge.Id, CardSign(challenge), auth)).AccountKey;
        var fromSignature = await login.AccountKeyForSignatureCertificateAsync(sign);

        Assert.Equal(fromLogin, fromSignature);
    }

    [Fact]
    public async Task FirstOfChainAsync_Loop_Throws()
    {
        var a = new CertificateId("CN=CA", "01");
        var b = new CertificateId("CN=CA", "02");
        var linkage = new FakeLinkage();
        linkage.Predecessors[a] = b;
        linkage.Predecessors[b] = a;

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await AccountKeys.FirstOfChainAsync(a, linkage, CancellationToken.None));
    }

    [Fact]
    public void DigestInfo_Sha256Of_IsWhatTheCardSigns()
    {
        var data = "challenge"u8.ToArray();
        var digestInfo = DigestInfo.Sha256Of(data);

        Assert.Equal(51, digestInfo.Length);
        Assert.Equal(SHA256.HashData(data), digestInfo[^32..]);
    }

    private sealed class FakeLinkage : ICertificateLinkage
    {
        public Dictionary<CertificateId, CertificateId> Predecessors { get; } = [];

        public Dictionary<CertificateId, CertificateId> AuthForSign { get; } = [];

        public ValueTask<CertificateId?> FindPredecessorAsync(CertificateId certificate, CancellationToken cancellationToken)
            => ValueTask.FromResult(Predecessors.TryGetValue(certificate, out var p) ? p : (CertificateId?)null);

        public ValueTask<CertificateId?> FindAuthenticationForSignatureAsync(CertificateId signCertificate, CancellationToken cancellationToken)
            => ValueTask.FromResult(AuthForSign.TryGetValue(signCertificate, out var a) ? a : (CertificateId?)null);
    }
}
