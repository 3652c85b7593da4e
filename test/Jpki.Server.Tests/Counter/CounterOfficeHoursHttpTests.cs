using System.Net;
using System.Net.Http.Json;
using Jpki.Municipality.Reports;

namespace Jpki.Server.Tests.Counter;

/// <summary>
/// One municipality's office hours and calendar from <c>&lt;data&gt;/counter.json</c>, as `jpki serve` reads them at
/// start: outside the city's hours the desk refuses before any PIN field (page and API), inside them it proceeds, an
/// extra open Saturday opens; the sandbox switch opens at any hour and says so on every staff page.
/// </summary>
public sealed class CounterOfficeHoursHttpTests
{
    /// <summary>Wednesday 2026-06-10: this city closes at 09:30 on weekdays and opens on Saturday 13 June (休日開庁).</summary>
    private const string EarlyClosing = """
        {
          // The city's own hours (comments are allowed).
          "officeHours": { "opens": "08:00", "closes": "09:30", "extraOpenDates": ["2026-06-13"] }
        }
        """;

    [Fact]
    public async Task CityHours_OutsideThem_RefusedBeforeAnyPinOnThePageAndTheApi_InsideThemAndOnTheExtraSaturdayAccepted()
    {
        await using var server = new SettingsServer(EarlyClosing);
        await server.InitializeAsync();
        var slot = await server.AddResidentWithCardAsync("O01");
        var confirm = $"/counter/residents/O01/issue/confirm?step=1&card={Uri.EscapeDataString(slot)}&identity=1&sign=1&auth=1";

        // 10:00 on a Wednesday: the default hours (08:30–17:00) would accept; this city closed at 09:30.
        using (var clerk = await server.ClientAsync())
        {
            using var page = await clerk.Http.GetAsync(new Uri(confirm, UriKind.Relative));
            var html = await page.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
            Assert.Contains("現在は窓口の受付時間外です（受付時間外）。次の受付は2026年6月11日（木）8:00からです。", html, StringComparison.Ordinal);
            Assert.DoesNotContain("name=\"cardPin\"", html, StringComparison.Ordinal);

            using var api = await clerk.Http.PostAsJsonAsync("/api/counter/issue", CounterApiTests.Issue("O01", slot));
            await CounterApiTests.AssertRefusedAsync(api, "office-closed");
        }

        Assert.Empty(await server.Web.Issuer.FindByHolderAsync(new Jpki.Authority.Contracts.HolderId("O01"), default));
        Assert.DoesNotContain(await server.Store.ListJournalDayAsync(new DateOnly(2026, 6, 10), default), e => e.Outcome == JournalEntry.Ok);

        // Thursday 08:00, the first minute of the city's hours: the PIN fields are shown.
        server.Clock.Advance(TimeSpan.FromHours(22));
        using (var clerk = await server.ClientAsync())
        {
            var html = await clerk.Http.GetStringAsync(new Uri(confirm, UriKind.Relative));
            Assert.Contains("name=\"cardPin\"", html, StringComparison.Ordinal);
            Assert.DoesNotContain("試験環境（サンドボックス）", html, StringComparison.Ordinal);
        }

        // Saturday 13 June 09:00: an extra open date of the city; Sunday 14 June 09:00: closed as every Sunday.
        server.Clock.Advance(TimeSpan.FromDays(2) + TimeSpan.FromHours(1));
        using (var clerk = await server.ClientAsync())
        {
            Assert.Contains("name=\"cardPin\"", await clerk.Http.GetStringAsync(new Uri(confirm, UriKind.Relative)), StringComparison.Ordinal);
        }

        server.Clock.Advance(TimeSpan.FromDays(1));
        using (var clerk = await server.ClientAsync())
        {
            using var page = await clerk.Http.GetAsync(new Uri(confirm, UriKind.Relative));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
            Assert.Contains("現在は窓口の受付時間外です（閉庁日）。次の受付は2026年6月15日（月）8:00からです。", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SandboxSwitch_AtTenInTheEvening_AcceptedAndEveryStaffPageSaysItIsASandbox()
    {
        await using var server = new SettingsServer("""{ "sandbox": { "alwaysOpen": true } }""");
        await server.InitializeAsync();
        var slot = await server.AddResidentWithCardAsync("O02");
        server.Clock.Advance(TimeSpan.FromHours(12)); // 22:00

        using var clerk = await server.ClientAsync();
        var html = await clerk.Http.GetStringAsync(new Uri($"/counter/residents/O02/issue/confirm?step=1&card={Uri.EscapeDataString(slot)}&identity=1&sign=1&auth=1", UriKind.Relative));
        Assert.Contains("name=\"cardPin\"", html, StringComparison.Ordinal);
        Assert.Contains("試験環境（サンドボックス）：受付時間の制限を外しています", html, StringComparison.Ordinal);
        Assert.Contains("試験環境（サンドボックス）", await clerk.Http.GetStringAsync(new Uri("/counter", UriKind.Relative)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "officeHours": { "closes": "5pm" } }""", "officeHours.closes")]
    [InlineData("""{ "officeHours": { "closedWeekdays": ["Sonntag"] } }""", "officeHours.closedWeekdays")]
    [InlineData("""{ "officeHours": { "opens": "17:00", "closes": "08:30" } }""", "close after it opens")]
    [InlineData("""{ "officeHour": { "opens": "08:00" } }""", "officeHour")]
    [InlineData("""{ "officeHours": """, "counter.json")]
    public async Task MisreadSettings_TheServerDoesNotStart_TheMessageNamesFileAndKey(string json, string named)
    {
        await using var server = new SettingsServer(json);

        var error = await Assert.ThrowsAsync<InvalidDataException>(server.InitializeAsync);

        Assert.Contains("counter.json", error.Message, StringComparison.Ordinal);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    /// <summary>The embedded server with <paramref name="json"/> as its data folder's counter.json.</summary>
    private sealed class SettingsServer(string json) : CounterServer
    {
        protected override Task BeforeBuildAsync()
        {
            Directory.CreateDirectory(DataDirectory);
            return File.WriteAllTextAsync(Path.Combine(DataDirectory, "counter.json"), json);
        }
    }
}
