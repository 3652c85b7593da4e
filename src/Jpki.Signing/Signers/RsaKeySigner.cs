using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Jpki.Signing.Signers;

/// <summary>A software RSA key (tests, server-side signers, HSM keys exposed as <see cref="RSA"/>). Thread-safe when the key is.</summary>
/// <param name="certificate">The signing certificate.</param>
/// <param name="key">The private key matching it (not owned).</param>
/// <param name="chain">CA certificates to embed; null for none.</param>
public sealed class RsaKeySigner(X509Certificate2 certificate, RSA key, IReadOnlyList<X509Certificate2>? chain = null) : ISigner
{
    private readonly RSA _key = key ?? throw new ArgumentNullException(nameof(key));

    /// <inheritdoc/>
    public X509Certificate2 Certificate { get; } = certificate ?? throw new ArgumentNullException(nameof(certificate));

    /// <inheritdoc/>
    public IReadOnlyList<X509Certificate2> CertificateChain { get; } = chain ?? [];

    /// <inheritdoc/>
    public byte[] SignHash(ReadOnlySpan<byte> hash, HashAlgorithmName algorithm)
    {
        _ = Jpki.Verification.Cms.DigestInfo.For(algorithm, hash);
        return _key.SignHash(hash, algorithm, RSASignaturePadding.Pkcs1);
    }
}
