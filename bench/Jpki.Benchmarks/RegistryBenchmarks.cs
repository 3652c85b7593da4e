using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Jpki.Authority.Audit;
using Jpki.Authority.Registry;
using Jpki.Core.Identity;

namespace Jpki.Benchmarks;

/// <summary>
/// The registry's share of issuance: storing a certificate (and its audit entry) durably, on SQLite and PostgreSQL,
/// from one writer and from eight concurrent writers. One operation = one certificate.
/// PostgreSQL needs a server: <c>eval "$(bench/scripts/start-postgres.sh)"</c> sets <c>JPKI_BENCH_POSTGRES</c>.
/// </summary>
[MemoryDiagnoser]
public class RegistryBenchmarks
{
    private const int PerIteration = 2000;

    private IRegistryStore _store = null!;
    private string? _folder;
    private CertificateRecord[] _records = [];

    [Params(RegistryEngine.Sqlite, RegistryEngine.Postgres)]
    public RegistryEngine Engine { get; set; }

    [Params(1, 8)]
    public int Writers { get; set; }

    [GlobalSetup]
    public void Setup() => (_store, _folder) = BenchmarkRegistry.OpenFresh(Engine);

    [GlobalCleanup]
    public void Cleanup() => BenchmarkRegistry.Close(_store, _folder);

    [IterationSetup]
    public void MakeRecords()
    {
        var now = new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);
        _records = Enumerable.Range(0, PerIteration).Select(i => new CertificateRecord(
            BenchmarkRegistry.RandomSerial(),
            i % 2 == 0 ? CertificateKind.Signature : CertificateKind.Authentication,
            $"CARD-{i / 2}",
            $"HOLDER-{i / 2}",
            now,
            now.AddYears(5),
            now,
            null,
            RandomNumberGenerator.GetBytes(1400), // about the size of a JPKI signature certificate
            null)).ToArray();
    }

    [Benchmark(OperationsPerInvoke = PerIteration, Baseline = true)]
    public Task Insert() => RunAsync(record => _store.AddAsync(record, CancellationToken.None));

    [Benchmark(OperationsPerInvoke = PerIteration)]
    public Task InsertWithAudit() => RunAsync(async record =>
    {
        await _store.AddAsync(record, CancellationToken.None);
        await _store.AppendAsync(new AuditEntry(record.IssuedAt, "bench", "cert.issue", record.SerialHex, "{\"kind\":1}"), CancellationToken.None);
    });

    /// <summary>The issuer's path: certificate and entry in one transaction (<c>AddWithAuditAsync</c>).</summary>
    [Benchmark(OperationsPerInvoke = PerIteration)]
    public Task InsertWithAuditOneTransaction() => RunAsync(record =>
        _store.AddWithAuditAsync(record, new AuditEntry(record.IssuedAt, "bench", "cert.issue", record.SerialHex, "{\"kind\":1}"), CancellationToken.None));

    private Task RunAsync(Func<CertificateRecord, Task> work) =>
        Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = w; i < _records.Length; i += Writers)
            {
                await work(_records[i]);
            }
        })));
}
