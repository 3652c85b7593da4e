using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using Jpki.Verification.Revocation;

namespace Jpki.Benchmarks;

/// <summary>Revocation look-ups in a CRL of 1,000,000 entries (about the yearly revocations of the national system).</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class CrlLookupBenchmarks
{
    private const int Entries = 1_000_000;
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 3, 0, 0, TimeSpan.Zero);

    private byte[] _der = null!;
    private CertificateRevocationList _crl = null!;
    private byte[] _revokedSerial = null!;
    private byte[] _goodSerial = null!;

    [GlobalSetup]
    public void Setup()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("C=JP, O=JPKI-BENCH, OU=CRL", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = request.CreateSelfSigned(Now.AddYears(-1), Now.AddYears(9));
        var builder = new CertificateRevocationListBuilder();
        for (var i = 0; i < Entries; i++)
        {
            builder.AddEntry(Serial(i), Now.AddDays(-(i % 365)), X509RevocationReason.AffiliationChanged);
        }

        _der = builder.Build(ca, BigInteger.One, Now.AddDays(1), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, Now);
        _crl = CertificateRevocationList.Decode(_der);
        _revokedSerial = Serial(Entries / 2);
        _goodSerial = Serial(Entries + 17);
        if (_crl.Count != Entries || !_crl.TryGetEntry(_revokedSerial, out _) || _crl.TryGetEntry(_goodSerial, out _))
        {
            throw new InvalidOperationException("The benchmark CRL is not what it should be.");
        }
    }

    [Benchmark(Baseline = true, Description = "lookup: revoked serial (hit, entry decoded)")]
    public bool LookupRevoked() => _crl.TryGetEntry(_revokedSerial, out _);

    [Benchmark(Description = "lookup: good serial (miss)")]
    public bool LookupGood() => _crl.TryGetEntry(_goodSerial, out _);

    [Benchmark(Description = "decode + index a 1,000,000-entry CRL")]
    public int Decode() => CertificateRevocationList.Decode(_der).Count;

    /// <summary>Serial numbers shaped like real ones: 8 bytes, positive, no leading zero byte.</summary>
    private static byte[] Serial(int i)
    {
        var bytes = new byte[8];
        bytes[0] = 0x5A;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), i);
        return bytes;
    }
}
