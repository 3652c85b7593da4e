using System.Security.Cryptography.X509Certificates;
using Jpki.Verification.Revocation;
using Jpki.Verification.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Verification.Tests.Security;

/// <summary>
/// Issue 12 item 2, the relying party's half: revocation data that names a revocation time after it was itself produced
/// (a CRL entry dated after thisUpdate, an OCSP revocationTime after thisUpdate) cannot know that time; the listing is
/// evidence the certificate is revoked, so it counts as revoked from the moment the data was produced, not from 2099.
/// </summary>
[Trait("Category", "Security")]
public class FutureRevocationTests
{
    private static readonly DateTimeOffset Year2099 = new(2099, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Crl_EntryDatedAfterThisUpdate_RevokedFromThisUpdate()
    {
        var certificate = TestPki.Issue();
        var thisUpdate = TestPki.Now.AddDays(-1);
        var source = new CrlRevocationSource();
        source.Add(TestPki.Crl(TestPki.SignCa, TestPki.SignCaKey, thisUpdate, TestPki.Now.AddDays(6), (certificate, Year2099, X509RevocationReason.KeyCompromise)));

        var status = await source.CheckAsync(certificate, TestPki.SignCa, TestPki.Now, CancellationToken.None);

        Assert.Equal(RevocationState.Revoked, status.State);
        Assert.Equal(thisUpdate, status.RevokedAt);
    }

    [Fact]
    public async Task Ocsp_RevocationTimeAfterThisUpdate_RevokedFromThisUpdate()
    {
        var certificate = TestPki.Issue();
        var responder = new FakeOcspResponder();
        responder.Revoked[Convert.ToHexString(certificate.SerialNumberBytes.Span).TrimStart('0')] = (Year2099, 1);
        var source = new OcspRevocationSource(new HttpClient(responder), new FakeTimeProvider(TestPki.Now), new OcspOptions { ResponderUri = new Uri("http://127.0.0.1:9/ocsp") });

        var status = await source.CheckAsync(certificate, TestPki.SignCa, TestPki.Now, CancellationToken.None);

        Assert.Equal(RevocationState.Revoked, status.State);
        Assert.Equal(responder.ThisUpdate, status.RevokedAt);
    }
}
