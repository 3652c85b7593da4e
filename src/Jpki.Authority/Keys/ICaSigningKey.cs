using System.Security.Cryptography.X509Certificates;

namespace Jpki.Authority.Keys;

/// <summary>
/// The private key of a CA, wherever it lives (an encrypted PKCS#8 file, a PKCS#11 token). Everything the authority
/// signs — certificates, CRLs, OCSP signer certificates — goes through <see cref="SignHash"/>, so a token key never has
/// to leave the token.
/// </summary>
public interface ICaSigningKey : IDisposable
{
    /// <summary>The public key (RSA-2048, or P-384 for a next-generation CA).</summary>
    PublicKey PublicKey { get; }

    /// <summary>
    /// Size of a signature value in bytes (256 for RSA-2048); for ECDSA the largest DER <c>SEQUENCE { r, s }</c>
    /// (104 for P-384) — a given signature may be shorter.
    /// </summary>
    int SignatureSize { get; }

    /// <summary>How the key signs; sha256WithRSAEncryption unless the key says otherwise.</summary>
    CaSignatureAlgorithm SignatureAlgorithm => CaSignatureAlgorithm.Sha256WithRsa;

    /// <summary>Signs a SHA-256 digest with RSASSA-PKCS1-v1_5 (sha256WithRSAEncryption, RFC 8017 §8.2).</summary>
    /// <param name="hash">The 32-byte SHA-256 digest.</param>
    /// <returns>The signature, <see cref="SignatureSize"/> bytes.</returns>
    /// <exception cref="ArgumentException">The hash is not 32 bytes.</exception>
    /// <exception cref="NotSupportedException">The key is not an RSA key.</exception>
    byte[] SignSha256Hash(ReadOnlySpan<byte> hash);

    /// <summary>
    /// Signs a digest of the key's <see cref="SignatureAlgorithm"/> (SHA-256 for RSA, SHA-384 for P-384) and returns the
    /// signature value as certificates, CRLs and OCSP carry it (PKCS#1 v1.5; ECDSA as X9.62 DER).
    /// </summary>
    byte[] SignHash(ReadOnlySpan<byte> hash) => SignSha256Hash(hash);
}
