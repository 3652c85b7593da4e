using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Jpki.Verification.Certificates;
using Jpki.Verification.Cms;
using Jpki.Verification.Revocation;
using Jpki.Verification.Tests.Support;

namespace Jpki.Verification.Tests.Cms;

/// <summary>
/// The AsnReader fast path and the caches behind it: it must accept exactly what the SignedCms path accepts for the
/// JPKI shape, hand every other case to that path, and never let a cache hide a revocation.
/// </summary>
public class CmsFastPathTests
{
    private static readonly byte[] Document = Encoding.UTF8.GetBytes("電子申請 2026-11-25\n");

    private static byte[] Sign(X509Certificate2 certificate, bool detached = true, RSA? key = null)
        => CmsSignatureBuilder.Sign(Document, certificate, key ?? TestPki.SubjectKey, detached, TestPki.Now.AddHours(-1));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TryCheck_BuilderSignature_AgreesWithSignedCmsPath(bool detached)
    {
        var certificate = TestPki.Issue();
        var signature = Sign(certificate, detached);
        var content = detached ? Document : (ReadOnlyMemory<byte>?)null;

        var fast = CmsFastPath.TryCheck(signature, content, requireSigningCertificateV2: true, new CertificateCache());
        var slow = CmsChecker.Check(signature, content, requireSigningCertificateV2: true);

        Assert.NotNull(fast);
        Assert.Null(fast!.Failure);
        Assert.Null(slow.Failure);
        Assert.Equal(slow.Signer!.RawData, fast.Signer!.RawData);
        Assert.Equal(slow.SigningTime, fast.SigningTime);
        Assert.Equal(slow.Content?.ToArray(), fast.Content?.ToArray());
        Assert.Equal(slow.Certificates.Count, fast.Certificates.Count);
    }

    [Fact]
    public void TryCheck_TamperedContent_DefersToSignedCmsPath()
    {
        var tampered = (byte[])Document.Clone();
        tampered[^2] ^= 1;

        Assert.Null(CmsFastPath.TryCheck(Sign(TestPki.Issue()), tampered, false, new CertificateCache()));
    }

    [Fact]
    public void TryCheck_FlippedSignatureBit_DefersToSignedCmsPath()
    {
        var signature = Sign(TestPki.Issue());
        var cms = new SignedCms(new ContentInfo(Document), detached: true);
        cms.Decode(signature);
        var at = signature.AsSpan().IndexOf(cms.SignerInfos[0].GetSignature());
        signature[at + 20] ^= 0x01;

        Assert.Null(CmsFastPath.TryCheck(signature, Document, false, new CertificateCache()));
    }

    [Fact]
    public void TryCheck_EmbeddedCertificateSwappedForAnotherKey_DefersToSignedCmsPath()
    {
        var certificate = TestPki.Issue(new TestPki.Ee { Serial = 0x2401 });
        var impostor = TestPki.Issue(new TestPki.Ee { Serial = 0x2401, Key = TestPki.OtherSubjectKey });
        var signature = Sign(certificate);
        var at = signature.AsSpan().IndexOf(certificate.RawData);
        Assert.Equal(certificate.RawData.Length, impostor.RawData.Length);
        impostor.RawData.CopyTo(signature, at);

        Assert.Null(CmsFastPath.TryCheck(signature, Document, false, new CertificateCache()));
    }

    [Fact]
    public void TryCheck_DetachedWithoutContent_DefersToSignedCmsPath()
        => Assert.Null(CmsFastPath.TryCheck(Sign(TestPki.Issue()), null, false, new CertificateCache()));

    [Fact]
    public void TryCheck_BerIndefiniteLength_DefersToSignedCmsPath()
    {
        // The same ContentInfo with an indefinite-length outer SEQUENCE: valid BER, not DER.
        var der = Sign(TestPki.Issue());
        Assert.Equal(new byte[] { 0x30, 0x82 }, der[..2]);
        byte[] ber = [0x30, 0x80, .. der.AsSpan(4).ToArray(), 0x00, 0x00];

        Assert.Null(CmsFastPath.TryCheck(ber, Document, false, new CertificateCache()));
        Assert.Null(CmsChecker.Check(ber, Document, false).Failure);
    }

    [Fact]
    public async Task VerifyCmsAsync_SameSignerTwice_SharesOneCertificateInstance()
    {
        var verifier = Verifiers.Create();
        var certificate = TestPki.Issue();

        var first = await verifier.VerifyCmsAsync(Sign(certificate), Document);
        var second = await verifier.VerifyCmsAsync(Sign(certificate), Document);

        Assert.True(first.IsValid);
        Assert.True(second.IsValid);
        Assert.Same(first.SignerCertificate, second.SignerCertificate);
        Assert.Same(first.BasicFourInfo, second.BasicFourInfo);
    }

    [Fact]
    public async Task VerifyCmsAsync_CallerDisposedReturnedCertificate_StillVerifies()
    {
        var verifier = Verifiers.Create();
        var signature = Sign(TestPki.Issue());
        var first = await verifier.VerifyCmsAsync(signature, Document);
        first.SignerCertificate!.Dispose();

        var second = await verifier.VerifyCmsAsync(signature, Document);

        Assert.Equal(VerdictCode.Valid, second.Verdict.Code);
        Assert.NotSame(first.SignerCertificate, second.SignerCertificate);
    }

    [Fact]
    public async Task VerifyCmsAsync_RevocationInNewerLoadedCrl_IsSeenAfterCachedValid()
    {
        var certificate = TestPki.Issue(new TestPki.Ee { Serial = 0x2201 });
        var crls = new CrlRevocationSource().Add(TestPki.Crl(TestPki.SignCa, TestPki.SignCaKey, TestPki.Now.AddDays(-1), TestPki.Now.AddDays(6)));
        var verifier = Verifiers.Create(crls);
        var signature = Sign(certificate);
        Assert.True((await verifier.VerifyCmsAsync(signature, Document)).IsValid);

        crls.Add(TestPki.Crl(TestPki.SignCa, TestPki.SignCaKey, TestPki.Now.AddMinutes(-30), TestPki.Now.AddDays(6), (certificate, TestPki.Now.AddMinutes(-40), X509RevocationReason.KeyCompromise)));
        var after = await verifier.VerifyCmsAsync(signature, Document);

        Assert.Equal(VerdictCode.Revoked, after.Verdict.Code);
        Assert.Equal(TestPki.Now.AddMinutes(-40), after.Verdict.RevokedAt);
    }

    [Fact]
    public async Task VerifyCmsAsync_RevocationInRefreshedDownloadedCrl_IsSeenAfterNextUpdate()
    {
        var certificate = TestPki.Issue(new TestPki.Ee { Serial = 0x2202, CrlUri = "http://crl.test/sign.crl" });
        var server = new CrlServer { Crl = TestPki.Crl(TestPki.SignCa, TestPki.SignCaKey, TestPki.Now.AddHours(-1), TestPki.Now.AddHours(1)) };
        using var http = new HttpClient(server);
        var verifier = Verifiers.Create(new CrlRevocationSource(http));
        var signature = Sign(certificate);

        var before = await verifier.VerifyCmsAsync(signature, Document, TestPki.Now);
        var cached = await verifier.VerifyCmsAsync(signature, Document, TestPki.Now.AddMinutes(30));
        server.Crl = TestPki.Crl(TestPki.SignCa, TestPki.SignCaKey, TestPki.Now.AddMinutes(90), TestPki.Now.AddHours(3), (certificate, TestPki.Now.AddMinutes(80), X509RevocationReason.KeyCompromise));
        var after = await verifier.VerifyCmsAsync(signature, Document, TestPki.Now.AddHours(2));

        Assert.Equal(VerdictCode.Valid, before.Verdict.Code);
        Assert.Equal(VerdictCode.Valid, cached.Verdict.Code);
        Assert.Equal(VerdictCode.Revoked, after.Verdict.Code);
        Assert.Equal(2, server.Downloads);
    }

    [Fact]
    public void CertificateCache_SameBytes_OneInstanceAndBounded()
    {
        var cache = new CertificateCache(limit: 2);
        var a = TestPki.Issue(new TestPki.Ee { Serial = 0x2301 }).RawData;
        var b = TestPki.Issue(new TestPki.Ee { Serial = 0x2302 }).RawData;
        var c = TestPki.Issue(new TestPki.Ee { Serial = 0x2303 }).RawData;

        Assert.Same(cache.Get(a), cache.Get((byte[])a.Clone()));
        _ = cache.Get(b);
        _ = cache.Get(c);

        Assert.True(cache.Count <= 2);
        Assert.Equal(c, cache.Get(c).RawData);
    }
}
