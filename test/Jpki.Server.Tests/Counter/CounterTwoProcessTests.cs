using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jpki.Server.Tests.Crash;

namespace Jpki.Server.Tests.Counter;

/// <summary>
/// Two <c>jpki serve</c> processes on one data folder (two counter terminals of one office, or a restart beside a
/// running server): a staff page's one-time form token given out by process A is accepted once by process B, and sent
/// again — to A or to B — runs nothing and shows the first result. The same token sent to both at once runs once.
/// The token's claim lives in the counter store (<c>form_submissions</c> in <c>counter.db</c>), its protection keys in
/// the counter store's key ring, so neither process has to have seen it.
/// </summary>
public sealed class CounterTwoProcessTests : IAsyncLifetime
{
    private const string Password = "two-desks-Vb8q2Lw";
    private readonly string _data = Path.Combine(Path.GetTempPath(), "jpki-two-process-" + Guid.NewGuid().ToString("N")[..12]);
    private JpkiServerProcess _a = null!;
    private JpkiServerProcess _b = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_data);
        // The counter at any hour (the machine's clock is real here): the sandbox switch.
        var environment = new Dictionary<string, string> { ["JPKI_COUNTER_ALWAYS_OPEN"] = "1" };
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        _a = new JpkiServerProcess(_data, JpkiServerProcess.FreePort(), environment);
        await _a.StartAsync(timeout.Token); // A creates the data folder's authority, counter store and admin account
        _b = new JpkiServerProcess(_data, JpkiServerProcess.FreePort(), environment);
        await _b.StartAsync(timeout.Token);
    }

    public Task DisposeAsync()
    {
        _a?.Dispose();
        _b?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task FormTokenFromProcessA_AcceptedOnceByProcessB_RepeatsOnEitherRunNothing()
    {
        // One browser's cookies (cookies do not depend on the port): signed in at A, the session holds at B.
        using var clerk = new CounterServer.StaffClient(_a.BaseAddress);
        await SignInAsAdminAsync(clerk);
        using (var import = await clerk.PostCsvAsync("/api/counter/residents/import", Jpki.Municipality.Residents.ResidentCsv.JapaneseHeader + "\nT01,山田　太郎,ヤマダ　タロウ,東京都千代田区千代田１－１,1980-02-17,1,0,H1\n"))
        {
            Assert.True(import.StatusCode == HttpStatusCode.OK, await import.Content.ReadAsStringAsync() + _a.LogTail);
        }

        // The form as A shows it; sent to B first.
        var form = await clerk.FormAsync("/counter/residents/T01", "/counter/residents/T01/changes");
        form["kind"] = "MoveWithin";
        form["value"] = "東京都千代田区永田町１－７";
        using var atB = await PostAsync(clerk, _b, form);
        Assert.True(atB.StatusCode == HttpStatusCode.SeeOther, $"{(int)atB.StatusCode} {await atB.Content.ReadAsStringAsync()}\n{_b.LogTail}");
        var result = atB.Headers.Location!;
        Assert.StartsWith("/counter/residents/T01?notice=", result.OriginalString, StringComparison.Ordinal);

        // The same token again: at A (which gave it out and never ran it) and at B. Each answers with the first result.
        using var againAtA = await PostAsync(clerk, _a, form);
        using var againAtB = await PostAsync(clerk, _b, form);
        Assert.Equal((HttpStatusCode.SeeOther, result), (againAtA.StatusCode, againAtA.Headers.Location));
        Assert.Equal((HttpStatusCode.SeeOther, result), (againAtB.StatusCode, againAtB.Headers.Location));
        var page = await clerk.Http.GetStringAsync(new Uri(_a.BaseAddress, result));
        Assert.Contains("異動を登録し", page, StringComparison.Ordinal);
        Assert.Equal((1, "東京都千代田区永田町１－７"), await MovesAsync(clerk));

        // A fresh token sent to both processes at the same moment (a double click split by a load balancer): one change.
        form = await clerk.FormAsync("/counter/residents/T01", "/counter/residents/T01/changes");
        form["kind"] = "MoveWithin";
        form["value"] = "東京都千代田区霞が関１－１";
        var both = await Task.WhenAll(PostAsync(clerk, _a, form), PostAsync(clerk, _b, form));
        try
        {
            Assert.All(both, r => Assert.Equal(HttpStatusCode.SeeOther, r.StatusCode));
            foreach (var response in both)
            {
                // The one that lost the race may point at the submission's page while the other still ran; by now both
                // answers are in, so that page sends on to the same result.
                Assert.Equal(both[0].Headers.Location is { } l && l.OriginalString.StartsWith("/counter/submissions/", StringComparison.Ordinal) ? await FollowAsync(clerk, l) : both[0].Headers.Location!.OriginalString,
                    response.Headers.Location!.OriginalString.StartsWith("/counter/submissions/", StringComparison.Ordinal) ? await FollowAsync(clerk, response.Headers.Location) : response.Headers.Location.OriginalString);
            }
        }
        finally
        {
            foreach (var response in both)
            {
                response.Dispose();
            }
        }

        Assert.Equal((2, "東京都千代田区霞が関１－１"), await MovesAsync(clerk));
        var journal = await clerk.Http.GetFromJsonAsync<JsonElement>(new Uri(_b.BaseAddress, "/api/counter/journal"));
        Assert.Equal(2, journal.EnumerateArray().Count(e => e.GetProperty("action").GetString() == "registry.change" && e.GetProperty("outcome").GetString() == "ok"));
    }

    /// <summary>Signs in as the first supervisor with the one-time password A wrote, and sets a password of our own.</summary>
    private async Task SignInAsAdminAsync(CounterServer.StaffClient client)
    {
        await CounterServer.SignInAsInitialAdminAsync(client, _data, Password);
        using var me = await client.Http.GetAsync(new Uri(_b.BaseAddress, "/api/counter/me"));
        Assert.True(me.StatusCode == HttpStatusCode.OK, "the session of A is not accepted by B: " + (int)me.StatusCode);
    }

    private static Task<HttpResponseMessage> PostAsync(CounterServer.StaffClient client, JpkiServerProcess server, Dictionary<string, string> form) =>
        client.Http.PostAsync(new Uri(server.BaseAddress, "/counter/residents/T01/changes"), new FormUrlEncodedContent(form));

    private async Task<string> FollowAsync(CounterServer.StaffClient client, Uri submission)
    {
        using var response = await client.Http.GetAsync(new Uri(_a.BaseAddress, submission));
        Assert.True(response.StatusCode == HttpStatusCode.SeeOther, $"{submission}: {(int)response.StatusCode}");
        return response.Headers.Location!.OriginalString;
    }

    /// <summary>How many moves resident T01 has, and the address, as B reads them.</summary>
    private async Task<(int Moves, string? Address)> MovesAsync(CounterServer.StaffClient client)
    {
        var resident = await client.Http.GetFromJsonAsync<JsonElement>(new Uri(_b.BaseAddress, "/api/counter/residents/T01"));
        var changes = await client.Http.GetFromJsonAsync<JsonElement>(new Uri(_b.BaseAddress, "/api/counter/residents/T01/changes"));
        return (changes.EnumerateArray().Count(c => c.GetProperty("kind").GetString() == "MoveWithin"), resident.GetProperty("resident").GetProperty("address").GetString());
    }
}
