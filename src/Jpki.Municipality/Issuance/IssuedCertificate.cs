using Jpki.Core.Identity;

namespace Jpki.Municipality.Issuance;

/// <summary>A certificate the authority issued.</summary>
/// <param name="SerialHex">Serial, uppercase hex.</param>
/// <param name="Kind">Signature or authentication.</param>
/// <param name="NotAfter">End of validity.</param>
/// <param name="Der">The certificate, to be written to the card.</param>
public sealed record IssuedCertificate(string SerialHex, CertificateKind Kind, DateTimeOffset NotAfter, ReadOnlyMemory<byte> Der);
