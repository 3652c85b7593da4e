using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Jpki.Signing.Cades;
using Jpki.Signing.Pades;
using Jpki.Signing.Revocation;
using Jpki.Signing.Tests.Support;
using Jpki.Signing.Timestamps;
using Jpki.Signing.Xades;
using Microsoft.Extensions.Logging;

namespace Jpki.Signing.Tests.Logging;

/// <summary>
/// The signing library's events (6101–6121) with a real resident's signature certificate (公的 太郎 of Kiyose, born
/// 1980-02-17): each format's signature and its extension are logged by format, level and serial; a TSA that cannot be
/// reached and revocation services that fail are logged by address and reason — and no event carries the subject,
/// the basic 4 info or the document.
/// </summary>
public sealed class SigningLoggingTests : IClassFixture<SigningAuthority>
{
    private static readonly byte[] Document = Encoding.UTF8.GetBytes("<request><what>住民票の写し</what></request>");

    private readonly SigningAuthority _pki;
    private readonly CollectingLoggerProvider _logs = new();

    public SigningLoggingTests(SigningAuthority pki) => _pki = pki;

    [Fact]
    public async Task SignEachFormatAndExtend_LogsFormatLevelAndSerial_NoPersonalData()
    {
        var certificate = await _pki.IssueAsync();
        var logger = _logs.CreateLogger("Jpki.Signing");
        var signer = _pki.Signer(certificate);
        var now = _pki.Clock.GetUtcNow();

        var cades = CadesSigner.Sign(Document, signer, now, logger: logger);
        XadesSigner.Sign(Document, signer, now, new XadesSignOptions { Logger = logger });
        var input = _pki.Dir.File("log-in.pdf");
        File.WriteAllBytes(input, TestPdf.Classic());
        PadesSigner.Sign(input, _pki.Dir.File("log-out.pdf"), signer, now, new PadesSignOptions { Logger = logger });
        var augmenter = new CadesAugmenter(
            new HttpTimestampClient(_pki.Http, new Uri(_pki.Base, "/tsa"), new TimestampClientOptions { Logger = logger }),
            new OnlineValidationDataSource(_pki.Http, new OnlineValidationDataOptions { ExtraCertificates = [_pki.SignCa, _pki.TsaRoot], Logger = logger }),
            logger);
        var lt = await augmenter.AugmentAsync(cades, CadesLevel.BaselineLt, Document, default);
        Assert.Empty(lt.Problems);

        var made = _logs.Of(6101);
        Assert.Equal(["CAdES", "XAdES", "PAdES"], made.Select(e => e.Values["Format"]));
        Assert.All(made, e => Assert.Equal(("B-B", certificate.SerialNumber, certificate.Issuer, LogLevel.Information), (e.Values["Level"], e.Values["Serial"], e.Values["Issuer"], e.Level)));
        var extended = Assert.Single(_logs.Of(6102));
        Assert.Equal(("CAdES", "B-LT", "0"), (extended.Values["Format"], extended.Values["Level"], extended.Values["Problems"]));
        Assert.Empty(_logs.Of(6110));
        Assert.Empty(_logs.Of(6121));
        AssertNoPersonalData(certificate);
    }

    [Fact]
    public async Task TsaUnreachableAndRevocationServicesFailing_LoggedByAddressAndReason_NoPersonalData()
    {
        var certificate = await _pki.IssueAsync();
        var logger = _logs.CreateLogger("Jpki.Signing");
        var cades = CadesSigner.Sign(Document, _pki.Signer(certificate), _pki.Clock.GetUtcNow());
        var closed = new Uri($"http://127.0.0.1:{ClosedPort()}/tsa");
        using var failing = new HttpClient(new AnswersWith(HttpStatusCode.ServiceUnavailable));

        var toT = new CadesAugmenter(new HttpTimestampClient(_pki.Http, closed, new TimestampClientOptions { Logger = logger }), null, logger);
        await Assert.ThrowsAsync<TimestampException>(() => toT.AugmentAsync(cades, CadesLevel.BaselineT, Document, default));
        var gathered = await new OnlineValidationDataSource(failing, new OnlineValidationDataOptions { ExtraCertificates = [_pki.SignCa], Logger = logger })
            .CollectAsync([certificate], default);

        var tsa = Assert.Single(_logs.Of(6110));
        Assert.Equal((closed.ToString(), LogLevel.Warning), (tsa.Values["Tsa"], tsa.Level));
        Assert.Contains("could not be reached", tsa.Values["Failure"], StringComparison.Ordinal);
        Assert.Equal(["ocsp", "crl"], _logs.Of(6120).Select(e => e.Values["Source"]));
        Assert.All(_logs.Of(6120), e => Assert.Contains("503", e.Values["Reason"], StringComparison.Ordinal));
        var none = Assert.Single(_logs.Of(6121));
        Assert.Equal((certificate.SerialNumber, LogLevel.Warning), (none.Values["Serial"], none.Level));
        Assert.NotEmpty(gathered.Problems);
        Assert.Empty(_logs.Of(6102));
        AssertNoPersonalData(certificate);
    }

    private void AssertNoPersonalData(X509Certificate2 certificate)
    {
        // Fixtures.Taro: the name, the address, the birth date in the forms a log could carry them; the whole subject.
        string[] personal = ["公的", "太郎", "清瀬", "中里", "1980-02-17", "19800217", "住民票", certificate.Subject];
        Assert.NotEmpty(_logs.Events);
        var leaks = _logs.Events.SelectMany(e => personal.Where(p => e.AllText.Contains(p, StringComparison.Ordinal)).Select(p => $"{p} in event {e.Id}")).ToList();
        Assert.True(leaks.Count == 0, string.Join("\n", leaks));
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Every request answered with one status: a revocation service that is down.</summary>
    private sealed class AnswersWith(HttpStatusCode status) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status));
    }
}
