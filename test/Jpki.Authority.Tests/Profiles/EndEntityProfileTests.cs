using System.Security.Cryptography.X509Certificates;
using Jpki.Authority.Profiles;
using Jpki.Authority.Tests.Support;
using Jpki.Core.Identity;

namespace Jpki.Authority.Tests.Profiles;

public sealed class EndEntityProfileTests
{
    private static readonly DateTimeOffset IssuedAt = new(2026, 11, 25, 3, 4, 5, TimeSpan.Zero);
    private static readonly DateOnly Expiry = new(2031, 2, 17);
    private static readonly byte[] Serial = Convert.FromHexString("4A0102030405060708090A0B0C0D0E0F");

    internal static byte[] BuildSign(Jpki.Authority.Ca.IssuingCa ca, SignatureSubject subject, DateTimeOffset? at = null)
        => EndEntityProfile.Build(ca, PublicKey.CreateFromSubjectPublicKeyInfo(TestKeys.SubjectSpki(), out _), "TESTCN00000001", subject, Serial, at ?? IssuedAt, Expiry, "http://127.0.0.1:8080");

    [Fact]
    public void Build_SignFixedInputs_MatchesGoldenDer()
    {
        using var ca = TestKeys.Ca(CertificateKind.Signature);
        Golden.AssertMatches("sign-ee.der", BuildSign(ca, Fixtures.Taro));
    }

    [Fact]
    public void Build_AuthFixedInputs_MatchesGoldenDer()
    {
        using var ca = TestKeys.Ca(CertificateKind.Authentication);
        var der = EndEntityProfile.Build(ca, PublicKey.CreateFromSubjectPublicKeyInfo(TestKeys.SubjectSpki(), out _), "TESTCN00000002", null, Serial, IssuedAt, Expiry, "http://127.0.0.1:8080");
        Golden.AssertMatches("auth-ee.der", der);
    }

    [Fact]
    public void Build_Validity_NotBeforeIssuanceNotAfterEndOfExpiryDayJst()
    {
        using var ca = TestKeys.Ca(CertificateKind.Signature);
        var parsed = JpkiCertificateParser.Parse(BuildSign(ca, Fixtures.Taro));
        Assert.Equal(IssuedAt, parsed.NotBefore);
        Assert.Equal(new DateTimeOffset(2031, 2, 17, 14, 59, 59, TimeSpan.Zero), parsed.NotAfter);
    }

    [Fact]
    public void OpenSsl_SignCertificate_ShowsProfileAndVerifies()
    {
        using var ca = TestKeys.Ca(CertificateKind.Signature);
        using var dir = new TempDir();
        File.WriteAllText(dir.File("ca.pem"), OpenSsl.Pem("CERTIFICATE", ca.CertificateDer));
        File.WriteAllText(dir.File("ee.pem"), OpenSsl.Pem("CERTIFICATE", BuildSign(ca, Fixtures.Taro)));
        var (exit, text, error) = OpenSsl.Run("x509", "-in", dir.File("ee.pem"), "-text", "-noout", "-nameopt", "utf8,sep_comma_plus_space");
        Assert.True(exit == 0, error);
        Assert.Contains("Subject: C=JP, L=Tokyo-to, L=Kiyose-shi, CN=TESTCN00000001", text, StringComparison.Ordinal);
        Assert.Contains("X509v3 Key Usage: critical", text, StringComparison.Ordinal);
        Assert.Contains("Digital Signature, Non Repudiation", text, StringComparison.Ordinal);
        Assert.Contains("X509v3 Certificate Policies: critical", text, StringComparison.Ordinal);
        Assert.Contains("Policy: 1.2.392.200149.8.5.1.1.20", text, StringComparison.Ordinal);
        Assert.Contains("CPS: http://www.jpki.go.jp/cps.html", text, StringComparison.Ordinal);
        foreach (var arc in new[] { "1", "2", "3", "4", "5", "6" })
        {
            Assert.Contains("1.2.392.200149.8.5.5." + arc, text, StringComparison.Ordinal);
        }

        Assert.Contains("X509v3 Issuer Alternative Name", text, StringComparison.Ordinal);
        Assert.Contains("URI:http://127.0.0.1:8080/crl/sign.crl", text, StringComparison.Ordinal);
        Assert.Contains("OCSP - URI:http://127.0.0.1:8080/ocsp", text, StringComparison.Ordinal);
        Assert.Contains("X509v3 Authority Key Identifier", text, StringComparison.Ordinal);

        var (verifyExit, verifyOut, verifyErr) = OpenSsl.Run("verify", "-CAfile", dir.File("ca.pem"), "-attime", "1800000000", dir.File("ee.pem"));
        Assert.True(verifyExit == 0, verifyOut + verifyErr);
        Assert.Contains("OK", verifyOut, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenSsl_AuthCertificate_ShowsProfileAndVerifies()
    {
        using var ca = TestKeys.Ca(CertificateKind.Authentication);
        using var dir = new TempDir();
        var der = EndEntityProfile.Build(ca, PublicKey.CreateFromSubjectPublicKeyInfo(TestKeys.SubjectSpki(), out _), "TESTCN00000002", null, Serial, IssuedAt, Expiry, "http://127.0.0.1:8080");
        File.WriteAllText(dir.File("ca.pem"), OpenSsl.Pem("CERTIFICATE", ca.CertificateDer));
        File.WriteAllText(dir.File("ee.pem"), OpenSsl.Pem("CERTIFICATE", der));
        var (exit, text, error) = OpenSsl.Run("x509", "-in", dir.File("ee.pem"), "-text", "-noout", "-nameopt", "utf8,sep_comma_plus_space");
        Assert.True(exit == 0, error);
        Assert.Contains("Subject: C=JP, CN=TESTCN00000002", text, StringComparison.Ordinal);
        Assert.Contains("Policy: 1.2.392.200149.8.5.1.3.30", text, StringComparison.Ordinal);
        Assert.DoesNotContain("1.2.392.200149.8.5.5.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Non Repudiation", text, StringComparison.Ordinal);
        Assert.Contains("URI:http://127.0.0.1:8080/crl/auth.crl", text, StringComparison.Ordinal);
        var (verifyExit, verifyOut, verifyErr) = OpenSsl.Run("verify", "-CAfile", dir.File("ca.pem"), "-attime", "1800000000", dir.File("ee.pem"));
        Assert.True(verifyExit == 0, verifyOut + verifyErr);
    }
}
