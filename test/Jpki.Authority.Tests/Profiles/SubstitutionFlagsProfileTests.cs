using System.Text.RegularExpressions;
using Jpki.Authority.Profiles;
using Jpki.Authority.Tests.Support;
using Jpki.Core.Charset;
using Jpki.Core.Identity;

namespace Jpki.Authority.Tests.Profiles;

/// <summary>
/// A signature certificate of a holder whose registered name and address use 旧字/異体字 outside JIS X 0208/0212:
/// the otherNames carry the register's substitutes (代替文字) and one flag digit per character (…5.5.2, …5.5.6),
/// as openssl reads them from the DER (issue 12, item 7).
/// </summary>
[Trait("Category", "Security")]
public sealed partial class SubstitutionFlagsProfileTests
{
    [Fact]
    public void OpenSsl_KyujitaiNameAndAddress_CarriesSubstitutesAndTheirFlags()
    {
        var name = JpkiCharset.Map("德永　姬子");
        var address = JpkiCharset.Map("北海道虻田郡俱知安町北１条東１丁目");
        var subject = Fixtures.Taro with
        {
            Name = name.Text,
            NameSubstitutionFlags = name.Flags,
            Address = address.Text,
            AddressSubstitutionFlags = address.Flags,
        };
        using var ca = TestKeys.Ca(CertificateKind.Signature);
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("ee.der"), EndEntityProfileTests.BuildSign(ca, subject));

        var (exit, dump, error) = OpenSsl.Run("asn1parse", "-inform", "DER", "-in", dir.File("ee.der"));
        Assert.True(exit == 0, error);
        var san = SubjectAltNameOffset().Match(dump);
        Assert.True(san.Success, "no subjectAltName in\n" + dump);
        (exit, var altNames, error) = OpenSsl.Run("asn1parse", "-inform", "DER", "-in", dir.File("ee.der"), "-strparse", san.Groups[1].Value);
        Assert.True(exit == 0, error);

        var strings = Utf8Strings().Matches(altNames).Select(m => m.Groups[1].Value.TrimEnd()).ToList();
        Assert.Contains("徳永　姫子", strings);
        Assert.Contains("10010", strings);
        Assert.Contains("北海道虻田郡倶知安町北１条東１丁目", strings);
        Assert.Contains("00000010000000000", strings); // 17 characters, 俱 the seventh
        Assert.DoesNotContain(strings, s => s.Contains('德', StringComparison.Ordinal) || s.Contains('姬', StringComparison.Ordinal) || s.Contains('俱', StringComparison.Ordinal));
    }

    // "  527:d=4  hl=2 l=   3 prim: OBJECT :X509v3 Subject Alternative Name" followed by the OCTET STRING line.
    [GeneratedRegex(@"X509v3 Subject Alternative Name\s*\n\s*(\d+):d=\d+\s+hl=\d+\s+l=\s*\d+\s+prim:\s+OCTET STRING")]
    private static partial Regex SubjectAltNameOffset();

    [GeneratedRegex(@"prim:\s+UTF8STRING\s+:(.*)")]
    private static partial Regex Utf8Strings();
}
