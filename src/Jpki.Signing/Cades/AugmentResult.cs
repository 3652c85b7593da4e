namespace Jpki.Signing.Cades;

/// <summary>An augmented signature and what could not be gathered for it.</summary>
/// <param name="Signature">The DER (or, for a BER input, BER) ContentInfo.</param>
/// <param name="Problems">Certificates whose revocation data could not be gathered, and why; empty when complete.</param>
public sealed record AugmentResult(byte[] Signature, IReadOnlyList<string> Problems);
