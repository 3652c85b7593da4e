namespace Jpki.Authority.Contracts.Wire;

/// <summary>The prefecture, municipality and basic 4 info of a signature certificate, already in the certificate character set.</summary>
/// <param name="Prefecture">Romanised prefecture (<c>Tokyo-to</c>).</param>
/// <param name="Municipality">Romanised municipality (<c>Kiyose-shi</c>).</param>
/// <param name="Name">氏名 as the certificate carries it.</param>
/// <param name="NameSubstitutionFlags">One <c>0</c>/<c>1</c> per character of the name; null = none substituted.</param>
/// <param name="Address">住所 as the certificate carries it.</param>
/// <param name="AddressSubstitutionFlags">One <c>0</c>/<c>1</c> per character of the address; null = none substituted.</param>
/// <param name="DateOfBirth"><c>YYYY-MM-DD</c>.</param>
/// <param name="Sex">1 (male), 2 (female) or 9 (not applicable).</param>
public sealed record SignatureBody(
    string? Prefecture,
    string? Municipality,
    string? Name,
    string? NameSubstitutionFlags,
    string? Address,
    string? AddressSubstitutionFlags,
    string? DateOfBirth,
    int? Sex);
