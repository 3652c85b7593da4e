using System.Security.Cryptography;
using Jpki.Core.Identity;
using Jpki.Verification.Login;
using Jpki.Verification.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Verification.Tests.Login;

/// <summary>
/// Issue 7, security: a login answer cannot be used twice, on another challenge, after its lifetime, by two requests racing
/// each other, or at another relying party (docs/security.md, "Login replay").
/// </summary>
public class LoginReplayTests
{
    private readonly FakeTimeProvider _clock = new(TestPki.Now);
    private readonly InMemoryChallengeStore _store = new();

    private LoginVerifier Create(IChallengeStore? store = null) => new(Verifiers.Create(), store ?? _store, _clock);

    private static byte[] CardSign(LoginChallenge challenge)
        => TestPki.SubjectKey.SignHash(SHA256.HashData(challenge.Challenge.Span), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    private static System.Security.Cryptography.X509Certificates.X509Certificate2 AuthCertificate()
        => TestPki.Issue(new TestPki.Ee { Kind = CertificateKind.Authentication, Serial = 0x3003 });

    [Fact]
    public async Task VerifyAsync_SameSignedAnswerTwice_SecondRefused()
    {
        var login = Create();
        var challenge = await login.IssueChallengeAsync();
        var signature = CardSign(challenge);

        var first = await login.VerifyAsync(challenge.Id, signature, AuthCertificate());
        var second = await login.VerifyAsync(challenge.Id, signature, AuthCertificate());

        Assert.Equal(VerdictCode.Valid, first.Verdict.Code);
        Assert.Equal(VerdictCode.ChallengeRejected, second.Verdict.Code);
        Assert.Null(second.AccountKey);
    }

    [Fact]
    public async Task VerifyAsync_AnswerToChallengeAOnChallengeB_RefusedAndBConsumed()
    {
        var login = Create();
        var a = await login.IssueChallengeAsync();
        var b = await login.IssueChallengeAsync();
        var answerToA = CardSign(a);

        var crossed = await login.VerifyAsync(b.Id, answerToA, AuthCertificate());
        var rightAnswerToB = await login.VerifyAsync(b.Id, CardSign(b), AuthCertificate());
        var answerAtA = await login.VerifyAsync(a.Id, answerToA, AuthCertificate());

        Assert.Equal(VerdictCode.BadSignature, crossed.Verdict.Code);
        Assert.Equal(VerdictCode.ChallengeRejected, rightAnswerToB.Verdict.Code);
        Assert.Equal(VerdictCode.Valid, answerAtA.Verdict.Code);
    }

    [Fact]
    public async Task VerifyAsync_AtTheLastInstant_Valid_OneTickLater_Refused()
    {
        var login = Create();
        var onTime = await login.IssueChallengeAsync();
        var late = await login.IssueChallengeAsync();

        _clock.Advance(TimeSpan.FromSeconds(120));
        var atEnd = await login.VerifyAsync(onTime.Id, CardSign(onTime), AuthCertificate());
        _clock.Advance(TimeSpan.FromTicks(1));
        var afterEnd = await login.VerifyAsync(late.Id, CardSign(late), AuthCertificate());

        Assert.Equal(VerdictCode.Valid, atEnd.Verdict.Code);
        Assert.Equal(VerdictCode.ChallengeExpired, afterEnd.Verdict.Code);
    }

    [Fact]
    public async Task VerifyAsync_ExpiredThenClockSetBack_StillRefused()
    {
        var clock = new SettableClock { Now = TestPki.Now };
        var login = new LoginVerifier(Verifiers.Create(), _store, clock);
        var challenge = await login.IssueChallengeAsync();
        var signature = CardSign(challenge);
        clock.Now = TestPki.Now.AddMinutes(3);
        var expired = await login.VerifyAsync(challenge.Id, signature, AuthCertificate());

        // The clock steps back (NTP correction): the expired attempt already consumed the challenge.
        clock.Now = TestPki.Now;
        var retried = await login.VerifyAsync(challenge.Id, signature, AuthCertificate());

        Assert.Equal(VerdictCode.ChallengeExpired, expired.Verdict.Code);
        Assert.Equal(VerdictCode.ChallengeRejected, retried.Verdict.Code);
    }

    [Theory]
    [InlineData("=")]
    [InlineData(" ")]
    [InlineData("A")]
    public async Task VerifyAsync_ChallengeIdAltered_Refused(string suffix)
    {
        var login = Create();
        var challenge = await login.IssueChallengeAsync();

        var altered = await login.VerifyAsync(challenge.Id + suffix, CardSign(challenge), AuthCertificate());
        var upper = await login.VerifyAsync(challenge.Id.ToUpperInvariant() == challenge.Id ? challenge.Id.ToLowerInvariant() : challenge.Id.ToUpperInvariant(), CardSign(challenge), AuthCertificate());

        Assert.Equal(VerdictCode.ChallengeRejected, altered.Verdict.Code);
        Assert.Equal(VerdictCode.ChallengeRejected, upper.Verdict.Code);
    }

    [Fact]
    public async Task VerifyAsync_SameAnswerRacing_ExactlyOneValid()
    {
        const int racers = 16;
        for (var round = 0; round < 20; round++)
        {
            var login = Create();
            var challenge = await login.IssueChallengeAsync();
            var signature = CardSign(challenge);
            var certificate = AuthCertificate();
            using var start = new Barrier(racers);
            var tasks = Enumerable.Range(0, racers).Select(_ => Task.Factory.StartNew(
                () =>
                {
                    start.SignalAndWait(TimeSpan.FromSeconds(60));
                    return login.VerifyAsync(challenge.Id, signature, certificate).GetAwaiter().GetResult();
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default)).ToArray();

            var results = await Task.WhenAll(tasks);

            Assert.Equal(1, results.Count(r => r.IsValid));
            Assert.All(results.Where(r => !r.IsValid), r => Assert.Equal(VerdictCode.ChallengeRejected, r.Verdict.Code));
        }
    }

    [Fact]
    public async Task VerifyAsync_ChallengeOfAnotherRelyingParty_Refused()
    {
        // Each relying party has its own store: a challenge issued by A (and the card's answer to it) means nothing at B.
        var relyingPartyA = Create();
        var relyingPartyB = Create(new InMemoryChallengeStore());
        var challenge = await relyingPartyA.IssueChallengeAsync();

        var atB = await relyingPartyB.VerifyAsync(challenge.Id, CardSign(challenge), AuthCertificate());
        var atA = await relyingPartyA.VerifyAsync(challenge.Id, CardSign(challenge), AuthCertificate());

        Assert.Equal(VerdictCode.ChallengeRejected, atB.Verdict.Code);
        Assert.Equal(VerdictCode.Valid, atA.Verdict.Code);
    }

    [Fact]
    public async Task IssueChallengeAsync_ManyChallenges_AllDistinct()
    {
        var login = Create();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(ids.Add((await login.IssueChallengeAsync()).Id));
        }
    }

    private sealed class SettableClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
