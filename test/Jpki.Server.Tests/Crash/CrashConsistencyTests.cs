using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Jpki.Authority.Ca;
using Jpki.Authority.Registry;
using Jpki.Authority.Tests.Support;
using Jpki.Server.Tests.Counter;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.X509;
using Xunit.Abstractions;

namespace Jpki.Server.Tests.Crash;

/// <summary>
/// Crash consistency (docs/faults.md): <c>jpki serve</c> as a child process on a real store, a mixed load of issuances
/// and revocations from concurrent clients through the authority API, SIGKILL at random moments and a restart on the
/// same data, at least 20 times. Afterwards every acknowledged issuance is in the registry with the certificate the
/// client received, no serial was acknowledged twice, every acknowledged revocation is in a freshly fetched CRL and
/// in an OCSP answer, nothing the clients never revoked is, and the audit chain verifies. The seed is in the output;
/// <c>JPKI_CRASH_SEED</c> replays one.
/// </summary>
public abstract class CrashConsistencyTests(ITestOutputHelper output)
{
    private const int Kills = 20;
    private const int Clients = 4;

    /// <summary>The environment of the child process (the registry), and the registry setting to open it afterwards.</summary>
    protected abstract Task<(IReadOnlyDictionary<string, string> Environment, string? Registry)> StoreAsync();

    protected abstract string StoreName { get; }

    [Fact]
    public async Task SigkillUnderLoad_AcknowledgedOperationsSurviveAndRevocationDataAgrees()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("JPKI_CRASH_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var fixedSeed)
            ? fixedSeed
            : RandomNumberGenerator.GetInt32(int.MaxValue);
        output.WriteLine($"crash run on {StoreName}: seed {seed} (replay with JPKI_CRASH_SEED={seed})");
        var watch = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        var data = Path.Combine(Path.GetTempPath(), "jpki-crash-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(data);
        var (environment, registry) = await StoreAsync();
        var holderKeys = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
        {
            using var rsa = RSA.Create(2048);
            return rsa.ExportSubjectPublicKeyInfo();
        })));
        using var server = new JpkiServerProcess(data, JpkiServerProcess.FreePort(), environment);
        try
        {
            await server.StartAsync(timeout.Token);
            var raKey = (await File.ReadAllTextAsync(RegistrationAuthorityKeyFile.PathOf(data))).Trim();
            var load = new CrashLoad(server, raKey, [TestKeys.SubjectSpki(), .. holderKeys], seed);
            using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
            http.DefaultRequestHeaders.Add(RegistrationAuthorityAccess.HeaderName, raKey);
            load.SignCa = await http.GetByteArrayAsync(new Uri("/ca/sign.cer", UriKind.Relative));
            load.AuthCa = await http.GetByteArrayAsync(new Uri("/ca/auth.cer", UriKind.Relative));

            await load.RunAsync(Clients, Kills, maxAcknowledgements: 6, TimeSpan.FromMilliseconds(400), (k, _) => PlantLeftoversAsync(data, k), timeout.Token);
            var ledger = load.Ledger;
            output.WriteLine($"{load.Kills} kills, {server.Starts} starts; issuances acknowledged {ledger.Issued.Count}, unknown {ledger.IssueUnknown}; " +
                $"revocations acknowledged {ledger.Revoked.Count}, unknown {ledger.RevokeUnknown}; OCSP checks right after a revocation {ledger.OcspChecksDuringLoad} (cut by a kill {ledger.OcspChecksDropped})");
            Assert.True(ledger.Failures.Count == 0, $"seed {seed}: " + string.Join("\n", ledger.Failures.Take(20)) + "\n" + server.LogTail);
            Assert.True(load.Kills >= Kills, "kills");
            Assert.True(ledger.Issued.Count >= Kills, $"too little load to prove anything: {ledger.Issued.Count} issuances acknowledged");
            Assert.NotEmpty(ledger.Revoked);

            await CheckRegistryAsync(http, ledger, seed);
            await CheckCrlsAsync(http, load, seed);
            await CheckOcspAsync(http, load, seed);

            await server.KillAsync();
            await CheckStoreAsync(registry ?? data, ledger, seed);
            output.WriteLine($"{StoreName}: {watch.Elapsed.TotalSeconds:F1} s");
        }
        finally
        {
            server.Dispose();
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

    /// <summary>
    /// After kill 10, what a killed CRL build leaves (a half-written temporary file) and, harsher than anything our
    /// atomic rename can produce, a truncated current CRL: the restart must neither fail nor serve them.
    /// </summary>
    private static async Task PlantLeftoversAsync(string data, int kill)
    {
        if (kill != Kills / 2)
        {
            return;
        }

        var crl = Path.Combine(AuthorityFolder.PathOf(data), "crl");
        Directory.CreateDirectory(crl);
        await File.WriteAllBytesAsync(Path.Combine(crl, $"sign.crl.{Guid.NewGuid():N}.tmp"), [0x30, 0x82, 0x10]);
        await File.WriteAllBytesAsync(Path.Combine(crl, "auth.crl"), [0x30, 0x82]);
    }

    /// <summary>Every acknowledged issuance is in the registry with the certificate the client got; revoked exactly when it should be.</summary>
    internal static async Task CheckRegistryAsync(HttpClient http, CrashLedger ledger, int seed)
    {
        foreach (var (serial, issued) in ledger.Issued)
        {
            using var response = await http.GetAsync(new Uri("/api/authority/certificates/" + serial, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"seed {seed}: acknowledged issuance {serial} is missing ({(int)response.StatusCode})");
            var view = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(issued.Sha256, Convert.ToHexString(SHA256.HashData(Convert.FromBase64String(view.GetProperty("certificate").GetString()!))));
            var status = view.GetProperty("status").GetString();
            if (ledger.Revoked.TryGetValue(serial, out var reason))
            {
                Assert.True(status == "revoked", $"seed {seed}: acknowledged revocation of {serial} is missing from the registry");
                Assert.Equal(reason, view.GetProperty("revocationReason").GetString());
            }
            else if (!ledger.RevocationSent.ContainsKey(serial))
            {
                Assert.True(status == "good", $"seed {seed}: {serial} was never revoked but is {status}");
            }
        }
    }

    /// <summary>
    /// What a relying party downloads after the restart — each CA's complete CRL and its delta CRL (signatures checked) —
    /// lists every acknowledged revocation and nothing never sent. CRLs are published in the background (deltas within
    /// seconds of a revocation by any process, complete CRLs at most once a minute), never built on a request, so the
    /// check polls the endpoints, bounded, until the publisher has caught up with what the registry acknowledged.
    /// </summary>
    internal static async Task CheckCrlsAsync(HttpClient http, CrashLoad load, int seed)
    {
        var ledger = load.Ledger;
        var sent = ledger.RevocationSent.Keys.Select(s => s.TrimStart('0')).ToHashSet(StringComparer.Ordinal);
        foreach (var (slug, caDer) in new[] { ("sign", load.SignCa!), ("auth", load.AuthCa!) })
        {
            var key = new X509CertificateParser().ReadCertificate(caDer).GetPublicKey();
            var expected = ledger.Revoked.Keys.Where(s => ledger.Issued[s].Kind == slug).Select(s => s.TrimStart('0')).ToList();
            var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromMinutes(3);
            while (true)
            {
                var listed = new HashSet<string>(StringComparer.Ordinal);
                foreach (var path in new[] { $"/crl/{slug}.crl", $"/crl/{slug}-delta.crl" })
                {
                    using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        continue;
                    }

                    var crl = new X509CrlParser().ReadCrl(await response.Content.ReadAsByteArrayAsync());
                    crl.Verify(key);
                    listed.UnionWith((crl.GetRevokedCertificates() ?? new HashSet<X509CrlEntry>()).Select(e => e.SerialNumber.ToString(16).ToUpperInvariant()));
                }

                Assert.All(listed, serial => Assert.True(sent.Contains(serial), $"seed {seed}: {serial} is in the {slug} CRL but was never revoked"));
                var missing = expected.FirstOrDefault(serial => !listed.Contains(serial));
                if (missing is null)
                {
                    break;
                }

                Assert.True(
                    TimeProvider.System.GetUtcNow() < deadline,
                    $"seed {seed}: acknowledged revocation {missing} is in neither the {slug} CRL nor its delta 3 minutes after the restart");
                await Task.Delay(TimeSpan.FromMilliseconds(500)); // polling interval of a bounded wait for the background publisher
            }
        }
    }

    /// <summary>An OCSP answer for every acknowledged revocation (or the first <paramref name="maxRevoked"/>) says revoked; for never-revoked acknowledged issuances, good.</summary>
    internal static async Task CheckOcspAsync(HttpClient http, CrashLoad load, int seed, int maxRevoked = int.MaxValue)
    {
        var ledger = load.Ledger;
        var good = ledger.Issued.Keys.Where(s => !ledger.RevocationSent.ContainsKey(s)).Take(20);
        foreach (var serial in ledger.Revoked.Keys.Take(maxRevoked).Concat(good))
        {
            var ca = ledger.Issued[serial].Kind == "sign" ? load.SignCa! : load.AuthCa!;
            using var content = new ByteArrayContent(OcspClient.Request(ca, serial));
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/ocsp-request");
            using var response = await http.PostAsync(new Uri("/ocsp", UriKind.Relative), content);
            var (single, _) = OcspClient.Read(await response.Content.ReadAsByteArrayAsync(), ca);
            var revoked = single.GetCertStatus() is RevokedStatus;
            Assert.True(revoked == ledger.Revoked.ContainsKey(serial), $"seed {seed}: OCSP says {(revoked ? "revoked" : "not revoked")} for {serial}");
        }
    }

    /// <summary>With the server killed a last time: the store opens, holds every acknowledged serial, its audit chain verifies and the registry agrees with it.</summary>
    internal static async Task CheckStoreAsync(string registry, CrashLedger ledger, int seed)
    {
        await using var store = await RegistryFactory.OpenAsync(RegistryFactory.Resolve(registry, null), TimeProvider.System, migrate: false, CancellationToken.None);
        foreach (var serial in ledger.Issued.Keys)
        {
            Assert.True(await store.FindBySerialAsync(serial, CancellationToken.None) is not null, $"seed {seed}: {serial} missing from the store");
        }

        // The chain, and the registry against it: no kill may leave a row without its entry or an entry without its row.
        var verdict = await store.VerifyWithRegistryAsync(null, CancellationToken.None);
        Assert.True(verdict.IsIntact, $"seed {seed}: audit {verdict.Kind} at {verdict.FirstBrokenSequence}: {verdict.Problem}");
        Assert.True(verdict.EntriesChecked >= ledger.Issued.Count + ledger.Revoked.Count, "every acknowledged operation has its audit entry");
    }
}

/// <summary>The crash run on the embedded default: SQLite <c>registry.db</c> in the data folder (WAL, synchronous=FULL).</summary>
public sealed class SqliteCrashConsistencyTests(ITestOutputHelper output) : CrashConsistencyTests(output)
{
    protected override string StoreName => "SQLite";

    protected override Task<(IReadOnlyDictionary<string, string> Environment, string? Registry)> StoreAsync() =>
        Task.FromResult<(IReadOnlyDictionary<string, string>, string?)>((new Dictionary<string, string>(), null));
}

/// <summary>The crash run on PostgreSQL 15 (a schema of the shared test server, given to the child in <c>JPKI_REGISTRY</c>).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresCrashConsistencyTests(PostgresServer postgres, ITestOutputHelper output) : CrashConsistencyTests(output)
{
    protected override string StoreName => "PostgreSQL";

    protected override async Task<(IReadOnlyDictionary<string, string> Environment, string? Registry)> StoreAsync()
    {
        var connection = await postgres.CreateSchemaAsync();
        return (new Dictionary<string, string> { [RegistryFactory.EnvironmentVariable] = connection }, connection);
    }
}
