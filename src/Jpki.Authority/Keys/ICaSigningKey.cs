using System.Security.Cryptography.X509Certificates;

namespace Jpki.Authority.Keys;

/// <summary>
/// The private key of a CA, wherever it lives (an encrypted PKCS#8 file, a PKCS#11 token). Everything the authority
/// signs — certificates, CRLs, OCSP signer certificates — goes through <see cref="SignSha256Hash"/>, so a token key
/// never has to leave the token.
/// </summary>
public interface ICaSigningKey : IDisposable
{
    /// <summary>The RSA public key.</summary>
    PublicKey PublicKey { get; }

    /// <summary>Size of a signature in bytes (256 for RSA-2048).</summary>
    int SignatureSize { get; }

    /// <summary>Signs a SHA-256 digest with RSASSA-PKCS1-v1_5 (sha256WithRSAEncryption, RFC 8017 §8.2).</summary>
    /// <param name="hash">The 32-byte SHA-256 digest.</param>
    /// <returns>The signature, <see cref="SignatureSize"/> bytes.</returns>
    /// <exception cref="ArgumentException">The hash is not 32 bytes.</exception>
    byte[] SignSha256Hash(ReadOnlySpan<byte> hash);
}
