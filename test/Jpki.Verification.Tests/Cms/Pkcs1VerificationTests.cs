using System.Security.Cryptography;
using Jpki.Core.Identity;
using Jpki.Verification.Cms;
using Jpki.Verification.Tests.Support;

namespace Jpki.Verification.Tests.Cms;

public class Pkcs1VerificationTests
{
    private static readonly byte[] Challenge = RandomNumberGenerator.GetBytes(32);

    /// <summary>What the card does for <c>80 2A 00 80</c>: PKCS#1 v1.5 type-1 padding of the given DigestInfo, then RSA.</summary>
    private static byte[] CardSign(byte[] digestInfo) => TestPki.SubjectKey.SignHash(digestInfo[^32..], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    [Fact]
    public async Task VerifyDigestInfoSignatureAsync_AuthCertificate_ReturnsValid()
    {
        var certificate = TestPki.Issue(new TestPki.Ee { Kind = CertificateKind.Authentication });
        var digestInfo = DigestInfo.Sha256Of(Challenge);

        var result = await Verifiers.Create().VerifyDigestInfoSignatureAsync(digestInfo, CardSign(digestInfo), certificate, CertificateKind.Authentication);

        Assert.Equal(VerdictCode.Valid, result.Verdict.Code);
        Assert.Null(result.BasicFourInfo);
    }

    [Fact]
    public async Task VerifyPkcs1Async_SignCertificateForLogin_ReturnsWrongKind()
    {
        var certificate = TestPki.Issue();
        var signature = CardSign(DigestInfo.Sha256Of(Challenge));

        var result = await Verifiers.Create().VerifyPkcs1Async(Challenge, signature, certificate, CertificateKind.Authentication);

        Assert.Equal(VerdictCode.WrongKind, result.Verdict.Code);
    }

    [Fact]
    public async Task VerifyPkcs1Async_OtherData_ReturnsBadSignature()
    {
        var certificate = TestPki.Issue(new TestPki.Ee { Kind = CertificateKind.Authentication });
        var signature = CardSign(DigestInfo.Sha256Of(Challenge));

        var result = await Verifiers.Create().VerifyPkcs1Async(new byte[32], signature, certificate, CertificateKind.Authentication);

        Assert.Equal(VerdictCode.BadSignature, result.Verdict.Code);
    }

    [Fact]
    public async Task VerifyDigestInfoSignatureAsync_NotADigestInfo_ReturnsMalformed()
    {
        var certificate = TestPki.Issue(new TestPki.Ee { Kind = CertificateKind.Authentication });

        var result = await Verifiers.Create().VerifyDigestInfoSignatureAsync(new byte[51], new byte[256], certificate, CertificateKind.Authentication);

        Assert.Equal(VerdictCode.Malformed, result.Verdict.Code);
    }
}
