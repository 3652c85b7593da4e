namespace Jpki.Authority.Contracts;

/// <summary>
/// RFC 5280 §5.3.1 CRLReason codes that JPKI uses. There is no certificateHold (6) or removeFromCRL (8): JPKI
/// suspends nothing, and a revoked certificate is never un-revoked. Wire names: <see cref="WireNames.Of(RevocationReason)"/>.
/// </summary>
public enum RevocationReason
{
    /// <summary>0: holder's request without a stated reason; also a certificate destroyed before delivery (card write failed).</summary>
    Unspecified = 0,

    /// <summary>1: key compromise, lost or broken card.</summary>
    KeyCompromise = 1,

    /// <summary>2: CA key compromise.</summary>
    CACompromise = 2,

    /// <summary>3: 異動等失効 — name, address, date of birth or sex changed in the resident register.</summary>
    AffiliationChanged = 3,

    /// <summary>4: replaced by a renewal or re-issuance.</summary>
    Superseded = 4,

    /// <summary>5: resident record deleted (death, leaving), card returned.</summary>
    CessationOfOperation = 5,

    /// <summary>9: withdrawn ex officio (recording error).</summary>
    PrivilegeWithdrawn = 9,
}
