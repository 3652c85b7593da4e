namespace Jpki.Core.Identity;

/// <summary>
/// 基本4情報: the name, address, date of birth and sex of a resident as the resident register holds them
/// (true characters; the certificate may carry substitutes, see <c>Jpki.Core.Charset</c>).
/// </summary>
/// <param name="Name">Full name, family and given name separated by a full-width space (U+3000).</param>
/// <param name="Address">Registered address.</param>
/// <param name="DateOfBirth">Gregorian date of birth.</param>
/// <param name="Sex">Sex code.</param>
public sealed record BasicFourInfo(string Name, string Address, DateOnly DateOfBirth, Sex Sex);
