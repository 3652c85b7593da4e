namespace Jpki.Municipality.Residents;

/// <summary>
/// An edit of the fields that do not touch the basic 4 info (those change only through <see cref="ResidentChange"/>
/// events, because they revoke the signature certificate). Null leaves a field as it is.
/// </summary>
/// <param name="ResidentId">Whose record.</param>
/// <param name="NameKana">New reading.</param>
/// <param name="UnderGuardianship">New guardianship flag.</param>
/// <param name="HouseholdId">New household.</param>
public sealed record ResidentEdit(string ResidentId, string? NameKana = null, bool? UnderGuardianship = null, string? HouseholdId = null);
