using Jpki.Municipality.Issuance;

namespace Jpki.Municipality.Applications;

/// <summary>
/// An issuance at the counter (new, renewal or re-issuance — decided from the holder's certificates). The PINs are
/// owned by the caller, who disposes them after the call.
/// </summary>
/// <param name="ResidentId">The holder.</param>
/// <param name="IdentityChecked">The clerk has checked the photo ID (the card itself, or another document).</param>
/// <param name="CardPin">The card PIN the holder entered (券面事項入力補助用, 4 digits).</param>
/// <param name="SignaturePassword">The new signature password (6–16 A–Z/0–9), when the signature certificate is requested.</param>
/// <param name="AuthenticationPin">The new authentication PIN (4 digits), when the authentication certificate is requested.</param>
/// <param name="IncludeSignature">Request the signature certificate (the holder may decline it).</param>
/// <param name="IncludeAuthentication">Request the authentication certificate.</param>
/// <param name="SubstituteChoices">Per code point, the substitute the holder chose among the candidates; others get the default.</param>
public sealed record IssuanceRequest(
    string ResidentId,
    bool IdentityChecked,
    SecretPin CardPin,
    SecretPin? SignaturePassword,
    SecretPin? AuthenticationPin,
    bool IncludeSignature = true,
    bool IncludeAuthentication = true,
    IReadOnlyDictionary<int, string>? SubstituteChoices = null);
