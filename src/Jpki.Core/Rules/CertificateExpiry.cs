using Jpki.Core.Identity;

namespace Jpki.Core.Rules;

/// <summary>The computed end of a certificate's validity (see <see cref="CertificateValidity"/>).</summary>
/// <param name="Kind">The certificate.</param>
/// <param name="IssuedOn">Japan date of issuance.</param>
/// <param name="ExpiresOn">The last Japan day on which the certificate is valid.</param>
/// <param name="NotAfter">23:59:59 JST of <paramref name="ExpiresOn"/>, the certificate's notAfter.</param>
/// <param name="DecidedBy">The limit that gave <paramref name="ExpiresOn"/>.</param>
/// <param name="EarlyRenewal">True when the issuance counted as an early renewal (6th birthday; never for the next-generation card).</param>
public sealed record CertificateExpiry(
    CertificateKind Kind,
    DateOnly IssuedOn,
    DateOnly ExpiresOn,
    DateTimeOffset NotAfter,
    ExpiryBound DecidedBy,
    bool EarlyRenewal)
{
    /// <summary>The card generation whose rules decided the expiry (default <see cref="CardGeneration.Current"/>).</summary>
    public CardGeneration Generation { get; init; }

    /// <summary>The stable code of <see cref="DecidedBy"/>: <c>birthday-5</c>, <c>birthday-6</c>, <c>years-10</c>, <c>card</c> or <c>auth-certificate</c>.</summary>
    public string DecidedByCode => DecidedBy switch
    {
        ExpiryBound.FifthBirthday => "birthday-5",
        ExpiryBound.SixthBirthday => "birthday-6",
        ExpiryBound.TenYears => "years-10",
        ExpiryBound.Card => "card",
        ExpiryBound.AuthenticationCertificate => "auth-certificate",
        _ => throw new InvalidOperationException("Unknown expiry bound."),
    };

    /// <summary>The renewal window of this certificate.</summary>
    public RenewalWindow RenewalWindow => RenewalWindow.For(ExpiresOn, Generation);
}
