using System.Globalization;
using Jpki.Core.Time;

namespace Jpki.Card.Issuer.Surface;

/// <summary>
/// The 照合番号 that open the 券面 APs, derived from what is printed on the card (JPKI-REFERENCE §5) [R soltia48/myna-card
/// <c>verification_code_b</c>, confirmed there on a test card: DOB 1980-02-17, expiry 2035, code 2285 → <c>55021720352285</c>].
/// </summary>
public static class VerificationCodes
{
    /// <summary>照合番号A: the 12-digit My Number itself.</summary>
    public static string CodeA(string myNumber)
    {
        ArgumentNullException.ThrowIfNull(myNumber);
        if (myNumber.Length != 12 || !myNumber.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("A My Number has exactly 12 digits.", nameof(myNumber));
        }

        return myNumber;
    }

    /// <summary>The visual AP's date-of-birth key: the date of birth as Japanese-era <c>YYMMDD</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A date before Meiji, or an era year above 99.</exception>
    public static string BirthDate(DateOnly dateOfBirth)
    {
        var era = EraDate.EraOf(dateOfBirth);
        var first = era switch
        {
            Era.Reiwa => 2019,
            Era.Heisei => 1989,
            Era.Showa => 1926,
            Era.Taisho => 1912,
            _ => 1868,
        };
        var year = dateOfBirth.Year - first + 1;
        if (year > 99)
        {
            throw new ArgumentOutOfRangeException(nameof(dateOfBirth), dateOfBirth, "The era year does not fit two digits.");
        }

        return year.ToString("D2", CultureInfo.InvariantCulture) + dateOfBirth.ToString("MMdd", CultureInfo.InvariantCulture);
    }

    /// <summary>照合番号B: era-year DOB <c>YYMMDD</c> ‖ the card's expiry year ‖ the 4-digit security code (14 digits).</summary>
    /// <exception cref="ArgumentException">A security code that is not 4 digits.</exception>
    public static string CodeB(DateOnly dateOfBirth, int expiryYear, string securityCode)
    {
        ArgumentNullException.ThrowIfNull(securityCode);
        if (securityCode.Length != 4 || !securityCode.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("The security code has 4 digits.", nameof(securityCode));
        }

        return BirthDate(dateOfBirth) + expiryYear.ToString("D4", CultureInfo.InvariantCulture) + securityCode;
    }
}
