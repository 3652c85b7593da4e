namespace Jpki.Card.Issuer;

/// <summary>The four certificates <see cref="DevelopmentIssuance"/> writes to a card (DER): self-made TEST ones, or issued by an authority.</summary>
/// <param name="Authentication">EF 000A.</param>
/// <param name="Signature">EF 0001.</param>
/// <param name="AuthenticationCa">EF 000B.</param>
/// <param name="SignatureCa">EF 0002.</param>
public sealed record DevelopmentCertificates(byte[] Authentication, byte[] Signature, byte[] AuthenticationCa, byte[] SignatureCa)
{
    /// <summary>Which 券面-side APs were written, when a holder was given with surface options; else null.</summary>
    public Surface.CardSurfaceResult? Surface { get; init; }
}
