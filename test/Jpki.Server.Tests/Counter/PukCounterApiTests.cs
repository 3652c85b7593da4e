using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jpki.Card.Client;
using Jpki.Card.Transport;
using Jpki.Card.Virtual;
using Jpki.Core.Pins;

namespace Jpki.Server.Tests.Counter;

/// <summary>
/// The PUK at the counter over HTTP (<c>POST /api/counter/pin-unblock</c> and the page <c>/counter/residents/{id}/pin-unblock</c>)
/// with next-generation virtual cards whose signature password is blocked: the PUK's tries left as a number, the unblock,
/// and today's card refused with the issuer-channel reset named.
/// </summary>
public sealed class PukCounterApiTests(CounterServer server) : IClassFixture<CounterServer>
{
    private const string Puk = "20261205";

    [Fact]
    public async Task PinUnblock_WrongPukThenRightPuk_TriesLeftThenUnblockedAndTheNewPasswordVerifies()
    {
        var slot = await server.AddResidentWithCardAsync("PK1", nextGenerationPuk: Puk);
        using var client = await server.ClientAsync();

        using (var wrong = await client.Http.PostAsJsonAsync("/api/counter/pin-unblock", Body("PK1", slot, "11112222")))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
            var body = await wrong.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("puk-wrong", body.GetProperty("code").GetString());
            Assert.Equal(9, body.GetProperty("triesLeft").GetInt32());
            Assert.Contains("残り 9 回", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        using (var shape = await client.Http.PostAsJsonAsync("/api/counter/pin-unblock", Body("PK1", slot, "1234")))
        {
            await CounterApiTests.AssertRefusedAsync(shape, "puk-format", "数字8桁");
        }

        using (var done = await client.Http.PostAsJsonAsync("/api/counter/pin-unblock", Body("PK1", slot, Puk)))
        {
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
            Assert.True((await done.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("unblocked").GetBoolean());
        }

        using var card = VirtualCard.Open(Path.Combine(server.DataDirectory, "cards", "PK1.jpkicard"));
        using var transport = new InProcessTransport(card);
        var verified = new JpkiCardClient(transport).Verify(PinKind.SignaturePassword, "NEWPW42");
        Assert.True(verified.Verified);
    }

    [Fact]
    public async Task PinUnblock_TodaysCard_RefusedCardHasNoPukAndThePageOffersThePinReset()
    {
        var slot = await server.AddResidentWithCardAsync("PK2");
        using var client = await server.ClientAsync();

        using var refused = await client.Http.PostAsJsonAsync("/api/counter/pin-unblock", Body("PK2", slot, Puk));
        await CounterApiTests.AssertRefusedAsync(refused, "card-has-no-puk", "暗証番号の初期化");

        var page = await client.Http.GetStringAsync("/counter/residents/PK2/pin-unblock");
        Assert.Contains("PUKによる暗証番号のロック解除", page, StringComparison.Ordinal);
        Assert.Contains("/counter/residents/PK2/pin-reset", page, StringComparison.Ordinal);
        Assert.Contains("/counter/residents/PK2/pin-unblock", await client.Http.GetStringAsync("/counter/residents/PK2"), StringComparison.Ordinal);
    }

    private static object Body(string resident, string slot, string puk) =>
        new { residentId = resident, cardSlot = slot, identityChecked = true, kind = (int)PinKind.SignaturePassword, puk, newPin = "NEWPW42" };
}
