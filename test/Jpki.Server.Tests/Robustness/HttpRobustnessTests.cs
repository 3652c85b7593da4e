using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Jpki.Server.Tests.Counter;

namespace Jpki.Server.Tests.Robustness;

/// <summary>
/// Bad input over HTTP on the embedded default server (counter API, staff login and accounts, e-application, OCSP, CSV
/// import): oversized bodies, malformed JSON, wrong types and content types, huge or negative numbers, invalid UTF-8,
/// unassigned code points, path traversal. Each is a clear 4xx (problem+json with a code and a sentence, never a 500 or
/// a stack trace) and the data folder is unchanged afterwards (<see cref="DataSnapshot"/>).
/// </summary>
public sealed class HttpRobustnessTests(CounterServer server) : IClassFixture<CounterServer>, IAsyncLifetime
{
    private const string Resident = "RB1";
    private string _slot = null!;

    public async Task InitializeAsync()
    {
        if (await server.Store.FindResidentAsync(Resident, default) is null)
        {
            _slot = await server.AddResidentWithCardAsync(Resident);
        }

        _slot = "file:" + Resident + ".jpkicard";
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string, string, string, string, HttpStatusCode, string> BadJsonBodies => new()
    {
        // method, path, content type, body, status, code
        { "POST", "/api/counter/issue", "application/json", "{", HttpStatusCode.BadRequest, "malformed-json" },
        { "POST", "/api/counter/residents/search", "application/json", """{"dob":"9999-12-31"}""", HttpStatusCode.BadRequest, "date-out-of-range" },
        { "POST", "/api/counter/issue", "application/json", """{"residentId":"RB1","cardSlot":"file:RB1.jpki""", HttpStatusCode.BadRequest, "malformed-json" },
        { "POST", "/api/counter/issue", "application/json", """{"residentId":"RB1","cardSlot":"file:RB1.jpkicard","identityChecked":"yes"}""", HttpStatusCode.BadRequest, "malformed-json" },
        { "POST", "/api/counter/issue", "application/json", """{"residentId":["RB1"],"cardSlot":"x","identityChecked":true}""", HttpStatusCode.BadRequest, "malformed-json" },
        { "POST", "/api/counter/issue", "application/json", "[1,2,3]", HttpStatusCode.BadRequest, "malformed-json" },
        { "POST", "/api/counter/issue", "application/json", new string('[', 200) + new string(']', 200), HttpStatusCode.BadRequest, "malformed-json" },
        { "POST", "/api/counter/issue", "text/plain", """{"residentId":"RB1"}""", HttpStatusCode.UnsupportedMediaType, "unsupported-media-type" },
        { "POST", "/api/counter/issue", "application/xml", "<issue/>", HttpStatusCode.UnsupportedMediaType, "unsupported-media-type" },
        { "POST", "/api/counter/revoke", "application/json", """{"residentId":"RB1","identityChecked":true,"kinds":[1e400]}""", HttpStatusCode.BadRequest, "malformed-json" },
        { "POST", "/api/counter/revoke", "application/json", """{"residentId":"RB1","identityChecked":true,"kinds":[99999999999999999999]}""", HttpStatusCode.BadRequest, "malformed-json" },
        { "POST", "/api/counter/revoke", "application/json", """{"residentId":"RB1","identityChecked":true,"kinds":[-1]}""", HttpStatusCode.BadRequest, "unknown-value" },
        { "POST", "/api/counter/revoke", "application/json", """{"residentId":"RB1","identityChecked":true,"kinds":[99]}""", HttpStatusCode.BadRequest, "unknown-value" },
        { "POST", "/api/counter/pin-reset", "application/json", """{"residentId":"RB1","cardSlot":"file:RB1.jpkicard","identityChecked":true,"kind":-7,"newPin":"1234"}""", HttpStatusCode.BadRequest, "unknown-value" },
        { "POST", "/api/counter/residents/RB1/cards", "application/json", """{"cardId":"OJT9","kind":0,"expiresOn":"2035-01-01"}""", HttpStatusCode.BadRequest, "unknown-value" },
        { "POST", "/api/counter/residents/RB1/cards", "application/json", """{"cardId":"OJT9","kind":42,"expiresOn":"2035-01-01"}""", HttpStatusCode.BadRequest, "unknown-value" },
        { "POST", "/api/counter/residents/RB1/cards", "application/json", """{"cardId":"OJT9","kind":1,"expiresOn":"0001-01-01"}""", HttpStatusCode.BadRequest, "date-out-of-range" },
        { "POST", "/api/counter/residents/RB1/cards", "application/json", """{"cardId":"OJT9","kind":0,"expiresOn":"-2035-01-01"}""", HttpStatusCode.BadRequest, "malformed-json" },
        { "POST", "/api/counter/residents/RB1/cards", "application/json", """{"cardId":"OJT9","kind":0,"expiresOn":"2035-02-30"}""", HttpStatusCode.BadRequest, "malformed-json" },
        { "POST", "/api/counter/residents/RB1/changes", "application/json", """{"kind":77,"newAddress":"東京都"}""", HttpStatusCode.BadRequest, "unknown-value" },
        { "POST", "/api/counter/residents/RB1/changes", "application/json", """{"kind":1,"newName":"山田\u0378"}""", HttpStatusCode.BadRequest, "unassigned-code-point" },
        { "POST", "/api/counter/residents/RB1/changes", "application/json", """{"kind":1,"newName":"山田\uFFFE"}""", HttpStatusCode.BadRequest, "unassigned-code-point" },
        { "POST", "/api/counter/residents/RB1/changes", "application/json", """{"kind":1,"newName":"山田\uDB40\uDC80"}""", HttpStatusCode.BadRequest, "unassigned-code-point" },
        { "POST", "/api/counter/residents/RB1/changes", "application/json", """{"kind":1,"newName":"山田\uD800"}""", HttpStatusCode.BadRequest, "malformed-json" },
        { "POST", "/api/counter/residents/RB1/changes", "application/json", """{"kind":1,"newName":"山田\u0007"}""", HttpStatusCode.BadRequest, "control-character" },
        { "POST", "/api/counter/residents/RB1/changes", "application/json", """{"kind":1,"newName":"山田\uFFFD"}""", HttpStatusCode.BadRequest, "invalid-utf8" },
        { "POST", "/api/counter/residents/RB1/changes", "application/json", $$"""{"kind":1,"newName":"{{new string('山', 5000)}}"}""", HttpStatusCode.BadRequest, "text-too-long" },
        { "PATCH", "/api/counter/residents/RB1", "application/json", """{"nameKana":"ヤマダ\u0378"}""", HttpStatusCode.BadRequest, "unassigned-code-point" },
        { "POST", "/api/counter/proxy/requests", "application/json", """{"residentId":"RB1","proxyName":"代理\uDC00人","proxyIdDocument":"運転免許証","proxyIdChecked":true,"applicationPresent":true,"powerOfAttorneyPresent":true}""", HttpStatusCode.BadRequest, "malformed-json" },
        { "POST", "/api/counter/proxy/requests", "application/json", """{"residentId":"RB1","proxyName":"代理\uFFFF人","proxyIdDocument":"運転免許証","proxyIdChecked":true,"applicationPresent":true,"powerOfAttorneyPresent":true}""", HttpStatusCode.BadRequest, "unassigned-code-point" },
        { "POST", "/api/counter/issue", "application/json", """{"residentId":"RB1","cardSlot":"file:RB1.jpkicard","identityChecked":true,"cardPin":"1234","signaturePassword":"ABC123","authenticationPin":"5678","substituteChoices":{"\u0378":"x"}}""", HttpStatusCode.BadRequest, "unassigned-code-point" },
        { "POST", "/api/counter/issue", "application/json", """{"residentId":"RB1","cardSlot":"file:RB1.jpkicard\u0000","identityChecked":true,"cardPin":"1234","signaturePassword":"ABC123","authenticationPin":"5678"}""", HttpStatusCode.BadRequest, "control-character" },
        { "POST", "/api/counter/session", "application/json", """{"id":5,"password":true}""", HttpStatusCode.BadRequest, "malformed-json" },
        { "POST", "/api/counter/session", "text/plain", "id=clerk1", HttpStatusCode.UnsupportedMediaType, "unsupported-media-type" },
    };

    public static TheoryData<string, HttpStatusCode, string> BadQueries => new()
    {
        { "/api/counter/journal?date=0001-01-01", HttpStatusCode.BadRequest, "date-out-of-range" },
        { "/api/counter/journal?date=9999-12-31", HttpStatusCode.BadRequest, "date-out-of-range" },
        { "/api/counter/journal?date=yesterday", HttpStatusCode.BadRequest, "bad-parameter" },
        { "/api/counter/journal?date=99999999999999999999", HttpStatusCode.BadRequest, "bad-parameter" },
        { "/api/counter/reports/daily?date=0001-01-01", HttpStatusCode.BadRequest, "date-out-of-range" },
        { "/api/counter/reports/daily?date=-1", HttpStatusCode.BadRequest, "bad-parameter" },
        { "/api/counter/residents/R1?note=%FF%FE", HttpStatusCode.BadRequest, "invalid-utf8" },
        { "/api/counter/residents/R1?note=%CD%B8", HttpStatusCode.BadRequest, "unassigned-code-point" },
        { "/api/counter/residents/RB1/substitutions?choices=%ED%A0%80=x", HttpStatusCode.BadRequest, "invalid-utf8" },
        { "/api/counter/residents/RB1/substitutions?choices=U%2BFFFFFFFF=x", HttpStatusCode.UnprocessableEntity, "bad-request" },
    };

    [Theory]
    [MemberData(nameof(BadJsonBodies))]
    public async Task JsonApi_BadBody_Clear4xxNothingStored(string method, string path, string contentType, string body, HttpStatusCode status, string code)
    {
        using var client = await server.ClientAsync();
        var before = await DataSnapshot.TakeAsync(server.DataDirectory);
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative)) { Content = content };

        using var response = await client.Http.SendAsync(request);

        await AssertProblemAsync(response, status, code);
        Assert.Equal(string.Empty, before.Diff(await DataSnapshot.TakeAsync(server.DataDirectory)));
    }

    [Fact]
    public async Task JsonApi_InvalidUtf8Bytes_400NothingStored()
    {
        using var client = await server.ClientAsync();
        var before = await DataSnapshot.TakeAsync(server.DataDirectory);
        var bytes = Encoding.UTF8.GetBytes("""{"kind":1,"newName":"山田X"}""");
        bytes[Array.IndexOf(bytes, (byte)'X')] = 0xFF;
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await client.Http.PostAsync(new Uri("/api/counter/residents/RB1/changes", UriKind.Relative), content);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "malformed-json");
        Assert.Equal(string.Empty, before.Diff(await DataSnapshot.TakeAsync(server.DataDirectory)));
    }

    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task JsonApi_BadQuery_Clear4xx(string path, HttpStatusCode status, string code)
    {
        using var client = await server.ClientAsync();

        using var response = await client.Http.GetAsync(new Uri(path, UriKind.Relative));

        await AssertProblemAsync(response, status, code);
    }

    [Fact]
    public async Task DailyClose_DateOutOfRange_400NothingStored()
    {
        using var client = await server.ClientAsync("super1");
        var before = await DataSnapshot.TakeAsync(server.DataDirectory);

        using var response = await client.Http.PostAsync(new Uri("/api/counter/reports/daily/close?date=0001-01-01", UriKind.Relative), null);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "date-out-of-range");
        Assert.Equal(string.Empty, before.Diff(await DataSnapshot.TakeAsync(server.DataDirectory)));
    }

    public static TheoryData<string, string, int, bool> Oversized => new()
    {
        // path, content type, size, chunked (no Content-Length)
        { "/api/counter/issue", "application/json", 100 * 1024, false },
        { "/api/counter/issue", "application/json", 100 * 1024, true },
        { "/api/counter/session", "application/json", 100 * 1024, false },
        { "/staff/login", "application/x-www-form-urlencoded", 100 * 1024, false },
        { "/staff/login", "application/x-www-form-urlencoded", 100 * 1024, true },
        { "/e-application/prepare", "application/x-www-form-urlencoded", 100 * 1024, true },
        { "/e-application/submit", "multipart/form-data; boundary=x", 300 * 1024, false },
        { "/e-application/submit", "multipart/form-data; boundary=x", 300 * 1024, true },
        { "/ocsp", "application/ocsp-request", 20 * 1024, false },
        { "/ocsp", "application/ocsp-request", 20 * 1024, true },
    };

    [Theory]
    [MemberData(nameof(Oversized))]
    public async Task Body_OverTheLimit_413NothingStored(string path, string contentType, int size, bool chunked)
    {
        using var client = await server.ClientAsync();
        var before = await DataSnapshot.TakeAsync(server.DataDirectory);
        var body = new byte[size];
        body.AsSpan().Fill((byte)'a');
        body[0] = contentType == "application/json" ? (byte)'"' : (byte)'a';
        HttpContent content = chunked ? new StreamContent(new NoLengthStream(body)) : new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

        // Expect: 100-continue, as careful clients do: the server can refuse before the body is on the wire.
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = content };
        request.Headers.ExpectContinue = true;

        using var response = await client.Http.SendAsync(request);

        if (path.StartsWith("/e-application/", StringComparison.Ordinal) && response.Content.Headers.ContentType?.MediaType == "text/html")
        {
            // The citizen pages answer in Japanese HTML; the status is what counts.
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        }
        else if (path.StartsWith("/staff/", StringComparison.Ordinal))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Contains("<code>request-too-large</code>", await AssertStaffPageAsync(response), StringComparison.Ordinal);
        }
        else
        {
            await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "request-too-large");
        }

        Assert.Equal(string.Empty, before.Diff(await DataSnapshot.TakeAsync(server.DataDirectory)));
        content.Dispose();
    }

    [Fact]
    public async Task CsvImport_DeclaredOverTheLimit_413BeforeTheBody()
    {
        // A whole register may be hundreds of MB (the limit is 512 MB): the server refuses a larger one from its
        // Content-Length, before the body is on the wire (Expect: 100-continue), without reading or spooling it.
        using var client = await server.ClientAsync();
        var before = await DataSnapshot.TakeAsync(server.DataDirectory);
        using var content = new DeclaredLengthContent(600L * 1024 * 1024);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/counter/residents/import", UriKind.Relative)) { Content = content };
        request.Headers.ExpectContinue = true;

        using var response = await client.Http.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "request-too-large");
        Assert.Equal(string.Empty, before.Diff(await DataSnapshot.TakeAsync(server.DataDirectory)));
    }

    [Fact]
    public async Task CsvImport_UnderTheLimit_StillAccepted()
    {
        using var client = await server.ClientAsync();
        var csv = new StringBuilder("id,name,name_kana,address,date_of_birth,sex,under_guardianship,household_id\n");
        for (var i = 0; csv.Length < 200 * 1024; i++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"BIG{i},鈴木　一郎,スズキ　イチロウ,東京都千代田区一ツ橋１－１,1990-04-01,1,0,HB{i}\n");
        }

        using var response = await client.PostCsvAsync("/api/counter/residents/import", csv.ToString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static TheoryData<string, string, string> BadCsv => new()
    {
        { "invalid UTF-8", "X\uFFFF", "invalid-utf8" },
        { "unassigned", "山田\u0378", "unassigned-code-point" },
        { "noncharacter", "山田\uFFFE", "unassigned-code-point" },
        { "control", "山田\u0001", "control-character" },
    };

    [Theory]
    [MemberData(nameof(BadCsv))]
    public async Task CsvImport_BadCharacters_422WithTheLineNothingStored(string what, string name, string code)
    {
        using var client = await server.ClientAsync();
        var before = await DataSnapshot.TakeAsync(server.DataDirectory);
        var bytes = Encoding.UTF8.GetBytes("id,name,name_kana,address,date_of_birth,sex,under_guardianship,household_id\nCSV1," + name + ",スズキ,東京都,1990-04-01,1,0,H1\n");
        if (what == "invalid UTF-8")
        {
            // U+FFFF encodes as EF BF BF; make it an invalid byte sequence.
            var at = bytes.AsSpan().IndexOf([(byte)0xEF, (byte)0xBF, (byte)0xBF]);
            bytes[at] = 0xFF;
        }

        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        using var response = await client.Http.PostAsync(new Uri("/api/counter/residents/import", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(code, errors[0].GetProperty("code").GetString());
        Assert.Equal(2, errors[0].GetProperty("line").GetInt32());
        // The journal records the refused import (an audit line); nothing else may change.
        Assert.Equal(string.Empty, before.Without("counter.db:journal").Diff((await DataSnapshot.TakeAsync(server.DataDirectory)).Without("counter.db:journal")));
    }

    public static TheoryData<string, string> BadFormFields => new()
    {
        { "/staff/accounts", "id=robust1&name=%E5%B1%B1%FF&role=clerk&password=initial-password-1" },
        { "/staff/accounts", "id=robust1&name=%CD%B8&role=clerk&password=initial-password-1" },
        { "/staff/accounts", "id=robust1&name=%EF%BF%BE&role=clerk&password=initial-password-1" },
        { "/staff/accounts", "id=robust1&name=%ED%A0%80&role=clerk&password=initial-password-1" },
        { "/staff/accounts", "id=robust1&name=a%00b&role=clerk&password=initial-password-1" },
        { "/staff/login", "id=%C0%AF&password=x" },
        { "/e-application/prepare", "kind=residence-record&copies=1&purpose=%FF&delivery=pickup" },
    };

    [Theory]
    [MemberData(nameof(BadFormFields))]
    public async Task Form_InvalidUtf8OrCodePoint_400NothingStored(string path, string form)
    {
        using var client = await server.ClientAsync("super1");
        var before = await DataSnapshot.TakeAsync(server.DataDirectory);
        using var content = new StringContent(form, Encoding.ASCII, "application/x-www-form-urlencoded");

        using var response = await client.Http.PostAsync(new Uri(path, UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        if (path.StartsWith("/staff/", StringComparison.Ordinal))
        {
            // A staff page answers in Japanese HTML (never raw English JSON to a clerk), the code at the end.
            await AssertStaffPageAsync(response);
        }
        else
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(string.Empty, before.Diff(await DataSnapshot.TakeAsync(server.DataDirectory)));
    }

    [Fact]
    public async Task Form_ValidJapanese_StillAccepted()
    {
        using var client = await server.ClientAsync("super1");
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["id"] = "robust-ok", ["name"] = "堅牢　花子", ["role"] = "clerk", ["password"] = "initial-password-1" });

        using var response = await client.Http.PostAsync(new Uri("/staff/accounts", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(await server.Store.FindStaffAsync("robust-ok", default));
    }

    public static TheoryData<string> TraversalSlots => new()
    {
        "file:../../../../etc/passwd",
        "file:..%2f..%2fcounter.db",
        "file:%2e%2e%2fcounter.db",
        "file:../counter.db",
        "file:/etc/passwd",
        "file:..",
        "file:.jpkicard",
        "file:../cards/RB1.jpkicard",
        "file:C:\\Windows\\win.ini",
        "../counter.db",
        "reader:../../dev/null",
    };

    [Theory]
    [MemberData(nameof(TraversalSlots))]
    public async Task Issue_PathTraversalInCardSlot_RefusedNoFileTouched(string slot)
    {
        using var client = await server.ClientAsync();
        var before = await DataSnapshot.TakeAsync(server.DataDirectory);

        using var response = await client.Http.PostAsJsonAsync("/api/counter/issue", new
        {
            residentId = Resident, cardSlot = slot, identityChecked = true, cardPin = CounterServer.CardPin,
            signaturePassword = "ABC123", authenticationPin = "5678",
        });

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity or HttpStatusCode.NotFound, response.StatusCode.ToString());
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("card-not-found", answer.GetProperty("code").GetString());
        Assert.DoesNotContain("/etc", answer.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(string.Empty, before.Diff(await DataSnapshot.TakeAsync(server.DataDirectory)));
    }

    [Fact]
    public async Task Issue_CardSlotNamingAnotherFileInTheCardFolder_CardNotFoundFileUntouched()
    {
        // A card slot names a .jpkicard file; any other file in the card folder (here a note) is never opened as a card.
        var note = Path.Combine(server.DataDirectory, "cards", "notes.txt");
        await File.WriteAllTextAsync(note, "not a card");
        using var client = await server.ClientAsync();
        var before = await DataSnapshot.TakeAsync(server.DataDirectory);

        using var response = await client.Http.PostAsJsonAsync("/api/counter/issue", new
        {
            residentId = Resident, cardSlot = "file:notes.txt", identityChecked = true, cardPin = CounterServer.CardPin,
            signaturePassword = "ABC123", authenticationPin = "5678",
        });

        Assert.Equal("card-not-found", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal("not a card", await File.ReadAllTextAsync(note));
        Assert.Equal(string.Empty, before.Diff(await DataSnapshot.TakeAsync(server.DataDirectory)));
    }

    public static TheoryData<string, bool> TraversalRoutes => new()
    {
        // path, needs a signed-in clerk
        { "/ca/..%2f..%2fetc%2fpasswd.cer", false },
        { "/ca/%2e%2e.cer", false },
        { "/ca/sign%00.cer", false },
        { "/crl/..%2fregistry.db.crl", false },
        { "/crl/%2e%2e%2f%2e%2e%2fetc%2fpasswd.crl", false },
        { "/e-application/staff/..%2F..%2Fcounter.db/request.json", true },
        { "/e-application/staff/%2e%2e/request.json.p7s", true },
        { "/e-application/staff/..%5C..%5Cetc%5Cpasswd/request.json", true },
        { "/api/counter/proxy/requests/..%2F..%2Fetc%2Fpasswd/letter", true },
        { "/api/counter/proxy/requests/%2e%2e/letter", true },
        { "/api/counter/residents/..%2F..%2Fetc%2Fpasswd", true },
    };

    [Theory]
    [MemberData(nameof(TraversalRoutes))]
    public async Task Route_PathTraversal_404NoFileServed(string path, bool signedIn)
    {
        using var client = await server.ClientAsync(signedIn ? "clerk1" : null);

        using var response = await client.Http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{path}: {(int)response.StatusCode}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("root:", text, StringComparison.Ordinal);
        Assert.DoesNotContain("SQLite format", text, StringComparison.Ordinal);
    }

    private static async Task<string> AssertStaffPageAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("処理していません", text, StringComparison.Ordinal);
        Assert.Contains("何も登録・変更されていません", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        return text;
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(code, problem.GetProperty("code").GetString());
        var sentence = problem.TryGetProperty("detail", out var detail) ? detail.GetString() : problem.GetProperty("message").GetString();
        Assert.False(string.IsNullOrWhiteSpace(sentence), text);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
    }

    /// <summary>A body that declares a length and would write zeros, lazily, only if the server asked for it.</summary>
    private sealed class DeclaredLengthContent(long length) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            var zeros = new byte[64 * 1024];
            for (long sent = 0; sent < length; sent += zeros.Length)
            {
                await stream.WriteAsync(zeros.AsMemory(0, (int)Math.Min(zeros.Length, length - sent)));
            }
        }

        protected override bool TryComputeLength(out long size)
        {
            size = length;
            return true;
        }
    }

    /// <summary>A body stream whose length HttpClient cannot know, so the request goes chunked.</summary>
    private sealed class NoLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
