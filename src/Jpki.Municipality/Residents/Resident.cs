using Jpki.Core.Identity;

namespace Jpki.Municipality.Residents;

/// <summary>
/// One resident as the counter needs them from the resident register (住民基本台帳). <see cref="Id"/> is the
/// municipality's holder reference; the My Number is deliberately not part of the model (it is never a key here and
/// the counter does not need it).
/// </summary>
/// <param name="Id">Holder reference: 1–32 characters of A–Z, a–z, 0–9 and '-'.</param>
/// <param name="Name">Name with the register's true characters (family and given name separated by U+3000).</param>
/// <param name="NameKana">Reading in katakana.</param>
/// <param name="Address">Registered address.</param>
/// <param name="DateOfBirth">Date of birth.</param>
/// <param name="Sex">Sex code.</param>
/// <param name="UnderGuardianship">An adult under guardianship (成年被後見人).</param>
/// <param name="HouseholdId">The household (世帯) reference.</param>
/// <param name="Status">Whether the record is live.</param>
public sealed record Resident(
    string Id,
    string Name,
    string NameKana,
    string Address,
    DateOnly DateOfBirth,
    Sex Sex,
    bool UnderGuardianship,
    string HouseholdId,
    ResidentStatus Status = ResidentStatus.Active)
{
    /// <summary>The basic 4 info (基本4情報) with the register's true characters.</summary>
    public BasicFourInfo BasicFourInfo => new(Name, Address, DateOfBirth, Sex);
}
