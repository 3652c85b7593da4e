using Jpki.Core.Identity;

namespace Jpki.Authority.Contracts;

/// <summary>
/// What a signature certificate says about its holder (JPKI-REFERENCE §6.2), as the registration authority sends it:
/// the romanised prefecture and municipality of the subject DN and the basic 4 info already mapped to the certificate
/// character set, with the substitution flags (one <c>0</c>/<c>1</c> per character; null = none substituted).
/// </summary>
/// <param name="Prefecture">Romanised prefecture, e.g. <c>Tokyo-to</c>.</param>
/// <param name="Municipality">Romanised municipality, e.g. <c>Kiyose-shi</c>.</param>
/// <param name="Name">氏名, family and given name separated by U+3000.</param>
/// <param name="NameSubstitutionFlags">Flags of the name (OID …5.5.2), or null.</param>
/// <param name="Address">住所.</param>
/// <param name="AddressSubstitutionFlags">Flags of the address (OID …5.5.6), or null.</param>
/// <param name="DateOfBirth">生年月日.</param>
/// <param name="Sex">性別.</param>
public sealed record SignatureSubjectInfo(
    string Prefecture,
    string Municipality,
    string Name,
    string? NameSubstitutionFlags,
    string Address,
    string? AddressSubstitutionFlags,
    DateOnly DateOfBirth,
    Sex Sex)
{
    /// <summary>The name's flags, or "none substituted".</summary>
    public string NameFlagsOrNone => NameSubstitutionFlags ?? NoSubstitution(Name);

    /// <summary>The address's flags, or "none substituted".</summary>
    public string AddressFlagsOrNone => AddressSubstitutionFlags ?? NoSubstitution(Address);

    /// <summary>Flags saying "no character substituted" for <paramref name="text"/>: one <c>0</c> per character (Unicode scalar).</summary>
    public static string NoSubstitution(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new string('0', text.EnumerateRunes().Count());
    }

    /// <summary>True when <paramref name="flags"/> has one <c>0</c>/<c>1</c> per character of <paramref name="text"/>.</summary>
    public static bool FlagsFit(string flags, string text)
    {
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentNullException.ThrowIfNull(text);
        return flags.Length == text.EnumerateRunes().Count() && flags.All(c => c is '0' or '1');
    }
}
