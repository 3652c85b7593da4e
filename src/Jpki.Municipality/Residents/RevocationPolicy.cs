using Jpki.Core.Identity;

namespace Jpki.Municipality.Residents;

/// <summary>
/// Which certificates a registry change revokes, and why (JPKI-REFERENCE §8.1, LAW art. 12(1)): a change of name,
/// address (転居, 転入, 転出), date of birth or sex revokes the <b>signature</b> certificate only, with
/// affiliationChanged (異動等失効); the authentication certificate stays valid. Death revokes both with
/// cessationOfOperation; loss of the card revokes both certificates on that card with keyCompromise.
/// </summary>
public static class RevocationPolicy
{
    private static readonly (CertificateKind, RevocationReason)[] SignatureOnly = [(CertificateKind.Signature, RevocationReason.AffiliationChanged)];

    /// <summary>The certificates to revoke for <paramref name="kind"/>, with the reason.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Unknown kind.</exception>
    public static IReadOnlyList<(CertificateKind Kind, RevocationReason Reason)> For(ResidentChangeKind kind) => kind switch
    {
        ResidentChangeKind.MoveWithin or ResidentChangeKind.MoveIn or ResidentChangeKind.MoveOut
            or ResidentChangeKind.NameChange or ResidentChangeKind.BirthDateCorrection or ResidentChangeKind.SexCorrection => SignatureOnly,
        ResidentChangeKind.Death => [(CertificateKind.Signature, RevocationReason.CessationOfOperation), (CertificateKind.Authentication, RevocationReason.CessationOfOperation)],
        ResidentChangeKind.CardLoss => [(CertificateKind.Signature, RevocationReason.KeyCompromise), (CertificateKind.Authentication, RevocationReason.KeyCompromise)],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown change kind."),
    };
}
