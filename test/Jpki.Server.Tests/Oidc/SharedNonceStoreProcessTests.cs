using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Jpki.Authority.Ca;
using Jpki.Server.Tests.Crash;
using Jpki.Verification.Login;

namespace Jpki.Server.Tests.Oidc;

/// <summary>
/// Two <c>jpki serve</c> processes behind one public address (as behind a load balancer) on one data folder, their login
/// nonces on one PostgreSQL 15 through <c>JPKI_LOGIN_POSTGRES</c>: a nonce issued by one process is redeemed at the
/// other, exactly once — the replay is refused at both. A connection string that is none stops the server with a clear
/// message and exit code 2, without echoing the string.
/// </summary>
[Trait("Category", "Security")]
public sealed class SharedNonceStoreProcessTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "jpki-nonces-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly List<JpkiServerProcess> _servers = [];

    [Fact]
    public async Task NonceIssuedByOneProcess_RedeemedAtTheOther_ReplayRefusedAtBoth()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var environment = new Dictionary<string, string> { ["JPKI_LOGIN_POSTGRES"] = await postgres.CreateSchemaAsync() };
        var first = Server(environment);
        var publicUrl = first.BaseAddress.AbsoluteUri.TrimEnd('/');
        await first.StartAsync(timeout.Token);
        // The second process on the same folder once the first has initialised it; both answer as the one public address.
        var second = Server(environment, publicUrl);
        await second.StartAsync(timeout.Token);

        using var holderKey = RSA.Create(2048);
        var certificate = await IssueAuthenticationCertificateAsync(first.BaseAddress, holderKey);
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false });
        using var nonceResponse = await PostAsync(http, first.BaseAddress, "/oidc/login/nonce", "{}", publicUrl, session: null);
        Assert.True(nonceResponse.StatusCode == HttpStatusCode.OK, await nonceResponse.Content.ReadAsStringAsync());
        var nonce = JsonDocument.Parse(await nonceResponse.Content.ReadAsStringAsync()).RootElement.GetProperty("nonce").GetString()!;
        var session = SessionCookie(nonceResponse);
        var token = Encoding.UTF8.GetString(new LoginToken(publicUrl, nonce, certificate,
            holderKey.SignData(LoginOrigin.SignedData(publicUrl, nonce), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)).ToJson());

        using var atSecond = await PostAsync(http, second.BaseAddress, "/oidc/login/card", token, publicUrl, session);
        using var replayAtFirst = await PostAsync(http, first.BaseAddress, "/oidc/login/card", token, publicUrl, session);
        using var replayAtSecond = await PostAsync(http, second.BaseAddress, "/oidc/login/card", token, publicUrl, session);

        Assert.True(atSecond.StatusCode == HttpStatusCode.OK, await atSecond.Content.ReadAsStringAsync() + second.LogTail);
        Assert.Equal("valid", await CodeAsync(atSecond));
        Assert.Equal(HttpStatusCode.Forbidden, replayAtFirst.StatusCode);
        Assert.Equal("challenge-rejected", await CodeAsync(replayAtFirst));
        Assert.Equal(HttpStatusCode.Forbidden, replayAtSecond.StatusCode);
        Assert.Equal("challenge-rejected", await CodeAsync(replayAtSecond));
    }

    [Fact]
    public async Task NotAConnectionString_ServeRefusesToStart_WithoutEchoingIt()
    {
        const string Garbage = "Host=127.0.0.1;Pasword=hunter2-secret;Nonsense";
        var server = Server(new Dictionary<string, string> { ["JPKI_LOGIN_POSTGRES"] = Garbage });

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => server.StartAsync(CancellationToken.None));

        Assert.Contains("exited with 2", failure.Message, StringComparison.Ordinal);
        Assert.Contains("JPKI_LOGIN_POSTGRES is not a PostgreSQL connection string", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", failure.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        foreach (var server in _servers)
        {
            server.Dispose();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    private JpkiServerProcess Server(Dictionary<string, string> environment, string? publicUrl = null)
    {
        var server = new JpkiServerProcess(_data, JpkiServerProcess.FreePort(), environment, publicUrl is null ? null : ["--public-url", publicUrl]);
        _servers.Add(server);
        return server;
    }

    /// <summary>An authentication certificate for <paramref name="key"/> from the servers' authority, through its RA API.</summary>
    private async Task<byte[]> IssueAuthenticationCertificateAsync(Uri server, RSA key)
    {
        using var http = new HttpClient { BaseAddress = server };
        http.DefaultRequestHeaders.Add(RegistrationAuthorityAccess.HeaderName, (await File.ReadAllTextAsync(RegistrationAuthorityKeyFile.PathOf(_data))).Trim());
        using var response = await http.PostAsJsonAsync(new Uri("/api/authority/certificates", UriKind.Relative), new Dictionary<string, object?>
        {
            ["kind"] = "auth",
            ["subjectPublicKeyInfo"] = Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()),
            ["cardId"] = "NONCES-1",
            ["holderId"] = "H-NONCES-1",
            ["expiryDate"] = "2035-03-31",
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return Convert.FromBase64String((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("certificate").GetString()!);
    }

    /// <summary>A POST from a page of the provider: its public origin, and the browser's session cookie.</summary>
    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, Uri server, string path, string body, string origin, string? session)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, path)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Origin", origin);
        if (session is not null)
        {
            request.Headers.Add("Cookie", "jpki_oidc_sid=" + session);
        }

        return await http.SendAsync(request);
    }

    private static string SessionCookie(HttpResponseMessage response)
    {
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("jpki_oidc_sid=", StringComparison.Ordinal));
        var value = cookie["jpki_oidc_sid=".Length..cookie.IndexOf(';', StringComparison.Ordinal)];
        Assert.Equal(43, Base64Url.DecodeFromChars(value).Length == 32 ? value.Length : -1);
        return value;
    }

    private static async Task<string> CodeAsync(HttpResponseMessage response)
        => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString()!;
}
