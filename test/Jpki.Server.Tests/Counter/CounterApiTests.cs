using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jpki.Municipality.Staff;
using Jpki.Server.Staff;
using Microsoft.Extensions.DependencyInjection;

namespace Jpki.Server.Tests.Counter;

/// <summary>The counter API over HTTP on the embedded default: every path, refusals as 422 {code, message}, roles, CSRF.</summary>
public sealed class CounterApiTests(CounterServer server) : IClassFixture<CounterServer>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Api_Anonymous_Unauthorized()
    {
        using var client = await server.ClientAsync(id: null);
        using var response = await client.Http.PostAsJsonAsync("/api/counter/residents/search", new { q = "x" });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Post_WithoutCsrfToken_Refused()
    {
        var slot = await server.AddResidentWithCardAsync("C01");
        using var client = await server.ClientAsync();
        client.WithoutCsrf();

        using var response = await client.Http.PostAsJsonAsync("/api/counter/issue", Issue("C01", slot));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("csrf-token-invalid", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        await client.RefreshCsrfAsync();
        var detail = await client.Http.GetFromJsonAsync<JsonElement>("/api/counter/residents/C01");
        Assert.Equal(0, detail.GetProperty("certificates").GetArrayLength());
    }

    [Fact]
    public async Task LoginForm_WithoutCsrfToken_Refused()
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var response = await http.PostAsync(new Uri("/staff/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string> { ["id"] = "clerk1", ["password"] = CounterServer.ClerkPassword }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Login_RepeatedFailures_LockedEvenWithTheRightPassword()
    {
        var staff = server.App.Services.GetRequiredService<StaffDirectory>();
        Assert.Null(await staff.AddAsync("lock1", "ロック", StaffRole.Clerk, "right-password-1", mustChange: false, default));
        using var client = await server.ClientAsync(id: null);
        var codes = new List<string?>();
        for (var i = 0; i < StaffDirectory.LockoutThreshold; i++)
        {
            using var wrong = await client.Http.PostAsJsonAsync("/api/counter/session", new { id = "lock1", password = "wrong-password" });
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            codes.Add((await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        }

        using var right = await client.Http.PostAsJsonAsync("/api/counter/session", new { id = "lock1", password = "right-password-1" });

        Assert.Equal(Enumerable.Repeat(StaffLoginResult.BadCredentials, StaffDirectory.LockoutThreshold - 1).Append(StaffLoginResult.Locked), codes);
        Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
        Assert.Equal(StaffLoginResult.Locked, (await right.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Bootstrap_AdminWithOneTimePasswordFile_MustChangeBeforeWork()
    {
        var file = Path.Combine(server.DataDirectory, StaffDirectory.InitialPasswordFile);
        Assert.True(File.Exists(file));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
        var password = (await File.ReadAllTextAsync(file)).Trim();
        using var client = await server.ClientAsync(id: null);
        using (var login = await client.Http.PostAsJsonAsync("/api/counter/session", new { id = "admin", password }))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            Assert.True((await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("mustChangePassword").GetBoolean());
        }

        await client.RefreshCsrfAsync();
        using (var blocked = await client.Http.PostAsJsonAsync("/api/counter/residents/search", new { q = "x" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, blocked.StatusCode);
        }

        using var change = await client.Http.PostAsync(new Uri("/staff/password", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string> { ["current"] = password, ["new"] = "admin-desk-Vq7m2", ["confirm"] = "admin-desk-Vq7m2" }));
        Assert.Equal(HttpStatusCode.Redirect, change.StatusCode);
        Assert.False(File.Exists(file), "the one-time password file is removed once used");
        await client.RefreshCsrfAsync();
        using var allowed = await client.Http.PostAsJsonAsync("/api/counter/residents/search", new { q = "x" });
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task OpenApi_DescribesTheCounterApi()
    {
        var doc = await new HttpClient { BaseAddress = server.BaseAddress }.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = doc.GetProperty("paths");
        foreach (var path in new[] { "/api/counter/residents/search", "/api/counter/residents/{id}", "/api/counter/issue", "/api/counter/renew", "/api/counter/pin-reset", "/api/counter/revoke", "/api/counter/proxy/requests", "/api/counter/proxy/visits", "/api/counter/proxy/requests/{reference}/letter", "/api/counter/journal", "/api/counter/reports/daily", "/api/counter/reports/daily/close", "/api/counter/residents/import", "/api/counter/cards" })
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }
    }

    [Fact]
    public async Task Residents_ImportSearchGetEditCardChange()
    {
        using var client = await server.ClientAsync();
        using (var bad = await client.PostCsvAsync("/api/counter/residents/import", "id,name\nX,Y\n"))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        }

        using (var import = await client.PostCsvAsync("/api/counter/residents/import", "id,name,name_kana,address,date_of_birth,sex,under_guardianship,household_id\nI01,鈴木　一郎,スズキ　イチロウ,東京都千代田区一ツ橋１－１,1990-04-01,1,0,H9\n"))
        {
            Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        }

        using var search = await client.Http.PostAsJsonAsync("/api/counter/residents/search", new { q = "スズキ" });
        var found = await search.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("I01", found[0].GetProperty("id").GetString());
        using (var patch = await client.Http.PatchAsJsonAsync("/api/counter/residents/I01", new { householdId = "H10" }))
        {
            Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        }

        using (var empty = await client.Http.PatchAsJsonAsync("/api/counter/residents/I01", new { nameKana = " " }))
        {
            await AssertRefusedAsync(empty, "empty-kana");
        }

        using (var card = await client.Http.PostAsJsonAsync("/api/counter/residents/I01/cards", new { cardId = "CARD-I01", kind = 1, expiresOn = "2035-04-01" }))
        {
            Assert.Equal(HttpStatusCode.OK, card.StatusCode);
        }

        using (var move = await client.Http.PostAsJsonAsync("/api/counter/residents/I01/changes", new { kind = 1, newAddress = "東京都千代田区一ツ橋２－２" }))
        {
            Assert.Equal(HttpStatusCode.OK, move.StatusCode);
        }

        using (var same = await client.Http.PostAsJsonAsync("/api/counter/residents/I01/changes", new { kind = 1, newAddress = "東京都千代田区一ツ橋２－２" }))
        {
            await AssertRefusedAsync(same, "change-invalid");
        }

        var detail = await client.Http.GetFromJsonAsync<JsonElement>("/api/counter/residents/I01");
        Assert.Equal("H10", detail.GetProperty("resident").GetProperty("householdId").GetString());
        Assert.Equal("CARD-I01", detail.GetProperty("cards")[0].GetProperty("cardId").GetString());
        Assert.Single((await client.Http.GetFromJsonAsync<JsonElement>("/api/counter/residents/I01/changes")).EnumerateArray());
        using var missing = await client.Http.GetAsync(new Uri("/api/counter/residents/NOPE", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Substitutions_PreviewWithCandidates_AndChoice()
    {
        await server.AddResidentWithCardAsync("S01", name: "髙橋　一郎");
        using var client = await server.ClientAsync();

        var preview = await client.Http.GetFromJsonAsync<JsonElement>("/api/counter/residents/S01/substitutions");
        var substitution = preview.GetProperty("name").GetProperty("substitutions")[0];

        Assert.Equal("髙", substitution.GetProperty("original").GetString());
        Assert.Contains("高", substitution.GetProperty("candidates").EnumerateArray().Select(c => c.GetString()));
        using var bad = await client.Http.GetAsync(new Uri("/api/counter/residents/S01/substitutions?choices=nonsense", UriKind.Relative));
        await AssertRefusedAsync(bad, "bad-request");
    }

    [Fact]
    public async Task Issue_OnVirtualCard_ReceiptThenRefusalsAndCertificateDates()
    {
        var slot = await server.AddResidentWithCardAsync("E01");
        using var client = await server.ClientAsync();
        var cards = await client.Http.GetFromJsonAsync<JsonElement>("/api/counter/cards");
        Assert.Contains(slot, cards.EnumerateArray().Select(c => c.GetProperty("id").GetString()));

        using (var noId = await client.Http.PostAsJsonAsync("/api/counter/issue", Issue("E01", slot) with { IdentityChecked = false }))
        {
            await AssertRefusedAsync(noId, "identity-not-checked", "本人確認");
        }

        using (var wrongPin = await client.Http.PostAsJsonAsync("/api/counter/issue", Issue("E01", slot) with { CardPin = "9999" }))
        {
            await AssertRefusedAsync(wrongPin, "card-pin-wrong", "残り");
        }

        using (var noCard = await client.Http.PostAsJsonAsync("/api/counter/issue", Issue("E01", "file:none.jpkicard")))
        {
            await AssertRefusedAsync(noCard, "card-not-found");
        }

        using var issued = await client.Http.PostAsJsonAsync("/api/counter/issue", Issue("E01", slot));
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        var receipt = await issued.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, receipt.GetProperty("certificates").GetArrayLength());
        Assert.All(receipt.GetProperty("certificates").EnumerateArray(), c => Assert.Equal("2031-02-17", c.GetProperty("expiresOn").GetString()));

        var detail = await client.Http.GetFromJsonAsync<JsonElement>("/api/counter/residents/E01");
        var certificates = detail.GetProperty("certificates").EnumerateArray().ToList();
        Assert.Equal(2, certificates.Count);
        Assert.All(certificates, c => Assert.Equal("valid", c.GetProperty("state").GetString()));
        Assert.All(certificates, c => Assert.False(c.GetProperty("renewableToday").GetBoolean()));

        using (var renew = await client.Http.PostAsJsonAsync("/api/counter/renew", Issue("E01", slot)))
        {
            await AssertRefusedAsync(renew, "renewal-too-early");
        }

        using var reset = await client.Http.PostAsJsonAsync("/api/counter/pin-reset", new { residentId = "E01", cardSlot = slot, identityChecked = true, kind = 2, newPin = "4321" });
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        using var badPin = await client.Http.PostAsJsonAsync("/api/counter/pin-reset", new { residentId = "E01", cardSlot = slot, identityChecked = true, kind = 2, newPin = "12" });
        await AssertRefusedAsync(badPin, "pin-too-short");
    }

    [Fact]
    public async Task Renew_WithoutValidCertificate_NoCertificate()
    {
        var slot = await server.AddResidentWithCardAsync("N01");
        using var client = await server.ClientAsync();
        using var renew = await client.Http.PostAsJsonAsync("/api/counter/renew", Issue("N01", slot));
        await AssertRefusedAsync(renew, "no-certificate");
    }

    [Fact]
    public async Task Revoke_ThirdPartyNeedsSupervisor_HolderRequestByClerk()
    {
        var slot = await server.AddResidentWithCardAsync("V01");
        using var clerk = await server.ClientAsync();
        using (var issued = await clerk.Http.PostAsJsonAsync("/api/counter/issue", Issue("V01", slot)))
        {
            Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        }

        using (var thirdParty = await clerk.Http.PostAsJsonAsync("/api/counter/revoke", new { residentId = "V01", identityChecked = true, kinds = new[] { 1 }, byThirdParty = true }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, thirdParty.StatusCode);
            Assert.Equal("supervisor-required", (await thirdParty.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        }

        using var supervisor = await server.ClientAsync("super1");
        using (var bySupervisor = await supervisor.Http.PostAsJsonAsync("/api/counter/revoke", new { residentId = "V01", identityChecked = true, kinds = new[] { 1 }, byThirdParty = true }))
        {
            Assert.Equal(HttpStatusCode.OK, bySupervisor.StatusCode);
            Assert.Single((await bySupervisor.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("serials").EnumerateArray());
        }

        using var holder = await clerk.Http.PostAsJsonAsync("/api/counter/revoke", new { residentId = "V01", identityChecked = true, kinds = new[] { 1, 2 } });
        Assert.Equal(HttpStatusCode.OK, holder.StatusCode);
        using var nothingLeft = await clerk.Http.PostAsJsonAsync("/api/counter/revoke", new { residentId = "V01", identityChecked = true, kinds = new[] { 1, 2 } });
        await AssertRefusedAsync(nothingLeft, "no-certificate");
    }

    [Fact]
    public async Task DailyClose_ClerkForbidden_SupervisorOnce_JournalAndReport()
    {
        using var clerk = await server.ClientAsync();
        var date = "2026-05-01";
        using (var forbidden = await clerk.Http.PostAsync(new Uri($"/api/counter/reports/daily/close?date={date}", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }

        using var supervisor = await server.ClientAsync("super1");
        using (var closed = await supervisor.Http.PostAsync(new Uri($"/api/counter/reports/daily/close?date={date}", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        }

        using (var again = await supervisor.Http.PostAsync(new Uri($"/api/counter/reports/daily/close?date={date}", UriKind.Relative), null))
        {
            await AssertRefusedAsync(again, "day-already-closed");
        }

        var report = await clerk.Http.GetFromJsonAsync<JsonElement>($"/api/counter/reports/daily?date={date}");
        Assert.Equal("super1", report.GetProperty("closed").GetProperty("staffId").GetString());
        var journal = await clerk.Http.GetFromJsonAsync<JsonElement>("/api/counter/journal");
        Assert.Contains("day.close", journal.EnumerateArray().Select(e => e.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task Pages_ClerkIsDeniedSupervisorPages_FormsNeedTheToken()
    {
        using var clerk = await server.ClientAsync();
        using (var accounts = await clerk.Http.GetAsync(new Uri("/staff/accounts", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Redirect, accounts.StatusCode);
            Assert.StartsWith("/staff/denied", accounts.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }

        using (var close = await clerk.Http.PostAsync(new Uri("/counter/report/close", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string> { ["date"] = "2026-05-02" })))
        {
            Assert.Equal(HttpStatusCode.Redirect, close.StatusCode);
        }

        using (var search = await clerk.Http.PostAsync(new Uri("/counter/search", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string> { ["q"] = "E" })))
        {
            Assert.Equal(HttpStatusCode.Redirect, search.StatusCode);
            using var results = await clerk.Http.GetAsync(search.Headers.Location);
            Assert.Equal(HttpStatusCode.OK, results.StatusCode);
        }

        clerk.WithoutCsrf();
        using var revoke = await clerk.Http.PostAsync(new Uri("/counter/residents/E01/revoke", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string> { ["sign"] = "1", ["identity"] = "1" }));
        Assert.Equal(HttpStatusCode.BadRequest, revoke.StatusCode);
        using var anonymous = new HttpClient { BaseAddress = server.BaseAddress };
        using var page = await anonymous.GetAsync(new Uri("/counter", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("職員ログイン", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    internal static IssueBody Issue(string resident, string slot) => new(resident, slot, true, CounterServer.CardPin, "ABC123", "5678");

    internal static async Task AssertRefusedAsync(HttpResponseMessage response, string code, string? japanese = null)
    {
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Json);
        Assert.Equal(code, body.GetProperty("code").GetString());
        if (japanese is not null)
        {
            Assert.Contains(japanese, body.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
    }

    internal sealed record IssueBody(string ResidentId, string CardSlot, bool IdentityChecked, string CardPin, string SignaturePassword, string AuthenticationPin);
}
