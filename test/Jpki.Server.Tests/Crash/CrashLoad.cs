using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Jpki.Authority.Ca;
using Jpki.Authority.Tests.Support;
using Org.BouncyCastle.Ocsp;

namespace Jpki.Server.Tests.Crash;

/// <summary>
/// The load of a crash run: <c>clients</c> concurrent HTTP clients issuing (sign and auth) and revoking previously
/// acknowledged serials through the authority API, while a killer SIGKILLs the server at random moments and starts it
/// again on the same data folder. Every answer goes into the <see cref="CrashLedger"/>. Random choices come from
/// <c>seed</c> (logged by the test) — the interleaving with the kills is up to the scheduler.
/// </summary>
internal sealed class CrashLoad
{
    private static readonly string[] Reasons = ["unspecified", "key-compromise", "affiliation-changed", "superseded", "cessation-of-operation"];
    private readonly JpkiServerProcess _server;
    private readonly string _raKey;
    private readonly byte[][] _holderKeys;
    private readonly int _seed;
    private readonly CrashLedger _ledger = new();
    private readonly DateOnly _expiry;
    private TaskCompletionSource _up = NewGate(open: true);
    private volatile bool _stopping;
    private int _counter;

    public CrashLoad(JpkiServerProcess server, string raKey, byte[][] holderKeys, int seed)
    {
        _server = server;
        _raKey = raKey;
        _holderKeys = holderKeys;
        _seed = seed;
        _expiry = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime).AddYears(5);
    }

    public CrashLedger Ledger => _ledger;

    public int Kills { get; private set; }

    public byte[]? SignCa { get; set; }

    public byte[]? AuthCa { get; set; }

    /// <summary>
    /// Runs the clients and the killer until <paramref name="kills"/> kills (each followed by a restart) are done; the
    /// server is up when this returns. <paramref name="beforeRestart"/> runs while the server is down after kill n.
    /// </summary>
    /// <remarks>
    /// Each kill comes after 1–<paramref name="maxAcknowledgements"/> acknowledgements since the last start (so the
    /// run proves something however slow the machine is: a server killed before it answers anything tests only the
    /// start) and then a random 0–<paramref name="maxExtra"/> delay, which lands the kill amid requests in flight.
    /// </remarks>
    public async Task RunAsync(int clients, int kills, int maxAcknowledgements, TimeSpan maxExtra, Func<int, Task>? beforeRestart, CancellationToken cancellationToken)
    {
        var workers = Enumerable.Range(0, clients).Select(i => Task.Run(() => ClientAsync(i, cancellationToken), cancellationToken)).ToArray();
        var random = new Random(_seed);
        try
        {
            for (var k = 1; k <= kills; k++)
            {
                var wanted = random.Next(1, maxAcknowledgements + 1);
                if (!await _ledger.WaitForAcknowledgementsAsync(wanted, TimeSpan.FromSeconds(120), cancellationToken))
                {
                    throw new TimeoutException($"No progress: fewer than {wanted} operations acknowledged within 120 s of start {_server.Starts}.\n{_server.LogTail}");
                }

                // The random moment of the kill: a delay is the point here, not a synchronisation.
                await Task.Delay(TimeSpan.FromMilliseconds(random.NextDouble() * maxExtra.TotalMilliseconds), cancellationToken);
                _up = NewGate(open: false);
                await _server.KillAsync();
                Kills++;
                if (beforeRestart is not null)
                {
                    await beforeRestart(k);
                }

                await _server.StartAsync(cancellationToken);
                _ledger.ResetAcknowledgements();
                _up.TrySetResult();
            }
        }
        finally
        {
            _stopping = true;
            _up.TrySetResult();
            await Task.WhenAll(workers);
        }
    }

    private static TaskCompletionSource NewGate(bool open)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (open)
        {
            gate.SetResult();
        }

        return gate;
    }

    private async Task ClientAsync(int index, CancellationToken cancellationToken)
    {
        var random = new Random(HashCode.Combine(_seed, index));
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(2) })
        {
            BaseAddress = _server.BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
        http.DefaultRequestHeaders.Add(RegistrationAuthorityAccess.HeaderName, _raKey);
        while (!_stopping)
        {
            await _up.Task.WaitAsync(cancellationToken);
            if (_stopping)
            {
                break;
            }

            if (random.NextDouble() < 0.35 && _ledger.Revocable.TryDequeue(out var serial))
            {
                await RevokeAsync(http, serial, Reasons[random.Next(Reasons.Length)], random.NextDouble() < 0.3, cancellationToken);
            }
            else
            {
                await IssueAsync(http, random, index, cancellationToken);
            }
        }
    }

    private async Task IssueAsync(HttpClient http, Random random, int client, CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref _counter);
        var sign = random.NextDouble() < 0.5;
        var body = new Dictionary<string, object?>
        {
            ["kind"] = sign ? "sign" : "auth",
            ["subjectPublicKeyInfo"] = Convert.ToBase64String(_holderKeys[random.Next(_holderKeys.Length)]),
            ["cardId"] = string.Create(CultureInfo.InvariantCulture, $"CRASH-{client}-{n}"),
            ["holderId"] = string.Create(CultureInfo.InvariantCulture, $"H-{n}"),
            ["expiryDate"] = _expiry.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        if (sign)
        {
            body["signature"] = new
            {
                prefecture = Fixtures.Taro.Prefecture,
                municipality = Fixtures.Taro.Municipality,
                name = Fixtures.Taro.Name,
                address = Fixtures.Taro.Address,
                dateOfBirth = "1980-02-17",
                sex = 1,
            };
        }

        HttpResponseMessage response;
        try
        {
            response = await http.PostAsJsonAsync(new Uri("/api/authority/certificates", UriKind.Relative), body, cancellationToken);
        }
        catch (Exception ex) when (IsDropped(ex, cancellationToken))
        {
            _ledger.IssueOutcomeUnknown();
            return;
        }

        using (response)
        {
            if (response.StatusCode != HttpStatusCode.Created)
            {
                _ledger.Fail($"issue answered {(int)response.StatusCode}: {await SafeBodyAsync(response)}");
                return;
            }

            JsonElement view;
            try
            {
                view = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            }
            catch (Exception ex) when (IsDropped(ex, cancellationToken))
            {
                // The status line arrived but not the whole body: the client cannot know the serial, so not acknowledged.
                _ledger.IssueOutcomeUnknown();
                return;
            }

            var serial = view.GetProperty("serial").GetString()!;
            var sha = Convert.ToHexString(SHA256.HashData(Convert.FromBase64String(view.GetProperty("certificate").GetString()!)));
            if (!_ledger.Issued.TryAdd(serial, (view.GetProperty("kind").GetString()!, sha)))
            {
                _ledger.Fail($"serial {serial} acknowledged twice");
                return;
            }

            _ledger.Revocable.Enqueue(serial);
            _ledger.Acknowledged();
        }
    }

    private async Task RevokeAsync(HttpClient http, string serial, string reason, bool checkOcsp, CancellationToken cancellationToken)
    {
        _ledger.RevocationSent[serial] = 0;
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsJsonAsync(new Uri($"/api/authority/certificates/{serial}/revocation", UriKind.Relative), new { reason }, cancellationToken);
        }
        catch (Exception ex) when (IsDropped(ex, cancellationToken))
        {
            _ledger.RevokeOutcomeUnknown();
            return;
        }

        using (response)
        {
            if (response.StatusCode != HttpStatusCode.OK)
            {
                _ledger.Fail($"revoke {serial} answered {(int)response.StatusCode}: {await SafeBodyAsync(response)}");
                return;
            }

            // "revoked" or "already-revoked" (a request the handler retried on a new connection): either way revoked for good.
            var view = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            _ledger.Revoked[serial] = view.GetProperty("revocationReason").GetString()!;
            _ledger.Acknowledged();
        }

        if (checkOcsp)
        {
            await CheckOcspRevokedAsync(http, serial, cancellationToken);
        }
    }

    /// <summary>The next OCSP answer after an acknowledged revocation says revoked (the pre-signed cache was dropped).</summary>
    private async Task CheckOcspRevokedAsync(HttpClient http, string serial, CancellationToken cancellationToken)
    {
        var ca = _ledger.Issued[serial].Kind == "sign" ? SignCa! : AuthCa!;
        try
        {
            using var content = new ByteArrayContent(OcspClient.Request(ca, serial));
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/ocsp-request");
            using var response = await http.PostAsync(new Uri("/ocsp", UriKind.Relative), content, cancellationToken);
            var der = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var (single, _) = OcspClient.Read(der, ca);
            _ledger.OcspChecked();
            if (single.GetCertStatus() is not RevokedStatus)
            {
                _ledger.Fail($"OCSP right after the acknowledged revocation of {serial}: not revoked");
            }
        }
        catch (Exception ex) when (IsDropped(ex, cancellationToken))
        {
            // The server was killed meanwhile; the check after the run covers it.
            _ledger.OcspCheckDropped();
        }
    }

    private static bool IsDropped(Exception ex, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && ex is HttpRequestException or IOException or TaskCanceledException or JsonException;

    private static async Task<string> SafeBodyAsync(HttpResponseMessage response)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync();
            return text.Length > 300 ? text[..300] : text;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return "(body lost)";
        }
    }
}
