using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Jpki.Municipality.Proxy;
using Jpki.Municipality.Reports;
using Jpki.Municipality.Staff;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Jpki.Server.Tests.Counter;

/// <summary>
/// The desk's guarantees over plain HTTP, deterministic where a browser is not: two requests with one form token at the
/// same moment run the action once; a repeated post shows the first result; every staff form refuses a missing CSRF
/// token with a Japanese page and stores nothing; API calls without a card or without a seal statement are refusals.
/// </summary>
public sealed partial class CounterDeskHttpTests : IAsyncLifetime
{
    private readonly CounterServer _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task SameFormToken_TwoRequestsAtOnce_OneIssuanceBothSentToTheSameReceipt()
    {
        var slot = await _server.AddResidentWithCardAsync("H01");
        using var client = await _server.ClientAsync();
        var form = await client.FormAsync($"/counter/residents/H01/issue/confirm?step=1&card={Uri.EscapeDataString(slot)}&identity=1&sign=1&auth=1", "/counter/residents/H01/issue/confirm");
        form["cardPin"] = CounterServer.CardPin;
        form["signPassword"] = form["signPassword2"] = "ABC123";
        form["authPin"] = form["authPin2"] = "5678";

        var both = await Task.WhenAll(
            client.Http.PostAsync(new Uri("/counter/residents/H01/issue/confirm", UriKind.Relative), new FormUrlEncodedContent(form)),
            client.Http.PostAsync(new Uri("/counter/residents/H01/issue/confirm", UriKind.Relative), new FormUrlEncodedContent(form)));

        Assert.All(both, r => Assert.Equal(HttpStatusCode.SeeOther, r.StatusCode));
        Assert.Equal(both[0].Headers.Location, both[1].Headers.Location);
        Assert.Equal(2, (await _server.Web.Issuer.FindByHolderAsync(new Jpki.Authority.Contracts.HolderId("H01"), default)).Count);
        Assert.Single(await _server.Store.ListJournalDayAsync(new DateOnly(2026, 6, 10), default), e => e.Action == CounterActions.Issue);

        // F5 on the answer to the POST (the same body again, later): the first result, nothing run.
        using var again = await client.Http.PostAsync(new Uri("/counter/residents/H01/issue/confirm", UriKind.Relative), new FormUrlEncodedContent(form));
        Assert.Equal((HttpStatusCode.SeeOther, both[0].Headers.Location), (again.StatusCode, again.Headers.Location));
        using var receipt = await client.Http.GetAsync(both[0].Headers.Location);
        Assert.Contains("電子証明書を発行しました", await receipt.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2, (await _server.Web.Issuer.FindByHolderAsync(new Jpki.Authority.Contracts.HolderId("H01"), default)).Count);
        foreach (var response in both)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task RefusedSubmission_RepeatedToken_ShowsTheSameRefusalWithoutTryingTheCardAgain()
    {
        var slot = await _server.AddResidentWithCardAsync("H02");
        using var client = await _server.ClientAsync();
        var form = await client.FormAsync($"/counter/residents/H02/issue/confirm?step=1&card={Uri.EscapeDataString(slot)}&identity=1&sign=1&auth=1", "/counter/residents/H02/issue/confirm");
        form["cardPin"] = "9999";
        form["signPassword"] = form["signPassword2"] = "ABC123";
        form["authPin"] = form["authPin2"] = "5678";

        using var first = await client.Http.PostAsync(new Uri("/counter/residents/H02/issue/confirm", UriKind.Relative), new FormUrlEncodedContent(form));
        using var second = await client.Http.PostAsync(new Uri("/counter/residents/H02/issue/confirm", UriKind.Relative), new FormUrlEncodedContent(form));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, first.StatusCode);
        Assert.Contains("残り 2 回", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, second.StatusCode);
        var page = await second.Content.ReadAsStringAsync();
        Assert.Contains("残り 2 回", page, StringComparison.Ordinal); // not 1: the card PIN was tried once
        Assert.Contains("1回目の結果を表示しています", page, StringComparison.Ordinal);
        Assert.Single(await _server.Store.ListJournalDayAsync(new DateOnly(2026, 6, 10), default), e => e.Action == CounterActions.Issue);
    }

    [Fact]
    public async Task EveryStaffForm_WithoutCsrfToken_JapanesePageAndNothingStored()
    {
        await _server.AddResidentWithCardAsync("H03");
        using var client = await _server.ClientAsync("super1");
        client.WithoutCsrf();
        var routes = _server.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods.Contains("POST") == true)
            .Select(e => e.RoutePattern.RawText!)
            .Where(t => (t.StartsWith("/counter", StringComparison.Ordinal) || t.StartsWith("/staff/accounts", StringComparison.Ordinal)))
            .Distinct()
            .ToList();
        Assert.True(routes.Count >= 12, string.Join(", ", routes));
        var before = await Robustness.DataSnapshot.TakeAsync(_server.DataDirectory);
        var failures = new List<string>();
        foreach (var route in routes)
        {
            var path = RouteValue().Replace(route, m => m.Groups[1].Value switch { "id" => "H03", _ => "x" });
            using var response = await client.Http.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string> { ["kind"] = "MoveWithin", ["value"] = "東京都港区", ["date"] = "2026-06-10" }));
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.BadRequest || response.Content.Headers.ContentType?.MediaType != "text/html" || !JapaneseRefusal().IsMatch(body))
            {
                failures.Add($"{route}: {(int)response.StatusCode} {response.Content.Headers.ContentType} {body[..Math.Min(120, body.Length)]}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(string.Empty, before.Diff(await Robustness.DataSnapshot.TakeAsync(_server.DataDirectory)));
    }

    [Fact]
    public async Task StaffForm_ControlCharacterOrTooLongAddress_JapanesePageNotJson()
    {
        await _server.AddResidentWithCardAsync("H04");
        using var client = await _server.ClientAsync();
        var form = await client.FormAsync("/counter/residents/H04", "/counter/residents/H04/changes");
        form["kind"] = "MoveWithin";
        form["value"] = "東京都\u0001港区";

        using (var response = await client.Http.PostAsync(new Uri("/counter/residents/H04/changes", UriKind.Relative), new FormUrlEncodedContent(form)))
        {
            // Refused before the form is read (the server's input rules answer problem+json); a staff page gets it in Japanese.
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("制御文字", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        form["value"] = new string('東', 201);
        using (var response = await client.Http.PostAsync(new Uri("/counter/residents/H04/changes", UriKind.Relative), new FormUrlEncodedContent(form)))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            var page = await response.Content.ReadAsStringAsync();
            Assert.Contains("住所が長すぎて電子証明書に記録できません", page, StringComparison.Ordinal);
            Assert.Contains(new string('東', 201), page, StringComparison.Ordinal); // what was typed is kept
        }

        Assert.Equal("東京都千代田区千代田１－１", (await _server.Store.FindResidentAsync("H04", default))!.Address);
    }

    [Theory]
    [Trait("Category", "Security")]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Issue_MissingOrEmptyCardSlot_RefusedNotA500(string? slot)
    {
        // Issue 12: an empty or missing cardSlot was a 500.
        await _server.AddResidentWithCardAsync("H05");
        using var client = await _server.ClientAsync();
        var body = slot is null
            ? (object)new { residentId = "H05", identityChecked = true, cardPin = CounterServer.CardPin, signaturePassword = "ABC123", authenticationPin = "5678" }
            : new { residentId = "H05", cardSlot = slot, identityChecked = true, cardPin = CounterServer.CardPin, signaturePassword = "ABC123", authenticationPin = "5678" };

        foreach (var path in new[] { "/api/counter/issue", "/api/counter/pin-reset" })
        {
            using var response = await client.Http.PostAsJsonAsync(path, path.EndsWith("issue", StringComparison.Ordinal) ? body : new { residentId = "H05", cardSlot = slot, identityChecked = true, kind = 3, newPin = "1234" });
            await CounterApiTests.AssertRefusedAsync(response, "card-not-chosen", "カードが選ばれていません");
        }
    }

    [Fact]
    public async Task ProxyVisit_WithoutSealStatement_RefusedAndTheApplicationStaysOpen()
    {
        var slot = await _server.AddResidentWithCardAsync("H06");
        var inquiry = (await _server.Web.Proxy.RecordRequestAsync(StaffAccount.Clerk("clerk1"), new ProxyRequest("H06", "代理　花子", "運転免許証", true, true, true), default)).Value!;
        _server.Clock.Advance(TimeSpan.FromDays(1));
        using var client = await _server.ClientAsync();

        using var response = await client.Http.PostAsJsonAsync("/api/counter/proxy/visits", new { reference = inquiry.Reference, cardSlot = slot, proxyIdChecked = true, cardPin = CounterServer.CardPin, signaturePassword = "ABC123", authenticationPin = "5678" });

        await CounterApiTests.AssertRefusedAsync(response, "proxy-seal-not-stated");
        Assert.Equal(InquiryStatus.Open, (await _server.Store.FindInquiryAsync(inquiry.Reference, default))!.Status);
    }

    [Fact]
    public async Task ApiImport_ShiftJisCharsetAndRespondAsync_ProgressThenResult()
    {
        using var client = await _server.ClientAsync();
        var csv = new StringBuilder("住民番号,氏名,フリガナ,住所,生年月日,性別,成年被後見人,世帯番号\r\n");
        for (var i = 0; i < 3_000; i++)
        {
            csv.Append("A").Append(i).Append(",髙橋　一郎,タカハシ　イチロウ,東京都千代田区千代田１－１,1980-02-17,1,0,H").Append(i).Append("\r\n");
        }

        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        using var content = new ByteArrayContent(System.Text.Encoding.GetEncoding(932).GetBytes(csv.ToString()));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("text/csv; charset=shift_jis");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/counter/residents/import", UriKind.Relative)) { Content = content };
        request.Headers.Add("Prefer", "respond-async");

        using var accepted = await client.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var location = accepted.Headers.Location!;
        var id = location.OriginalString[(location.OriginalString.LastIndexOf('/') + 1)..];
        await _server.App.Services.GetRequiredService<Jpki.Server.Counter.RegisterImports>().Find(id, "clerk1")!.Completion;
        var job = await client.Http.GetFromJsonAsync<JsonElement>(location);

        Assert.Equal("done", job.GetProperty("state").GetString());
        Assert.Equal((3_000, "shift_jis"), (job.GetProperty("result").GetProperty("imported").GetInt32(), job.GetProperty("result").GetProperty("encoding").GetString()));
        using var search = await client.Http.PostAsJsonAsync("/api/counter/residents/search", new { q = "高橋", limit = 10, offset = 2990 });
        Assert.Equal("3000", search.Headers.GetValues("X-Total-Count").Single());
        Assert.Equal(10, (await search.Content.ReadFromJsonAsync<JsonElement>()).GetArrayLength());
    }

    [Fact]
    public async Task DayClose_ThroughTheApi_LaterIssuanceCountsTomorrowAndTheReportPageSaysSo()
    {
        var slot = await _server.AddResidentWithCardAsync("H07");
        using var supervisor = await _server.ClientAsync("super1");
        using (var close = await supervisor.Http.PostAsync(new Uri("/api/counter/reports/daily/close?date=2026-06-10", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.OK, close.StatusCode);
        }

        using (var issued = await supervisor.Http.PostAsJsonAsync("/api/counter/issue", CounterApiTests.Issue("H07", slot)))
        {
            Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        }

        var today = await supervisor.Http.GetFromJsonAsync<JsonElement>("/api/counter/reports/daily?date=2026-06-10");
        var tomorrow = await supervisor.Http.GetFromJsonAsync<JsonElement>("/api/counter/reports/daily?date=2026-06-11");
        Assert.Equal((0, 2), (today.GetProperty("certificatesIssued").GetInt32(), tomorrow.GetProperty("certificatesIssued").GetInt32()));
        Assert.True((await supervisor.Http.GetFromJsonAsync<JsonElement>("/api/counter/journal/verification")).GetProperty("intact").GetBoolean());
        var page = await supervisor.Http.GetStringAsync(new Uri("/counter/report?date=2026-06-10", UriKind.Relative));
        Assert.Contains("締め済み", page, StringComparison.Ordinal);
        Assert.Contains("正常：記録", page, StringComparison.Ordinal);
        var csv = await supervisor.Http.GetByteArrayAsync(new Uri("/counter/report.csv?date=2026-06-11", UriKind.Relative));
        var text = Encoding.UTF8.GetString(csv);
        Assert.StartsWith("\uFEFF日付,処理,結果,件数\r\n", text, StringComparison.Ordinal);
        Assert.Contains("電子証明書の発行・更新,完了,1", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DayClose_ThroughThePage_DoubleSubmitClosesOnce_ReportSealed_TamperingBySqlite3Detected()
    {
        var slot = await _server.AddResidentWithCardAsync("H08");
        using var supervisor = await _server.ClientAsync("super1");
        using (var issued = await supervisor.Http.PostAsJsonAsync("/api/counter/issue", CounterApiTests.Issue("H08", slot)))
        {
            Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        }

        // 日次締め sent twice with one form token (a double click): one close, both answers go to the same page.
        _server.Clock.Advance(TimeSpan.FromHours(6)); // 16:00
        var form = await supervisor.FormAsync("/counter/report?date=2026-06-10", "/counter/report/close");
        using var first = await supervisor.Http.PostAsync(new Uri("/counter/report/close", UriKind.Relative), new FormUrlEncodedContent(form));
        using var second = await supervisor.Http.PostAsync(new Uri("/counter/report/close", UriKind.Relative), new FormUrlEncodedContent(form));
        Assert.Equal((HttpStatusCode.SeeOther, HttpStatusCode.SeeOther), (first.StatusCode, second.StatusCode));
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        var closed = await supervisor.Http.GetStringAsync(first.Headers.Location);
        Assert.Contains("日次締めを行いました", closed, StringComparison.Ordinal);
        Assert.Contains("締め済み", closed, StringComparison.Ordinal);
        Assert.DoesNotContain("日次締めを行う</button>", closed, StringComparison.Ordinal);
        var seal = (await _server.Store.FindDayCloseAsync(new DateOnly(2026, 6, 10), default))!;
        Assert.Equal((2, "super1"), (seal.CertificatesIssued, seal.StaffId));

        // A revocation later the same afternoon is counted on 11 June; the closed report still says 2.
        using (var revoked = await supervisor.Http.PostAsJsonAsync("/api/counter/revoke", new { residentId = "H08", identityChecked = true, kinds = new[] { 1 } }))
        {
            Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        }

        Assert.Equal(2, (await supervisor.Http.GetFromJsonAsync<JsonElement>("/api/counter/reports/daily?date=2026-06-10")).GetProperty("certificatesIssued").GetInt32());
        Assert.Contains(await _server.Store.ListJournalDayAsync(new DateOnly(2026, 6, 11), default), e => e.Action == CounterActions.Revoke);
        Assert.True((await supervisor.Http.GetFromJsonAsync<JsonElement>("/api/counter/journal/verification")).GetProperty("intact").GetBoolean());

        // Someone edits the sealed issuance in counter.db with the sqlite3 shell while the server runs.
        var sealedEntry = (await _server.Store.ListJournalDayAsync(new DateOnly(2026, 6, 10), default)).Single(e => e.Action == CounterActions.Issue).Sequence;
        Sqlite3(Path.Combine(_server.DataDirectory, "counter.db"), $"UPDATE journal SET staff_id = 'clerk1' WHERE seq = {sealedEntry};");

        var verification = await supervisor.Http.GetFromJsonAsync<JsonElement>("/api/counter/journal/verification");
        Assert.False(verification.GetProperty("intact").GetBoolean());
        Assert.Equal(sealedEntry, verification.GetProperty("firstBadSequence").GetInt64());
        var page = await supervisor.Http.GetStringAsync(new Uri("/counter/report?date=2026-06-10", UriKind.Relative));
        Assert.Contains($"記録の改ざんまたは欠落を検出しました：記録 {sealedEntry} の内容がハッシュと一致しません（書き換え）。", page, StringComparison.Ordinal);
    }

    /// <summary>Runs SQL with the sqlite3 shell (Debian package sqlite3), as an administrator would.</summary>
    private static void Sqlite3(string database, string sql)
    {
        var start = new System.Diagnostics.ProcessStartInfo("sqlite3", ["-cmd", ".timeout 10000", database, sql]) { RedirectStandardError = true };
        System.Diagnostics.Process process;
        try
        {
            process = System.Diagnostics.Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("sqlite3 is not installed: apt-get install sqlite3 (test.sh does it).", e);
        }

        using (process)
        {
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, "sqlite3: " + error);
        }
    }

    [GeneratedRegex(@"\{(\w+)[^}]*\}")]
    private static partial Regex RouteValue();

    [GeneratedRegex("送信していません|送信できませんでした")]
    private static partial Regex JapaneseRefusal();
}
