using Jpki.Verification.Revocation;
using Jpki.Verification.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Verification.Tests.Revocation;

/// <summary>
/// OCSP answers cannot roll a revocation back (issue 12 item 1, the same class as the CRL rollback): once an answer said
/// revoked, a later "good" — a replayed pre-signed answer, a lagging second responder — is refused.
/// </summary>
[Trait("Category", "Security")]
public class OcspRollbackTests
{
    [Fact]
    public async Task CheckAsync_GoodAfterRevoked_StaysRevoked()
    {
        var certificate = TestPki.Issue(new TestPki.Ee { Serial = 0x7101 });
        var responder = new FakeOcspResponder();
        var serial = Convert.ToHexString(certificate.SerialNumberBytes.Span).TrimStart('0');
        responder.Revoked[serial] = (TestPki.Now.AddHours(-1), 1);
        var source = new OcspRevocationSource(new HttpClient(responder), new FakeTimeProvider(TestPki.Now), new OcspOptions { ResponderUri = new Uri("http://127.0.0.1:9/ocsp"), CacheAnswers = false });
        Assert.Equal(RevocationState.Revoked, (await source.CheckAsync(certificate, TestPki.SignCa, TestPki.Now, CancellationToken.None)).State);

        responder.Revoked.Remove(serial);
        var status = await source.CheckAsync(certificate, TestPki.SignCa, TestPki.Now, CancellationToken.None);

        Assert.Equal(2, responder.Requests);
        Assert.Equal(RevocationState.Revoked, status.State);
        Assert.Contains("revocation is final", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_CertificateHoldThenGood_Good()
    {
        var certificate = TestPki.Issue(new TestPki.Ee { Serial = 0x7102 });
        var responder = new FakeOcspResponder();
        var serial = Convert.ToHexString(certificate.SerialNumberBytes.Span).TrimStart('0');
        responder.Revoked[serial] = (TestPki.Now.AddHours(-1), 6);
        var source = new OcspRevocationSource(new HttpClient(responder), new FakeTimeProvider(TestPki.Now), new OcspOptions { ResponderUri = new Uri("http://127.0.0.1:9/ocsp"), CacheAnswers = false });
        Assert.Equal(RevocationState.Revoked, (await source.CheckAsync(certificate, TestPki.SignCa, TestPki.Now, CancellationToken.None)).State);

        responder.Revoked.Remove(serial);

        Assert.Equal(RevocationState.Good, (await source.CheckAsync(certificate, TestPki.SignCa, TestPki.Now, CancellationToken.None)).State);
    }
}
