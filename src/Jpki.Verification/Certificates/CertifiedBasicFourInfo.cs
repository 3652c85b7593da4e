using Jpki.Core.Identity;
using Jpki.Core.Time;

namespace Jpki.Verification.Certificates;

/// <summary>
/// The basic 4 info (基本4情報) as a signature certificate carries it in its subjectAltName otherNames
/// (OIDs 1.2.392.200149.8.5.5.1–.6, JPKI-REFERENCE §6.2), decoded. The texts are always given as written; the parsed
/// birth date and sex are null when the certificate records something this library cannot read as one (a partly
/// unknown birth date such as <c>319800200</c>, a sex code other than 1, 2 or 9): what the authority certified is
/// never a reason to refuse a valid signature.
/// </summary>
/// <param name="Name">氏名, as written in the certificate (may contain substitute characters).</param>
/// <param name="NameSubstitutions">氏名代替文字の使用位置情報: one digit per character of the name, <c>1</c> = substituted; empty when absent.</param>
/// <param name="Address">住所, as written in the certificate.</param>
/// <param name="AddressSubstitutions">住所代替文字の使用位置情報, like <paramref name="NameSubstitutions"/>.</param>
/// <param name="DateOfBirthText">生年月日 as written, <c>EYYYYMMDD</c> (e.g. <c>319800217</c>; <c>00</c> for an unknown month or day).</param>
/// <param name="DateOfBirth">The Gregorian birth date; null when the text is not a complete date consistent with its era digit.</param>
/// <param name="BirthEra">The era digit of the text (0 = unknown, also for a text that starts with no era digit).</param>
/// <param name="SexCode">性別 as written.</param>
/// <param name="Sex">性別 when the code is 1, 2 or 9; null otherwise.</param>
public sealed record CertifiedBasicFourInfo(
    string Name,
    string NameSubstitutions,
    string Address,
    string AddressSubstitutions,
    string DateOfBirthText,
    DateOnly? DateOfBirth,
    Era BirthEra,
    string SexCode,
    Sex? Sex)
{
    /// <summary>The basic 4 info as the Core value (substitution flags dropped); null when the birth date or sex is not known.</summary>
    public BasicFourInfo? ToBasicFourInfo() => DateOfBirth is { } born && Sex is { } sex ? new(Name, Address, born, sex) : null;
}
