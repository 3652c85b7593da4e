using System.Net;
using System.Text;
using Jpki.OnlineApplication;
using Jpki.Signing.Pades;
using Jpki.Signing.Xades;
using Microsoft.Extensions.DependencyInjection;

namespace Jpki.Server.Tests.OnlineApplication;

/// <summary>
/// The e-application accepts the request signed as a detached XAdES or as a signed request PDF besides the CMS, keeps
/// what it accepted at B-LTA (time-stamps from the authority's TSA, revocation data embedded), lets a clerk re-verify
/// it — still valid after the certificate was revoked — and refuses a signature over anything else.
/// </summary>
public sealed class EApplicationFormatsTests : IAsyncLifetime
{
    private readonly DirectoryInfo _cards = Directory.CreateTempSubdirectory("jpki-eapp-formats-");
    private EApplicationServer? _server;
    private CitizenCard? _card;

    private EApplicationServer Server => _server!;

    public async Task InitializeAsync()
    {
        _server = await EApplicationServer.StartAsync();
        _card = await CitizenCard.IssueAsync(Server.Authority, _cards.FullName, "EAPPFMT", EApplicationServer.Hanako);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _cards.Delete(recursive: true);
    }

    [Fact]
    public async Task ThreeFormats_AcceptedKeptAtBLta_ReverifiedValidAfterRevocation()
    {
        using var http = new HttpClient();
        var cmsDocument = Document("CCCCCCCCCCCCCCCCCCCCC1");
        var xmlDocument = Document("CCCCCCCCCCCCCCCCCCCCC2");
        var pdfDocument = Document("CCCCCCCCCCCCCCCCCCCCC3");
        var cms = _card!.SignDetached(cmsDocument, Server.Clock.GetUtcNow());
        var xml = SignXml(xmlDocument);
        var pdf = SignPdf(RequestPdf.Create(pdfDocument, "CCCCCCCCCCCCCCCCCCCCC3"));

        var receipts = new List<string>();
        foreach (var (document, signature, name) in new[] { (cmsDocument, cms, "request.json.p7s"), (xmlDocument, xml, "request.json.xml"), (pdfDocument, pdf, "request.signed.pdf") })
        {
            using var response = await SubmitAsync(http, document, signature, name);
            var page = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, page);
            receipts.Add(ReceiptOf(page));
        }

        var store = Server.App.Services.GetRequiredService<IApplicationStore>();
        Assert.Equal(["cades", "xades", "pades"], await Task.WhenAll(receipts.Select(async r => (await store.FindAsync(r, default))!.SignatureFormat)));

        // The kept PDF is the submitted one plus the DSS and document time-stamp updates; pdfsig still finds the signature valid.
        var kept = await StaffGetAsync(http, $"/e-application/staff/{receipts[2]}/signature");
        Assert.Equal("application/pdf", kept.Content.Headers.ContentType!.MediaType);
        var keptPdf = await kept.Content.ReadAsByteArrayAsync();
        Assert.Equal(pdf, keptPdf[..pdf.Length]);
        var file = Path.Combine(_cards.FullName, "kept.pdf");
        await File.WriteAllBytesAsync(file, keptPdf);
        var pdfsig = await ExternalTool.RunAsync("pdfsig", "poppler-utils", ["-nocert", file]);
        Assert.Contains("Signature Validation: Signature is Valid.", Encoding.UTF8.GetString(pdfsig.Output), StringComparison.Ordinal);
        Assert.Contains("Signer Certificate Common Name: OpenJpki", Encoding.UTF8.GetString(pdfsig.Output), StringComparison.Ordinal);

        // Years later in miniature: the certificate is revoked (the resident moved) after acceptance; the kept B-LTA
        // signatures still validate at the time their time-stamps prove.
        Server.Clock.Advance(TimeSpan.FromDays(30));
        await Server.Authority.Authority.RevokeAsync(_card.SignSerialHex, Jpki.Authority.Contracts.RevocationReason.AffiliationChanged, null, "test", CancellationToken.None);
        foreach (var receipt in receipts)
        {
            var page = await (await StaffGetAsync(http, $"/e-application/staff/{receipt}/verify")).Content.ReadAsStringAsync();
            Assert.Contains("id=\"indication\">有効（TOTAL-PASSED）", page, StringComparison.Ordinal);
            Assert.Contains("<td>B-LTA</td>", page, StringComparison.Ordinal);
            Assert.Contains("（タイムスタンプによる）", page, StringComparison.Ordinal);
        }

        // A fresh submission with the revoked certificate is refused, whatever the format.
        var late = Document("CCCCCCCCCCCCCCCCCCCCC4");
        using var refused = await SubmitAsync(http, late, SignXml(late), "request.json.xml");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("revoked", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignatureOverAnotherDocument_RefusedContentTampered()
    {
        using var http = new HttpClient();
        var document = Document("CCCCCCCCCCCCCCCCCCCCC5");
        var other = Document("CCCCCCCCCCCCCCCCCCCCC6", purpose: "別の目的");

        using var xml = await SubmitAsync(http, document, SignXml(other), "request.json.xml");
        using var pdf = await SubmitAsync(http, document, SignPdf(RequestPdf.Create(other, "CCCCCCCCCCCCCCCCCCCCC6")), "request.signed.pdf");
        var changed = RequestPdf.Create(document, "CCCCCCCCCCCCCCCCCCCCC5");
        changed[Encoding.Latin1.GetString(changed).IndexOf("\"copies\":1", StringComparison.Ordinal) + 9] = (byte)'9';
        using var tampered = await SubmitAsync(http, document, SignPdf(changed), "request.signed.pdf");

        foreach (var response in new[] { xml, pdf, tampered })
        {
            var page = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, page);
            Assert.Contains("content-tampered", page, StringComparison.Ordinal);
        }
    }

    private byte[] Document(string id, string purpose = "年金の手続き") => RequestDocument.Encode(new ApplicationRequest(
        id, RequestKind.SealCertificate, 1, purpose, false, false, false, true, null, Server.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(9))));

    private byte[] SignXml(byte[] document) => _card!.WithSigner(signer => XadesSigner.Sign(
        document, signer, Server.Clock.GetUtcNow(), new XadesSignOptions { Placement = XmlSignaturePlacement.Detached, DetachedUri = "request.json" }));

    private byte[] SignPdf(byte[] unsigned)
    {
        var input = Path.Combine(_cards.FullName, Guid.NewGuid().ToString("N") + ".pdf");
        var output = input + ".signed.pdf";
        File.WriteAllBytes(input, unsigned);
        _card!.WithSigner(signer =>
        {
            PadesSigner.Sign(input, output, signer, Server.Clock.GetUtcNow());
            return 0;
        });
        return File.ReadAllBytes(output);
    }

    private async Task<HttpResponseMessage> SubmitAsync(HttpClient http, byte[] document, byte[] signature, string name)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(Convert.ToBase64String(document)), "document" },
            { new ByteArrayContent(signature), "signature", name },
        };
        return await http.PostAsync(new Uri(Server.BaseUrl + "/e-application/submit"), form);
    }

    private async Task<HttpResponseMessage> StaffGetAsync(HttpClient http, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Server.BaseUrl + path));
        request.Headers.Add(TestStaffAuthentication.Header, "clerk-suzuki");
        var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    private static string ReceiptOf(string page)
    {
        var start = page.IndexOf("id=\"receipt\">", StringComparison.Ordinal) + "id=\"receipt\">".Length;
        return page[start..page.IndexOf('<', start)];
    }
}
