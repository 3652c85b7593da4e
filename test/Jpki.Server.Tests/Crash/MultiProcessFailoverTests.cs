using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Jpki.Authority.Ca;
using Jpki.Authority.Registry;
using Jpki.Authority.Tests.Support;
using Jpki.Server.Tests.Counter;
using Jpki.Testing;
using Xunit.Abstractions;

namespace Jpki.Server.Tests.Crash;

/// <summary>
/// Several authority processes on one PostgreSQL registry, as behind one load balancer (issue 17, docs/operations.md
/// "Several processes"): three <c>jpki serve --role authority</c> processes, each with its own data folder holding a
/// copy of the CA keys, share the registry, the pre-signed OCSP answers and the CRL publication. Under a mixed load of
/// issuances and revocations spread over the processes, one process at a time is SIGKILLed — every other kill the
/// publisher — and started again. Afterwards nothing acknowledged is lost, a revocation acknowledged by one process is
/// revoked in the OCSP answers of another, exactly one process publishes, the publisher's death hands the lease to
/// another process, and the CRL numbers every process served never repeat or go back. The seed is in the output;
/// <c>JPKI_CRASH_SEED</c> replays one.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class MultiProcessFailoverTests(PostgresServer postgres, ITestOutputHelper output)
{
    private const int Processes = 3;
    // Two of the publisher, two of another process: each kind of loss twice, in about two minutes on a loaded 2-core machine.
    private const int Kills = 4;
    private const int Clients = 2;
    private const string PublisherTaken = "is now the revocation publisher";
    private const string PublisherLost = "is no longer the revocation publisher";

    /// <summary>The bound on a failover: lease retry plus a start-up publication on a loaded machine (the goal is seconds; the figure is printed).</summary>
    private static readonly TimeSpan FailoverBound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ThreeProcesses_KillsUnderLoad_NothingAcknowledgedLost_PublisherFailsOver_CrlNumbersMonotonic()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("JPKI_CRASH_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var fixedSeed)
            ? fixedSeed
            : RandomNumberGenerator.GetInt32(int.MaxValue);
        output.WriteLine($"multi-process run: seed {seed} (replay with JPKI_CRASH_SEED={seed})");
        var watch = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        var registry = await postgres.CreateSchemaAsync();
        var environment = new Dictionary<string, string> { [RegistryFactory.EnvironmentVariable] = registry };
        var root = Path.Combine(Path.GetTempPath(), "jpki-multi-" + Guid.NewGuid().ToString("N")[..12]);
        var servers = new List<JpkiServerProcess>();
        using var stopWatcher = new CancellationTokenSource();
        Task? watching = null;
        try
        {
            // The first process creates the authority (keys in its folder, the schema in PostgreSQL); the others get a
            // copy of its keys — what an operator deploys to each machine — and nothing else.
            for (var i = 0; i < Processes; i++)
            {
                var data = Path.Combine(root, "p" + i.ToString(CultureInfo.InvariantCulture));
                Directory.CreateDirectory(data);
                if (i > 0)
                {
                    CopyKeys(Path.Combine(root, "p0"), data);
                }

                var server = new JpkiServerProcess(data, JpkiServerProcess.FreePort(), environment, ["--role", "authority"]);
                servers.Add(server);
                await server.StartAsync(timeout.Token);
            }

            var raKey = (await File.ReadAllTextAsync(RegistrationAuthorityKeyFile.PathOf(Path.Combine(root, "p0")))).Trim();
            var holderKeys = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
            {
                using var rsa = RSA.Create(2048);
                return rsa.ExportSubjectPublicKeyInfo();
            })));
            var load = new CrashLoad(servers, raKey, [TestKeys.SubjectSpki(), .. holderKeys], seed);
            using var http = new HttpClient { BaseAddress = servers[0].BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
            http.DefaultRequestHeaders.Add(RegistrationAuthorityAccess.HeaderName, raKey);
            load.SignCa = await http.GetByteArrayAsync(new Uri("/ca/sign.cer", UriKind.Relative));
            load.AuthCa = await http.GetByteArrayAsync(new Uri("/ca/auth.cer", UriKind.Relative));
            var publisher = await WaitForOnePublisherAsync(servers, -1, timeout.Token);
            Assert.True(publisher >= 0, "no process took the publication lease:\n" + Tails(servers));

            var watcher = new CrlWatcher(servers, load.SignCa, load.AuthCa);
            watching = Task.Run(() => watcher.RunAsync(stopWatcher.Token), CancellationToken.None);

            var random = new Random(seed);
            var failovers = new List<TimeSpan>();
            var acknowledgedWhileDown = 0;
            int Victim(int kill)
            {
                // Odd kills: the publisher. Even kills: another process, at random.
                var current = Publisher(servers);
                if (kill % 2 == 1 && current >= 0)
                {
                    return current;
                }

                var others = Enumerable.Range(0, servers.Count).Where(i => i != current).ToList();
                return others[random.Next(others.Count)];
            }

            async Task WhileDown(int kill, int victim)
            {
                var started = Stopwatch.GetTimestamp();
                if (Publisher(servers) < 0)
                {
                    // The publisher died: another process must take the lease (PostgreSQL released its advisory lock
                    // when the connection died).
                    var next = await WaitForOnePublisherAsync(servers, victim, timeout.Token);
                    Assert.True(next >= 0 && next != victim, $"kill {kill}: no other process took over publishing within {FailoverBound.TotalSeconds:F0} s:\n{Tails(servers)}");
                    failovers.Add(Stopwatch.GetElapsedTime(started));
                }

                // The others carry the load while this one is down.
                load.Ledger.ResetAcknowledgements();
                Assert.True(
                    await load.Ledger.WaitForAcknowledgementsAsync(2, TimeSpan.FromSeconds(120), timeout.Token),
                    $"kill {kill}: the remaining processes acknowledged nothing while process {victim} was down:\n{Tails(servers)}");
                acknowledgedWhileDown += 2;
            }

            await load.RunAsync(Clients, Kills, maxAcknowledgements: 6, TimeSpan.FromMilliseconds(400), WhileDown, timeout.Token, Victim);
            var ledger = load.Ledger;
            var delays = ledger.CrossProcessOcspDelays.OrderBy(d => d).ToList();
            output.WriteLine($"{load.Kills} kills ({failovers.Count} of the publisher); issuances acknowledged {ledger.Issued.Count}, unknown {ledger.IssueUnknown}; " +
                $"revocations acknowledged {ledger.Revoked.Count}, unknown {ledger.RevokeUnknown}; acknowledged while a process was down ≥ {acknowledgedWhileDown}");
            output.WriteLine("publisher failover (kill → another process holds the lease): " +
                (failovers.Count == 0 ? "none" : string.Join(", ", failovers.Select(f => f.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture) + " s"))));
            output.WriteLine($"revocation acknowledged by one process → revoked in another process's OCSP answer: {delays.Count} checks, " +
                (delays.Count == 0 ? "none" : $"median {Ms(delays[delays.Count / 2])}, max {Ms(delays[^1])}") + $"; same-process checks {ledger.OcspChecksDuringLoad - delays.Count}");

            Assert.True(ledger.Failures.Count == 0, $"seed {seed}: " + string.Join("\n", ledger.Failures.Take(20)) + "\n" + Tails(servers));
            Assert.True(failovers.Count >= Kills / 2, $"the publisher was killed {Kills / 2} times but only {failovers.Count} failovers were seen");
            Assert.All(failovers, f => Assert.True(f < FailoverBound, $"failover took {f.TotalSeconds:F1} s"));
            Assert.True(ledger.Issued.Count >= Kills, $"too little load to prove anything: {ledger.Issued.Count} issuances acknowledged");
            Assert.NotEmpty(ledger.Revoked);
            Assert.True(Enumerable.Range(0, servers.Count).Count(IsPublisher(servers)) == 1, "exactly one process publishes at the end:\n" + Tails(servers));

            // What the other processes serve, after all the kills: the registry, CRLs and OCSP answers agree with every acknowledgement.
            // All of it through one process; CRLs and a sample of OCSP answers through each of the others.
            await CrashConsistencyTests.CheckRegistryAsync(http, ledger, seed);
            foreach (var server in servers)
            {
                using var each = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
                await CrashConsistencyTests.CheckCrlsAsync(each, load, seed);
                await CrashConsistencyTests.CheckOcspAsync(each, load, seed, maxRevoked: server == servers[0] ? int.MaxValue : 50);
            }

            await stopWatcher.CancelAsync();
            await watching;
            output.WriteLine($"CRLs fetched by the watcher: {watcher.Fetched} ({watcher.Summary()})");
            var problems = watcher.Problems();
            Assert.True(problems.Count == 0, string.Join("\n", problems.Take(20)));
            Assert.True(watcher.Fetched > 0, "the watcher fetched no CRL");

            foreach (var server in servers)
            {
                await server.KillAsync();
            }

            await CrashConsistencyTests.CheckStoreAsync(registry, ledger, seed);
            output.WriteLine($"{watch.Elapsed.TotalSeconds:F1} s");
        }
        finally
        {
            await stopWatcher.CancelAsync();
            if (watching is not null)
            {
                await watching.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
            }

            foreach (var server in servers)
            {
                server.Dispose();
            }

            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // Best effort.
            }
        }
    }

    /// <summary>The CA keys, certificates, passphrase and RA key of <paramref name="from"/>, without its CRLs or any database file.</summary>
    private static void CopyKeys(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            var parts = relative.Split(Path.DirectorySeparatorChar);
            if (parts.Contains("crl") || parts.Contains("cards") || parts.Contains("oidc") || relative.Contains(".db", StringComparison.Ordinal) || relative.EndsWith(".lock", StringComparison.Ordinal))
            {
                continue;
            }

            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static Func<int, bool> IsPublisher(IReadOnlyList<JpkiServerProcess> servers) => i =>
        servers[i].IsRunning && servers[i].LastIndexSinceStart(PublisherTaken) > servers[i].LastIndexSinceStart(PublisherLost);

    /// <summary>The index of the running process that holds the lease, by its log; -1 when none.</summary>
    private static int Publisher(IReadOnlyList<JpkiServerProcess> servers) =>
        Enumerable.Range(0, servers.Count).Where(IsPublisher(servers)).DefaultIfEmpty(-1).First();

    /// <summary>Waits (bounded) until a running process other than <paramref name="except"/> holds the lease.</summary>
    private static async Task<int> WaitForOnePublisherAsync(IReadOnlyList<JpkiServerProcess> servers, int except, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < FailoverBound)
        {
            var current = Publisher(servers);
            if (current >= 0 && current != except)
            {
                return current;
            }

            // The lease changes hands in the other processes; their log is the only signal.
            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
        }

        return -1;
    }

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture) + " ms";

    private static string Tails(IReadOnlyList<JpkiServerProcess> servers) =>
        string.Join("\n", servers.Select((s, i) => $"--- process {i}:\n{s.LogTail}"));
}
