using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Jpki.Authority.Ca;
using Jpki.Authority.Registry;
using Jpki.Authority.Tests.Support;
using Jpki.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace Jpki.Server.Tests.Crash;

/// <summary>
/// The registry's PostgreSQL primary dies under load and its streaming replica is promoted (docs/operations.md, "Losing
/// the PostgreSQL primary"): a primary with one <b>synchronous</b> standby (<c>synchronous_standby_names</c>, so a commit
/// is acknowledged only once the standby has it), <c>jpki serve</c> given both hosts with
/// <c>Target Session Attributes=primary</c>. Issuances and revocations run; the primary is stopped as a crash would
/// (<c>pg_ctl stop -m immediate</c>), the standby promoted with <c>pg_ctl promote</c>, and the same server process carries
/// on against the new primary without a restart. Every acknowledged issuance and revocation is on the promoted server,
/// its audit chain verifies and agrees with the registry, and the CRL numbers continue without repeating.
/// </summary>
[Trait("Category", "Robustness")]
public sealed class ReplicaPromotionTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly PostgresServer _primary = new() { Settings = ["synchronous_standby_names=replica1", "synchronous_commit=on"] };
    private PostgresServer? _standby;

    public async Task InitializeAsync()
    {
        await _primary.InitializeAsync();
        _standby = await PostgresServer.StandbyOfAsync(_primary, "replica1");
    }

    public async Task DisposeAsync()
    {
        if (_standby is not null)
        {
            await _standby.DisposeAsync();
        }

        await _primary.DisposeAsync();
    }

    [Fact]
    public async Task PrimaryCrashes_StandbyPromoted_ServerCarriesOn_NothingAcknowledgedLost()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await WaitForSynchronousStandbyAsync(timeout.Token);
        var schema = new NpgsqlConnectionStringBuilder(await _primary.CreateSchemaAsync());
        var both = new NpgsqlConnectionStringBuilder(schema.ConnectionString)
        {
            Host = $"127.0.0.1:{_primary.Port.ToString(CultureInfo.InvariantCulture)},127.0.0.1:{_standby!.Port.ToString(CultureInfo.InvariantCulture)}",
            TargetSessionAttributes = "primary",
            // A host found down is tried again after this long (Npgsql's default is 10 s).
            HostRecheckSeconds = 1,
        };
        var promotedOnly = new NpgsqlConnectionStringBuilder(schema.ConnectionString) { Port = _standby.Port }.ConnectionString;

        var data = Path.Combine(Path.GetTempPath(), "jpki-promote-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(data);
        using var server = new JpkiServerProcess(data, JpkiServerProcess.FreePort(),
            new Dictionary<string, string> { [RegistryFactory.EnvironmentVariable] = both.ConnectionString }, ["--role", "authority"]);
        using var stopWatcher = new CancellationTokenSource();
        Task? watching = null;
        try
        {
            await server.StartAsync(timeout.Token);
            var raKey = (await File.ReadAllTextAsync(RegistrationAuthorityKeyFile.PathOf(data))).Trim();
            using var rsa = RSA.Create(2048);
            var load = new CrashLoad([server], raKey, [TestKeys.SubjectSpki(), rsa.ExportSubjectPublicKeyInfo()], seed: 17) { OutagesAllowed = true };
            using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
            http.DefaultRequestHeaders.Add(RegistrationAuthorityAccess.HeaderName, raKey);
            load.SignCa = await http.GetByteArrayAsync(new Uri("/ca/sign.cer", UriKind.Relative));
            load.AuthCa = await http.GetByteArrayAsync(new Uri("/ca/auth.cer", UriKind.Relative));
            var watcher = new CrlWatcher([server], load.SignCa, load.AuthCa);
            watching = Task.Run(() => watcher.RunAsync(stopWatcher.Token), CancellationToken.None);

            TimeSpan outage = default;
            var before = 0;
            await load.RunWhileAsync(clients: 3, async () =>
            {
                Assert.True(await load.Ledger.WaitForAcknowledgementsAsync(12, TimeSpan.FromMinutes(2), timeout.Token), "no progress before the failover:\n" + server.LogTail);
                before = load.Ledger.Issued.Count;

                // The primary crashes amid requests in flight; the operator promotes the standby.
                var crashed = Stopwatch.GetTimestamp();
                await _primary.StopAsync(immediate: true);
                await _standby.PromoteAsync();
                load.Ledger.ResetAcknowledgements();
                Assert.True(
                    await load.Ledger.WaitForAcknowledgementsAsync(1, TimeSpan.FromMinutes(3), timeout.Token),
                    "the server acknowledged nothing against the promoted standby:\n" + server.LogTail);
                outage = Stopwatch.GetElapsedTime(crashed);
                Assert.True(await load.Ledger.WaitForAcknowledgementsAsync(8, TimeSpan.FromMinutes(2), timeout.Token), "no progress after the failover:\n" + server.LogTail);
            }, timeout.Token);

            var ledger = load.Ledger;
            output.WriteLine($"issuances acknowledged {ledger.Issued.Count} ({before} before the crash), unknown {ledger.IssueUnknown}; revocations acknowledged {ledger.Revoked.Count}, unknown {ledger.RevokeUnknown}");
            output.WriteLine($"crash of the primary → first acknowledgement on the promoted standby (promotion and reconnection included): {outage.TotalSeconds:F2} s");
            Assert.True(ledger.Failures.Count == 0, string.Join("\n", ledger.Failures.Take(20)) + "\n" + server.LogTail);
            Assert.True(ledger.Issued.Count > before, "nothing was issued after the promotion");
            Assert.NotEmpty(ledger.Revoked);

            // What the server answers, and what relying parties download, after the failover.
            await CrashConsistencyTests.CheckRegistryAsync(http, ledger, 17);
            await CrashConsistencyTests.CheckCrlsAsync(http, load, 17);
            await CrashConsistencyTests.CheckOcspAsync(http, load, 17);
            await stopWatcher.CancelAsync();
            await watching;
            output.WriteLine($"CRLs fetched by the watcher: {watcher.Fetched} ({watcher.Summary()})");
            var problems = watcher.Problems();
            Assert.True(problems.Count == 0, string.Join("\n", problems.Take(20)));

            await server.KillAsync();
            // The promoted server alone holds every acknowledged operation, with an intact audit chain that agrees with the registry.
            await CrashConsistencyTests.CheckStoreAsync(promotedOnly, ledger, 17);
        }
        finally
        {
            await stopWatcher.CancelAsync();
            if (watching is not null)
            {
                await watching.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
            }

            server.Dispose();
            NpgsqlConnection.ClearAllPools();
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
                // Best effort.
            }
        }
    }

    /// <summary>Waits (bounded) until the primary reports the standby as synchronous: before that a commit is not yet on it.</summary>
    private async Task WaitForSynchronousStandbyAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_primary.ConnectionString("postgres"));
        await connection.OpenAsync(cancellationToken);
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            await using var command = new NpgsqlCommand("SELECT sync_state FROM pg_stat_replication WHERE application_name = 'replica1'", connection);
            if (await command.ExecuteScalarAsync(cancellationToken) is "sync")
            {
                return;
            }

            Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromMinutes(1), "the standby never became synchronous");
            // Replication state has no notification a client can wait on.
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }
}
