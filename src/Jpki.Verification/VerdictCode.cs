namespace Jpki.Verification;

/// <summary>The outcome of a verification: valid, or the precise reason it is not. See docs/verification.md.</summary>
public enum VerdictCode
{
    /// <summary><c>valid</c>: signature, path, profile and revocation status all check out.</summary>
    Valid = 0,

    /// <summary><c>bad-signature</c>: a signature (of the document, the certificate or the ESS binding) does not verify.</summary>
    BadSignature = 1,

    /// <summary><c>expired</c>: a certificate of the path had expired at the verification time.</summary>
    Expired = 2,

    /// <summary><c>not-yet-valid</c>: a certificate of the path was not yet valid at the verification time.</summary>
    NotYetValid = 3,

    /// <summary><c>revoked</c>: the certificate was revoked at or before the verification time.</summary>
    Revoked = 4,

    /// <summary><c>untrusted</c>: the path does not end in a configured trust anchor, or a CA certificate is not fit to be one.</summary>
    Untrusted = 5,

    /// <summary><c>wrong-kind</c>: a signature certificate where an authentication certificate is needed, or the reverse.</summary>
    WrongKind = 6,

    /// <summary><c>no-revocation-data</c>: no fresh, authentic OCSP or CRL answer was available (fail closed).</summary>
    NoRevocationData = 7,

    /// <summary><c>content-tampered</c>: the content does not match the message digest the signer signed.</summary>
    ContentTampered = 8,

    /// <summary><c>malformed</c>: the signature, certificate or request could not be decoded.</summary>
    Malformed = 9,

    /// <summary><c>challenge-rejected</c>: a login answered an unknown, expired or already used challenge.</summary>
    ChallengeRejected = 10,

    /// <summary><c>wrong-origin</c>: an origin-bound login was signed for another web origin than this relying party's (a relay or phishing page).</summary>
    WrongOrigin = 11,

    /// <summary><c>challenge-expired</c>: a login answered its challenge after the challenge's lifetime.</summary>
    ChallengeExpired = 12,

    /// <summary><c>wrong-session</c>: an origin-bound login answered a challenge that was issued to another browser session.</summary>
    WrongSession = 13,
}
