using Jpki.Core.Identity;
using Jpki.Core.Rules;
using static Jpki.Core.Tests.TestDates;

namespace Jpki.Core.Tests.Rules;

public sealed class EligibilityTests
{
    private const CertificateKind Sign = CertificateKind.Signature;
    private const CertificateKind Auth = CertificateKind.Authentication;
    private const CardKind MyNumber = CardKind.MyNumberCard;
    private const CardKind Juki = CardKind.JukiCard;

    /// <summary>kind, card, birth, issued, under guardianship → refusal code or null.</summary>
    public static TheoryData<CertificateKind, CardKind, string, string, bool, string?> Cases => new()
    {
        // 14/15 on the boundary day and the day before.
        { Sign, MyNumber, "2010-06-15", "2025-06-14", false, "sign-under-15" },
        { Sign, MyNumber, "2010-06-15", "2025-06-15", false, null },
        { Auth, MyNumber, "2010-06-15", "2025-06-14", false, null },
        { Auth, MyNumber, "2025-01-10", "2025-02-20", false, null }, // a baby gets the authentication certificate
        { Sign, MyNumber, "2025-01-10", "2025-02-20", false, "sign-under-15" },
        // Feb 29 birth turns 15 on Feb 28 in a common year.
        { Sign, MyNumber, "2008-02-29", "2023-02-27", false, "sign-under-15" },
        { Sign, MyNumber, "2008-02-29", "2023-02-28", false, null },
        // Adults under guardianship.
        { Sign, MyNumber, "1980-02-17", "2025-10-27", true, "sign-under-guardianship" },
        { Auth, MyNumber, "1980-02-17", "2025-10-27", true, null },
        { Sign, MyNumber, "2010-06-15", "2025-06-14", true, "sign-under-15" }, // age checked first
        // 住基カード: issuance ended on 2016-01-01.
        { Sign, Juki, "1980-02-17", "2015-12-31", false, null },
        { Auth, Juki, "1980-02-17", "2015-12-31", false, null },
        { Sign, Juki, "1980-02-17", "2016-01-01", false, "juki-card-issuance-ended" },
        { Auth, Juki, "1980-02-17", "2016-01-01", false, "juki-card-issuance-ended" },
        { Auth, Juki, "1980-02-17", "2025-10-27", false, "juki-card-issuance-ended" },
        { Sign, Juki, "2010-06-15", "2016-01-01", true, "juki-card-issuance-ended" }, // card checked first
        { Sign, MyNumber, "1980-02-17", "2016-01-01", false, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Check_Cases_RefuseWithStableCode(CertificateKind kind, CardKind card, string birth, string issued, bool guardianship, string? code)
    {
        var outcome = Eligibility.Check(kind, card, D(birth), D(issued), guardianship);
        Assert.Equal(code, outcome.Code);
        Assert.Equal(code is null, outcome.IsAllowed);
        if (code is null)
        {
            Assert.Equal(kind, outcome.Value);
        }
        else
        {
            Assert.False(string.IsNullOrWhiteSpace(outcome.Message));
        }
    }

    [Fact]
    public void Check_Under15_MessageNamesAgeAndFirstEligibleDay()
    {
        var outcome = Eligibility.Check(Sign, MyNumber, D("2008-02-29"), D("2023-02-27"), false);
        Assert.Contains("is 14 on 2023-02-27", outcome.Message, StringComparison.Ordinal);
        Assert.Contains("from 2023-02-28", outcome.Message, StringComparison.Ordinal);
        Assert.Contains("authentication certificate can be issued", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_Guardianship_MessageOffersAuthCertificate()
    {
        var outcome = Eligibility.Check(Sign, MyNumber, D("1980-02-17"), D("2025-10-27"), true);
        Assert.Contains("成年被後見人", outcome.Message, StringComparison.Ordinal);
        Assert.Contains("authentication certificate can be issued", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_JukiCard_MessageSaysExistingCertificatesStayValid()
    {
        var outcome = Eligibility.Check(Auth, Juki, D("1980-02-17"), D("2016-01-01"), false);
        Assert.Contains("住民基本台帳カード", outcome.Message, StringComparison.Ordinal);
        Assert.Contains("stay valid", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_UnknownKindOrCard_Throws()
    {
        Assert.Equal("kind", Assert.Throws<ArgumentOutOfRangeException>(
            () => Eligibility.Check((CertificateKind)0, MyNumber, D("1980-02-17"), D("2025-10-27"), false)).ParamName);
        Assert.Equal("card", Assert.Throws<ArgumentOutOfRangeException>(
            () => Eligibility.Check(Sign, (CardKind)0, D("1980-02-17"), D("2025-10-27"), false)).ParamName);
    }

    [Fact]
    public void Check_IssuedBeforeBirth_Throws()
        => Assert.Equal("issuedOn", Assert.Throws<ArgumentOutOfRangeException>(
            () => Eligibility.Check(Auth, MyNumber, D("1980-02-17"), D("1980-02-16"), false)).ParamName);
}
