using System.Net;
using System.Text;
using Jpki.OnlineApplication;
using Microsoft.Extensions.DependencyInjection;

namespace Jpki.Server.Tests.OnlineApplication;

/// <summary>The submit and staff endpoints over plain HTTP: replays, non-canonical documents, limits, cross-site staff posts.</summary>
public sealed class EApplicationHttpTests : IAsyncLifetime
{
    private readonly DirectoryInfo _cards = Directory.CreateTempSubdirectory("jpki-eapp-http-");
    private EApplicationServer? _server;
    private CitizenCard? _card;

    private EApplicationServer Server => _server!;

    public async Task InitializeAsync()
    {
        _server = await EApplicationServer.StartAsync();
        _card = await CitizenCard.IssueAsync(Server.Authority, _cards.FullName, "EAPPHTTP", EApplicationServer.Hanako);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _cards.Delete(recursive: true);
    }

    private byte[] Document(string purpose = "年金の手続き") => RequestDocument.Encode(new ApplicationRequest(
        "CCCCCCCCCCCCCCCCCCCCCC", RequestKind.SealCertificate, 1, purpose, false, false, false, true, null, Server.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(9))));

    private async Task<HttpResponseMessage> SubmitAsync(HttpClient http, byte[] document, byte[] signature)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(Convert.ToBase64String(document)), "document" },
            { new ByteArrayContent(signature), "signature", "request.json.p7s" },
        };
        return await http.PostAsync(new Uri(Server.BaseUrl + "/e-application/submit"), form);
    }

    [Fact]
    public async Task Submit_SameSignedDocumentTwice_SecondRefusedAsReplay()
    {
        using var http = new HttpClient();
        var document = Document();
        var signature = _card!.SignDetached(document, Server.Clock.GetUtcNow());

        using var first = await SubmitAsync(http, document, signature);
        using var second = await SubmitAsync(http, document, signature);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("id=\"receipt\"", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
    }

    [Fact]
    public async Task Submit_RevokedRightAfterAnAcceptedRequest_NextRequestRefusedAtOnce()
    {
        using var http = new HttpClient();
        var first = Document("年金の手続き");
        using var accepted = await SubmitAsync(http, first, _card!.SignDetached(first, Server.Clock.GetUtcNow()));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);

        // The resident moves: the counter revokes the signature certificate. The service sits next to the authority and
        // must not answer from an OCSP "good" remembered until nextUpdate.
        var revoked = await Server.Authority.Authority.RevokeAsync(
            _card.SignSerialHex, Jpki.Authority.Contracts.RevocationReason.AffiliationChanged, null, "test", CancellationToken.None);
        Assert.Equal(Jpki.Authority.Contracts.RevokeResult.Revoked, revoked);
        var second = Document("銀行口座の開設");
        using var refused = await SubmitAsync(http, second, _card.SignDetached(second, Server.Clock.GetUtcNow()));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("失効", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_ValidSignatureOverNonCanonicalDocument_Refused()
    {
        using var http = new HttpClient();
        var document = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Document()).Replace(",", ", ", StringComparison.Ordinal));
        var signature = _card!.SignDetached(document, Server.Clock.GetUtcNow());

        using var response = await SubmitAsync(http, document, signature);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("正規の形式", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_DocumentPreparedMoreThanSevenDaysAgo_Refused()
    {
        using var http = new HttpClient();
        var document = Document();
        Server.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        var signature = _card!.SignDetached(document, Server.Clock.GetUtcNow());

        using var response = await SubmitAsync(http, document, signature);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("有効期限", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_NotCms_RefusedAsMalformed()
    {
        using var http = new HttpClient();

        using var response = await SubmitAsync(http, Document(), [0x30, 0x03, 0x02, 0x01, 0x00]);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("id=\"verdict-code\">malformed<", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_OverSizeLimit_Refused()
    {
        using var http = new HttpClient();

        using var response = await SubmitAsync(http, Document(), new byte[300 * 1024]);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task StaffDecide_CrossSiteOrigin_Forbidden()
    {
        using var http = new HttpClient();
        var document = Document();
        using var accepted = await SubmitAsync(http, document, _card!.SignDetached(document, Server.Clock.GetUtcNow()));
        var page = await accepted.Content.ReadAsStringAsync();
        var start = page.IndexOf("id=\"receipt\">", StringComparison.Ordinal) + "id=\"receipt\">".Length;
        var receipt = page[start..page.IndexOf('<', start)];
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Server.BaseUrl + "/e-application/staff/" + receipt))
        {
            Content = new FormUrlEncodedContent([new("action", "done"), new("note", "")]),
        };
        request.Headers.Add(TestStaffAuthentication.Header, "clerk-suzuki");
        request.Headers.Add("Origin", "https://evil.example");

        using var response = await http.SendAsync(request);

        // Refused before any change: the CSRF filter (no token) or the same-origin check.
        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.BadRequest, HttpStatusCode.Forbidden });
        var stored = await Server.App.Services.GetRequiredService<IApplicationStore>().FindAsync(receipt, default);
        Assert.Equal(ApplicationStatus.Received, stored!.Status);
    }
}
