using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jpki.Authority.Ca;
using Jpki.Authority.Tests.Support;
using Jpki.Core.Identity;
using Jpki.Core.Time;
using Jpki.Municipality.Residents;
using Jpki.Municipality.Staff;
using Jpki.Municipality.Storage;
using Jpki.Server.Errors;
using Jpki.Server.Staff;
using Jpki.Server.Tests.Counter;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Server.Tests.Faults;

/// <summary>
/// The data folder's disk full (docs/faults.md, "Dependencies failing"): the embedded default server (SQLite registry,
/// counter store, CRL files) on a 24 MiB tmpfs, filled to the last page. The background CRL publication fails, a CRL
/// download serves the current CRL while it is valid and answers 507 with a problem body once it is not, leaving no
/// temp file behind, and the publisher publishes again once space is freed; issuance and registry changes either succeed durably
/// or are refused with nothing stored; SQLite's integrity check and the audit chain stay intact; freeing space brings
/// everything back without a restart. Needs root (mount -t tmpfs), as CI runs test.sh.
/// </summary>
public sealed class DiskFullTests : IAsyncLifetime
{
    private const string Password = "clerk-desk-Hq4v7";

    private readonly string _mount = Path.Combine(Path.GetTempPath(), "jpki-diskfull-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly FakeTimeProvider _clock = new(JapanTime.At(new DateOnly(2026, 6, 10), new TimeOnly(10, 0)));
    private bool _mounted;
    private WebApplication _app = null!;

    private string Data => Path.Combine(_mount, "data");

    private AuthorityRuntime Runtime => _app.Services.GetRequiredService<OwnedAuthority>().Runtime;

    public async Task InitializeAsync()
    {
        if (!string.Equals(Environment.UserName, "root", StringComparison.Ordinal))
        {
            Assert.Fail("The disk-full test needs root to mount a small tmpfs (mount -t tmpfs); CI runs ./test.sh as root.");
        }

        Directory.CreateDirectory(_mount);
        await RunAsync("mount", "-t", "tmpfs", "-o", "size=24m,mode=0755", "tmpfs", _mount);
        _mounted = true;
        _app = JpkiServerHost.Build(new JpkiServerOptions { DataDirectory = Data, Urls = "http://127.0.0.1:0" }, _clock);
        await _app.StartAsync();
        Assert.Null(await _app.Services.GetRequiredService<StaffDirectory>().AddAsync("clerk1", "窓口　花子", StaffRole.Clerk, Password, mustChange: false, default));
        var spki = TestKeys.SubjectSpki();
        var counter = _app.Services.GetRequiredService<ICounterStore>();
        for (var i = 1; i <= 4; i++)
        {
            var id = "D" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await counter.AddResidentsAsync([new Resident(id, "山田　太郎", "ヤマダ　タロウ", "東京都千代田区千代田１－１", new DateOnly(1980, 2, 17), Sex.Male, false, "H" + id)], default);
            await Runtime.Authority.IssueAsync(new IssueRequest(CertificateKind.Authentication, spki, "CARD-" + id, id, new DateOnly(2030, 2, 17), null, null, "test"), default);
        }
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        if (_mounted)
        {
            await RunAsync("umount", _mount);
        }

        Directory.Delete(_mount, recursive: true);
    }

    [Fact]
    public async Task DiskFull_WritesRefused507NothingCorrupted_RecoversWhenFreed()
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(_app.Urls.First()), Timeout = TimeSpan.FromSeconds(30) };
        var crlDirectory = Path.Combine(AuthorityFolder.PathOf(Data), "crl");
        byte[] crlBefore;
        using (var first = await anonymous.GetAsync(new Uri("/crl/auth.crl", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            crlBefore = await first.Content.ReadAsByteArrayAsync();
        }

        using var clerk = await SignInAsync();
        var publicationFailed = Next<Exception>(h => Runtime.Crls.Failed += h, h => Runtime.Crls.Failed -= h);
        await AssertHealthAsync(anonymous, healthy: true);
        var filler = Fill(Path.Combine(_mount, "filler"));

        // /healthz says so at once: the folder exists but takes no write (before this change it said "ok").
        await AssertHealthAsync(anonymous, healthy: false);

        // Issuance and a registry change (revocation): acknowledged and durable, or refused (507) with nothing stored.
        var issued = await TryIssueAsync("D-NEW");
        using var change = await clerk.Http.PostAsJsonAsync("/api/counter/residents/D1/changes", new { kind = (int)ResidentChangeKind.Death });
        Assert.True(change.StatusCode is HttpStatusCode.OK or HttpStatusCode.InsufficientStorage, $"registry change answered {(int)change.StatusCode}");
        await AssertIntactAsync(diskFull: true);

        // Past half the CRL's validity the publisher (in the background, never on a request) builds new CRLs, which the
        // full disk refuses; the current CRL is valid until its nextUpdate: it is served as it is.
        _clock.Advance(TimeSpan.FromHours(13));
        await publicationFailed.WaitAsync(TimeSpan.FromMinutes(2));
        using (var crl = await anonymous.GetAsync(new Uri("/crl/auth.crl", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, crl.StatusCode);
            Assert.Equal(crlBefore, await crl.Content.ReadAsByteArrayAsync());
        }

        // Past its nextUpdate there is no valid CRL to serve: 507, and nothing half-written.
        _clock.Advance(TimeSpan.FromHours(12));
        using (var crl = await anonymous.GetAsync(new Uri("/crl/auth.crl", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.InsufficientStorage, crl.StatusCode);
            Assert.NotNull(crl.Headers.RetryAfter);
            Assert.Equal("application/problem+json", crl.Content.Headers.ContentType?.MediaType);
            var problem = await crl.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Contains(problem.GetProperty("dependency").GetString(), new[] { DependencyFailures.Database, DependencyFailures.DataFolder });
            Assert.DoesNotContain(_mount, problem.GetRawText(), StringComparison.Ordinal);
        }

        Assert.Empty(Directory.GetFiles(crlDirectory, "*.tmp"));
        await AssertIntactAsync(diskFull: true);

        // Space freed: the publisher's next attempt publishes, without a restart.
        var published = Next<CertificateKind>(h => Runtime.Crls.Published += h, h => Runtime.Crls.Published -= h, k => k == CertificateKind.Authentication);
        File.Delete(filler);
        await published.WaitAsync(TimeSpan.FromMinutes(2));
        await AssertHealthAsync(anonymous, healthy: true);
        using (var crl = await anonymous.GetAsync(new Uri("/crl/auth.crl", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, crl.StatusCode);
            Assert.NotEqual(crlBefore, await crl.Content.ReadAsByteArrayAsync());
        }

        Assert.NotNull(await TryIssueAsync("D-AFTER"));
        using var clerkAfter = await SignInAsync();
        using (var after = await clerkAfter.Http.PostAsJsonAsync("/api/counter/residents/D2/changes", new { kind = (int)ResidentChangeKind.Death }))
        {
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
            Assert.True((await after.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("allRevocationsDone").GetBoolean());
        }

        var registry = Runtime.Authority.Registry;
        Assert.Equal(issued is null ? 0 : 1, (await registry.FindByHolderAsync("D-NEW", default)).Count);
        if (change.StatusCode == HttpStatusCode.OK)
        {
            // Acknowledged during the full disk: the change is stored, and its revocation done now at the latest.
            Assert.Single(await _app.Services.GetRequiredService<ICounterStore>().ListChangesAsync("D1", default));
            await WaitForRevocationAsync("D1");
        }
        else
        {
            Assert.Empty(await _app.Services.GetRequiredService<ICounterStore>().ListChangesAsync("D1", default));
        }

        await AssertIntactAsync();
    }

    private static async Task AssertHealthAsync(HttpClient client, bool healthy)
    {
        using var health = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        var report = await health.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(healthy ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal(healthy ? "ok" : "degraded", report.GetProperty("status").GetString());
        Assert.Equal(healthy, report.GetProperty("dataFolder").GetBoolean());
        Assert.True(report.GetProperty("freeBytes").GetInt64() >= 0);
    }

    /// <summary>The next value an event delivers (matching <paramref name="filter"/>), unsubscribing after it.</summary>
    private static Task<T> Next<T>(Action<EventHandler<T>> subscribe, Action<EventHandler<T>> unsubscribe, Func<T, bool>? filter = null)
    {
        var next = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        EventHandler<T>? handler = null;
        handler = (_, value) =>
        {
            if (filter is null || filter(value))
            {
                unsubscribe(handler!);
                next.TrySetResult(value);
            }
        };
        subscribe(handler);
        return next.Task;
    }

    private async Task<CounterServer.StaffClient> SignInAsync()
    {
        var clerk = new CounterServer.StaffClient(new Uri(_app.Urls.First()));
        clerk.Http.Timeout = TimeSpan.FromSeconds(30);
        await clerk.RefreshCsrfAsync();
        using (var login = await clerk.Http.PostAsJsonAsync("/api/counter/session", new { id = "clerk1", password = Password }))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }

        await clerk.RefreshCsrfAsync();
        return clerk;
    }

    /// <summary>Issues for <paramref name="holder"/>; null when refused for lack of space (a 507-class failure).</summary>
    private async Task<string?> TryIssueAsync(string holder)
    {
        try
        {
            var record = await Runtime.Authority.IssueAsync(new IssueRequest(CertificateKind.Authentication, TestKeys.SubjectSpki(), "CARD-" + holder, holder, new DateOnly(2030, 2, 17), null, null, "test"), default);
            return record.SerialHex;
        }
        catch (Exception ex) when (DependencyFailures.Classify(ex) is { StatusCode: 507 })
        {
            return null;
        }
    }

    private async Task WaitForRevocationAsync(string holder)
    {
        var deadline = Environment.TickCount64 + 60_000;
        while ((await Runtime.Authority.Registry.FindByHolderAsync(holder, default)).Any(r => r.Revocation is null))
        {
            Assert.True(Environment.TickCount64 < deadline, "the pending revocation of " + holder + " was not retried");
            _clock.Advance(TimeSpan.FromSeconds(31));
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// SQLite's integrity check of both databases and the audit chain. While the disk is full (<paramref name="diskFull"/>)
    /// a new reader of a WAL database may be refused with SQLITE_IOERR ("disk I/O error": its shared-memory index cannot
    /// grow on a full file system) — that is no corruption, and the check that runs again once space is freed (strict) decides.
    /// Any other failure, or an integrity check that answers anything but "ok", fails at once.
    /// </summary>
    private async Task AssertIntactAsync(bool diskFull = false)
    {
        try
        {
            foreach (var file in new[] { "registry.db", CounterStores.DefaultFileName })
            {
                await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(Data, file), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString);
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA integrity_check";
                Assert.Equal("ok", await command.ExecuteScalarAsync() as string);
            }

            var verification = await Runtime.Audit.VerifyAsync(default);
            Assert.True(verification.IsIntact, verification.Problem);
        }
        catch (SqliteException e) when (diskFull && e.SqliteErrorCode == 10)
        {
            // Not readable while full (see above); checked strictly after space is freed.
        }
    }

    /// <summary>Writes <paramref name="path"/> until the file system has not one page left; returns the path.</summary>
    private static string Fill(string path)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        foreach (var size in new[] { 1 << 20, 1 << 16, 1 << 12, 1 << 9, 1 })
        {
            var chunk = new byte[size];
            try
            {
                while (true)
                {
                    stream.Write(chunk);
                }
            }
            catch (IOException)
            {
                // Full at this granularity: go on with smaller writes.
            }
        }

        return path;
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException(program + " did not start");
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} failed ({process.ExitCode}): {output}");
    }
}
