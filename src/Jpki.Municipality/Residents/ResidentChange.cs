using Jpki.Core.Identity;

namespace Jpki.Municipality.Residents;

/// <summary>A registry change to apply. Only the field that the kind changes is read.</summary>
/// <param name="Kind">What changed.</param>
/// <param name="ResidentId">Whose record.</param>
/// <param name="NewAddress">For moves (転居, 転入; 転出 gives the destination, kept in the event only).</param>
/// <param name="NewName">For a name change.</param>
/// <param name="NewNameKana">For a name change: the reading of the new name (required).</param>
/// <param name="NewDateOfBirth">For a birth date correction.</param>
/// <param name="NewSex">For a sex correction.</param>
/// <param name="CardId">For a card loss: the lost card.</param>
public sealed record ResidentChange(
    ResidentChangeKind Kind,
    string ResidentId,
    string? NewAddress = null,
    string? NewName = null,
    string? NewNameKana = null,
    DateOnly? NewDateOfBirth = null,
    Sex? NewSex = null,
    string? CardId = null);
