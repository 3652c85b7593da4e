using BenchmarkDotNet.Attributes;
using Jpki.Authority.Ca;
using Jpki.Core.Identity;

namespace Jpki.Benchmarks.Authority;

/// <summary>
/// Issuance by the CA (profile + RSA-2048 signature + read-back) with pregenerated public keys and an in-memory registry:
/// the CA's share of the issue's ≥ 1,500 certificates/s target. One call = one certificate on one thread.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 8)]
public class IssuanceBenchmarks
{
    private CertificateAuthority _authority = null!;
    private byte[][] _keys = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _authority = BenchAuthority.Create(new BenchRegistry(), TimeProvider.System);
        _keys = BenchAuthority.PublicKeys(8);
    }

    [Benchmark(Baseline = true)]
    public Task IssueAuth() => Issue(CertificateKind.Authentication, null);

    [Benchmark]
    public Task IssueSign() => Issue(CertificateKind.Signature, BenchAuthority.Subject());

    private Task Issue(CertificateKind kind, Jpki.Authority.Profiles.SignatureSubject? subject)
    {
        var key = _keys[_next++ % _keys.Length];
        return _authority.IssueAsync(new IssueRequest(kind, key, "CARD", "HOLDER", new DateOnly(2031, 2, 17), subject, null, "bench"), CancellationToken.None);
    }
}
