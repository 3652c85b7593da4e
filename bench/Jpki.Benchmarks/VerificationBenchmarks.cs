using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using Jpki.Verification;
using Jpki.Verification.Cms;
using Jpki.Verification.Revocation;
using Jpki.Verification.Trust;

namespace Jpki.Benchmarks;

/// <summary>
/// A relying party's hot path: CMS verification (signature, signed attributes, ESS, path to the root, JPKI profile,
/// revocation from a cached CRL). Baseline: one raw RSA-2048 PKCS#1 verification.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 8)]
public class VerificationBenchmarks
{
    private const int ParallelBatch = 2000;
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 3, 0, 0, TimeSpan.Zero);

    private RSA _subjectKey = null!;
    private JpkiVerifier _verifier = null!;
    private byte[] _document = null!;
    private byte[] _signature = null!;
    private byte[] _hash = null!;
    private byte[] _rawSignature = null!;

    [GlobalSetup]
    public void Setup()
    {
        using var caKey = RSA.Create(2048);
        _subjectKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("C=JP, O=JPKI-BENCH, OU=JPKI for digital signature", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var ca = caRequest.CreateSelfSigned(Now.AddYears(-1), Now.AddYears(9));

        var request = new CertificateRequest("C=JP, L=Tokyo-to, CN=BENCH", _subjectKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, true));
        request.CertificateExtensions.Add(new X509Extension("2.5.29.32", Policy("1.2.392.200149.8.5.1.1.20"), true));
        request.CertificateExtensions.Add(new X509Extension("2.5.29.17", BasicFour(), false));
        var leaf = request.Create(ca, Now.AddDays(-1), Now.AddYears(4), [0x42, 0x01]);

        var crl = new CertificateRevocationListBuilder();
        for (var i = 1; i <= 1000; i++)
        {
            var serial = new byte[8];
            serial[0] = 0x5A;
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(serial.AsSpan(4), i);
            crl.AddEntry(serial, Now.AddDays(-2), X509RevocationReason.KeyCompromise);
        }

        var crls = new CrlRevocationSource().Add(crl.Build(ca, BigInteger.One, Now.AddDays(7), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, Now.AddDays(-1)));
        var trust = new TrustStoreBuilder().AddRoot(X509CertificateLoader.LoadCertificate(ca.RawData)).Build();
        _verifier = new JpkiVerifier(trust, [crls], TimeProvider.System);
        _document = RandomNumberGenerator.GetBytes(1024);
        _signature = CmsSignatureBuilder.Sign(_document, X509CertificateLoader.LoadCertificate(leaf.RawData), _subjectKey, detached: true, Now);
        _hash = SHA256.HashData(_document);
        _rawSignature = _subjectKey.SignHash(_hash, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        if (!VerifyCms())
        {
            throw new InvalidOperationException("The benchmark signature does not verify.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _subjectKey.Dispose();

    [Benchmark(Baseline = true, Description = "raw RSA-2048 PKCS#1 verify")]
    public bool RawRsaVerify() => _subjectKey.VerifyHash(_hash, _rawSignature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    [Benchmark(Description = "CMS detached verify: signature + attributes + path + cached CRL")]
    public bool VerifyCms() => _verifier.VerifyDetachedAsync(_signature, _document, Now).GetAwaiter().GetResult().IsValid;

    [Benchmark(OperationsPerInvoke = ParallelBatch, Description = "CMS detached verify, all cores")]
    public int VerifyCmsParallel()
    {
        var valid = 0;
        Parallel.For(0, ParallelBatch, _ =>
        {
            if (VerifyCms())
            {
                Interlocked.Increment(ref valid);
            }
        });
        return valid;
    }

    internal static byte[] Policy(string oid)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
        }

        return writer.Encode();
    }

    private static byte[] BasicFour()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var (oid, value) in new[] { ("1.2.392.200149.8.5.5.1", "公的　太郎"), ("1.2.392.200149.8.5.5.4", "319800217"), ("1.2.392.200149.8.5.5.3", "1"), ("1.2.392.200149.8.5.5.5", "東京都千代田区") })
            {
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true)))
                {
                    writer.WriteObjectIdentifier(oid);
                    using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true)))
                    {
                        writer.WriteCharacterString(UniversalTagNumber.UTF8String, value);
                    }
                }
            }
        }

        return writer.Encode();
    }
}
