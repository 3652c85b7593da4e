using Jpki.Core.Identity;
using Jpki.Verification.Certificates;
using Jpki.Verification.Tests.Support;

namespace Jpki.Verification.Tests.Certificates;

public class BasicFourInfoDecoderTests
{
    [Fact]
    public void Decode_SignCertificate_ReturnsAllFields()
    {
        var info = BasicFourInfoDecoder.Decode(TestPki.Issue());

        Assert.NotNull(info);
        Assert.Equal("公的　太郎", info!.Name);
        Assert.Equal(new DateOnly(1980, 2, 17), info.DateOfBirth);
        Assert.Equal(Sex.Male, info.Sex);
        Assert.Equal(new string('0', info.Address.Length), info.AddressSubstitutions);
    }

    [Fact]
    public void Decode_AuthCertificate_ReturnsNull()
    {
        Assert.Null(BasicFourInfoDecoder.Decode(TestPki.Issue(new TestPki.Ee { Kind = CertificateKind.Authentication })));
    }

    [Theory]
    [InlineData("319800217", true)]
    [InlineData("419800217", false)]
    [InlineData("19800217", false)]
    [InlineData("019800217", true)]
    public void Decode_BirthDateEncoding_ParsesOnlyAConsistentDate(string birth, bool parsed)
    {
        // A text that is not a consistent era-coded date is reported as written, without a date (never an exception:
        // the certificate is signed, its fields are what the authority certified).
        var san = TestPki.BasicFourInfoSan(TestPki.Holder, [(JpkiOids.Name, "公的　太郎"), (JpkiOids.DateOfBirth, birth), (JpkiOids.Sex, "1"), (JpkiOids.Address, "東京都")]);
        var info = BasicFourInfoDecoder.Decode(WithSan(san))!;

        Assert.Equal(birth, info.DateOfBirthText);
        Assert.Equal(parsed ? new DateOnly(1980, 2, 17) : null, info.DateOfBirth);
    }

    [Fact]
    public void Decode_DuplicateEntry_Throws()
    {
        var san = TestPki.BasicFourInfoSan(TestPki.Holder, [(JpkiOids.Name, "A"), (JpkiOids.Name, "B"), (JpkiOids.DateOfBirth, "319800217"), (JpkiOids.Sex, "1"), (JpkiOids.Address, "X")]);

        Assert.Throws<JpkiCertificateFormatException>(() => BasicFourInfoDecoder.Decode(WithSan(san)));
    }

    [Fact]
    public void Decode_UnknownSexCode_ReportedAsWritten()
    {
        var san = TestPki.BasicFourInfoSan(TestPki.Holder, [(JpkiOids.Name, "A"), (JpkiOids.DateOfBirth, "319800217"), (JpkiOids.Sex, "3"), (JpkiOids.Address, "X")]);
        var info = BasicFourInfoDecoder.Decode(WithSan(san))!;

        Assert.Equal("3", info.SexCode);
        Assert.Null(info.Sex);
        Assert.Null(info.ToBasicFourInfo());
    }

    private static System.Security.Cryptography.X509Certificates.X509Certificate2 WithSan(System.Security.Cryptography.X509Certificates.X509Extension san)
    {
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=x", TestPki.SubjectKey, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(san);
        return request.CreateSelfSigned(TestPki.Now.AddDays(-1), TestPki.Now.AddDays(1));
    }
}
