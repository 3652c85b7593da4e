using System.Net;
using System.Text.RegularExpressions;
using Jpki.Municipality.Residents;
using Jpki.Municipality.Staff;
using Jpki.Municipality.Storage;
using Jpki.OnlineApplication;
using Jpki.Server.Staff;
using Jpki.Server.Tests.Counter;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Server.Tests.OnlineApplication;

/// <summary>The staff queue on the production path: the real staff sign-in (cookie, roles, CSRF) of the counter's web part.</summary>
public sealed partial class StaffQueueRealSignInTests : IAsyncLifetime
{
    private const string ClerkPassword = "clerk-desk-Hq4v7";
    private readonly string _data = Path.Combine(Path.GetTempPath(), "jpki-eapp-signin-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 1, 0, 0, TimeSpan.Zero));
    private readonly Jpki.Testing.CollectingLoggerProvider _logs = new();
    private Microsoft.AspNetCore.Builder.WebApplication? _app;

    private Uri Base => new(_app!.Urls.First());

    public async Task InitializeAsync()
    {
        _app = JpkiServerHost.Build(
            new JpkiServerOptions { DataDirectory = _data, Urls = "http://127.0.0.1:0", ConfigureServices = services => services.AddLogging(logging => logging.AddProvider(_logs)) },
            _clock);
        await _app.StartAsync();
        Assert.Null(await _app.Services.GetRequiredService<StaffDirectory>().AddAsync("clerk1", "窓口　花子", StaffRole.Clerk, ClerkPassword, mustChange: false, default));
        var hanako = EApplicationServer.Hanako;
        await _app.Services.GetRequiredService<ICounterStore>().AddResidentsAsync(
            [new Resident("R0001", hanako.Name, "デンシ　ハナコ", hanako.Address, hanako.DateOfBirth, hanako.Sex, false, "H0001")], default);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task StaffQueue_RealSignIn_ListsMatchAndDecidesWithCsrf()
    {
        var authority = _app!.Services.GetRequiredService<OwnedAuthority>().Runtime;
        var card = await CitizenCard.IssueAsync(authority, _data, "EAPPREAL", EApplicationServer.Hanako);
        var document = RequestDocument.Encode(new ApplicationRequest(
            "DDDDDDDDDDDDDDDDDDDDDD", RequestKind.ResidenceRecord, 1, "就職先への提出", false, false, false, true, null, _clock.GetUtcNow().ToOffset(TimeSpan.FromHours(9))));
        using var citizen = new HttpClient();
        using var form = new MultipartFormDataContent
        {
            { new StringContent(Convert.ToBase64String(document)), "document" },
            { new ByteArrayContent(card.SignDetached(document, _clock.GetUtcNow())), "signature", "request.json.p7s" },
        };
        using var accepted = await citizen.PostAsync(new Uri(Base, "/e-application/submit"), form);
        var receipt = Receipt().Match(await accepted.Content.ReadAsStringAsync()).Groups[1].Value;
        Assert.StartsWith("EA-", receipt, StringComparison.Ordinal);

        using var anonymous = new CounterServer.StaffClient(Base);
        using var redirected = await anonymous.Http.GetAsync(new Uri("/e-application/staff/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
        Assert.Contains("/staff/login", redirected.Headers.Location!.ToString(), StringComparison.Ordinal);

        using var clerk = new CounterServer.StaffClient(Base);
        await clerk.RefreshCsrfAsync();
        using (var login = await clerk.Http.PostAsync(
            new Uri("/api/counter/session", UriKind.Relative),
            System.Net.Http.Json.JsonContent.Create(new { id = "clerk1", password = ClerkPassword })))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }

        await clerk.RefreshCsrfAsync();
        var list = await clerk.Http.GetStringAsync(new Uri("/e-application/staff/", UriKind.Relative));
        Assert.Contains(receipt, list, StringComparison.Ordinal);
        Assert.Contains(">一致<", list, StringComparison.Ordinal);

        clerk.WithoutCsrf();
        using (var noToken = await clerk.Http.PostAsync(
            new Uri("/e-application/staff/" + receipt, UriKind.Relative), new FormUrlEncodedContent([new("action", "done"), new("note", "")])))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        }

        var detail = await clerk.Http.GetStringAsync(new Uri("/e-application/staff/" + receipt, UriKind.Relative));
        var token = CsrfField().Match(detail).Groups[1].Value;
        using (var decided = await clerk.Http.PostAsync(
            new Uri("/e-application/staff/" + receipt, UriKind.Relative),
            new FormUrlEncodedContent([new("action", "done"), new("note", "交付済"), new("__csrf", WebUtility.HtmlDecode(token))])))
        {
            Assert.Equal(HttpStatusCode.Redirect, decided.StatusCode);
        }

        var stored = await _app.Services.GetRequiredService<IApplicationStore>().FindAsync(receipt, default);
        Assert.Equal(ApplicationStatus.Done, stored!.Status);
        Assert.Equal("clerk1", stored.HandledBy);

        // The clerk re-verifies the kept signature; the same signed request sent again is refused as a replay.
        var reverified = await clerk.Http.GetStringAsync(new Uri("/e-application/staff/" + receipt + "/verify", UriKind.Relative));
        Assert.Contains("id=\"indication\"", reverified, StringComparison.Ordinal);
        using (var again = new MultipartFormDataContent
        {
            { new StringContent(Convert.ToBase64String(document)), "document" },
            { new ByteArrayContent(card.SignDetached(document, _clock.GetUtcNow())), "signature", "request.json.p7s" },
        })
        using (var replay = await citizen.PostAsync(new Uri(Base, "/e-application/submit"), again))
        {
            Assert.Equal(HttpStatusCode.Conflict, replay.StatusCode);
        }

        // The application's events (6201–6205) by receipt, kind, format, serial, staff id and code — never the applicant.
        Assert.Equal(2, _logs.Of(6201).Count);
        var acceptedEvent = Assert.Single(_logs.Of(6202));
        Assert.Equal((receipt, "ResidenceRecord", "cades"), (acceptedEvent.Values["Receipt"], acceptedEvent.Values["Kind"], acceptedEvent.Values["Format"]));
        Assert.Equal(card.SignSerialHex, acceptedEvent.Values["Serial"], ignoreCase: true);
        Assert.Equal(("duplicate", "409"), (Assert.Single(_logs.Of(6203)).Values["Code"], _logs.Of(6203)[0].Values["Status"]));
        var reverifiedEvent = Assert.Single(_logs.Of(6204));
        Assert.Equal((receipt, "clerk1", "TotalPassed"), (reverifiedEvent.Values["Receipt"], reverifiedEvent.Values["Staff"], reverifiedEvent.Values["Indication"]));
        Assert.Equal((receipt, "clerk1", "done"), (_logs.Of(6205)[0].Values["Receipt"], _logs.Of(6205)[0].Values["Staff"], _logs.Of(6205)[0].Values["Decision"]));
        var hanako = EApplicationServer.Hanako;
        string[] personal = [hanako.Name, "電子", "花子", "デンシ", hanako.Address, "永田町", "1990-02-28", "19900228", "就職先への提出", "交付済", "窓口"];
        var leaks = _logs.Events.Where(e => e.Id is >= 2100 and < 7000)
            .SelectMany(e => personal.Where(p => e.AllText.Contains(p, StringComparison.Ordinal)).Select(p => $"{p} in event {e.Id}")).ToList();
        Assert.True(leaks.Count == 0, string.Join("\n", leaks));
    }

    [GeneratedRegex("id=\"receipt\">([^<]+)<")]
    private static partial Regex Receipt();

    [GeneratedRegex("name=\"__csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();
}
