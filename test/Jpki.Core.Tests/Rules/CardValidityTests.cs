using Jpki.Core.Rules;
using static Jpki.Core.Tests.TestDates;

namespace Jpki.Core.Tests.Rules;

public sealed class CardValidityTests
{
    /// <summary>birth, applied, issued → expiry, age at application, adult age, birthdays counted.</summary>
    public static TheoryData<string, string, string, string, int, int, int> Cases => new()
    {
        // JPKI-REFERENCE §7: card issued 2020-05-15, birthday 10-10 → 2029-10-10 (10th birthday; adult applicant).
        { "1990-10-10", "2020-04-01", "2020-05-15", "2029-10-10", 29, 20, 10 },
        // 17/18 on the boundary day and the day before (threshold 18 from 2022-04-01).
        { "2005-06-15", "2023-06-14", "2023-07-01", "2028-06-15", 17, 18, 5 },
        { "2005-06-15", "2023-06-15", "2023-07-01", "2033-06-15", 18, 18, 10 },
        // Age is taken on the application date, not the issuance date.
        { "2005-06-15", "2023-06-14", "2023-06-20", "2028-06-15", 17, 18, 5 },
        // Birthday on the issuance day is not counted.
        { "2005-06-15", "2023-06-15", "2023-06-15", "2033-06-15", 18, 18, 10 },
        { "1980-02-17", "2025-10-01", "2025-10-27", "2035-02-17", 45, 18, 10 },
        // Threshold 20 for applications before 2022-04-01.
        { "2002-06-15", "2022-03-31", "2022-05-01", "2026-06-15", 19, 20, 5 },
        { "2002-06-15", "2022-04-01", "2022-05-01", "2031-06-15", 19, 18, 10 },
        { "2001-03-01", "2021-02-28", "2021-04-01", "2026-03-01", 19, 20, 5 },
        { "2001-03-01", "2021-03-01", "2021-04-01", "2031-03-01", 20, 20, 10 },
        // Feb 29 birth: turns 18 on Feb 28 in a common year; leap-day rule for the expiry.
        { "2008-02-29", "2026-02-27", "2026-03-10", "2031-02-28", 17, 18, 5 },
        { "2008-02-29", "2026-02-28", "2026-03-10", "2036-02-29", 18, 18, 10 },
        // A newborn.
        { "2025-01-10", "2025-01-10", "2025-02-20", "2030-01-10", 0, 18, 5 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compute_Cases_TenthOrFifthBirthdayAfterIssuance(
        string birth, string applied, string issued, string expected, int age, int adultAge, int birthdays)
    {
        var expiry = CardValidity.Compute(D(birth), D(applied), D(issued));
        Assert.Equal(D(expected), expiry.ExpiresOn);
        Assert.Equal(age, expiry.AgeAtApplication);
        Assert.Equal(adultAge, expiry.AdultAge);
        Assert.Equal(birthdays, expiry.BirthdaysCounted);
    }

    [Theory]
    [InlineData("2022-03-31", 20)]
    [InlineData("2022-04-01", 18)]
    public void AdultAgeOn_ThresholdDate(string applied, int expected)
        => Assert.Equal(expected, CardValidity.AdultAgeOn(D(applied)));

    [Fact]
    public void Compute_AppliedBeforeBirth_Throws()
        => Assert.Equal("appliedOn", Assert.Throws<ArgumentOutOfRangeException>(
            () => CardValidity.Compute(D("2000-01-02"), D("2000-01-01"), D("2000-02-01"))).ParamName);

    [Fact]
    public void Compute_IssuedBeforeApplication_Throws()
        => Assert.Equal("issuedOn", Assert.Throws<ArgumentOutOfRangeException>(
            () => CardValidity.Compute(D("2000-01-01"), D("2025-01-02"), D("2025-01-01"))).ParamName);
}
