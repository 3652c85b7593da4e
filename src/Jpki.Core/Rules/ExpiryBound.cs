namespace Jpki.Core.Rules;

/// <summary>Which limit decided a certificate's expiry day (JPKI-REFERENCE §7: the earliest of these wins).</summary>
public enum ExpiryBound
{
    /// <summary>The 5th birthday strictly after issuance (code <c>birthday-5</c>).</summary>
    FifthBirthday = 1,

    /// <summary>The 6th birthday strictly after issuance, for an early renewal (code <c>birthday-6</c>).</summary>
    SixthBirthday = 2,

    /// <summary>The expiry day of the card the certificate is on (code <c>card</c>).</summary>
    Card = 3,

    /// <summary>The expiry day of the holder's authentication certificate; signature certificates only (code <c>auth-certificate</c>).</summary>
    AuthenticationCertificate = 4,

    /// <summary>Ten years from the issuance day, the next-generation card's certificates (code <c>years-10</c>, JPKI-REFERENCE §14).</summary>
    TenYears = 5,
}
