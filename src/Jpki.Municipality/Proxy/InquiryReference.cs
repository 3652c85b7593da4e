using System.Security.Cryptography;

namespace Jpki.Municipality.Proxy;

/// <summary>
/// Reference numbers of inquiry letters (ours; no public format exists, JPKI-REFERENCE §10): 15 digits from a
/// cryptographic random generator (about 50 bits, so a reference cannot be guessed) and a Luhn check digit that
/// catches every single-digit typo and most swaps of neighbours, written in four groups: <c>1234-5678-9012-3456</c>.
/// </summary>
public static class InquiryReference
{
    /// <summary>Digits including the check digit.</summary>
    public const int Digits = 16;

    /// <summary>A new random reference, formatted.</summary>
    public static string Create()
    {
        Span<char> digits = stackalloc char[Digits];
        for (var i = 0; i < Digits - 1; i++)
        {
            digits[i] = (char)('0' + RandomNumberGenerator.GetInt32(10));
        }

        digits[Digits - 1] = CheckDigit(digits[..(Digits - 1)]);
        return Format(digits);
    }

    /// <summary>
    /// Normalises what a clerk typed (hyphens and spaces ignored) and checks length and check digit. Returns the
    /// formatted reference, or null when it is malformed.
    /// </summary>
    public static string? Normalise(string? typed)
    {
        if (typed is null)
        {
            return null;
        }

        Span<char> digits = stackalloc char[Digits];
        var count = 0;
        foreach (var c in typed)
        {
            if (c is '-' or ' ')
            {
                continue;
            }

            if (!char.IsAsciiDigit(c) || count == Digits)
            {
                return null;
            }

            digits[count++] = c;
        }

        if (count != Digits || CheckDigit(digits[..(Digits - 1)]) != digits[Digits - 1])
        {
            return null;
        }

        return Format(digits);
    }

    /// <summary>The Luhn check digit of <paramref name="payload"/>.</summary>
    internal static char CheckDigit(ReadOnlySpan<char> payload)
    {
        var sum = 0;
        var doubleIt = true;
        for (var i = payload.Length - 1; i >= 0; i--)
        {
            var d = payload[i] - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubleIt = !doubleIt;
        }

        return (char)('0' + ((10 - (sum % 10)) % 10));
    }

    private static string Format(ReadOnlySpan<char> d) =>
        $"{d[..4]}-{d[4..8]}-{d[8..12]}-{d[12..16]}";
}
