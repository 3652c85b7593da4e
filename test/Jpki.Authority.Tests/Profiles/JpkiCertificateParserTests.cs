using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Jpki.Authority.Profiles;
using Jpki.Authority.Tests.Support;
using Jpki.Core.Identity;

namespace Jpki.Authority.Tests.Profiles;

public sealed class JpkiCertificateParserTests : IDisposable
{
    private readonly Jpki.Authority.Ca.IssuingCa _ca = TestKeys.Ca(CertificateKind.Signature);

    public void Dispose() => _ca.Dispose();

    [Property(Arbitrary = [typeof(SubjectGenerators)], MaxTest = 60)]
    public bool Parse_BuiltSignCertificate_ReturnsSameSubject(SignatureSubject subject)
    {
        var parsed = JpkiCertificateParser.Parse(EndEntityProfileTests.BuildSign(_ca, subject));
        return parsed.Kind == CertificateKind.Signature && parsed.CommonName == "TESTCN00000001" && parsed.Signature == subject;
    }

    [Fact]
    public void Parse_Fixture_ReturnsBasicFourInfo()
    {
        var parsed = JpkiCertificateParser.Parse(EndEntityProfileTests.BuildSign(_ca, Fixtures.Taro));
        Assert.Equal(Fixtures.Taro.ToBasicFourInfo(), parsed.Signature!.ToBasicFourInfo());
        Assert.Equal("4A0102030405060708090A0B0C0D0E0F", parsed.SerialHex);
    }

    [Fact]
    public void Parse_CaCertificate_ThrowsProfileException()
        => Assert.Throws<JpkiProfileException>(() => JpkiCertificateParser.Parse(_ca.CertificateDer));

    [Fact]
    public void Parse_Garbage_ThrowsProfileException()
        => Assert.Throws<JpkiProfileException>(() => JpkiCertificateParser.Parse([0x30, 0x03, 0x02, 0x01, 0x01]));

    public static class SubjectGenerators
    {
        private static readonly char[] Pool = "公的個人認証太郎花子山田東京都清瀬市中里丁目番地一二三四五六七八九〇０１２３４５６７８９－　アイウエオカキクケコあいうえおABCxyz-. ".ToCharArray();

        public static Arbitrary<SignatureSubject> Subjects()
        {
            var text = Gen.ArrayOf(Gen.Elements(Pool)).Select(cs => new string(cs));
            var ascii = Gen.ArrayOf(Gen.Elements("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-".ToCharArray())).Select(cs => "X" + new string(cs));
            var flags = Gen.ArrayOf(Gen.Elements('0', '1')).Select(cs => new string(cs));
            var birth = Gen.Choose(0, 55000).Select(d => new DateOnly(1870, 1, 1).AddDays(d));
            var sex = Gen.Elements(Sex.Male, Sex.Female, Sex.NotApplicable);
            var gen =
                from prefecture in ascii
                from municipality in ascii
                from name in text
                from nameFlags in flags
                from address in text
                from addressFlags in flags
                from b in birth
                from s in sex
                select new SignatureSubject(prefecture, municipality, name, nameFlags, address, addressFlags, b, s);
            return Arb.From(gen);
        }
    }
}
