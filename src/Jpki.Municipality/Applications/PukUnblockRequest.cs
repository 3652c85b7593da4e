using Jpki.Core.Pins;
using Jpki.Municipality.Issuance;

namespace Jpki.Municipality.Applications;

/// <summary>
/// An unblock of a next-generation card's PIN with its PUK at the counter, and a new PIN set (docs/card.md "PUK at the
/// counter": the holder keeps the PUK from the letter that came with the card and types it at the counter's PIN pad
/// with the new PIN; the clerk checks the photo ID as for a PIN reset). The secrets are owned by the caller.
/// </summary>
/// <param name="ResidentId">The holder.</param>
/// <param name="IdentityChecked">The clerk has checked the photo ID.</param>
/// <param name="Kind">The PIN to unblock: the authentication PIN or the signature password (the PUK opens no other).</param>
/// <param name="Puk">The PUK the holder typed (8 digits).</param>
/// <param name="NewPin">The new value of the PIN.</param>
public sealed record PukUnblockRequest(string ResidentId, bool IdentityChecked, PinKind Kind, SecretPin Puk, SecretPin NewPin);
