using System.Globalization;
using Jpki.Core.Identity;

namespace Jpki.Authority.Profiles;

/// <summary>
/// What a signature certificate says about its holder (JPKI-REFERENCE §6.2): the romanised prefecture and
/// municipality of the subject DN and the basic 4 info of the subjectAltName, as already mapped to the certificate
/// character set (the substitution flags say which characters were replaced; <c>Jpki.Core.Charset</c> builds them).
/// </summary>
/// <param name="Prefecture">Romanised prefecture, e.g. <c>Tokyo-to</c> (first L of the DN).</param>
/// <param name="Municipality">Romanised municipality, e.g. <c>Kiyose-shi</c> (second L).</param>
/// <param name="Name">氏名 (OID …5.5.1), family and given name separated by U+3000.</param>
/// <param name="NameSubstitutionFlags">One digit per character of the name, <c>1</c> = substituted (…5.5.2).</param>
/// <param name="Address">住所 (…5.5.5).</param>
/// <param name="AddressSubstitutionFlags">One digit per character of the address (…5.5.6).</param>
/// <param name="DateOfBirth">生年月日, written era-coded <c>EYYYYMMDD</c> (…5.5.4).</param>
/// <param name="Sex">性別 1/2/9 (…5.5.3).</param>
public sealed record SignatureSubject(
    string Prefecture,
    string Municipality,
    string Name,
    string NameSubstitutionFlags,
    string Address,
    string AddressSubstitutionFlags,
    DateOnly DateOfBirth,
    Sex Sex)
{
    /// <summary>Flags saying "no character substituted" for <paramref name="text"/>: one <c>0</c> per character (Unicode scalar).</summary>
    public static string NoSubstitution(string text) => SignatureSubjectInfo.NoSubstitution(text);

    /// <summary>The basic 4 info as carried (substituted characters included).</summary>
    public BasicFourInfo ToBasicFourInfo() => new(Name, Address, DateOfBirth, Sex);

    internal string SexCode => ((int)Sex).ToString(CultureInfo.InvariantCulture);
}
