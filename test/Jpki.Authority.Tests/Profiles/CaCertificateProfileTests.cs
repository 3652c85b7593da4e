using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using Jpki.Authority.Profiles;
using Jpki.Authority.Tests.Support;
using Jpki.Core.Identity;

namespace Jpki.Authority.Tests.Profiles;

public sealed class CaCertificateProfileTests
{
    [Theory]
    [InlineData(CertificateKind.Signature, "sign-ca.der")]
    [InlineData(CertificateKind.Authentication, "auth-ca.der")]
    public void Build_FixedKeyAndClock_MatchesGoldenDer(CertificateKind kind, string golden)
    {
        using var ca = TestKeys.Ca(kind);
        Golden.AssertMatches(golden, ca.CertificateDer);
    }

    [Fact]
    public void Build_SignCa_EncodesDnLikeJlis()
    {
        using var ca = TestKeys.Ca(CertificateKind.Signature);
        var reader = new AsnReader(ca.Name.RawData, AsnEncodingRules.DER).ReadSequence();
        var tags = new List<(string, UniversalTagNumber, string)>();
        while (reader.HasData)
        {
            var attribute = reader.ReadSetOf().ReadSequence();
            var oid = attribute.ReadObjectIdentifier();
            var tag = (UniversalTagNumber)attribute.PeekTag().TagValue;
            tags.Add((oid, tag, attribute.ReadCharacterString(tag)));
        }

        Assert.Equal(
            [
                ("2.5.4.6", UniversalTagNumber.PrintableString, "JP"),
                ("2.5.4.10", UniversalTagNumber.UTF8String, "JPKI"),
                ("2.5.4.11", UniversalTagNumber.UTF8String, "JPKI for digital signature"),
                ("2.5.4.11", UniversalTagNumber.UTF8String, "Japan Agency for Local Authority Information Systems"),
            ],
            tags);
    }

    [Fact]
    public void Build_SignCa_ExtensionsInJlisOrderWithCriticality()
    {
        using var ca = TestKeys.Ca(CertificateKind.Signature);
        var extensions = ca.Certificate.Extensions.Select(e => (e.Oid!.Value, e.Critical)).ToList();
        Assert.Equal(
            [("2.5.29.15", true), ("2.5.29.17", false), ("2.5.29.19", true), ("2.5.29.31", false), ("2.5.29.14", false)],
            extensions);
        Assert.Equal("03020106", Convert.ToHexString(ca.Certificate.Extensions["2.5.29.15"]!.RawData));
        Assert.Equal("30030101FF", Convert.ToHexString(ca.Certificate.Extensions["2.5.29.19"]!.RawData));
    }

    [Fact]
    public void Build_SignCa_ExtensionValuesEqualThePublishedJlisRoot()
    {
        // signca03 as published by J-LIS (public certificate, via jpki/myna src/ta): same names, so the
        // subjectAltName, cRLDistributionPoints, keyUsage and basicConstraints values must be byte-identical.
        using var jlis = X509CertificateLoader.LoadCertificate(System.Security.Cryptography.PemEncoding.Find(File.ReadAllText(TestKeys.DataPath("jlis-signca03.pem"))) is var f
            ? Convert.FromBase64String(File.ReadAllText(TestKeys.DataPath("jlis-signca03.pem"))[f.Base64Data])
            : []);
        using var ca = TestKeys.Ca(CertificateKind.Signature);
        Assert.Equal(jlis.SubjectName.RawData, ca.Name.RawData);
        foreach (var oid in new[] { "2.5.29.15", "2.5.29.17", "2.5.29.19", "2.5.29.31" })
        {
            Assert.Equal(Convert.ToHexString(jlis.Extensions[oid]!.RawData), Convert.ToHexString(ca.Certificate.Extensions[oid]!.RawData));
        }

        Assert.Equal(jlis.Extensions.Select(e => e.Oid!.Value), ca.Certificate.Extensions.Select(e => e.Oid!.Value));
    }

    [Fact]
    public void Build_Validity_TenYearsEndingAt235959Jst()
    {
        using var ca = TestKeys.Ca(CertificateKind.Authentication);
        Assert.Equal(new DateTime(2026, 4, 1, 0, 30, 15, DateTimeKind.Utc), ca.Certificate.NotBefore.ToUniversalTime());
        Assert.Equal(new DateTime(2036, 3, 31, 14, 59, 59, DateTimeKind.Utc), ca.Certificate.NotAfter.ToUniversalTime());
    }

    [Fact]
    public void Build_TestNames_UseJpkiTestOrganization()
    {
        using var ca = TestKeys.Ca(CertificateKind.Signature, CaNames.Test(CertificateKind.Signature));
        Assert.Contains("O=JPKI-TEST", ca.Name.Decode(X500DistinguishedNameFlags.None), StringComparison.Ordinal);
    }

    [Fact]
    public void OpenSslText_SignCa_ShowsProfile()
    {
        using var ca = TestKeys.Ca(CertificateKind.Signature);
        using var dir = new TempDir();
        File.WriteAllText(dir.File("ca.pem"), OpenSsl.Pem("CERTIFICATE", ca.CertificateDer));
        var (exit, text, error) = OpenSsl.Run("x509", "-in", dir.File("ca.pem"), "-text", "-noout", "-nameopt", "utf8,sep_comma_plus_space");
        Assert.True(exit == 0, error);
        Assert.Contains("X509v3 Key Usage: critical", text, StringComparison.Ordinal);
        Assert.Contains("Certificate Sign, CRL Sign", text, StringComparison.Ordinal);
        Assert.Contains("X509v3 Basic Constraints: critical", text, StringComparison.Ordinal);
        Assert.Contains("CA:TRUE", text, StringComparison.Ordinal);
        Assert.Contains("DirName:/C=JP/O=", text, StringComparison.Ordinal);
        Assert.Contains("X509v3 CRL Distribution Points", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Authority Key Identifier", text, StringComparison.Ordinal);
        Assert.Contains("Not After : Mar 31 14:59:59 2036 GMT", text, StringComparison.Ordinal);
        var (verifyExit, verifyOut, verifyErr) = OpenSsl.Run("verify", "-CAfile", dir.File("ca.pem"), "-check_ss_sig", dir.File("ca.pem"));
        Assert.True(verifyExit == 0, verifyOut + verifyErr);
    }
}
