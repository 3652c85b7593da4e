namespace Jpki.Municipality.Issuance;

/// <summary>The card's answer to an unblock with the PUK.</summary>
public enum PukOutcome
{
    /// <summary>The PUK matched: the PIN is unblocked and has its new value (9000).</summary>
    Unblocked,

    /// <summary>The PUK was wrong: one of its tries is spent (63 Cx).</summary>
    Wrong,

    /// <summary>The PUK is blocked (69 84, or 63 C0 after its last try): only the issuer channel opens the PIN now.</summary>
    Blocked,

    /// <summary>The card has a PUK reference but no PUK was set when it was made (69 85: the PUK is optional).</summary>
    NotSet,

    /// <summary>The card has no PUK at all (today's RSA card: 6D 00).</summary>
    CardHasNoPuk,
}
