namespace Jpki.Card.Issuer;

/// <summary>The public keys of the two key pairs generated on a card (<see cref="DevelopmentIssuance.GenerateKeyPairs"/>).</summary>
/// <param name="Authentication">The public key of the authentication key pair (JPKI-AP key EF 0017).</param>
/// <param name="Signature">The public key of the signature key pair (JPKI-AP key EF 001A).</param>
public sealed record CardPublicKeys(CardPublicKey Authentication, CardPublicKey Signature)
{
    /// <summary>The authentication key as DER SubjectPublicKeyInfo, what a certificate request carries.</summary>
    public byte[] AuthenticationSubjectPublicKeyInfo() => Authentication.SubjectPublicKeyInfo;

    /// <summary>The signature key as DER SubjectPublicKeyInfo.</summary>
    public byte[] SignatureSubjectPublicKeyInfo() => Signature.SubjectPublicKeyInfo;
}
