namespace Jpki.Verification;

/// <summary>CRLReason (RFC 5280 §5.3.1), as carried by CRL entries and OCSP revoked answers.</summary>
public enum RevocationReason
{
    /// <summary>0: unspecified.</summary>
    Unspecified = 0,

    /// <summary>1: key compromise (JPKI: lost card, key leak).</summary>
    KeyCompromise = 1,

    /// <summary>2: CA key compromise.</summary>
    CaCompromise = 2,

    /// <summary>3: affiliation changed (JPKI: 異動等失効, a change of the basic 4 info).</summary>
    AffiliationChanged = 3,

    /// <summary>4: superseded (renewal).</summary>
    Superseded = 4,

    /// <summary>5: cessation of operation (holder's request, card returned, resident record deleted).</summary>
    CessationOfOperation = 5,

    /// <summary>6: certificate hold.</summary>
    CertificateHold = 6,

    /// <summary>8: remove from CRL.</summary>
    RemoveFromCrl = 8,

    /// <summary>9: privilege withdrawn.</summary>
    PrivilegeWithdrawn = 9,

    /// <summary>10: AA compromise.</summary>
    AaCompromise = 10,
}
