using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Jpki.Core.Identity;
using Jpki.Core.Time;
using Jpki.Verification.Cms;
using Jpki.Verification.Revocation;
using Jpki.Verification.Tests.Support;

namespace Jpki.Verification.Tests.Cms;

public class CmsVerificationTests
{
    private static readonly byte[] Document = Encoding.UTF8.GetBytes("住民票の写しの交付請求書\n");

    private static byte[] Sign(X509Certificate2 certificate, bool detached = true, byte[]? content = null, RSA? key = null)
        => CmsSignatureBuilder.Sign(content ?? Document, certificate, key ?? TestPki.SubjectKey, detached, TestPki.Now.AddHours(-1));

    [Fact]
    public async Task VerifyCmsAsync_DetachedValid_ReturnsValidWithBasicFourInfo()
    {
        var certificate = TestPki.Issue();
        var result = await Verifiers.Create().VerifyCmsAsync(Sign(certificate), Document);

        Assert.Equal(VerdictCode.Valid, result.Verdict.Code);
        Assert.Equal("valid", result.Verdict.MachineCode);
        Assert.NotNull(result.BasicFourInfo);
        Assert.Equal(TestPki.Holder, result.BasicFourInfo!.ToBasicFourInfo());
        Assert.Equal(Era.Showa, result.BasicFourInfo.BirthEra);
        Assert.Equal("0000", result.BasicFourInfo.NameSubstitutions[..4]);
        Assert.Equal(TestPki.Now.AddHours(-1), result.SigningTime);
        Assert.Same(TestPki.SignCa, result.Path!.Issuer);
    }

    [Fact]
    public async Task VerifyCmsAsync_AttachedValid_ReturnsValidAndContent()
    {
        var certificate = TestPki.Issue();
        var result = await Verifiers.Create().VerifyCmsAsync(Sign(certificate, detached: false), null);

        Assert.Equal(VerdictCode.Valid, result.Verdict.Code);
        Assert.Equal(Document, result.Content!.Value.ToArray());
    }

    [Fact]
    public async Task VerifyCmsAsync_TamperedDetachedContent_ReturnsContentTampered()
    {
        var signature = Sign(TestPki.Issue());
        var tampered = (byte[])Document.Clone();
        tampered[0] ^= 1;

        var result = await Verifiers.Create().VerifyCmsAsync(signature, tampered);

        Assert.Equal(VerdictCode.ContentTampered, result.Verdict.Code);
    }

    [Fact]
    public async Task VerifyCmsAsync_TamperedAttachedContent_ReturnsContentTampered()
    {
        var content = Encoding.ASCII.GetBytes("PAY 100 YEN TO THE CITY OFFICE");
        var signature = Sign(TestPki.Issue(), detached: false, content: content);
        var at = signature.AsSpan().IndexOf(Encoding.ASCII.GetBytes("100"));
        signature[at] = (byte)'9';

        var result = await Verifiers.Create().VerifyCmsAsync(signature, null);

        Assert.Equal(VerdictCode.ContentTampered, result.Verdict.Code);
    }

    [Fact]
    public async Task VerifyCmsAsync_FlippedSignatureBit_ReturnsBadSignature()
    {
        var signature = Sign(TestPki.Issue());
        var cms = new SignedCms(new ContentInfo(Document), detached: true);
        cms.Decode(signature);
        var value = cms.SignerInfos[0].GetSignature();
        var at = signature.AsSpan().IndexOf(value);
        signature[at + 10] ^= 0x01;

        var result = await Verifiers.Create().VerifyCmsAsync(signature, Document);

        Assert.Equal(VerdictCode.BadSignature, result.Verdict.Code);
    }

    [Fact]
    public async Task VerifyCmsAsync_EssNamesAnotherCertificate_ReturnsBadSignature()
    {
        var certificate = TestPki.Issue();
        var other = TestPki.Issue(new TestPki.Ee { Serial = 0x2002 });
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, certificate, TestPki.SubjectKey) { DigestAlgorithm = new Oid("2.16.840.1.101.3.4.2.1") };
        signer.SignedAttributes.Add(new AsnEncodedData("1.2.840.113549.1.9.16.2.47", EssSigningCertificate.EncodeV2(other)));
        var cms = new SignedCms(new ContentInfo(Document), detached: true);
        cms.ComputeSignature(signer, silent: true);

        var result = await Verifiers.Create().VerifyCmsAsync(cms.Encode(), Document);

        Assert.Equal(VerdictCode.BadSignature, result.Verdict.Code);
        Assert.Contains("ESS", result.Verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyCmsAsync_NoEssWhenRequired_ReturnsBadSignature()
    {
        var certificate = TestPki.Issue();
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, certificate, TestPki.SubjectKey) { DigestAlgorithm = new Oid("2.16.840.1.101.3.4.2.1") };
        signer.SignedAttributes.Add(new Pkcs9SigningTime(TestPki.Now.UtcDateTime));
        var cms = new SignedCms(new ContentInfo(Document), detached: true);
        cms.ComputeSignature(signer, silent: true);

        var lenient = await Verifiers.Create().VerifyCmsAsync(cms.Encode(), Document);
        var strict = await Verifiers.Create(options: new VerifierOptions { RequireSigningCertificateV2 = true }).VerifyCmsAsync(cms.Encode(), Document);

        Assert.Equal(VerdictCode.Valid, lenient.Verdict.Code);
        Assert.Equal(VerdictCode.BadSignature, strict.Verdict.Code);
    }

    [Fact]
    public async Task VerifyCmsAsync_AfterExpiry_ReturnsExpired()
    {
        var certificate = TestPki.Issue(new TestPki.Ee { NotAfter = TestPki.Now.AddDays(-1) });
        var result = await Verifiers.Create().VerifyCmsAsync(Sign(certificate), Document);

        Assert.Equal(VerdictCode.Expired, result.Verdict.Code);
    }

    [Fact]
    public async Task VerifyCmsAsync_BeforeNotBefore_ReturnsNotYetValid()
    {
        var certificate = TestPki.Issue(new TestPki.Ee { NotBefore = TestPki.Now.AddDays(1) });
        var result = await Verifiers.Create().VerifyCmsAsync(Sign(certificate), Document);

        Assert.Equal(VerdictCode.NotYetValid, result.Verdict.Code);
    }

    [Fact]
    public async Task VerifyCmsAsync_SignedBeforeRevocationCheckedAfter_ReturnsRevokedWithTime()
    {
        var certificate = TestPki.Issue();
        var signature = CmsSignatureBuilder.Sign(Document, certificate, TestPki.SubjectKey, detached: true, TestPki.Now.AddDays(-3));
        var revokedAt = TestPki.Now.AddDays(-2);
        var crls = Verifiers.FreshCrls((certificate, revokedAt, X509RevocationReason.AffiliationChanged));

        var result = await Verifiers.Create(crls).VerifyCmsAsync(signature, Document);

        Assert.Equal(VerdictCode.Revoked, result.Verdict.Code);
        Assert.Equal(revokedAt, result.Verdict.RevokedAt);
        Assert.Equal(RevocationReason.AffiliationChanged, result.Verdict.RevocationReason);
        Assert.Equal(TestPki.Now.AddDays(-3), result.SigningTime);
    }

    [Fact]
    public async Task VerifyCmsAsync_AtTimeBeforeRevocation_ReturnsValid()
    {
        var certificate = TestPki.Issue();
        var crls = Verifiers.FreshCrls((certificate, TestPki.Now.AddDays(-2), X509RevocationReason.KeyCompromise));

        var result = await Verifiers.Create(crls).VerifyCmsAsync(Sign(certificate), Document, at: TestPki.Now.AddDays(-2.5));

        Assert.Equal(VerdictCode.Valid, result.Verdict.Code);
    }

    [Fact]
    public async Task VerifyCmsAsync_UntrustedRootWithSameName_ReturnsUntrusted()
    {
        var certificate = TestPki.Issue(new TestPki.Ee { Issuer = TestPki.RogueCa, IssuerKey = TestPki.RogueKey });
        var result = await Verifiers.Create().VerifyCmsAsync(Sign(certificate), Document);

        Assert.Equal(VerdictCode.Untrusted, result.Verdict.Code);
    }

    [Fact]
    public async Task VerifyCmsAsync_SecondGenerationCa_ChoosesIssuerBySignature()
    {
        var certificate = TestPki.Issue(new TestPki.Ee { Issuer = TestPki.SignCa2, IssuerKey = TestPki.SignCa2Key });
        var result = await Verifiers.Create().VerifyCmsAsync(Sign(certificate), Document);

        Assert.Equal(VerdictCode.Valid, result.Verdict.Code);
        Assert.Same(TestPki.SignCa2, result.Path!.Issuer);
    }

    [Fact]
    public async Task VerifyCmsAsync_SignedWithAuthCertificate_ReturnsWrongKind()
    {
        var certificate = TestPki.Issue(new TestPki.Ee { Kind = CertificateKind.Authentication });
        var result = await Verifiers.Create().VerifyCmsAsync(Sign(certificate), Document);

        Assert.Equal(VerdictCode.WrongKind, result.Verdict.Code);
    }

    [Fact]
    public async Task VerifyCmsAsync_TestPolicy_WrongKindUnlessAllowed()
    {
        var certificate = TestPki.Issue(new TestPki.Ee { PolicyOverride = Jpki.Verification.Certificates.JpkiOids.TestSignPolicy });

        var production = await Verifiers.Create().VerifyCmsAsync(Sign(certificate), Document);
        var testEnvironment = await Verifiers.Create(options: new VerifierOptions { Path = new() { AllowTestPolicy = true } }).VerifyCmsAsync(Sign(certificate), Document);

        Assert.Equal(VerdictCode.WrongKind, production.Verdict.Code);
        Assert.Equal(VerdictCode.Valid, testEnvironment.Verdict.Code);
    }

    [Fact]
    public async Task VerifyCmsAsync_SignCertWithoutSigningKeyUsage_ReturnsWrongKind()
    {
        var certificate = TestPki.Issue(new TestPki.Ee { KeyUsage = X509KeyUsageFlags.KeyEncipherment });
        var result = await Verifiers.Create().VerifyCmsAsync(Sign(certificate), Document);

        Assert.Equal(VerdictCode.WrongKind, result.Verdict.Code);
    }

    [Fact]
    public async Task VerifyCmsAsync_NoRevocationSource_FailsClosed()
    {
        var verifier = new JpkiVerifier(Verifiers.Trust(), [], new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TestPki.Now));
        var result = await verifier.VerifyCmsAsync(Sign(TestPki.Issue()), Document);

        Assert.Equal(VerdictCode.NoRevocationData, result.Verdict.Code);
    }

    [Fact]
    public async Task VerifyCmsAsync_NoRevocationSourceWithExplicitOptOut_ReturnsValid()
    {
        var verifier = new JpkiVerifier(Verifiers.Trust(), [], new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TestPki.Now), new VerifierOptions { UnsafeSkipRevocationCheck = true });
        var result = await verifier.VerifyCmsAsync(Sign(TestPki.Issue()), Document);

        Assert.Equal(VerdictCode.Valid, result.Verdict.Code);
    }

    [Fact]
    public async Task VerifyCmsAsync_OptOutStillHonoursRevokedAnswer()
    {
        var certificate = TestPki.Issue();
        var crls = Verifiers.FreshCrls((certificate, TestPki.Now.AddDays(-1), X509RevocationReason.KeyCompromise));
        var result = await Verifiers.Create(crls, new VerifierOptions { UnsafeSkipRevocationCheck = true }).VerifyCmsAsync(Sign(certificate), Document);

        Assert.Equal(VerdictCode.Revoked, result.Verdict.Code);
    }

    [Fact]
    public async Task VerifyCmsAsync_StaleCrl_ReturnsNoRevocationData()
    {
        var crls = new CrlRevocationSource().Add(TestPki.Crl(TestPki.SignCa, TestPki.SignCaKey, TestPki.Now.AddDays(-10), TestPki.Now.AddDays(-3)));
        var result = await Verifiers.Create(crls).VerifyCmsAsync(Sign(TestPki.Issue()), Document);

        Assert.Equal(VerdictCode.NoRevocationData, result.Verdict.Code);
        Assert.Contains("stale", result.Verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyCmsAsync_CrlSignedByWrongKey_ReturnsNoRevocationData()
    {
        var crls = new CrlRevocationSource().Add(TestPki.Crl(TestPki.SignCa, TestPki.RogueKey, TestPki.Now.AddDays(-1), TestPki.Now.AddDays(6)));
        var result = await Verifiers.Create(crls).VerifyCmsAsync(Sign(TestPki.Issue()), Document);

        Assert.Equal(VerdictCode.NoRevocationData, result.Verdict.Code);
        Assert.Contains("not signed", result.Verdict.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0x30, 0x03, 0x02, 0x01, 0x00 })]
    [InlineData(new byte[] { 0x04, 0x02, 0xFF, 0xFF })]
    public async Task VerifyCmsAsync_Garbage_ReturnsMalformed(byte[] garbage)
    {
        var result = await Verifiers.Create().VerifyCmsAsync(garbage, Document);

        Assert.Equal(VerdictCode.Malformed, result.Verdict.Code);
    }

    [Fact]
    public async Task VerifyCmsAsync_DetachedWithoutContent_ReturnsMalformed()
    {
        var result = await Verifiers.Create().VerifyCmsAsync(Sign(TestPki.Issue()), null);

        Assert.Equal(VerdictCode.Malformed, result.Verdict.Code);
    }
}
