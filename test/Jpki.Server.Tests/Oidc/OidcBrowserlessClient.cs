using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Buffers.Text;

namespace Jpki.Server.Tests.Oidc;

/// <summary>
/// A browser without a browser, for the negative suite: one cookie jar, and the steps the provider's login page and
/// <c>jpki-login.js</c> perform (nonce, helper, token, continue form), each observable on its own. The outside
/// clients (openid-client, the ASP.NET Core handler) are driven in Chromium by the browser tests.
/// </summary>
internal sealed partial class OidcBrowserlessClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly HttpClient _helperHttp = new();
    private readonly OidcTestServer _server;

    public OidcBrowserlessClient(OidcTestServer server)
    {
        _server = server;
        Cookies = new CookieContainer();
        _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(server.BaseUrl) };
    }

    public CookieContainer Cookies { get; }

    public string Verifier { get; } = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public string Challenge => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(Verifier)));

    public string AuthorizeUrl(string clientId, string redirectUri, string scope = "openid", string? challenge = null, string method = "S256", string state = "st4te", string nonce = "n0nce")
        => $"/oidc/authorize?client_id={Uri.EscapeDataString(clientId)}&redirect_uri={Uri.EscapeDataString(redirectUri)}&response_type=code&scope={Uri.EscapeDataString(scope)}"
           + (method.Length == 0 ? "" : $"&code_challenge={challenge ?? Challenge}&code_challenge_method={method}") + $"&state={state}&nonce={nonce}";

    public Task<HttpResponseMessage> GetAsync(string url) => _http.GetAsync(url);

    /// <summary>POST from a page of the provider (the Origin header a browser sends on fetch).</summary>
    public async Task<HttpResponseMessage> PostFromPageAsync(string path, string body, string? origin = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Origin", origin ?? _server.BaseUrl);
        return await _http.SendAsync(request);
    }

    public async Task<string> NonceAsync(string path = "/oidc/login/nonce")
    {
        using var response = await PostFromPageAsync(path, "{}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("nonce").GetString()!;
    }

    /// <summary>What the page's fetch to the helper does: POST /login with the page's origin.</summary>
    public async Task<string> HelperTokenAsync(Uri helper, string nonce, string certificate = "auth", string? origin = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(helper, "/login"))
        {
            Content = new StringContent(JsonSerializer.Serialize(new { nonce, certificate }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Origin", origin ?? _server.BaseUrl);
        using var response = await _helperHttp.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return body;
    }

    /// <summary>Nonce → helper → token posted: the card step of the login page.</summary>
    public async Task<HttpResponseMessage> CardLoginAsync(Uri helper)
        => await PostFromPageAsync("/oidc/login/card", await HelperTokenAsync(helper, await NonceAsync()));

    /// <summary>Posts the continue form of the last page back to /oidc/authorize (plus extra fields).</summary>
    public async Task<HttpResponseMessage> ContinueAsync(string page, params (string Name, string Value)[] extra)
    {
        var fields = HiddenField().Matches(page).Select(m => new KeyValuePair<string, string>(WebUtility.HtmlDecode(m.Groups[1].Value), WebUtility.HtmlDecode(m.Groups[2].Value))).ToList();
        fields.AddRange(extra.Select(e => new KeyValuePair<string, string>(e.Name, e.Value)));
        // A browser submitting the provider's own form sends the provider's origin.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/oidc/authorize") { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("Origin", _server.BaseUrl);
        return await _http.SendAsync(request);
    }

    /// <summary>GET authorize, log in with the card, continue: the redirect to the client (with code or error).</summary>
    public async Task<Uri> LoginAsync(Uri helper, string clientId, string redirectUri, string scope = "openid")
    {
        using var first = await GetAsync(AuthorizeUrl(clientId, redirectUri, scope));
        var page = await first.Content.ReadAsStringAsync();
        Assert.True(first.StatusCode == HttpStatusCode.OK, page);
        using var login = await CardLoginAsync(helper);
        Assert.True(login.StatusCode == HttpStatusCode.OK, await login.Content.ReadAsStringAsync());
        using var next = await ContinueAsync(page);
        Assert.True(next.StatusCode == HttpStatusCode.Redirect, await next.Content.ReadAsStringAsync());
        return next.Headers.Location!;
    }

    public async Task<HttpResponseMessage> TokenAsync(string clientId, string? secret, string code, string redirectUri, string? verifier = null, IEnumerable<KeyValuePair<string, string>>? extra = null)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "authorization_code"),
            new("code", code),
            new("redirect_uri", redirectUri),
        };
        if (verifier is not "")
        {
            fields.Add(new("code_verifier", verifier ?? Verifier));
        }

        fields.AddRange(extra ?? []);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/oidc/token") { Content = new FormUrlEncodedContent(fields) };
        if (secret is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret)}")));
        }

        return await _http.SendAsync(request);
    }

    public async Task<HttpResponseMessage> UserInfoAsync(string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/oidc/userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return await _http.SendAsync(request);
    }

    public static string Query(Uri uri, string name)
        => System.Web.HttpUtility.ParseQueryString(uri.Query)[name] ?? throw new InvalidOperationException($"No {name} in {uri}");

    public void Dispose()
    {
        _http.Dispose();
        _helperHttp.Dispose();
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenField();
}
