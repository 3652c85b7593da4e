using Jpki.Municipality.Issuance;
using Jpki.Municipality.Residents;

namespace Jpki.Municipality.Applications;

/// <summary>What an issuance will do, decided before the PINs are typed: the certificates with their mode and expiry, the name and address as the signature certificate will carry them.</summary>
/// <param name="Resident">The holder.</param>
/// <param name="Card">The presented card.</param>
/// <param name="Certificates">Authentication first, then signature (the order of issuance).</param>
/// <param name="Name">The mapped name (signature certificate only), or null.</param>
/// <param name="Address">The mapped address (signature certificate only), or null.</param>
public sealed record IssuancePlan(Resident Resident, CardInfo Card, IReadOnlyList<PlannedCertificate> Certificates, MappedText? Name, MappedText? Address);
