using FsCheck.Xunit;
using Jpki.Core.Identity;
using Jpki.Core.Rules;
using Jpki.Core.Time;
using static Jpki.Core.Tests.TestDates;

namespace Jpki.Core.Tests.Rules;

public sealed class CertificateValidityTests
{
    private const CertificateKind Sign = CertificateKind.Signature;
    private const CertificateKind Auth = CertificateKind.Authentication;

    /// <summary>kind, birth, issued, card expiry, auth expiry, previous expiry → expiry, deciding bound, early renewal.</summary>
    public static TheoryData<CertificateKind, string, string, string?, string?, string?, string, ExpiryBound, bool> Cases => new()
    {
        // JPKI-REFERENCE §6.2: issued 2025-10-27, born 1980-02-17 → 2030-02-17.
        { Sign, "1980-02-17", "2025-10-27", null, null, null, "2030-02-17", ExpiryBound.FifthBirthday, false },
        { Auth, "1980-02-17", "2025-10-27", null, null, null, "2030-02-17", ExpiryBound.FifthBirthday, false },
        { Sign, "1980-02-17", "2025-10-27", "2034-05-20", "2030-02-17", null, "2030-02-17", ExpiryBound.FifthBirthday, false },
        // Birthday on the issuance day is not counted.
        { Sign, "1980-02-17", "2025-02-17", null, null, null, "2030-02-17", ExpiryBound.FifthBirthday, false },
        { Sign, "1980-02-17", "2025-02-16", null, null, null, "2029-02-17", ExpiryBound.FifthBirthday, false },
        { Sign, "1980-02-17", "2025-02-18", null, null, null, "2030-02-17", ExpiryBound.FifthBirthday, false },
        // Feb 29 births, issued in common and leap years (leap-day rule: Feb 28 in common years).
        { Sign, "2000-02-29", "2023-06-01", null, null, null, "2028-02-29", ExpiryBound.FifthBirthday, false },
        { Sign, "2000-02-29", "2024-06-01", null, null, null, "2029-02-28", ExpiryBound.FifthBirthday, false },
        { Sign, "2000-02-29", "2024-02-29", null, null, null, "2029-02-28", ExpiryBound.FifthBirthday, false },
        { Sign, "2000-02-29", "2024-02-28", null, null, null, "2028-02-29", ExpiryBound.FifthBirthday, false },
        { Auth, "2000-02-29", "2025-02-28", null, null, null, "2030-02-28", ExpiryBound.FifthBirthday, false },
        // Early renewal: previous certificate (expiring 2030-02-17) inside its window (opens 2029-11-17) → 6th birthday.
        { Sign, "1980-02-17", "2029-11-16", null, null, "2030-02-17", "2034-02-17", ExpiryBound.FifthBirthday, false },
        { Sign, "1980-02-17", "2029-11-17", null, null, "2030-02-17", "2035-02-17", ExpiryBound.SixthBirthday, true },
        { Auth, "1980-02-17", "2030-01-20", null, null, "2030-02-17", "2035-02-17", ExpiryBound.SixthBirthday, true },
        { Sign, "1980-02-17", "2030-02-17", null, null, "2030-02-17", "2036-02-17", ExpiryBound.SixthBirthday, true },
        { Sign, "1980-02-18", "2030-02-18", null, null, "2030-02-17", "2035-02-18", ExpiryBound.FifthBirthday, false },
        { Sign, "1980-02-17", "2030-02-18", null, null, "2030-02-17", "2035-02-17", ExpiryBound.FifthBirthday, false },
        // Month-end clamping of the window: previous expiry May 31 → window from Feb 28 (29 in a leap year).
        { Sign, "1980-05-31", "2030-02-27", null, null, "2030-05-31", "2034-05-31", ExpiryBound.FifthBirthday, false },
        { Sign, "1980-05-31", "2030-02-28", null, null, "2030-05-31", "2035-05-31", ExpiryBound.SixthBirthday, true },
        { Sign, "1980-05-31", "2028-02-28", null, null, "2028-05-31", "2032-05-31", ExpiryBound.FifthBirthday, false },
        { Sign, "1980-05-31", "2028-02-29", null, null, "2028-05-31", "2033-05-31", ExpiryBound.SixthBirthday, true },
        // Cap by the card.
        { Sign, "1980-02-17", "2025-10-27", "2028-06-30", null, null, "2028-06-30", ExpiryBound.Card, false },
        { Auth, "1980-02-17", "2025-10-27", "2028-06-30", null, null, "2028-06-30", ExpiryBound.Card, false },
        { Sign, "1980-02-17", "2025-10-27", "2030-02-16", null, null, "2030-02-16", ExpiryBound.Card, false },
        { Sign, "1980-02-17", "2025-10-27", "2030-02-17", null, null, "2030-02-17", ExpiryBound.FifthBirthday, false }, // tie → birthday
        { Sign, "1980-02-17", "2025-10-27", "2030-02-18", null, null, "2030-02-17", ExpiryBound.FifthBirthday, false },
        { Sign, "1980-02-17", "2025-10-27", "2025-10-27", null, null, "2025-10-27", ExpiryBound.Card, false }, // last card day
        { Sign, "1980-02-17", "2029-12-01", "2031-01-31", null, "2030-02-17", "2031-01-31", ExpiryBound.Card, true },
        // Cap by the authentication certificate (signature certificates only).
        { Sign, "1980-02-17", "2025-10-27", "2035-01-01", "2029-12-31", null, "2029-12-31", ExpiryBound.AuthenticationCertificate, false },
        { Sign, "1980-02-17", "2025-10-27", null, "2029-12-31", null, "2029-12-31", ExpiryBound.AuthenticationCertificate, false },
        { Sign, "1980-02-17", "2025-10-27", "2029-06-30", "2029-12-31", null, "2029-06-30", ExpiryBound.Card, false },
        { Sign, "1980-02-17", "2025-10-27", "2029-06-30", "2029-06-30", null, "2029-06-30", ExpiryBound.Card, false }, // tie → card
        { Sign, "1980-02-17", "2025-10-27", "2029-06-30", "2029-06-29", null, "2029-06-29", ExpiryBound.AuthenticationCertificate, false },
        { Sign, "1980-02-17", "2025-10-27", null, "2025-10-27", null, "2025-10-27", ExpiryBound.AuthenticationCertificate, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compute_Cases_ExpireOnEarliestBound(
        CertificateKind kind, string birth, string issued, string? card, string? auth, string? previous,
        string expected, ExpiryBound bound, bool early)
    {
        var outcome = CertificateValidity.Compute(kind, D(birth), D(issued), OptionalD(card), OptionalD(auth), OptionalD(previous));
        Assert.True(outcome.IsAllowed, outcome.Message);
        var expiry = outcome.Value!;
        Assert.Equal(D(expected), expiry.ExpiresOn);
        Assert.Equal(bound, expiry.DecidedBy);
        Assert.Equal(early, expiry.EarlyRenewal);
        Assert.Equal(kind, expiry.Kind);
        Assert.Equal(D(issued), expiry.IssuedOn);
        Assert.Equal(JapanTime.EndOfDay(D(expected)), expiry.NotAfter);
    }

    [Fact]
    public void Compute_ReferenceCard_NotAfterIs145959Utc()
    {
        var expiry = CertificateValidity.Compute(Sign, D("1980-02-17"), D("2025-10-27"), null).GetValueOrThrow();
        Assert.Equal(new DateTimeOffset(2030, 2, 17, 14, 59, 59, TimeSpan.Zero), expiry.NotAfter);
        Assert.Equal(TimeSpan.FromHours(9), expiry.NotAfter.Offset);
        Assert.Equal(D("2029-11-17"), expiry.RenewalWindow.Opens);
    }

    [Theory]
    [InlineData(ExpiryBound.FifthBirthday, "birthday-5")]
    [InlineData(ExpiryBound.SixthBirthday, "birthday-6")]
    [InlineData(ExpiryBound.Card, "card")]
    [InlineData(ExpiryBound.AuthenticationCertificate, "auth-certificate")]
    public void DecidedByCode_EachBound_IsStable(ExpiryBound bound, string code)
    {
        var expiry = new CertificateExpiry(Sign, D("2025-01-01"), D("2030-01-01"), JapanTime.EndOfDay(D("2030-01-01")), bound, false);
        Assert.Equal(code, expiry.DecidedByCode);
    }

    [Theory]
    [InlineData("2025-02-16T14:59:59Z", "2029-02-17")] // 23:59:59 JST on 02-16
    [InlineData("2025-02-16T15:00:00Z", "2030-02-17")] // 00:00 JST on the birthday: not counted
    [InlineData("2025-02-17T00:00:00+09:00", "2030-02-17")]
    public void Compute_Instant_UsesJapanDate(string instant, string expected)
    {
        var at = DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);
        var expiry = CertificateValidity.Compute(Sign, D("1980-02-17"), at, null).GetValueOrThrow();
        Assert.Equal(D(expected), expiry.ExpiresOn);
        Assert.Equal(JapanTime.ToJapanDate(at), expiry.IssuedOn);
    }

    [Fact]
    public void Compute_CardExpiredBeforeIssuance_RefusesCardExpired()
    {
        var outcome = CertificateValidity.Compute(Auth, D("1980-02-17"), D("2025-10-27"), D("2025-10-26"));
        Assert.Equal(CertificateValidity.CardExpiredCode, outcome.Code);
        Assert.Contains("2025-10-26", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_AuthCertificateExpiredBeforeIssuance_RefusesAuthExpired()
    {
        var outcome = CertificateValidity.Compute(Sign, D("1980-02-17"), D("2025-10-27"), D("2034-01-01"), D("2025-10-26"));
        Assert.Equal(CertificateValidity.AuthCertificateExpiredCode, outcome.Code);
    }

    [Fact]
    public void Compute_AuthExpiryForAuthCertificate_ThrowsWithParamName()
    {
        var ex = Assert.Throws<ArgumentException>(() => CertificateValidity.Compute(Auth, D("1980-02-17"), D("2025-10-27"), null, D("2030-01-01")));
        Assert.Equal("authenticationExpiry", ex.ParamName);
    }

    [Fact]
    public void Compute_IssuedBeforeBirth_Throws()
        => Assert.Equal("issuedOn", Assert.Throws<ArgumentOutOfRangeException>(
            () => CertificateValidity.Compute(Sign, D("1980-02-17"), D("1980-02-16"), null)).ParamName);

    [Fact]
    public void Compute_UnknownKind_Throws()
        => Assert.Equal("kind", Assert.Throws<ArgumentOutOfRangeException>(
            () => CertificateValidity.Compute((CertificateKind)7, D("1980-02-17"), D("2025-02-16"), null)).ParamName);

    [Theory]
    [InlineData("2029-11-16", false)]
    [InlineData("2029-11-17", true)]
    [InlineData("2030-02-17", true)]
    [InlineData("2030-02-18", false)]
    public void IsEarlyRenewal_WindowBounds(string issued, bool expected)
    {
        Assert.Equal(expected, CertificateValidity.IsEarlyRenewal(D(issued), D("2030-02-17")));
        Assert.False(CertificateValidity.IsEarlyRenewal(D(issued), null));
    }

    [Property(MaxTest = 1000)]
    public bool Compute_Any_ExpiryAfterIssuanceAndAtMostSixBirthdaysAway(int birthSeed, int issuedSeed, int previousSeed, bool hasPrevious, bool sign)
    {
        var birth = Pick(birthSeed, D("1900-01-01"), 120 * 366);
        var issued = Pick(issuedSeed, birth, 100 * 366);
        DateOnly? previous = hasPrevious ? Pick(previousSeed, issued.AddDays(-30), 400) : null;
        var expiry = CertificateValidity.Compute(sign ? Sign : Auth, birth, issued, null, null, previous).GetValueOrThrow();
        var birthdaysAway = Birthdays.AgeOn(birth, expiry.ExpiresOn) - Birthdays.AgeOn(birth, issued);
        return expiry.ExpiresOn > issued
            && birthdaysAway == (expiry.EarlyRenewal ? 6 : 5)
            && expiry.ExpiresOn == Birthdays.NthBirthdayAfter(birth, issued, birthdaysAway)
            && expiry.NotAfter == JapanTime.EndOfDay(expiry.ExpiresOn);
    }

    [Property(MaxTest = 1000)]
    public bool Compute_WithCaps_NeverLaterThanAnyCapNorSixBirthdays(int birthSeed, int issuedSeed, int cardSeed, int authSeed, int previousSeed)
    {
        var birth = Pick(birthSeed, D("1900-01-01"), 120 * 366);
        var issued = Pick(issuedSeed, birth, 100 * 366);
        var card = Pick(cardSeed, issued, 12 * 366);
        var auth = Pick(authSeed, issued, 8 * 366);
        var previous = Pick(previousSeed, issued.AddDays(-30), 400);
        var expiry = CertificateValidity.Compute(Sign, birth, issued, card, auth, previous).GetValueOrThrow();
        return expiry.ExpiresOn >= issued
            && expiry.ExpiresOn <= card
            && expiry.ExpiresOn <= auth
            && expiry.ExpiresOn <= Birthdays.NthBirthdayAfter(birth, issued, 6)
            && Birthdays.AgeOn(birth, expiry.ExpiresOn) - Birthdays.AgeOn(birth, issued) <= 6;
    }
}
