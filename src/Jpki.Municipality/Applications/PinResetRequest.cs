using Jpki.Core.Pins;
using Jpki.Municipality.Issuance;

namespace Jpki.Municipality.Applications;

/// <summary>A reset of a blocked or forgotten PIN (JPKI-REFERENCE §5 "Lockout": at the counter, with photo ID).</summary>
/// <param name="ResidentId">The holder.</param>
/// <param name="IdentityChecked">The clerk has checked the photo ID.</param>
/// <param name="Kind">Which PIN.</param>
/// <param name="NewPin">The new value (owned by the caller).</param>
public sealed record PinResetRequest(string ResidentId, bool IdentityChecked, PinKind Kind, SecretPin NewPin);
