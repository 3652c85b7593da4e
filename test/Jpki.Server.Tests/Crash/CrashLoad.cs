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
/// acknowledged serials through the authority API, while a killer SIGKILLs a server at random moments and starts it
/// again on the same data folder. With several servers (processes on one registry, as behind a load balancer) each request
/// goes to a random server that is up, so the others carry the load while one is down. Every answer goes into the
/// <see cref="CrashLedger"/>. Random choices come from <c>seed</c> (logged by the test) — the interleaving with the kills
/// is up to the scheduler.
/// </summary>
internal sealed class CrashLoad
{
    private static readonly string[] Reasons = ["unspecified", "key-compromise", "affiliation-changed", "superseded", "cessation-of-operation"];
    private readonly IReadOnlyList<JpkiServerProcess> _servers;
    private readonly bool[] _down;
    private readonly string _raKey;
    private readonly byte[][] _holderKeys;
    private readonly int _seed;
    private readonly CrashLedger _ledger = new();
    private readonly DateOnly _expiry;
    private TaskCompletionSource _up = NewGate(open: true);
    private volatile bool _stopping;
    private int _counter;

    public CrashLoad(JpkiServerProcess server, string raKey, byte[][] holderKeys, int seed)
        : this([server], raKey, holderKeys, seed)
    {
    }

    public CrashLoad(IReadOnlyList<JpkiServerProcess> servers, string raKey, byte[][] holderKeys, int seed)
    {
        _servers = servers;
        _down = new bool[servers.Count];
        _raKey = raKey;
        _holderKeys = holderKeys;
        _seed = seed;
        _expiry = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime).AddYears(5);
    }

    public CrashLedger Ledger => _ledger;

    /// <summary>
    /// Whether a 5xx answer (the server up, its database not) counts as an outcome the client cannot know — during a
    /// database failover — rather than a failure.
    /// </summary>
    public bool OutagesAllowed { get; init; }

    public int Kills { get; private set; }

    public byte[]? SignCa { get; set; }

    public byte[]? AuthCa { get; set; }

    /// <summary>
    /// Runs the clients and the killer until <paramref name="kills"/> kills (each followed by a restart) are done; every
    /// server is up when this returns. <paramref name="victim"/> picks the server of kill n (default: the first);
    /// <paramref name="whileDown"/> runs while that server is down after kill n (the others, if any, still serve).
    /// </summary>
    /// <remarks>
    /// Each kill comes after 1–<paramref name="maxAcknowledgements"/> acknowledgements since the last start (so the
    /// run proves something however slow the machine is: a server killed before it answers anything tests only the
    /// start) and then a random 0–<paramref name="maxExtra"/> delay, which lands the kill amid requests in flight.
    /// </remarks>
    public async Task RunAsync(
        int clients,
        int kills,
        int maxAcknowledgements,
        TimeSpan maxExtra,
        Func<int, int, Task>? whileDown,
        CancellationToken cancellationToken,
        Func<int, int>? victim = null)
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
                    throw new TimeoutException($"No progress: fewer than {wanted} operations acknowledged within 120 s before kill {k}.\n{LogTails}");
                }

                // The random moment of the kill: a delay is the point here, not a synchronisation.
                await Task.Delay(TimeSpan.FromMilliseconds(random.NextDouble() * maxExtra.TotalMilliseconds), cancellationToken);
                var index = victim?.Invoke(k) ?? 0;
                Volatile.Write(ref _down[index], true);
                if (Array.TrueForAll(_down, d => d))
                {
                    _up = NewGate(open: false);
                }

                await _servers[index].KillAsync();
                Kills++;
                if (whileDown is not null)
                {
                    await whileDown(k, index);
                }

                await _servers[index].StartAsync(cancellationToken);
                _ledger.ResetAcknowledgements();
                Volatile.Write(ref _down[index], false);
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

    /// <summary>Runs the clients (no kills) while <paramref name="during"/> runs, then stops them.</summary>
    public async Task RunWhileAsync(int clients, Func<Task> during, CancellationToken cancellationToken)
    {
        var workers = Enumerable.Range(0, clients).Select(i => Task.Run(() => ClientAsync(i, cancellationToken), cancellationToken)).ToArray();
        try
        {
            await during();
        }
        finally
        {
            _stopping = true;
            await Task.WhenAll(workers);
        }
    }

    private string LogTails => string.Join("\n", _servers.Select((s, i) => $"--- server {i}:\n{s.LogTail}"));

    /// <summary>A server that is up, at random; null when all are down.</summary>
    private JpkiServerProcess? PickServer(Random random)
    {
        var up = Enumerable.Range(0, _servers.Count).Where(i => !Volatile.Read(ref _down[i])).ToList();
        return up.Count == 0 ? null : _servers[up[random.Next(up.Count)]];
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

            if (PickServer(random) is not { } server)
            {
                // Every server is down at this instant; the gate opens at the next start.
                await Task.Yield();
                continue;
            }

            var target = server.BaseAddress;
            if (random.NextDouble() < 0.35 && _ledger.Revocable.TryDequeue(out var serial))
            {
                await RevokeAsync(http, target, random, serial, Reasons[random.Next(Reasons.Length)], random.NextDouble() < 0.3, cancellationToken);
            }
            else
            {
                await IssueAsync(http, target, random, index, cancellationToken);
            }
        }
    }

    private async Task IssueAsync(HttpClient http, Uri target, Random random, int client, CancellationToken cancellationToken)
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
            response = await http.PostAsJsonAsync(new Uri(target, "/api/authority/certificates"), body, cancellationToken);
        }
        catch (Exception ex) when (IsDropped(ex, cancellationToken))
        {
            _ledger.IssueOutcomeUnknown();
            return;
        }

        using (response)
        {
            if (OutagesAllowed && (int)response.StatusCode >= 500)
            {
                _ledger.IssueOutcomeUnknown();
                return;
            }

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

    private async Task RevokeAsync(HttpClient http, Uri target, Random random, string serial, string reason, bool checkOcsp, CancellationToken cancellationToken)
    {
        _ledger.RevocationSent[serial] = 0;
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsJsonAsync(new Uri(target, $"/api/authority/certificates/{serial}/revocation"), new { reason }, cancellationToken);
        }
        catch (Exception ex) when (IsDropped(ex, cancellationToken))
        {
            _ledger.RevokeOutcomeUnknown();
            return;
        }

        using (response)
        {
            if (OutagesAllowed && (int)response.StatusCode >= 500)
            {
                _ledger.RevokeOutcomeUnknown();
                return;
            }

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
            await CheckOcspRevokedAsync(http, target, (PickServer(random) ?? _servers[0]).BaseAddress, serial, cancellationToken);
        }
    }

    /// <summary>
    /// After an acknowledged revocation, OCSP says revoked: at once from the process that revoked (its pre-signed answer
    /// was dropped in the same call), and from another process — which learns of it through the registry's change
    /// feed — within <see cref="CrossProcessOcspBound"/> (the time it took is recorded; the goal is ≤ 1 s).
    /// </summary>
    private async Task CheckOcspRevokedAsync(HttpClient http, Uri revokedAt, Uri target, string serial, CancellationToken cancellationToken)
    {
        var ca = _ledger.Issued[serial].Kind == "sign" ? SignCa! : AuthCa!;
        var sameProcess = target == revokedAt;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            while (true)
            {
                using var content = new ByteArrayContent(OcspClient.Request(ca, serial));
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/ocsp-request");
                using var response = await http.PostAsync(new Uri(target, "/ocsp"), content, cancellationToken);
                if (OutagesAllowed && response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable)
                {
                    // The database went down after the acknowledgement (503 with tryLater): the check after the run covers it.
                    _ledger.OcspCheckDropped();
                    return;
                }

                var der = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                var (single, _) = OcspClient.Read(der, ca);
                if (single.GetCertStatus() is RevokedStatus)
                {
                    _ledger.OcspChecked(sameProcess ? null : System.Diagnostics.Stopwatch.GetElapsedTime(started));
                    return;
                }

                if (sameProcess)
                {
                    _ledger.Fail($"OCSP right after the acknowledged revocation of {serial}: not revoked");
                    return;
                }

                if (System.Diagnostics.Stopwatch.GetElapsedTime(started) > CrossProcessOcspBound)
                {
                    _ledger.Fail($"OCSP of another process still not revoked {CrossProcessOcspBound.TotalSeconds:F0} s after the acknowledged revocation of {serial}");
                    return;
                }

                // Polling what a relying party would see; the other process's change feed has no signal the client could wait on.
                await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
            }
        }
        catch (Exception ex) when (IsDropped(ex, cancellationToken))
        {
            // A server was killed meanwhile; the check after the run covers it.
            _ledger.OcspCheckDropped();
        }
    }

    /// <summary>The bound the test enforces for a revocation to reach another process's OCSP answers (generous for a loaded 2-core machine; the figure is recorded).</summary>
    internal static readonly TimeSpan CrossProcessOcspBound = TimeSpan.FromSeconds(10);

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
