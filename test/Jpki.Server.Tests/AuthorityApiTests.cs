using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Jpki.Authority.Ca;
using Jpki.Authority.Tests.Support;
using Jpki.Server.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Server.Tests;

/// <summary>
/// The authority API for registration authorities (<c>/api/authority</c>): credentials, issuance, revocation, status,
/// and bad input answered 4xx with nothing stored.
/// </summary>
public sealed class AuthorityApiTests : IAsyncLifetime
{
    private const string RaKey = "test-ra-key";
    private const string VerifierKey = "test-verifier-key";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 26, 1, 0, 0, TimeSpan.Zero));
    private AuthorityTestServer? _server;

    private AuthorityTestServer Server => _server!;

    public static TheoryData<string, string> BadIssueBodies => new()
    {
        { "not json", "{\"kind\":" },
        { "array", "[1,2]" },
        { "unknown kind", Body("card", Auth()) },
        { "no key", Body("auth", null) },
        { "key not base64", Body("auth", "@@@") },
        { "key not an SPKI", Body("auth", Convert.ToBase64String([1, 2, 3])) },
        { "EC key", Body("auth", EcKey()) },
        { "expiry not a date", Body("auth", Auth(), expiry: "2031-02-30") },
        { "expiry before issuance", Body("auth", Auth(), expiry: "2020-01-01") },
        { "sign without basic 4 info", Body("sign", Auth()) },
        { "sex out of range", Body("sign", Auth(), signature: "{\"prefecture\":\"Tokyo-to\",\"municipality\":\"Kiyose-shi\",\"name\":\"公的　太郎\",\"address\":\"東京都\",\"dateOfBirth\":\"1980-02-17\",\"sex\":3}") },
        { "sex huge", Body("sign", Auth(), signature: "{\"prefecture\":\"Tokyo-to\",\"municipality\":\"Kiyose-shi\",\"name\":\"公的　太郎\",\"address\":\"東京都\",\"dateOfBirth\":\"1980-02-17\",\"sex\":99999999999999999999}") },
        { "flags of the wrong length", Body("sign", Auth(), signature: "{\"prefecture\":\"Tokyo-to\",\"municipality\":\"Kiyose-shi\",\"name\":\"公的　太郎\",\"nameSubstitutionFlags\":\"0\",\"address\":\"東京都\",\"dateOfBirth\":\"1980-02-17\",\"sex\":1}") },
        { "previous serial not hex", Body("auth", Auth(), previous: "XYZ") },
        { "card id with a control character", Body("auth", Auth(), card: "C\\u0000D") },
    };

    public async Task InitializeAsync() =>
        _server = await AuthorityTestServer.StartAsync(_clock, new AuthorityOptions { RegistrationAuthorityKeys = [RaKey], VerifierKeys = [VerifierKey] });

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Issue_NoCredential_401WithChallengeAndNothingStored()
    {
        using var response = await Server.Http.PostAsync(new Uri("/api/authority/certificates", UriKind.Relative), Json(Body("auth", Auth())));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, Server.Registry.Count);
    }

    [Theory]
    [InlineData("wrong-key")]
    [InlineData(VerifierKey)]
    public async Task Issue_UnregisteredOrVerifierKey_403AndNothingStored(string key)
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/authority/certificates", Body("auth", Auth()), key);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, Server.Registry.Count);
    }

    [Fact]
    public async Task Issue_Auth_201WithSerialStoredAndAuditedUnderTheTerminalsActor()
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/authority/certificates", Body("auth", Auth()), RaKey);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var view = await response.Content.ReadFromJsonAsync<JsonElement>();
        var serial = view.GetProperty("serial").GetString()!;
        Assert.Equal("/api/authority/certificates/" + serial, response.Headers.Location?.OriginalString);
        Assert.Equal("good", view.GetProperty("status").GetString());
        var record = await Server.Registry.FindBySerialAsync(serial, CancellationToken.None);
        Assert.NotNull(record);
        Assert.Equal(Convert.FromBase64String(view.GetProperty("certificate").GetString()!), record.Der.ToArray());
        var entry = Assert.Single(Server.Audit.Entries, e => e.Action == "cert.issue");
        Assert.Equal(RegistrationAuthorityAccess.ActorOfKey(RaKey), entry.Actor);
        Assert.DoesNotContain(RaKey, entry.Actor, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issue_SameRequestIdInBodyOrHeader_SameCertificate_OtherRequest409_RefusalRepeated()
    {
        var body = Body("auth", Auth()).Insert(1, "\"requestId\":\"api-idem-00000001\",");
        using var first = await SendAsync(HttpMethod.Post, "/api/authority/certificates", body, RaKey);
        using var again = await SendAsync(HttpMethod.Post, "/api/authority/certificates", Body("auth", Auth()), RaKey, ("Idempotency-Key", "api-idem-00000001"));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal(1, Server.Registry.Count);

        // The same id for another card: 409 with a stable code, nothing issued.
        using var reused = await SendAsync(HttpMethod.Post, "/api/authority/certificates", Body("auth", Auth(), card: "CARD2").Insert(1, "\"requestId\":\"api-idem-00000001\","), RaKey);
        Assert.Equal(HttpStatusCode.Conflict, reused.StatusCode);
        Assert.Equal("request-id-reused", (await reused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

        // Header and body naming different ids: 400.
        using var twoIds = await SendAsync(HttpMethod.Post, "/api/authority/certificates", body, RaKey, ("Idempotency-Key", "api-idem-00000002"));
        Assert.Equal(HttpStatusCode.BadRequest, twoIds.StatusCode);

        // A refusal under an id is answered word for word to the repeat.
        var refusedBody = Body("auth", Auth(), expiry: "2020-01-01").Insert(1, "\"requestId\":\"api-refused-0001\",");
        using var refused = await SendAsync(HttpMethod.Post, "/api/authority/certificates", refusedBody, RaKey);
        using var refusedAgain = await SendAsync(HttpMethod.Post, "/api/authority/certificates", refusedBody, RaKey);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var (a, b) = (await refused.Content.ReadFromJsonAsync<JsonElement>(), await refusedAgain.Content.ReadFromJsonAsync<JsonElement>());
        Assert.Equal("expired", a.GetProperty("code").GetString());
        Assert.Equal((a.GetProperty("code").GetString(), a.GetProperty("detail").GetString()), (b.GetProperty("code").GetString(), b.GetProperty("detail").GetString()));
        Assert.Equal(1, Server.Registry.Count);
    }

    [Fact]
    public async Task Issue_SignWithBasicFourInfo_201AndCertificateCarriesIt()
    {
        var signature = JsonSerializer.Serialize(new
        {
            prefecture = Fixtures.Taro.Prefecture,
            municipality = Fixtures.Taro.Municipality,
            name = Fixtures.Taro.Name,
            address = Fixtures.Taro.Address,
            dateOfBirth = "1980-02-17",
            sex = 1,
        });
        using var response = await SendAsync(HttpMethod.Post, "/api/authority/certificates", Body("sign", Auth(), signature: signature), "Bearer");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var view = await response.Content.ReadFromJsonAsync<JsonElement>();
        var parsed = Jpki.Authority.Profiles.JpkiCertificateParser.Parse(Convert.FromBase64String(view.GetProperty("certificate").GetString()!));
        Assert.Equal(Fixtures.Taro.Name, parsed.Signature?.Name);
        Assert.Equal("sign", view.GetProperty("kind").GetString());
    }

    [Theory]
    [MemberData(nameof(BadIssueBodies))]
    public async Task Issue_BadInput_400ProblemAndNothingStored(string what, string body)
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/authority/certificates", body, RaKey);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: {response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()), what);
        Assert.Equal(0, Server.Registry.Count);
    }

    [Fact]
    public async Task Issue_WrongContentType_415()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/authority/certificates") { Content = new StringContent(Body("auth", Auth()), Encoding.UTF8, "text/plain") };
        request.Headers.Add(RegistrationAuthorityAccess.HeaderName, RaKey);
        using var response = await Server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(0, Server.Registry.Count);
    }

    [Fact]
    public async Task Issue_OversizedBody_413()
    {
        var body = "{\"kind\":\"auth\",\"cardId\":\"" + new string('x', 100_000) + "\"}";
        using var response = await SendAsync(HttpMethod.Post, "/api/authority/certificates", body, RaKey);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, Server.Registry.Count);
    }

    [Fact]
    public async Task Revoke_ThenAgain_RevokedThenAlreadyRevokedAndStatusShowsIt()
    {
        var serial = await IssueAsync();
        using (var first = await SendAsync(HttpMethod.Post, $"/api/authority/certificates/{serial}/revocation", "{\"reason\":\"key-compromise\"}", RaKey))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            var view = await first.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("revoked", view.GetProperty("result").GetString());
            Assert.Equal("key-compromise", view.GetProperty("revocationReason").GetString());
        }

        using (var again = await SendAsync(HttpMethod.Post, $"/api/authority/certificates/{serial.ToLowerInvariant()}/revocation", "{\"reason\":\"superseded\"}", RaKey))
        {
            var view = await again.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("already-revoked", view.GetProperty("result").GetString());
            Assert.Equal("key-compromise", view.GetProperty("revocationReason").GetString());
        }

        using var status = await SendAsync(HttpMethod.Get, $"/api/authority/certificates/{serial}", null, RaKey);
        var record = await status.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("revoked", record.GetProperty("status").GetString());
        Assert.Single(Server.Audit.Entries, e => e.Action == "cert.revoke");
    }

    [Theory]
    [InlineData("/api/authority/certificates/0123ABCD/revocation", "{}", HttpStatusCode.NotFound)]
    [InlineData("/api/authority/certificates/XYZ/revocation", "{}", HttpStatusCode.BadRequest)]
    [InlineData("/api/authority/certificates/0123ABCD/revocation", "{\"reason\":\"certificate-hold\"}", HttpStatusCode.BadRequest)]
    public async Task Revoke_UnknownOrBadSerial_4xx(string path, string body, HttpStatusCode expected)
    {
        using var response = await SendAsync(HttpMethod.Post, path, body, RaKey);
        Assert.Equal(expected, response.StatusCode);
        Assert.DoesNotContain(Server.Audit.Entries, e => e.Action == "cert.revoke");
    }

    [Fact]
    public async Task Revoke_UnknownReason_400AndNotRevoked()
    {
        var serial = await IssueAsync();
        using var response = await SendAsync(HttpMethod.Post, $"/api/authority/certificates/{serial}/revocation", "{\"reason\":\"certificate-hold\"}", RaKey);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null((await Server.Registry.FindBySerialAsync(serial, CancellationToken.None))!.Revocation);
    }

    /// <summary>Issue 12 item 2: the RA API accepted a revocation dated 2099, which verifiers then read as "good until 2099".</summary>
    [Theory]
    [Trait("Category", "Security")]
    [InlineData("2099-01-01T00:00:00Z")]
    [InlineData("2026-11-26T01:10:00Z")]
    public async Task Revoke_DatedInTheFuture_400AndNotRevoked(string revokedAt)
    {
        var serial = await IssueAsync();

        using var response = await SendAsync(HttpMethod.Post, $"/api/authority/certificates/{serial}/revocation", "{\"reason\":\"key-compromise\",\"revokedAt\":\"" + revokedAt + "\"}", RaKey);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("bad-revocation-time", problem.GetProperty("code").GetString());
        Assert.Contains("future", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Null((await Server.Registry.FindBySerialAsync(serial, CancellationToken.None))!.Revocation);
        Assert.DoesNotContain(Server.Audit.Entries, e => e.Action == "cert.revoke");
    }

    /// <summary>Issue 12 (issue input): the RA API answers the authority's one validator, with its codes, as the CLI does.</summary>
    [Theory]
    [Trait("Category", "Security")]
    [InlineData("expiry 9999-12-31", "outlives-ca")]
    [InlineData("newline in the name", "control-character")]
    [InlineData("emoji in the address", "not-jpki-charset")]
    [InlineData("flags of the wrong length", "bad-flags")]
    [InlineData("birth date in the future", "birth-in-future")]
    [InlineData("previous serial never issued", "unknown-previous")]
    public async Task Issue_WhatTheValidatorRefuses_400WithItsCodeAndNothingStored(string what, string code)
    {
        static string Signature(string name = "公的　太郎", string address = "東京都", string birth = "1980-02-17", string flags = "") =>
            JsonSerializer.Serialize(new { prefecture = "Tokyo-to", municipality = "Kiyose-shi", name, address, dateOfBirth = birth, sex = 1, nameSubstitutionFlags = flags.Length == 0 ? null : flags });
        var body = what switch
        {
            "expiry 9999-12-31" => Body("auth", Auth(), expiry: "9999-12-31"),
            "newline in the name" => Body("sign", Auth(), signature: Signature(name: "公的\n太郎")),
            "emoji in the address" => Body("sign", Auth(), signature: Signature(address: "東京都😀")),
            "flags of the wrong length" => Body("sign", Auth(), signature: Signature(flags: "0")),
            "birth date in the future" => Body("sign", Auth(), signature: Signature(birth: "2030-01-01")),
            "previous serial never issued" => Body("auth", Auth(), previous: "7FFF0000000000000000000000000001"),
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        };

        using var response = await SendAsync(HttpMethod.Post, "/api/authority/certificates", body, RaKey);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(0, Server.Registry.Count);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("wrong-key", HttpStatusCode.Forbidden)]
    public async Task RevokeAndStatus_WithoutRegisteredKey_Refused(string? key, HttpStatusCode expected)
    {
        var serial = await IssueAsync();
        using (var revoke = await SendAsync(HttpMethod.Post, $"/api/authority/certificates/{serial}/revocation", "{}", key))
        {
            Assert.Equal(expected, revoke.StatusCode);
        }

        using (var status = await SendAsync(HttpMethod.Get, $"/api/authority/certificates/{serial}", null, key))
        {
            Assert.Equal(expected, status.StatusCode);
        }

        Assert.Null((await Server.Registry.FindBySerialAsync(serial, CancellationToken.None))!.Revocation);
    }

    [Fact]
    public async Task Status_UnknownSerial_404()
    {
        using var response = await SendAsync(HttpMethod.Get, "/api/authority/certificates/0ABC", null, RaKey);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task OpenApi_DescribesTheAuthorityApiUnderItsTag()
    {
        var doc = await Server.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = doc.GetProperty("paths");
        foreach (var (path, method) in new[] { ("/api/authority/certificates", "post"), ("/api/authority/certificates/{serial}/revocation", "post"), ("/api/authority/certificates/{serial}", "get") })
        {
            var operation = paths.GetProperty(path).GetProperty(method);
            Assert.Equal("authority", operation.GetProperty("tags")[0].GetString());
            Assert.True(operation.GetProperty("responses").TryGetProperty("401", out _), path);
        }
    }

    private static string Auth() => Convert.ToBase64String(TestKeys.SubjectSpki());

    private static string EcKey()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return Convert.ToBase64String(ec.ExportSubjectPublicKeyInfo());
    }

    private static string Body(string kind, string? key, string expiry = "2031-02-17", string? signature = null, string? previous = null, string card = "CARD1") =>
        "{\"kind\":\"" + kind + "\",\"subjectPublicKeyInfo\":" + (key is null ? "null" : "\"" + key + "\"") + ",\"cardId\":\"" + card + "\",\"holderId\":\"H1\",\"expiryDate\":\"" + expiry + "\""
        + (signature is null ? "" : ",\"signature\":" + signature) + (previous is null ? "" : ",\"previousSerial\":\"" + previous + "\"") + "}";

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private async Task<string> IssueAsync()
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/authority/certificates", Body("auth", Auth()), RaKey);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("serial").GetString()!;
    }

    /// <summary>Sends with the key in the RA header, or as <c>Authorization: Bearer</c> when <paramref name="key"/> is "Bearer".</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body, string? key, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path);
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        if (body is not null)
        {
            request.Content = Json(body);
        }

        if (key == "Bearer")
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", RaKey);
        }
        else if (key is not null)
        {
            request.Headers.Add(RegistrationAuthorityAccess.HeaderName, key);
        }

        return await Server.Http.SendAsync(request);
    }
}
