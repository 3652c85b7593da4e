namespace Jpki.Core.Identity;

/// <summary>
/// The longest name and address the counter accepts, in characters (Unicode scalars: 𠮷 is one). The certificate
/// profile (JPKI-REFERENCE §6.2) names no maximum; these bounds are ours, chosen so that a signature certificate stays
/// a card-sized object: each character costs up to 3 bytes of UTF-8 in the otherName plus one flag digit, so 100 + 200
/// characters add at most 1.2 KB to a ≈ 1.4 KB certificate (a 5,000-character address would make it 21.5 KB). The
/// longest real addresses (prefecture, municipality, 町名, 番地, building and room) stay well below 100 characters;
/// long foreign names in the alphabet well below 100.
/// </summary>
public static class BasicFourInfoLimits
{
    /// <summary>Most characters of a name (氏名), as registered and as carried by the certificate after substitution.</summary>
    public const int NameMaxLength = 100;

    /// <summary>Most characters of the reading of a name (フリガナ); not in the certificate, bounded like the name it reads.</summary>
    public const int NameKanaMaxLength = 200;

    /// <summary>Most characters of an address (住所), as registered and as carried by the certificate after substitution.</summary>
    public const int AddressMaxLength = 200;

    /// <summary>The length of <paramref name="text"/> in Unicode scalars (a surrogate pair counts once).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public static int LengthOf(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }
}
