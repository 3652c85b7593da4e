namespace Jpki.Municipality.Applications;

/// <summary>
/// What the clerk has established before anyone types a PIN: who, which card, the photo ID, which certificates and the
/// substitutes the holder chose. <see cref="CounterService.PrepareAsync"/> checks it and answers the plan or the refusal.
/// </summary>
/// <param name="ResidentId">The holder.</param>
/// <param name="IdentityChecked">The clerk has checked the photo ID.</param>
/// <param name="IncludeSignature">The signature certificate is requested.</param>
/// <param name="IncludeAuthentication">The authentication certificate is requested.</param>
/// <param name="SubstituteChoices">Per code point, the substitute the holder chose (or a kana reading for a character without substitute).</param>
public sealed record IssuanceCheck(
    string ResidentId,
    bool IdentityChecked,
    bool IncludeSignature = true,
    bool IncludeAuthentication = true,
    IReadOnlyDictionary<int, string>? SubstituteChoices = null);
