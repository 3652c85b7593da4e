using System.Security.Cryptography.X509Certificates;
using Jpki.Verification.Revocation;
using Jpki.Verification.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Verification.Tests.Revocation;

public class OcspRevocationSourceTests
{
    private static readonly Uri Responder = new("http://127.0.0.1:9/ocsp");

    private static async Task<(RevocationStatus Status, FakeOcspResponder Responder, OcspRevocationSource Source)> AskAsync(FakeOcspResponder responder, X509Certificate2? certificate = null, OcspOptions? options = null, FakeTimeProvider? clock = null)
    {
        var source = new OcspRevocationSource(new HttpClient(responder), clock ?? new FakeTimeProvider(TestPki.Now), options ?? new OcspOptions { ResponderUri = Responder });
        var status = await source.CheckAsync(certificate ?? TestPki.Issue(), TestPki.SignCa, TestPki.Now, CancellationToken.None);
        return (status, responder, source);
    }

    [Fact]
    public async Task CheckAsync_GoodAnswerSignedByCa_ReturnsGood()
    {
        var (status, _, _) = await AskAsync(new FakeOcspResponder());

        Assert.Equal(RevocationState.Good, status.State);
    }

    [Fact]
    public async Task CheckAsync_RevokedAnswer_ReturnsRevokedWithTimeAndReason()
    {
        var certificate = TestPki.Issue();
        var responder = new FakeOcspResponder();
        responder.Revoked[Convert.ToHexString(certificate.SerialNumberBytes.Span).TrimStart('0')] = (TestPki.Now.AddDays(-1), 1);

        var (status, _, _) = await AskAsync(responder, certificate);

        Assert.Equal(RevocationState.Revoked, status.State);
        Assert.Equal(TestPki.Now.AddDays(-1), status.RevokedAt);
        Assert.Equal(RevocationReason.KeyCompromise, status.Reason);
    }

    [Fact]
    public async Task CheckAsync_SignedByWrongKey_ReturnsUnknown()
    {
        var (status, _, _) = await AskAsync(new FakeOcspResponder { SigningKey = TestPki.RogueKey });

        Assert.Equal(RevocationState.Unknown, status.State);
        Assert.Contains("neither the CA", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_DelegatedResponderWithOcspSigning_ReturnsGood()
    {
        var responderCertificate = FakeOcspResponder.Delegate(TestPki.SignCa, TestPki.SignCaKey, TestPki.OtherSubjectKey, withOcspSigning: true);
        var (status, _, _) = await AskAsync(new FakeOcspResponder { SigningKey = TestPki.OtherSubjectKey, ResponderCertificate = responderCertificate });

        Assert.Equal(RevocationState.Good, status.State);
    }

    [Fact]
    public async Task CheckAsync_DelegatedResponderWithoutOcspSigning_ReturnsUnknown()
    {
        var responderCertificate = FakeOcspResponder.Delegate(TestPki.SignCa, TestPki.SignCaKey, TestPki.OtherSubjectKey, withOcspSigning: false);
        var (status, _, _) = await AskAsync(new FakeOcspResponder { SigningKey = TestPki.OtherSubjectKey, ResponderCertificate = responderCertificate });

        Assert.Equal(RevocationState.Unknown, status.State);
    }

    [Fact]
    public async Task CheckAsync_DelegateIssuedByAnotherCa_ReturnsUnknown()
    {
        var responderCertificate = FakeOcspResponder.Delegate(TestPki.RogueCa, TestPki.RogueKey, TestPki.OtherSubjectKey, withOcspSigning: true);
        var (status, _, _) = await AskAsync(new FakeOcspResponder { SigningKey = TestPki.OtherSubjectKey, ResponderCertificate = responderCertificate });

        Assert.Equal(RevocationState.Unknown, status.State);
    }

    [Fact]
    public async Task CheckAsync_StaleAnswer_ReturnsUnknown()
    {
        var (status, _, _) = await AskAsync(new FakeOcspResponder { ThisUpdate = TestPki.Now.AddDays(-2), NextUpdate = TestPki.Now.AddDays(-1) });

        Assert.Equal(RevocationState.Unknown, status.State);
        Assert.Contains("stale", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_ThisUpdateInTheFuture_ReturnsUnknown()
    {
        var (status, _, _) = await AskAsync(new FakeOcspResponder { ThisUpdate = TestPki.Now.AddHours(1), NextUpdate = TestPki.Now.AddHours(2) });

        Assert.Equal(RevocationState.Unknown, status.State);
    }

    [Theory]
    [InlineData(FakeOcspResponder.NonceMode.Wrong, false)]
    [InlineData(FakeOcspResponder.NonceMode.Wrong, true)]
    [InlineData(FakeOcspResponder.NonceMode.Omit, true)]
    public async Task CheckAsync_NonceWrongOrMissingInStrictMode_ReturnsUnknown(FakeOcspResponder.NonceMode mode, bool strict)
    {
        var (status, _, _) = await AskAsync(new FakeOcspResponder { Nonce = mode }, options: new OcspOptions { ResponderUri = Responder, RequireNonce = strict });

        Assert.Equal(RevocationState.Unknown, status.State);
        Assert.Contains("nonce", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_RecentAnswerWithoutNonce_ReturnsGoodByDefault()
    {
        var (status, _, _) = await AskAsync(new FakeOcspResponder { Nonce = FakeOcspResponder.NonceMode.Omit });

        Assert.Equal(RevocationState.Good, status.State);
    }

    [Fact]
    public async Task CheckAsync_OldAnswerWithoutNonceWithinNextUpdate_ReturnsUnknown()
    {
        // A pre-signed answer two days old with a far nextUpdate: fresh by nextUpdate, but too old to trust without a nonce.
        var responder = new FakeOcspResponder { Nonce = FakeOcspResponder.NonceMode.Omit, ThisUpdate = TestPki.Now.AddDays(-2), NextUpdate = TestPki.Now.AddDays(5) };

        var (status, _, _) = await AskAsync(responder);

        Assert.Equal(RevocationState.Unknown, status.State);
        Assert.Contains("does not echo the nonce", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_OldAnswerWithEchoedNonce_ReturnsGood()
    {
        var responder = new FakeOcspResponder { ThisUpdate = TestPki.Now.AddDays(-2), NextUpdate = TestPki.Now.AddDays(5) };

        var (status, _, _) = await AskAsync(responder);

        Assert.Equal(RevocationState.Good, status.State);
    }

    [Fact]
    public async Task CheckAsync_AnswerWithoutNonceOrNextUpdate_ReturnsUnknown()
    {
        var responder = new FakeOcspResponder { Nonce = FakeOcspResponder.NonceMode.Omit, NextUpdate = null };

        var (status, _, _) = await AskAsync(responder);

        Assert.Equal(RevocationState.Unknown, status.State);
        Assert.Contains("no nextUpdate", status.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public async Task CheckAsync_SendNonceOption_ControlsTheRequestExtension(bool send, bool expected)
    {
        var (status, responder, _) = await AskAsync(new FakeOcspResponder(), options: new OcspOptions { ResponderUri = Responder, SendNonce = send });

        Assert.Equal(RevocationState.Good, status.State);
        Assert.Equal(expected, responder.LastRequestHadNonce);
    }

    [Fact]
    public async Task CheckAsync_StrictModeSendsNonceEvenWhenSendNonceOff()
    {
        var (status, responder, _) = await AskAsync(new FakeOcspResponder(), options: new OcspOptions { ResponderUri = Responder, SendNonce = false, RequireNonce = true });

        Assert.Equal(RevocationState.Good, status.State);
        Assert.True(responder.LastRequestHadNonce);
    }

    [Fact]
    public async Task CheckAsync_AnswerForAnotherCertificate_ReturnsUnknown()
    {
        var (status, _, _) = await AskAsync(new FakeOcspResponder { AnswerForOtherSerial = true });

        Assert.Equal(RevocationState.Unknown, status.State);
        Assert.Contains("certID", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_SecondAskBeforeNextUpdate_AnsweredFromCache()
    {
        var clock = new FakeTimeProvider(TestPki.Now);
        var certificate = TestPki.Issue();
        var (_, responder, source) = await AskAsync(new FakeOcspResponder(), certificate, clock: clock);

        clock.Advance(TimeSpan.FromMinutes(30));
        var cached = await source.CheckAsync(certificate, TestPki.SignCa, clock.GetUtcNow(), CancellationToken.None);
        Assert.Equal(1, responder.Requests);

        clock.Advance(TimeSpan.FromMinutes(31));
        _ = await source.CheckAsync(certificate, TestPki.SignCa, clock.GetUtcNow(), CancellationToken.None);

        Assert.Equal(RevocationState.Good, cached.State);
        Assert.Equal(2, responder.Requests);
    }

    [Fact]
    public async Task CheckAsync_CachingOff_AsksEveryTime()
    {
        var clock = new FakeTimeProvider(TestPki.Now);
        var certificate = TestPki.Issue();
        var (_, responder, source) = await AskAsync(new FakeOcspResponder(), certificate, new OcspOptions { ResponderUri = Responder, CacheAnswers = false }, clock);

        clock.Advance(TimeSpan.FromMinutes(1));
        var second = await source.CheckAsync(certificate, TestPki.SignCa, clock.GetUtcNow(), CancellationToken.None);

        Assert.Equal(RevocationState.Good, second.State);
        Assert.Equal(2, responder.Requests);
        Assert.Equal(0, source.CachedAnswers);
    }

    [Fact]
    public async Task CheckAsync_NoResponderAnywhere_ReturnsUnknown()
    {
        var source = new OcspRevocationSource(new HttpClient(new FakeOcspResponder()), new FakeTimeProvider(TestPki.Now));
        var status = await source.CheckAsync(TestPki.Issue(), TestPki.SignCa, TestPki.Now, CancellationToken.None);

        Assert.Equal(RevocationState.Unknown, status.State);
    }

    [Fact]
    public async Task VerifyCmsAsync_OcspRevoked_ReturnsRevokedVerdict()
    {
        var certificate = TestPki.Issue();
        var responder = new FakeOcspResponder();
        responder.Revoked[Convert.ToHexString(certificate.SerialNumberBytes.Span).TrimStart('0')] = (TestPki.Now.AddHours(-2), 3);
        var source = new OcspRevocationSource(new HttpClient(responder), new FakeTimeProvider(TestPki.Now), new OcspOptions { ResponderUri = Responder });
        var signature = Jpki.Verification.Cms.CmsSignatureBuilder.Sign("x"u8, certificate, TestPki.SubjectKey, detached: true, TestPki.Now.AddDays(-1));

        var result = await Verifiers.Create(source).VerifyCmsAsync(signature, "x"u8.ToArray());

        Assert.Equal(VerdictCode.Revoked, result.Verdict.Code);
        Assert.Equal(RevocationReason.AffiliationChanged, result.Verdict.RevocationReason);
    }
}
