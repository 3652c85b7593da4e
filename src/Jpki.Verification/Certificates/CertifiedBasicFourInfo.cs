using Jpki.Core.Identity;
using Jpki.Core.Time;

namespace Jpki.Verification.Certificates;

/// <summary>
/// The basic 4 info (基本4情報) as a signature certificate carries it in its subjectAltName otherNames
/// (OIDs 1.2.392.200149.8.5.5.1–.6, JPKI-REFERENCE §6.2), decoded.
/// </summary>
/// <param name="Name">氏名, as written in the certificate (may contain substitute characters).</param>
/// <param name="NameSubstitutions">氏名代替文字の使用位置情報: one digit per character of the name, <c>1</c> = substituted; empty when absent.</param>
/// <param name="Address">住所, as written in the certificate.</param>
/// <param name="AddressSubstitutions">住所代替文字の使用位置情報, like <paramref name="NameSubstitutions"/>.</param>
/// <param name="DateOfBirth">The Gregorian birth date.</param>
/// <param name="BirthEra">The era digit of the EYYYYMMDD encoding (0 = unknown).</param>
/// <param name="Sex">性別.</param>
public sealed record CertifiedBasicFourInfo(
    string Name,
    string NameSubstitutions,
    string Address,
    string AddressSubstitutions,
    DateOnly DateOfBirth,
    Era BirthEra,
    Sex Sex)
{
    /// <summary>The basic 4 info as the Core value (substitution flags dropped).</summary>
    public BasicFourInfo ToBasicFourInfo() => new(Name, Address, DateOfBirth, Sex);
}
