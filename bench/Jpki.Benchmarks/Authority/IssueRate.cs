using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Jpki.Authority.Ca;
using Jpki.Authority.Registry;
using Jpki.Core.Identity;
using Npgsql;

namespace Jpki.Benchmarks.Authority;

/// <summary>
/// <c>issue-rate</c>: certificates issued per second by <c>--threads</c> concurrent issuers for <c>--seconds</c>.
/// <c>--store memory</c> measures the CA part only (in-memory registry, no audit log); <c>sqlite</c> and
/// <c>postgres</c> run the server's path — <see cref="AuthorityFolder"/> initialised in a fresh folder, the registry
/// store as registry and audit log, each issuance durable with its audit entry — and verify the chain afterwards.
/// <c>--existing DIR</c> opens an initialised data folder instead (its registry from <c>JPKI_REGISTRY</c>, e.g. one
/// filled with tens of millions of rows by <c>jpki-load fill-registry</c>, while <c>jpki serve</c> runs on it), issues
/// for <c>--seconds</c>, then revokes what it issued on the same number of threads: issuance/s and revocation/s of the
/// CA path the server runs, on a registry of that size.
/// </summary>
public static class IssueRate
{
    public static async Task<int> RunAsync(int seconds, int threads, string store, string? connection, string? dir, string? existing = null)
    {
        var keys = BenchAuthority.PublicKeys(8);
        if (existing is not null)
        {
            return await OnExistingAsync(existing, keys, seconds, threads).ConfigureAwait(false);
        }

        if (store == "memory")
        {
            var authority = BenchAuthority.Create(new BenchRegistry(), TimeProvider.System);
            await MeasureAsync(authority, keys, seconds, threads, "memory (no audit)").ConfigureAwait(false);
            return 0;
        }

        if (store is not ("sqlite" or "postgres") || (store == "postgres" && connection is null))
        {
            Console.Error.WriteLine("issue-rate: --store memory|sqlite|postgres; postgres needs --connection 'Host=…'");
            return 2;
        }

        var data = Path.Combine(dir ?? Path.GetTempPath(), $"jpki-issue-rate-{Environment.ProcessId}");
        var schema = $"jpki_issue_rate_{Environment.ProcessId}";
        Environment.SetEnvironmentVariable(AuthorityFolder.PassphraseVariable, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
        if (store == "postgres")
        {
            await ExecuteAsync(connection!, $"CREATE SCHEMA {schema}").ConfigureAwait(false);
            Environment.SetEnvironmentVariable(RegistryFactory.EnvironmentVariable, new NpgsqlConnectionStringBuilder(connection) { SearchPath = schema }.ConnectionString);
        }
        else
        {
            Environment.SetEnvironmentVariable(RegistryFactory.EnvironmentVariable, null);
        }

        try
        {
            await AuthorityFolder.InitializeAsync(data, new AuthoritySettings { TestNames = true }, TimeProvider.System, "bench", CancellationToken.None).ConfigureAwait(false);
            await using var runtime = await AuthorityFolder.OpenAsync(data, TimeProvider.System, CancellationToken.None).ConfigureAwait(false);
            var issued = await MeasureAsync(runtime.Authority, keys, seconds, threads, store == "sqlite" ? $"sqlite {data}" : "postgres").ConfigureAwait(false);
            var verdict = await runtime.Audit.VerifyAsync(CancellationToken.None).ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"audit chain intact={verdict.IsIntact} entries={verdict.EntriesChecked} (2 ca.init + {issued} cert.issue expected)"));
            return verdict.IsIntact && verdict.EntriesChecked == issued + 2 ? 0 : 1;
        }
        finally
        {
            Directory.Delete(data, recursive: true);
            if (store == "postgres")
            {
                await ExecuteAsync(connection!, $"DROP SCHEMA {schema} CASCADE").ConfigureAwait(false);
            }
        }
    }

    private static async Task<int> OnExistingAsync(string data, byte[][] keys, int seconds, int threads)
    {
        await using var runtime = await AuthorityFolder.OpenAsync(data, TimeProvider.System, CancellationToken.None).ConfigureAwait(false);
        var issued = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await MeasureAsync(runtime.Authority, keys, seconds, threads, "existing " + data, issued).ConfigureAwait(false);
        var total = issued.Count;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, threads).Select(_ => Task.Run(async () =>
        {
            while (issued.TryDequeue(out var serial))
            {
                await runtime.Authority.RevokeAsync(serial, RevocationReason.Unspecified, null, "bench", CancellationToken.None).ConfigureAwait(false);
            }
        }))).ConfigureAwait(false);
        watch.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"revoke-rate store=existing {data} revokers={threads} certificates={total} seconds={watch.Elapsed.TotalSeconds:F1} perSecond={total / watch.Elapsed.TotalSeconds:F0}"));
        return 0;
    }

    /// <summary>Issues authentication certificates: 2 s warm-up (counted in the total), then the timed run.</summary>
    private static async Task<long> MeasureAsync(CertificateAuthority authority, byte[][] keys, int seconds, int threads, string label, System.Collections.Concurrent.ConcurrentQueue<string>? issued = null)
    {
        async Task<long> Worker(DateTimeOffset end, int seed)
        {
            long n = 0;
            while (TimeProvider.System.GetUtcNow() < end)
            {
                var record = await authority.IssueAsync(new IssueRequest(CertificateKind.Authentication, keys[(seed + n) % keys.Length], "C" + seed, "H" + seed, new DateOnly(2031, 2, 17), null, null, "bench"), CancellationToken.None).ConfigureAwait(false);
                issued?.Enqueue(record.SerialHex);
                n++;
            }

            return n;
        }

        var warm = await Task.WhenAll(Enumerable.Range(0, threads).Select(i => Task.Run(() => Worker(TimeProvider.System.GetUtcNow().AddSeconds(2), i)))).ConfigureAwait(false);
        var watch = Stopwatch.StartNew();
        var end = TimeProvider.System.GetUtcNow().AddSeconds(seconds);
        var counts = await Task.WhenAll(Enumerable.Range(0, threads).Select(i => Task.Run(() => Worker(end, i)))).ConfigureAwait(false);
        watch.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"issue-rate store={label} issuers={threads} certificates={counts.Sum()} seconds={watch.Elapsed.TotalSeconds:F1} perSecond={counts.Sum() / watch.Elapsed.TotalSeconds:F0}"));
        return warm.Sum() + counts.Sum();
    }

    private static async Task ExecuteAsync(string connection, string sql)
    {
        await using var source = NpgsqlDataSource.Create(connection);
        await using var command = source.CreateCommand(sql);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }
}
