using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Jpki.Authority.Ca;
using Jpki.Authority.Registry;
using Jpki.Authority.Tests.Support;
using Jpki.Core.Identity;
using Jpki.Core.Time;
using Jpki.Municipality.Residents;
using Jpki.Municipality.Staff;
using Jpki.Municipality.Storage;
using Jpki.Server.Staff;
using Jpki.Server.Tests.Counter;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Server.Tests.Faults;

/// <summary>
/// PostgreSQL stopped (<c>pg_ctl stop -m immediate</c>) and started again under load (docs/faults.md, "Dependencies
/// failing"): the authority's registry on a PostgreSQL server of this test's own (never the shared one), the counter
/// store on SQLite. Three clients hammer OCSP for certificates with cached answers, two post registry changes (death:
/// revokes the authentication certificate) through the counter API. During the outage: no 500, no hang; OCSP answers
/// from the cache (a good-recheck that cannot reach the registry keeps the cached answer), an uncached OCSP request gets
/// 503 + Retry-After + tryLater, /healthz is 503 naming the registry, registry changes are acknowledged with their
/// revocation pending. After the restart, without restarting the server: the pending-revocation worker completes every
/// acknowledged change's revocation, new writes succeed, the audit chain verifies.
/// Needs the Debian package postgresql-15.
/// </summary>
public sealed class PostgresOutageTests : IAsyncLifetime
{
    private const string Password = "clerk-desk-Hq4v7";
    private const int Residents = 120;
    private const int OcspResidents = 8;

    private readonly PostgresServer _postgres = new();
    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _clock = new(JapanTime.At(new DateOnly(2026, 6, 10), new TimeOnly(10, 0)));
    private readonly Dictionary<string, string> _serialOf = new(StringComparer.Ordinal);
    private string _connectionString = null!;
    private IRegistryStore _store = null!;
    private AuthorityRuntime _runtime = null!;
    private WebApplication _app = null!;

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        _connectionString = await _postgres.CreateSchemaAsync();
        _store = await RegistryFactory.OpenAsync(RegistryFactory.Resolve(_connectionString, null), _clock, migrate: true, default);
        var authority = new CertificateAuthority(
            TestKeys.Ca(CertificateKind.Signature), TestKeys.Ca(CertificateKind.Authentication), _store, _store, _clock,
            new AuthorityOptions { OpenSignatureRevocationData = true });
        _runtime = new AuthorityRuntime(authority, _store, _dir.File("crl"), [_store, authority.SignCa, authority.AuthCa]);
        _app = JpkiServerHost.Build(new JpkiServerOptions { DataDirectory = _dir.File("data"), Urls = "http://127.0.0.1:0" }, _clock, _runtime);
        await _app.StartAsync();
        Assert.Null(await _app.Services.GetRequiredService<StaffDirectory>().AddAsync("clerk1", "窓口　花子", StaffRole.Clerk, Password, mustChange: false, default));
    }

    /// <summary>Registers residents R0001… with an authentication certificate each.</summary>
    private async Task AddResidentsAsync(int count)
    {
        var authority = _runtime.Authority;
        var counter = _app.Services.GetRequiredService<ICounterStore>();
        var spki = TestKeys.SubjectSpki();
        var residents = Enumerable.Range(1, count).Select(i => new Resident(Id(i), "山田　太郎", "ヤマダ　タロウ", "東京都千代田区千代田１－１", new DateOnly(1980, 2, 17), Sex.Male, false, "H" + Id(i))).ToList();
        await counter.AddResidentsAsync(residents, default);
        foreach (var chunk in residents.Chunk(16))
        {
            var records = await Task.WhenAll(chunk.Select(r => authority.IssueAsync(
                new IssueRequest(CertificateKind.Authentication, spki, "CARD-" + r.Id, r.Id, new DateOnly(2030, 2, 17), null, null, "test"), default)));
            foreach (var record in records)
            {
                _serialOf[record.HolderId] = record.SerialHex;
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (_runtime is not null)
        {
            await _runtime.DisposeAsync();
        }

        await _postgres.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task StopAndStartPostgres_UnderLoad_503MeanwhileThenRecoversWithNothingLost()
    {
        await AddResidentsAsync(Residents);
        using var clerk = await SignInAsync();
        using var ocspHttp = new HttpClient { BaseAddress = new Uri(_app.Urls.First()), Timeout = TimeSpan.FromSeconds(30) };
        var authCa = _runtime.Authority.AuthCa.CertificateDer;

        // Warm the OCSP cache for the residents the OCSP clients ask about (their certificates are never revoked).
        for (var i = 1; i <= OcspResidents; i++)
        {
            var (status, body) = await OcspAsync(ocspHttp, authCa, _serialOf[Id(i)]);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Null(Good(body, authCa, _serialOf[Id(i)]));
        }

        var failures = new ConcurrentQueue<string>();
        var acknowledged = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var writesRefused = 0;
        var ocspAnswers = 0;
        var nextResident = OcspResidents;
        using var stop = new CancellationTokenSource();
        var outage = 0;

        async Task OcspLoopAsync(int seed)
        {
            for (var n = seed; !stop.IsCancellationRequested; n++)
            {
                var serial = _serialOf[Id((n % OcspResidents) + 1)];
                try
                {
                    var (status, body) = await OcspAsync(ocspHttp, authCa, serial);
                    if (status == HttpStatusCode.OK)
                    {
                        if (Good(body, authCa, serial) is { } problem)
                        {
                            failures.Enqueue("OCSP answered " + problem);
                        }
                    }
                    else if (!(status == HttpStatusCode.ServiceUnavailable && Volatile.Read(ref outage) == 1 && body.AsSpan().SequenceEqual(TryLater)))
                    {
                        failures.Enqueue($"OCSP answered HTTP {(int)status}");
                    }

                    Interlocked.Increment(ref ocspAnswers);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    failures.Enqueue("OCSP request failed: " + ex.GetType().Name);
                }
            }
        }

        async Task WriteLoopAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                var index = Interlocked.Increment(ref nextResident);
                if (index > Residents)
                {
                    return;
                }

                var id = Id(index);
                try
                {
                    using var response = await clerk.Http.PostAsJsonAsync($"/api/counter/residents/{id}/changes", new { kind = (int)ResidentChangeKind.Death });
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        acknowledged[id] = true;
                    }
                    else if (response.StatusCode == HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is not null)
                    {
                        Interlocked.Increment(ref writesRefused);
                    }
                    else
                    {
                        failures.Enqueue($"change {id} answered HTTP {(int)response.StatusCode}");
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    failures.Enqueue("change request failed: " + ex.GetType().Name);
                }

                // Pacing, not synchronisation: two clerks at a steady rate, so the residents last through the three phases.
                await Task.Delay(10);
            }
        }

        var load = new[] { OcspLoopAsync(0), OcspLoopAsync(3), OcspLoopAsync(5), WriteLoopAsync(), WriteLoopAsync() };

        // Phase 1: PostgreSQL up.
        await WaitUntilAsync(() => acknowledged.Count >= 4 && Volatile.Read(ref ocspAnswers) >= 30, "load while PostgreSQL is up");

        // Phase 2: the outage. The clock moves past the good-recheck interval, so cached answers are rechecked.
        Volatile.Write(ref outage, 1);
        await _postgres.StopAsync(immediate: true);
        _clock.Advance(TimeSpan.FromSeconds(2));
        var ackBefore = acknowledged.Count;
        var ocspBefore = Volatile.Read(ref ocspAnswers);
        await WaitUntilAsync(() => acknowledged.Count >= ackBefore + 4 && Volatile.Read(ref ocspAnswers) >= ocspBefore + 30, "load during the outage");

        var uncached = await OcspAsync(ocspHttp, authCa, _serialOf[Id(Residents)]);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, uncached.Status);
        Assert.Equal(TryLater, uncached.Body);

        using (var health = await ocspHttp.GetAsync(new Uri("/healthz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            var text = await health.Content.ReadAsStringAsync();
            Assert.DoesNotContain(_connectionString, text, StringComparison.Ordinal);
            var registry = JsonDocument.Parse(text).RootElement.GetProperty("dependencies").EnumerateArray().Single(d => d.GetProperty("name").GetString() == "registry");
            Assert.False(registry.GetProperty("ok").GetBoolean());
        }

        using (var linkage = await ocspHttp.GetAsync(new Uri("/linkage/" + _serialOf[Id(1)], UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, linkage.StatusCode);
            Assert.NotNull(linkage.Headers.RetryAfter);
            Assert.Equal("application/problem+json", linkage.Content.Headers.ContentType?.MediaType);
            var problem = await linkage.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("database", problem.GetProperty("dependency").GetString());
            Assert.DoesNotContain("Host=", problem.GetRawText(), StringComparison.OrdinalIgnoreCase);
        }

        // The pending-revocation worker runs a round during the outage; it fails and the loop goes on.
        _clock.Advance(TimeSpan.FromSeconds(31));

        // Phase 3: PostgreSQL back; the server recovers by itself.
        await _postgres.StartAsync();
        Volatile.Write(ref outage, 0);
        await WaitUntilAsync(async () => (await ocspHttp.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode == HttpStatusCode.OK, "/healthz ok again");
        var ackAfterRestart = acknowledged.Count;
        await WaitUntilAsync(() => acknowledged.Count >= ackAfterRestart + 4 || Volatile.Read(ref nextResident) >= Residents, "writes after the restart");
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.True(failures.IsEmpty, string.Join("; ", failures.Take(10)));

        // Every acknowledged change's revocation happens: the worker retries what the outage left pending.
        var counter = _app.Services.GetRequiredService<ICounterStore>();
        await WaitUntilAsync(async () =>
        {
            if ((await counter.ListPendingTasksAsync(default)).Count == 0)
            {
                return true;
            }

            _clock.Advance(TimeSpan.FromSeconds(31));
            return false;
        }, "pending revocations done");
        foreach (var id in acknowledged.Keys)
        {
            var record = await _store.FindBySerialAsync(_serialOf[id], default);
            Assert.True(record?.Revocation is not null, $"acknowledged change of {id}: certificate not revoked");
        }

        // Uncached OCSP and linkage work again, and the audit chain is intact.
        var after = await OcspAsync(ocspHttp, authCa, _serialOf[Id(Residents - 1)]);
        Assert.Equal(HttpStatusCode.OK, after.Status);
        var verification = await _store.VerifyAsync(default);
        Assert.True(verification.IsIntact, verification.Problem);
    }

    [Fact]
    public async Task SignerRenewedDuringOutage_RecordedOnceBack()
    {
        await AddResidentsAsync(3);
        using var http = new HttpClient { BaseAddress = new Uri(_app.Urls.First()), Timeout = TimeSpan.FromSeconds(30) };
        var authCa = _runtime.Authority.AuthCa.CertificateDer;
        Assert.Equal(HttpStatusCode.OK, (await OcspAsync(http, authCa, _serialOf[Id(1)])).Status);
        await _runtime.Ocsp.RecordingAsync;
        var signersBefore = (await _store.FindByHolderAsync("ocsp-signer", default)).Count;

        // Past three quarters of the signer's 7-day validity: the next answer renews the signer, whose recording fails.
        await _postgres.StopAsync(immediate: false);
        _clock.Advance(TimeSpan.FromDays(6));
        var during = await OcspAsync(http, authCa, _serialOf[Id(2)]);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.Status);
        await Assert.ThrowsAnyAsync<Exception>(() => _runtime.Ocsp.RecordingAsync);

        await _postgres.StartAsync();
        await WaitUntilAsync(async () =>
        {
            _clock.Advance(TimeSpan.FromSeconds(2));
            var (status, _) = await OcspAsync(http, authCa, _serialOf[Id(3)]);
            try
            {
                await _runtime.Ocsp.RecordingAsync;
                return status == HttpStatusCode.OK;
            }
            catch (Npgsql.NpgsqlException)
            {
                return false;
            }
        }, "signer recorded");
        Assert.Equal(signersBefore + 1, (await _store.FindByHolderAsync("ocsp-signer", default)).Count);
        Assert.True((await _store.VerifyAsync(default)).IsIntact);
    }

    private static readonly byte[] TryLater = [0x30, 0x03, 0x0A, 0x01, 0x03];

    private static string Id(int i) => "R" + i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<(HttpStatusCode Status, byte[] Body)> OcspAsync(HttpClient http, byte[] caDer, string serialHex)
    {
        using var content = new ByteArrayContent(OcspClient.Request(caDer, serialHex));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/ocsp-request");
        using var response = await http.PostAsync(new Uri("/ocsp", UriKind.Relative), content);
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>Null when <paramref name="body"/> is a successful, verifiable "good" answer for the serial; else what is wrong.</summary>
    private static string? Good(byte[] body, byte[] caDer, string serialHex)
    {
        if (OcspClient.Status(body) != 0)
        {
            return "status " + OcspClient.Status(body).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var (single, _) = OcspClient.Read(body, caDer);
        if (!single.GetCertID().SerialNumber.Equals(new Org.BouncyCastle.Math.BigInteger(serialHex, 16)))
        {
            return "another serial";
        }

        return single.GetCertStatus() is null ? null : "not good";
    }

    private async Task<CounterServer.StaffClient> SignInAsync()
    {
        var client = new CounterServer.StaffClient(new Uri(_app.Urls.First()));
        client.Http.Timeout = TimeSpan.FromSeconds(30);
        await client.RefreshCsrfAsync();
        using var login = await client.Http.PostAsJsonAsync("/api/counter/session", new { id = "clerk1", password = Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        await client.RefreshCsrfAsync();
        return client;
    }

    private static Task WaitUntilAsync(Func<bool> condition, string what) => WaitUntilAsync(() => Task.FromResult(condition()), what);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = Environment.TickCount64 + 90_000;
        while (!await condition())
        {
            Assert.True(Environment.TickCount64 < deadline, "timed out waiting for " + what);
            await Task.Delay(50);
        }
    }
}
