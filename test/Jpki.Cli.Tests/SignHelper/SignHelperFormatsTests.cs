using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Jpki.Cli.Tests.SignHelper;

/// <summary>
/// <c>POST /sign?format=cades|xades|pades</c>: each answer judged by outside software with the card's signature CA as
/// the only trusted root — <c>openssl cms -verify</c>, <c>xmlsec1 --verify</c>, <c>pdfsig</c> — and refused by it once
/// the document or the answer is changed; and the requests the helper must refuse before it asks for a password.
/// </summary>
public sealed class SignHelperFormatsTests(HelperCardFixture card) : IClassFixture<HelperCardFixture>
{
    internal const string SignedPropertiesId = "http://uri.etsi.org/01903/v1.3.2#:SignedProperties";
    internal static readonly byte[] Json = Encoding.UTF8.GetBytes("{\"kind\":\"juminhyo\",\"purpose\":\"就職先への提出\"}");
    internal static readonly byte[] Xml = Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<申請 xmlns=\"urn:openjpki:test\"><手続>住民票の写しの交付請求</手続></申請>\n");

    [Fact]
    public async Task Cades_OpensslCmsVerifies_ChangedDocumentAndTamperedAnswerRefused()
    {
        var folder = card.NewFolder();
        await using var helper = await RunningHelper.StartAsync(card.NewCopy(), "ABC123\n", TimeProvider.System);

        using var response = await helper.SignAsync(Json, "format=cades&level=B-B");

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal("application/pkcs7-signature", response.Content.Headers.ContentType!.MediaType);
        var p7s = await response.Content.ReadAsByteArrayAsync();
        await Judges.AssertCmsAsync(folder, card.SignCaPem, Json, p7s);
        Assert.Contains("CAdES B-B", helper.Console.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task XadesEnveloped_Xmlsec1Verifies_TamperedAnswerRefused()
    {
        var folder = card.NewFolder();
        await using var helper = await RunningHelper.StartAsync(card.NewCopy(), "ABC123\n", TimeProvider.System);

        using var response = await helper.SignAsync(Xml, "format=xades");

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal("application/xml", response.Content.Headers.ContentType!.MediaType);
        var signed = await response.Content.ReadAsByteArrayAsync();
        Assert.Contains("<手続>住民票の写しの交付請求</手続>", Encoding.UTF8.GetString(signed), StringComparison.Ordinal);
        await Judges.AssertXmlAsync(folder, card.SignCaPem, signed, detachedName: null, document: null);
        var shown = helper.Console.ToString();
        Assert.Contains("XAdES B-B (enveloped", shown, StringComparison.Ordinal);
        Assert.Contains("住民票の写しの交付請求", shown, StringComparison.Ordinal);
        Assert.Contains(Convert.ToHexString(SHA256.HashData(Xml)), shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task XadesDetached_JsonDocument_Xmlsec1VerifiesWithTheNamedFile_ChangedDocumentRefused()
    {
        var folder = card.NewFolder();
        await using var helper = await RunningHelper.StartAsync(card.NewCopy(), "ABC123\n", TimeProvider.System);

        using var response = await helper.SignAsync(Json, "format=xades&placement=detached&name=request.json");

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var signature = await response.Content.ReadAsByteArrayAsync();
        Assert.Contains("URI=\"request.json\"", Encoding.UTF8.GetString(signature), StringComparison.Ordinal);
        await Judges.AssertXmlAsync(folder, card.SignCaPem, signature, detachedName: "request.json", document: Json);
    }

    [Fact]
    public async Task Pades_SignedPdfIsAnIncrementalUpdate_PdfsigValid_TamperedInvalid()
    {
        var folder = card.NewFolder();
        var pdf = TestPdf.Classic();
        await using var helper = await RunningHelper.StartAsync(card.NewCopy(), "ABC123\n", TimeProvider.System);

        using var response = await helper.SignAsync(pdf, "format=pades");

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
        var signed = await response.Content.ReadAsByteArrayAsync();
        Assert.True(signed.AsSpan().StartsWith(pdf), "The signed PDF must start with the original bytes (an incremental update).");
        await Judges.AssertPdfAsync(folder, signed);
        Assert.Contains("PAdES B-B", helper.Console.ToString(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string, HttpStatusCode, string> Refusals => new()
    {
        { "format=xades", "not XML, a letter", HttpStatusCode.UnsupportedMediaType, "not-xml" },
        { "format=xades", "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>", HttpStatusCode.UnsupportedMediaType, "not-xml" },
        { "format=pades", "{\"kind\":\"juminhyo\"}", HttpStatusCode.UnsupportedMediaType, "not-pdf" },
        { "format=pades", "%PDF-1.4 but nothing else", HttpStatusCode.UnprocessableEntity, "bad-pdf" },
        { "format=smime", "{}", HttpStatusCode.BadRequest, "unknown-format" },
        { "format=cades&level=B-X", "{}", HttpStatusCode.BadRequest, "unknown-level" },
        { "format=xades&level=B-T", "<a/>", HttpStatusCode.BadRequest, "level-needs-tsa" },
        { "format=cades&placement=detached", "{}", HttpStatusCode.BadRequest, "unknown-placement" },
        { "format=xades&placement=inside", "<a/>", HttpStatusCode.BadRequest, "unknown-placement" },
        { "format=xades&placement=detached&name=../etc/passwd", "{}", HttpStatusCode.BadRequest, "bad-name" },
        { "format=xades&name=request.json", "<a/>", HttpStatusCode.BadRequest, "bad-name" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Sign_FormatThatDoesNotFitOrIsNotKnown_ClearProblemBeforeAnyPassword(string query, string body, HttpStatusCode status, string code)
    {
        await using var helper = await RunningHelper.StartAsync(card.NewCopy(), "ABC123\n", TimeProvider.System);

        using var response = await helper.SignAsync(Encoding.UTF8.GetBytes(body), query);

        Assert.Equal(status, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(code, json.RootElement.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(json.RootElement.GetProperty("message").GetString()));
        Assert.Equal(RunningHelper.City, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.NotEqual(-1, helper.Stdin.Peek());
        Assert.DoesNotContain("署名の依頼", helper.Console.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("format=pades")]
    [InlineData("format=xades&placement=detached&name=request.json")]
    public async Task Sign_AnyFormat_OtherOrigin_RefusedWithoutAskingForPassword(string query)
    {
        await using var helper = await RunningHelper.StartAsync(card.NewCopy(), "ABC123\n", TimeProvider.System);

        using var response = await helper.SignAsync(TestPdf.Classic(), query, "https://evil.example");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.NotEqual(-1, helper.Stdin.Peek());
    }

    [Fact]
    public async Task XadesEnveloped_DocumentAlreadySignedWhole_RefusedAfterTheCardWithProblem()
    {
        await using var helper = await RunningHelper.StartAsync(card.NewCopy(), "ABC123\nABC123\n", TimeProvider.System);
        using var first = await helper.SignAsync(Xml, "format=xades");
        var once = await first.Content.ReadAsByteArrayAsync();

        using var second = await helper.SignAsync(once, "format=xades");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, second.StatusCode);
        using var json = JsonDocument.Parse(await second.Content.ReadAsStringAsync());
        Assert.Equal("cannot-sign", json.RootElement.GetProperty("code").GetString());
    }
}
