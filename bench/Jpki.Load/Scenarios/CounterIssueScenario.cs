using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jpki.Load.Data;
using Jpki.Load.Running;

namespace Jpki.Load.Scenarios;

/// <summary>
/// <c>counter-issue</c>: a clerk signs in (CSRF token, session cookie), then each request issues both certificates
/// through <c>POST /api/counter/issue</c> to the next prepared resident's virtual card (on-card key generation in the
/// server). An answer must be 200 with two certificates, each with a serial, the sign and the auth one. Each card is
/// issued once: <c>load/counter-next</c> in the data folder remembers where the last run stopped, and the run ends
/// when the cards run out.
/// </summary>
internal sealed class CounterIssueScenario(HttpClient http, LoadManifest manifest, string dataDirectory) : IScenario
{
    private int _first;
    private int _next = -1;

    public string Name => "counter-issue";

    public IReadOnlyDictionary<string, string> Notes { get; private set; } = new Dictionary<string, string>();

    private string CursorPath => Path.Combine(dataDirectory, LoadManifest.FolderName, "counter-next");

    public async Task SetUpAsync(CancellationToken cancellationToken)
    {
        _first = File.Exists(CursorPath) ? int.Parse(await File.ReadAllTextAsync(CursorPath, cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) : 0;
        _next = _first - 1;
        await CsrfAsync(cancellationToken).ConfigureAwait(false);
        using (var login = await http.PostAsJsonAsync("api/counter/session", new { id = manifest.StaffId, password = manifest.StaffPassword }, cancellationToken).ConfigureAwait(false))
        {
            if (login.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"Staff sign-in as {manifest.StaffId} answered {(int)login.StatusCode}.");
            }
        }

        await CsrfAsync(cancellationToken).ConfigureAwait(false);
        Notes = new Dictionary<string, string>
        {
            ["cards"] = string.Create(CultureInfo.InvariantCulture, $"{manifest.Cards.Count - _first} of {manifest.Cards.Count} left at start"),
            ["issuance"] = "both certificates, on-card RSA-2048 key generation in the server (virtual card files)",
            ["check"] = "200, two certificates (sign and auth) with serials",
        };
    }

    public async Task<Outcome?> RunOnceAsync(long index, CancellationToken cancellationToken)
    {
        var i = Interlocked.Increment(ref _next);
        if (i >= manifest.Cards.Count)
        {
            return null;
        }

        var card = manifest.Cards[i];
        using var response = await http.PostAsJsonAsync(
            "api/counter/issue",
            new { residentId = card.ResidentId, cardSlot = card.Slot, identityChecked = true, cardPin = manifest.CardPin, signaturePassword = manifest.SignaturePassword, authenticationPin = manifest.AuthenticationPin },
            cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return Outcome.Status((int)response.StatusCode);
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            var certificates = json.RootElement.GetProperty("certificates").EnumerateArray().ToList();
            var kinds = certificates.Select(c => c.GetProperty("kind").ToString()).Order(StringComparer.OrdinalIgnoreCase).ToList();
            var serials = certificates.Select(c => c.GetProperty("serialHex").GetString()).ToList();
            return certificates.Count == 2 && serials.All(s => !string.IsNullOrEmpty(s)) && serials[0] != serials[1] && kinds.Count == 2 && kinds[0] != kinds[1]
                ? Outcome.Ok(body.Length)
                : Outcome.Wrong("not two certificates with serials");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return Outcome.Wrong("answer is not the receipt");
        }
    }

    public async ValueTask DisposeAsync()
    {
        var next = Math.Min(Volatile.Read(ref _next) + 1, manifest.Cards.Count);
        if (next > _first)
        {
            await File.WriteAllTextAsync(CursorPath, next.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
        }
    }

    private async Task CsrfAsync(CancellationToken cancellationToken)
    {
        var token = await http.GetFromJsonAsync<JsonElement>("api/counter/csrf", cancellationToken).ConfigureAwait(false);
        http.DefaultRequestHeaders.Remove("X-CSRF-TOKEN");
        http.DefaultRequestHeaders.Add("X-CSRF-TOKEN", token.GetProperty("token").GetString());
    }
}
