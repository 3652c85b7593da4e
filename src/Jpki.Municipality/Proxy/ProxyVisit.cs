using Jpki.Municipality.Issuance;

namespace Jpki.Municipality.Proxy;

/// <summary>
/// Visit 2: the proxy returns with the answered letter. The proxy enters the card PIN; the clerk enters the new PINs
/// from the sealed sheet (the proxy never does). The PINs are owned by the caller.
/// </summary>
/// <param name="Reference">The reference number as typed.</param>
/// <param name="ProxyIdChecked">The clerk checked the proxy's photo ID again.</param>
/// <param name="SealIntact">The concealing seal over the PINs was intact when the clerk opened it.</param>
/// <param name="CardPin">Entered by the proxy.</param>
/// <param name="SignaturePassword">From the sealed sheet, entered by the clerk.</param>
/// <param name="AuthenticationPin">From the sealed sheet, entered by the clerk.</param>
/// <param name="IncludeSignature">The applicant asked for the signature certificate.</param>
/// <param name="IncludeAuthentication">The applicant asked for the authentication certificate.</param>
/// <param name="SubstituteChoices">Substitutes the applicant chose on the answer sheet.</param>
public sealed record ProxyVisit(
    string Reference,
    bool ProxyIdChecked,
    bool SealIntact,
    SecretPin CardPin,
    SecretPin? SignaturePassword,
    SecretPin? AuthenticationPin,
    bool IncludeSignature = true,
    bool IncludeAuthentication = true,
    IReadOnlyDictionary<int, string>? SubstituteChoices = null);
