using Jpki.Authority.Ca;
using Jpki.Authority.Crl;
using Jpki.Authority.Ocsp;
using Jpki.Authority.Registry;
using Jpki.Authority.Tests.Ca;
using Jpki.Authority.Tests.Registry;
using Jpki.Authority.Tests.Support;
using Jpki.Core.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Org.BouncyCastle.Ocsp;

namespace Jpki.Authority.Tests.Crl;

/// <summary>
/// Several servers on one registry (issue 12 item 3, issue 17): each runtime here has its own store connection, CA
/// objects and CRL folder — what a second process has — so nothing but the database connects them. One publisher at a
/// time, a revocation by any of them (or by the command line) reaches every server's delta CRL and OCSP, CRL numbers
/// never repeat or go back across publishers and restarts.
/// </summary>
[Trait("Category", "Security")]
public abstract class SharedPublicationTests : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _disposables = [];
    private readonly List<(AuthorityRuntime Runtime, CancellationTokenSource Stop, Task Running)> _running = [];
    private readonly TempDir _dir = new();

    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 25, 3, 0, 0, TimeSpan.Zero));

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var (_, stop, running) in _running)
        {
            await stop.CancelAsync();
            await running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        for (var i = _disposables.Count - 1; i >= 0; i--)
        {
            await _disposables[i].DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    /// <summary>A new connection to the one registry (a process's store), migrated.</summary>
    protected abstract Task<IRegistryStore> OpenStoreAsync();

    [Fact]
    public async Task TwoServers_OnePublisher_RevocationByTheCommandLineReachesBothCrlsAndOcsp()
    {
        var a = await StartAsync("a");
        await a.Crls.WhenPublishedAsync(CertificateKind.Authentication, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));
        var b = await StartAsync("b");
        await b.Crls.WhenPublishedAsync(CertificateKind.Authentication, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(a.Crls.IsPublisher ^ b.Crls.IsPublisher, "exactly one process publishes");

        var record = await a.Authority.IssueAsync(CertificateAuthorityTests.AuthRequest(), CancellationToken.None);
        var request = OcspClient.Request(a.Authority.AuthCa.CertificateDer, record.SerialHex);
        Assert.Null(OcspClient.Read((await b.Ocsp.RespondAsync(request, false, CancellationToken.None)).Der.ToArray(), a.Authority.AuthCa.CertificateDer).Single.GetCertStatus());
        Assert.True((await b.Ocsp.RespondAsync(request, false, CancellationToken.None)).FromCache);
        var invalidated = Invalidated(b.Ocsp, record.SerialHex);

        // The command line: its own runtime on the registry, nothing started in the background.
        var cli = await OpenAsync("cli");
        Assert.Equal(RevokeResult.Revoked, await cli.Authority.RevokeAsync(record.SerialHex, RevocationReason.KeyCompromise, null, "cli", CancellationToken.None));

        await invalidated.WaitAsync(TimeSpan.FromMinutes(1));
        var answer = await b.Ocsp.RespondAsync(request, false, CancellationToken.None);
        Assert.IsType<RevokedStatus>(OcspClient.Read(answer.Der.ToArray(), a.Authority.AuthCa.CertificateDer).Single.GetCertStatus());
        foreach (var server in new[] { a, b })
        {
            var partition = record.CrlPartition;
            var delta = await WaitForDeltaListingAsync(server, partition, record.SerialHex);
            Assert.Contains(record.SerialHex, CrlFile.Read(delta.Path, server.Authority.AuthCa.CertificateDer).Serials);
        }
    }

    [Fact]
    public async Task PublisherStops_AnotherTakesOver_NumbersNeverRepeatOrGoBack()
    {
        var a = await StartAsync("a");
        await a.Crls.WhenPublishedAsync(CertificateKind.Signature, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));
        var b = await StartAsync("b");
        await b.Crls.WhenPublishedAsync(CertificateKind.Signature, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));
        var (leader, follower) = a.Crls.IsPublisher ? (a, b) : (b, a);
        var numbers = new List<long> { (await follower.Crls.GetCurrentAsync(CertificateKind.Signature, CancellationToken.None)).Document.Number };

        // The publisher process goes away (its lease is released as a dead process's would be).
        await StopAsync(leader);
        Clock.Advance(TimeSpan.FromHours(12));
        var next = await WaitForBaseAfterAsync(follower, numbers[^1]);
        Assert.True(follower.Crls.IsPublisher);
        numbers.Add(next);

        // A restart: a new process on the same registry continues the sequence.
        await StopAsync(follower);
        var restarted = await StartAsync("c");
        Clock.Advance(TimeSpan.FromHours(12));
        numbers.Add(await WaitForBaseAfterAsync(restarted, numbers[^1]));

        Assert.Equal(numbers.Order(), numbers);
        Assert.Equal(numbers.Distinct().Count(), numbers.Count);
        Assert.True((await ((IRegistryStore)restarted.Authority.Registry).VerifyAsync(CancellationToken.None)).IsIntact);
    }

    [Fact]
    public async Task Publisher_PreSignsAnswersEveryServerServesWithoutSigning()
    {
        var a = await StartAsync("a");
        var record = await a.Authority.IssueAsync(CertificateAuthorityTests.AuthRequest(), CancellationToken.None);
        await a.Crls.WhenPublishedAsync(CertificateKind.Authentication, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(a.Crls.IsPublisher, "the only server publishes");

        var store = (IRevocationPublicationStore)a.Authority.Registry;
        var stored = await WaitForStoredAnswerAsync(store, record.SerialHex);
        Assert.Equal(StoredOcspResponse.Good, stored.Status);

        // Another server that never signed anything for it answers with the stored bytes.
        var b = await OpenAsync("b");
        var answer = await b.Ocsp.RespondAsync(OcspClient.Request(a.Authority.AuthCa.CertificateDer, record.SerialHex), false, CancellationToken.None);
        Assert.True(answer.FromCache);
        Assert.Equal(stored.Der.ToArray(), answer.Der.ToArray());
    }

    private static async Task<StoredOcspResponse> WaitForStoredAnswerAsync(IRevocationPublicationStore store, string serial)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (true)
        {
            if (await store.FindOcspResponseAsync(serial, OcspCertIdHash.Sha1, CancellationToken.None) is { } stored)
            {
                return stored;
            }

            Assert.True(System.Diagnostics.Stopwatch.GetElapsedTime(started) < TimeSpan.FromMinutes(2), "the publisher never pre-signed the answer");
            await store.WaitForChangeAsync(0, TimeSpan.FromMilliseconds(200), CancellationToken.None);
        }
    }

    private static Task Invalidated(OcspResponder responder, string serial)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        responder.Invalidated += (_, s) =>
        {
            if (s == serial)
            {
                done.TrySetResult();
            }
        };
        return done.Task;
    }

    private static async Task<PublishedCrl> WaitForDeltaListingAsync(AuthorityRuntime server, int partition, string serial)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (true)
        {
            var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void OnPublished(object? sender, CertificateKind kind) => changed.TrySetResult();
            server.Crls.Published += OnPublished;
            try
            {
                if (await server.Crls.FindAsync(CertificateKind.Authentication, partition, delta: true, CancellationToken.None) is { } delta
                    && CrlFile.Read(delta.Path, server.Authority.AuthCa.CertificateDer).Serials.Contains(serial))
                {
                    return delta;
                }

                await changed.Task.WaitAsync(TimeSpan.FromMinutes(2) - System.Diagnostics.Stopwatch.GetElapsedTime(started));
            }
            finally
            {
                server.Crls.Published -= OnPublished;
            }
        }
    }

    private static async Task<long> WaitForBaseAfterAsync(AuthorityRuntime server, long after)
    {
        var (full, _) = await CrlPublisherTests.WaitForAsync(server.Crls, CertificateKind.Signature, p => p.Full.Document.Number > after);
        return full.Document.Number;
    }

    private async Task<AuthorityRuntime> StartAsync(string name)
    {
        var runtime = await OpenAsync(name);
        var stop = new CancellationTokenSource();
        _running.Add((runtime, stop, Task.Run(() => runtime.RunAsync(stop.Token))));
        return runtime;
    }

    private async Task StopAsync(AuthorityRuntime runtime)
    {
        var (_, stop, running) = _running.Single(r => ReferenceEquals(r.Runtime, runtime));
        await stop.CancelAsync();
        await running;
    }

    private async Task<AuthorityRuntime> OpenAsync(string name)
    {
        var store = await OpenStoreAsync();
        var authority = new CertificateAuthority(
            TestKeys.Ca(CertificateKind.Signature),
            TestKeys.Ca(CertificateKind.Authentication),
            store,
            store,
            Clock,
            new AuthorityOptions { CrlPartitionMonths = 12, CrlRebuildDelay = TimeSpan.Zero, CrlBaseMinimumInterval = TimeSpan.FromHours(1) });
        var runtime = new AuthorityRuntime(authority, store, _dir.File(name + "-crl"), [store, authority.SignCa, authority.AuthCa]);
        _disposables.Add(runtime);
        return runtime;
    }
}

/// <summary>Several processes on one SQLite data folder.</summary>
public sealed class SqliteSharedPublicationTests : SharedPublicationTests
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "jpki-shared-" + Guid.NewGuid().ToString("N")[..12], "registry.db");

    protected override async Task<IRegistryStore> OpenStoreAsync() =>
        await RegistryFactory.OpenAsync(new RegistryLocation(RegistryEngine.Sqlite, _path, _path), Clock, migrate: true, CancellationToken.None);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);
    }
}

/// <summary>Several processes on one PostgreSQL schema.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSharedPublicationTests(PostgresServer server) : SharedPublicationTests
{
    private string _connectionString = string.Empty;

    public override async Task InitializeAsync() => _connectionString = await server.CreateSchemaAsync();

    protected override async Task<IRegistryStore> OpenStoreAsync() =>
        await RegistryFactory.OpenAsync(new RegistryLocation(RegistryEngine.Postgres, _connectionString, "test"), Clock, migrate: true, CancellationToken.None);
}
