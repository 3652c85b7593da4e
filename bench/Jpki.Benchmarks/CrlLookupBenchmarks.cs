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
        _der = BuildCrl(ca.SubjectName, key);
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

    /// <summary>
    /// Writes the CRL directly with AsnWriter: CertificateRevocationListBuilder checks each new entry against the
    /// previous ones, which is quadratic and does not finish for a million entries.
    /// </summary>
    private static byte[] BuildCrl(X500DistinguishedName issuer, RSA key)
    {
        var tbs = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        using (tbs.PushSequence())
        {
            tbs.WriteInteger(1);
            using (tbs.PushSequence())
            {
                tbs.WriteObjectIdentifier("1.2.840.113549.1.1.11");
                tbs.WriteNull();
            }

            tbs.WriteEncodedValue(issuer.RawData);
            tbs.WriteUtcTime(Now);
            tbs.WriteUtcTime(Now.AddDays(1));
            tbs.WriteEncodedValue(RevokedCertificates());
        }

        var tbsBytes = tbs.Encode();
        var crl = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        using (crl.PushSequence())
        {
            crl.WriteEncodedValue(tbsBytes);
            using (crl.PushSequence())
            {
                crl.WriteObjectIdentifier("1.2.840.113549.1.1.11");
                crl.WriteNull();
            }

            crl.WriteBitString(key.SignData(tbsBytes, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        }

        return crl.Encode();
    }

    /// <summary>
    /// The revokedCertificates SEQUENCE, entries encoded one by one and concatenated (one AsnWriter holding a
    /// million nested sequences is quadratic).
    /// </summary>
    private static byte[] RevokedCertificates()
    {
        using var content = new MemoryStream();
        var entry = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        for (var i = 0; i < Entries; i++)
        {
            entry.Reset();
            using (entry.PushSequence())
            {
                entry.WriteIntegerUnsigned(Serial(i));
                entry.WriteUtcTime(Now.AddDays(-(i % 365)));
                using (entry.PushSequence())
                using (entry.PushSequence())
                {
                    entry.WriteObjectIdentifier("2.5.29.21");
                    entry.WriteOctetString([0x0A, 0x01, 0x03]);
                }
            }

            content.Write(entry.Encode());
        }

        var length = checked((int)content.Length);
        var header = new List<byte> { 0x30 };
        var lengthBytes = new List<byte>();
        for (var l = length; l > 0; l >>= 8)
        {
            lengthBytes.Insert(0, (byte)(l & 0xFF));
        }

        header.Add((byte)(0x80 | lengthBytes.Count));
        header.AddRange(lengthBytes);
        return [.. header, .. content.ToArray()];
    }

    /// <summary>Serial numbers shaped like real ones: 8 bytes, positive, no leading zero byte.</summary>
    private static byte[] Serial(int i)
    {
        var bytes = new byte[8];
        bytes[0] = 0x5A;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), i);
        return bytes;
    }
}
