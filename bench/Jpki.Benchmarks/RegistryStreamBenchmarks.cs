using BenchmarkDotNet.Attributes;
using Jpki.Authority.Registry;
using Jpki.Core.Identity;

namespace Jpki.Benchmarks;

/// <summary>
/// Streaming the revoked entries of one CA, as the CRL builder does, from a registry holding <see cref="Revoked"/>
/// revoked certificates. Memory must stay flat: the peak managed heap while streaming is printed to the log as
/// <c>// PeakManagedHeapMiB</c> and must not grow with <see cref="Revoked"/>.
/// </summary>
[MemoryDiagnoser]
public class RegistryStreamBenchmarks
{
    private IRegistryStore _store = null!;
    private string? _folder;
    private long _peakHeap;

    [Params(RegistryEngine.Sqlite, RegistryEngine.Postgres)]
    public RegistryEngine Engine { get; set; }

    [Params(100_000, 1_000_000)]
    public int Revoked { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (_store, _folder) = BenchmarkRegistry.OpenFresh(Engine);
        BenchmarkRegistry.BulkLoadRevoked(_store, _folder, Revoked);
        GC.Collect();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        Console.WriteLine($"// PeakManagedHeapMiB {Engine} {Revoked}: {_peakHeap / (1024.0 * 1024.0):F1}; process peak working set MiB: {self.PeakWorkingSet64 / (1024.0 * 1024.0):F1}");
        BenchmarkRegistry.Close(_store, _folder);
    }

    [Benchmark]
    public async Task<int> StreamRevoked()
    {
        var count = 0;
        var at = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await foreach (var entry in _store.StreamRevokedAsync(CertificateKind.Signature, at, CancellationToken.None))
        {
            if (++count % 50_000 == 0)
            {
                _peakHeap = Math.Max(_peakHeap, GC.GetTotalMemory(false));
            }

            _ = entry;
        }

        if (count != Revoked)
        {
            throw new InvalidOperationException($"Streamed {count} entries, expected {Revoked}.");
        }

        return count;
    }
}
