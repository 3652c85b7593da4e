using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Text;
using System.Text.Json;
using Jpki.Card.Transport;
using Jpki.Card.Virtual;
using Jpki.Cli.Commands.SignHelper;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Cli.Tests.SignHelper;

public sealed class SignHelperServerTests(HelperCardFixture card) : IClassFixture<HelperCardFixture>
{
    private const string City = "http://127.0.0.1:8080";
    private static readonly byte[] Document = Encoding.UTF8.GetBytes("{\"kind\":\"juminhyo\",\"purpose\":\"就職先への提出\"}");

    private sealed class Helper : IAsyncDisposable
    {
        public required SignHelperServer Server { get; init; }

        public required StringReader Stdin { get; init; }

        public required StringWriter Console { get; init; }

        public HttpClient Http { get; } = new();

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await Server.DisposeAsync();
        }
    }

    private async Task<Helper> StartAsync(string typedAtConsole)
    {
        var path = card.NewCopy();
        var stdin = new StringReader(typedAtConsole);
        var console = new StringWriter();
        var context = new CliContext(console, console, new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 1, 0, 0, TimeSpan.Zero))) { Stdin = stdin };
        var server = new SignHelperServer(
            new SignHelperOptions(0, [City]),
            () => (new InProcessTransport(VirtualCard.Open(path), "card", ownsCard: true), null),
            new ConsolePasswordPrompt(context),
            console,
            context.Clock);
        await server.StartAsync(CancellationToken.None);
        return new Helper { Server = server, Stdin = stdin, Console = console };
    }

    private static HttpRequestMessage SignRequest(Helper helper, string? origin, byte[]? body = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(helper.Server.Address, "/sign")) { Content = new ByteArrayContent(body ?? Document) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return request;
    }

    [Fact]
    public async Task Sign_AllowedOriginAndPasswordAtConsole_ReturnsDetachedCmsOverDocument()
    {
        await using var helper = await StartAsync("abc123\n");

        using var response = await helper.Http.SendAsync(SignRequest(helper, City));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pkcs7-signature", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(City, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var cms = new SignedCms(new ContentInfo(Document), detached: true);
        cms.Decode(await response.Content.ReadAsByteArrayAsync());
        cms.CheckSignature(verifySignatureOnly: true);
        var shown = helper.Console.ToString();
        Assert.Contains(Convert.ToHexString(SHA256.HashData(Document)), shown, StringComparison.Ordinal);
        Assert.Contains("就職先への提出", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("abc123", shown, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("http://127.0.0.1:8081")]
    [InlineData("null")]
    [InlineData(null)]
    public async Task Sign_OtherOrMissingOrigin_RefusedWithoutAskingForPassword(string? origin)
    {
        await using var helper = await StartAsync("ABC123\n");

        using var response = await helper.Http.SendAsync(SignRequest(helper, origin));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("origin-refused", await CodeAsync(response));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.NotEqual(-1, helper.Stdin.Peek());
    }

    [Fact]
    public async Task Preflight_AllowedOrigin_AllowsPostAndPrivateNetwork()
    {
        await using var helper = await StartAsync("");
        using var request = new HttpRequestMessage(HttpMethod.Options, new Uri(helper.Server.Address, "/sign"));
        request.Headers.Add("Origin", City);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Private-Network", "true");

        using var response = await helper.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(City, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("true", response.Headers.GetValues("Access-Control-Allow-Private-Network").Single());
    }

    [Fact]
    public async Task Preflight_OtherOrigin_Forbidden()
    {
        await using var helper = await StartAsync("");
        using var request = new HttpRequestMessage(HttpMethod.Options, new Uri(helper.Server.Address, "/sign"));
        request.Headers.Add("Origin", "https://evil.example");
        request.Headers.Add("Access-Control-Request-Method", "POST");

        using var response = await helper.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Sign_WrongPassword_ClearErrorWithTriesLeft()
    {
        await using var helper = await StartAsync("WRONG99\nWRONG98\n");

        using var first = await helper.Http.SendAsync(SignRequest(helper, City));
        using var second = await helper.Http.SendAsync(SignRequest(helper, City));

        Assert.Equal(HttpStatusCode.Forbidden, first.StatusCode);
        using var firstJson = JsonDocument.Parse(await first.Content.ReadAsStringAsync());
        Assert.Equal("password-wrong", firstJson.RootElement.GetProperty("code").GetString());
        Assert.Equal(4, firstJson.RootElement.GetProperty("triesLeft").GetInt32());
        Assert.Contains("残り4回", firstJson.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        using var secondJson = JsonDocument.Parse(await second.Content.ReadAsStringAsync());
        Assert.Equal(3, secondJson.RootElement.GetProperty("triesLeft").GetInt32());
        Assert.DoesNotContain("WRONG9", helper.Console.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_SeventeenCharacterPassword_RefusedBeforeTheCardWithoutSpendingATry()
    {
        await using var helper = await StartAsync("ABCDEFGH123456789\nWRONG99\n");

        using var tooLong = await helper.Http.SendAsync(SignRequest(helper, City));
        using var wrong = await helper.Http.SendAsync(SignRequest(helper, City));

        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        var body = await tooLong.Content.ReadAsStringAsync();
        using (var json = JsonDocument.Parse(body))
        {
            Assert.Equal("password-format", json.RootElement.GetProperty("code").GetString());
        }

        // The next (well-formed, wrong) password is the first try the card counts.
        using var wrongJson = JsonDocument.Parse(await wrong.Content.ReadAsStringAsync());
        Assert.Equal(4, wrongJson.RootElement.GetProperty("triesLeft").GetInt32());
        Assert.DoesNotContain("ABCDEFGH123456789", body + helper.Console, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_EmptyLineAtConsole_Declined()
    {
        await using var helper = await StartAsync("\n");

        using var response = await helper.Http.SendAsync(SignRequest(helper, City));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("declined", await CodeAsync(response));
    }

    [Fact]
    public async Task Sign_DocumentOverLimit_Refused()
    {
        await using var helper = await StartAsync("ABC123\n");

        using var request = SignRequest(helper, City, new byte[SignHelperOptions.MaxDocumentBytes + 1]);

        // "Expect: 100-continue": the client waits before sending 16 MB, so it reads the refusal (without, the helper
        // answers 413 and closes the connection while the body is still being sent, which the client sees as a reset).
        request.Headers.ExpectContinue = true;
        using var response = await helper.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.NotEqual(-1, helper.Stdin.Peek());
    }

    [Fact]
    public async Task Sign_HostNotLoopback_Refused()
    {
        await using var helper = await StartAsync("ABC123\n");
        using var request = SignRequest(helper, City);
        request.Headers.Host = "rebound.example:" + helper.Server.Address.Port;

        using var response = await helper.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.MisdirectedRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("https://city.example.jp", "https://city.example.jp")]
    [InlineData("HTTP://127.0.0.1:8080/", "http://127.0.0.1:8080")]
    [InlineData("https://city.example.jp/path", null)]
    [InlineData("ftp://city.example.jp", null)]
    [InlineData("null", null)]
    public void NormalizeOrigin_Cases(string given, string? expected) => Assert.Equal(expected, SignHelperOptions.NormalizeOrigin(given));

    private static async Task<string?> CodeAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("code").GetString();
    }
}
