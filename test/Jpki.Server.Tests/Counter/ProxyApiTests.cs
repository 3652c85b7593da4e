using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Jpki.Server.Tests.Counter;

/// <summary>Proxy issuance over the API: visit 1, the letter, no same-day issuance, visit 2 on a later day.</summary>
public sealed class ProxyApiTests : IAsyncLifetime
{
    private readonly CounterServer _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task Proxy_Visit1LetterThenVisit2NextDay_IssuedByProxy()
    {
        var slot = await _server.AddResidentWithCardAsync("P01");
        using var client = await _server.ClientAsync();
        using (var missing = await client.Http.PostAsJsonAsync("/api/counter/proxy/requests", new { residentId = "P01", proxyName = "山田　花子", proxyIdDocument = "運転免許証", proxyIdChecked = true, applicationPresent = true, powerOfAttorneyPresent = false }))
        {
            await CounterApiTests.AssertRefusedAsync(missing, "proxy-documents-missing");
        }

        using var visit1 = await client.Http.PostAsJsonAsync("/api/counter/proxy/requests", new { residentId = "P01", proxyName = "山田　花子", proxyIdDocument = "運転免許証", proxyIdChecked = true, applicationPresent = true, powerOfAttorneyPresent = true });
        Assert.Equal(HttpStatusCode.OK, visit1.StatusCode);
        var reference = (await visit1.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reference").GetString()!;
        var queue = await client.Http.GetFromJsonAsync<JsonElement>("/api/counter/proxy/requests");
        Assert.Contains(reference, queue.EnumerateArray().Select(i => i.GetProperty("reference").GetString()));
        using (var letter = await client.Http.GetAsync(new Uri($"/api/counter/proxy/requests/{reference}/letter", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, letter.StatusCode);
            Assert.Equal(reference, (await letter.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reference").GetString());
        }

        var visit2 = new { reference, cardSlot = slot, proxyIdChecked = true, sealIntact = true, cardPin = CounterServer.CardPin, signaturePassword = "ABC123", authenticationPin = "5678" };
        using (var sameDay = await client.Http.PostAsJsonAsync("/api/counter/proxy/visits", visit2))
        {
            await CounterApiTests.AssertRefusedAsync(sameDay, "proxy-same-day", "即日交付");
        }

        _server.Clock.Advance(TimeSpan.FromDays(1));
        using var nextDay = await _server.ClientAsync();
        using (var typo = await nextDay.Http.PostAsJsonAsync("/api/counter/proxy/visits", visit2 with { reference = "1234-5678-9012-3450" }))
        {
            await CounterApiTests.AssertRefusedAsync(typo, "proxy-reference-invalid");
        }

        using var issued = await nextDay.Http.PostAsJsonAsync("/api/counter/proxy/visits", visit2);
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        var receipt = await issued.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(receipt.GetProperty("byProxy").GetBoolean());
        Assert.Equal(2, receipt.GetProperty("certificates").GetArrayLength());
        using var reused = await nextDay.Http.PostAsJsonAsync("/api/counter/proxy/visits", visit2);
        await CounterApiTests.AssertRefusedAsync(reused, "proxy-inquiry-closed");
    }
}
