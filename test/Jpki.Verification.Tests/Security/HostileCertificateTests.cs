using System.Security.Cryptography.X509Certificates;
using System.Text;
using Jpki.Core.Time;
using Jpki.Verification.Certificates;
using Jpki.Verification.Cms;
using Jpki.Verification.Tests.Support;

namespace Jpki.Verification.Tests.Security;

/// <summary>
/// Issue 12: a certificate whose validity names month 13 is a verdict (malformed), never an exception; the basic 4 info
/// of a validly signed certificate never turns a valid signature into a refusal — sex code 3, a birth date on an era
/// change written with the old era (1926-12-25 as 大正), an unknown birth day.
/// </summary>
[Trait("Category", "Security")]
public class HostileCertificateTests
{
    private static readonly byte[] Document = "申請書"u8.ToArray();

    [Fact]
    public async Task Verify_SignerCertificateWithMonth13_IsMalformedNotAnException()
    {
        var signature = CmsSignatureBuilder.Sign(Document, TestPki.Issue(), TestPki.SubjectKey, detached: false, TestPki.Now.AddHours(-1));
        var broken = WithMonth13(signature);

        var attached = await Verifiers.Create().VerifyAttachedAsync(broken);
        var detached = await Verifiers.Create().VerifyDetachedAsync(WithMonth13(CmsSignatureBuilder.Sign(Document, TestPki.Issue(), TestPki.SubjectKey, detached: true, TestPki.Now.AddHours(-1))), Document);

        Assert.Equal(VerdictCode.Malformed, attached.Verdict.Code);
        Assert.Equal(VerdictCode.Malformed, detached.Verdict.Code);
        Assert.Contains("validity", attached.Verdict.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task VerifyCertificate_Month13_IsMalformedNotAnException()
    {
        var certificate = X509CertificateLoader.LoadCertificate(WithMonth13(TestPki.Issue().RawData));

        var result = await Verifiers.Create().VerifyCertificateAsync(certificate, null);

        Assert.Equal(VerdictCode.Malformed, result.Verdict.Code);
    }

    [Fact]
    public async Task Verify_SexCode3_ValidWithTheCodeAsWritten()
    {
        var result = await VerifyWith(("1.2.392.200149.8.5.5.3", "3"));

        Assert.True(result.IsValid, result.Verdict.Message);
        Assert.Null(result.BasicFourInfo!.Sex);
        Assert.Equal("3", result.BasicFourInfo.SexCode);
    }

    [Theory]
    [InlineData("219261225", 1926, 12, 25, Era.Taisho)] // 大正15年12月25日 = 昭和元年12月25日
    [InlineData("319261225", 1926, 12, 25, Era.Showa)]
    [InlineData("119120730", 1912, 7, 30, Era.Meiji)] // 明治45年7月30日 = 大正元年7月30日
    [InlineData("219120730", 1912, 7, 30, Era.Taisho)]
    public async Task Verify_BirthDateOnAnEraChangeDay_ValidInEitherEra(string written, int year, int month, int day, Era era)
    {
        var result = await VerifyWith(("1.2.392.200149.8.5.5.4", written));

        Assert.True(result.IsValid, result.Verdict.Message);
        Assert.Equal(new DateOnly(year, month, day), result.BasicFourInfo!.DateOfBirth);
        Assert.Equal(era, result.BasicFourInfo.BirthEra);
    }

    [Theory]
    [InlineData("319800200")] // day unknown
    [InlineData("319800000")] // month and day unknown
    [InlineData("000000000")] // nothing known
    public async Task Verify_UnknownBirthDay_ValidWithTheDateAsWritten(string written)
    {
        var result = await VerifyWith(("1.2.392.200149.8.5.5.4", written));

        Assert.True(result.IsValid, result.Verdict.Message);
        Assert.Null(result.BasicFourInfo!.DateOfBirth);
        Assert.Equal(written, result.BasicFourInfo.DateOfBirthText);
    }

    [Theory]
    [InlineData("3198013")] // too short
    [InlineData("319801332")] // month 13
    [InlineData("31980023X")]
    public async Task Verify_BirthDateThatIsNoDate_StillValidSignatureWithNoDate(string written)
    {
        // The signature and the path are sound: the holder's data is reported as written, not parsed, and flagged.
        var result = await VerifyWith(("1.2.392.200149.8.5.5.4", written));

        Assert.True(result.IsValid, result.Verdict.Message);
        Assert.Null(result.BasicFourInfo!.DateOfBirth);
        Assert.Equal(written, result.BasicFourInfo.DateOfBirthText);
    }

    [Fact]
    public async Task VerifyDetached_AttachedSignatureWithItsOwnContent_Valid()
    {
        var signature = CmsSignatureBuilder.Sign(Document, TestPki.Issue(), TestPki.SubjectKey, detached: false, TestPki.Now.AddHours(-1));

        var same = await Verifiers.Create().VerifyDetachedAsync(signature, Document);
        var other = await Verifiers.Create().VerifyDetachedAsync(signature, Encoding.UTF8.GetBytes("別の文書"));

        Assert.True(same.IsValid, same.Verdict.Message);
        Assert.Equal(VerdictCode.ContentTampered, other.Verdict.Code);
    }

    [Fact]
    public async Task VerifyDetached_AttachedSignatureWithItsOwnContent_ValidOnTheSlowPathToo()
    {
        // A second signed attribute order makes CmsFastPath decline; SignedCms must agree.
        var signature = CmsSignatureBuilder.Sign(Document, TestPki.Issue(), TestPki.SubjectKey, detached: false, TestPki.Now.AddHours(-1));

        var result = CmsChecker.Check(signature, Document, requireSigningCertificateV2: false, cache: null);

        Assert.Null(result.Failure);
    }

    private static async Task<SignatureVerification> VerifyWith((string Oid, string Value) replaced)
    {
        var entries = new List<(string Oid, string Value)>
        {
            (JpkiOids.Name, TestPki.Holder.Name),
            (JpkiOids.DateOfBirth, EraDate.Format(TestPki.Holder.DateOfBirth)),
            (JpkiOids.Sex, "1"),
            (JpkiOids.Address, TestPki.Holder.Address),
        };
        entries = [.. entries.Select(e => e.Oid == replaced.Oid ? replaced : e)];
        var certificate = TestPki.Issue(new TestPki.Ee { BasicFourInfoEntries = entries });
        var signature = CmsSignatureBuilder.Sign(Document, certificate, TestPki.SubjectKey, detached: true, TestPki.Now.AddHours(-1));
        return await Verifiers.Create().VerifyDetachedAsync(signature, Document);
    }

    /// <summary>Rewrites the notBefore UTCTime of the certificate (Now - 30 days: 2026-10-26) to month 13.</summary>
    private static byte[] WithMonth13(byte[] der)
    {
        var pattern = "\u0017\u000D261026"u8.ToArray();
        var index = der.AsSpan().IndexOf(pattern);
        Assert.True(index >= 0, "notBefore not found");
        var copy = (byte[])der.Clone();
        copy[index + 4] = (byte)'1';
        copy[index + 5] = (byte)'3';
        return copy;
    }
}
