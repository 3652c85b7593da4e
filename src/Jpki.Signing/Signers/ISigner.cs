using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Jpki.Signing.Signers;

/// <summary>
/// Whoever holds the private key: a My Number card over PC/SC or a virtual card (<see cref="CardSigner"/>), or a
/// software key (<see cref="RsaKeySigner"/>). Signature formats (CAdES, XAdES, PAdES) compute the hash of what they
/// sign and ask the signer for an RSASSA-PKCS1-v1_5 signature over its DigestInfo — what the card's COMPUTE DIGITAL
/// SIGNATURE <c>80 2A 00 80</c> does — so the key never leaves the card. A signer whose certificate holds an EC key
/// (the next-generation card, P-384) answers ECDSA r‖s over the hash instead (<see cref="SignerKeys"/>).
/// </summary>
public interface ISigner
{
    /// <summary>The signing certificate (for JPKI, the 署名用電子証明書).</summary>
    X509Certificate2 Certificate { get; }

    /// <summary>CA certificates to embed with the signature (for a card, the signature CA certificate of EF 0002); may be empty.</summary>
    IReadOnlyList<X509Certificate2> CertificateChain { get; }

    /// <summary>
    /// Signs <paramref name="hash"/> (the digest the format computed) with RSASSA-PKCS1-v1_5: the DigestInfo of
    /// <paramref name="algorithm"/> and the hash is padded and signed by the key. For an EC key: ECDSA over the hash.
    /// </summary>
    /// <param name="hash">The digest, 32/48/64 bytes for SHA-256/384/512.</param>
    /// <param name="algorithm">SHA-256 (what JPKI uses), SHA-384 or SHA-512.</param>
    /// <returns>The signature, as long as the key's modulus (256 bytes for RSA-2048); for an EC key r‖s (IEEE P1363, 96 bytes on P-384).</returns>
    /// <exception cref="ArgumentException">Another algorithm or a hash of the wrong length.</exception>
    /// <exception cref="CryptographicException">The key refused (card errors are wrapped with the status word).</exception>
    byte[] SignHash(ReadOnlySpan<byte> hash, HashAlgorithmName algorithm);
}
