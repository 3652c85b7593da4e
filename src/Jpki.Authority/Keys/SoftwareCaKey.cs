using Jpki.Core.Storage;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Jpki.Authority.Keys;

/// <summary>
/// A CA key held in process memory and stored as an encrypted PKCS#8 file (PBES2: AES-256-CBC, PBKDF2-HMAC-SHA256,
/// <see cref="Iterations"/> iterations). The embedded default; production CAs use a PKCS#11 key.
/// </summary>
public sealed class SoftwareCaKey : ICaSigningKey
{
    /// <summary>PBKDF2 iteration count used when saving.</summary>
    public const int Iterations = 200_000;

    /// <summary>The largest DER ECDSA P-384 signature: SEQUENCE { INTEGER(49), INTEGER(49) }.</summary>
    private const int MaxP384SignatureSize = 104;

    private readonly RSA? _rsa;
    private readonly ECDsa? _ecdsa;

    /// <summary>Wraps <paramref name="rsa"/>; the key takes ownership and disposes it.</summary>
    public SoftwareCaKey(RSA rsa)
    {
        ArgumentNullException.ThrowIfNull(rsa);
        _rsa = rsa;
        PublicKey = new PublicKey(rsa);
    }

    /// <summary>Wraps a P-384 <paramref name="ecdsa"/> (next-generation CA); the key takes ownership and disposes it.</summary>
    /// <exception cref="CryptographicException">The key is not on P-384.</exception>
    public SoftwareCaKey(ECDsa ecdsa)
    {
        ArgumentNullException.ThrowIfNull(ecdsa);
        if (ecdsa.KeySize != 384)
        {
            throw new CryptographicException("A next-generation CA key is ECDSA P-384.");
        }

        _ecdsa = ecdsa;
        PublicKey = new PublicKey(ecdsa);
    }

    /// <inheritdoc />
    public PublicKey PublicKey { get; }

    /// <inheritdoc />
    public int SignatureSize => _rsa is not null ? (_rsa.KeySize + 7) / 8 : MaxP384SignatureSize;

    /// <inheritdoc />
    public CaSignatureAlgorithm SignatureAlgorithm => _rsa is not null ? CaSignatureAlgorithm.Sha256WithRsa : CaSignatureAlgorithm.EcdsaWithSha384;

    /// <summary>Generates a fresh RSA key of <paramref name="bits"/> bits (2048 by default, as J-LIS uses).</summary>
    public static SoftwareCaKey Generate(int bits = 2048) => new(RSA.Create(bits));

    /// <summary>Generates a key for <paramref name="algorithm"/>: RSA-2048 or ECDSA P-384.</summary>
    public static SoftwareCaKey Generate(CaSignatureAlgorithm algorithm) => algorithm == CaSignatureAlgorithm.EcdsaWithSha384
        ? new(ECDsa.Create(ECCurve.NamedCurves.nistP384))
        : Generate();

    /// <summary>Loads an encrypted PKCS#8 file (DER or PEM).</summary>
    /// <exception cref="CryptographicException">Wrong passphrase or not an encrypted RSA or P-384 PKCS#8 key.</exception>
    public static SoftwareCaKey Load(string path, ReadOnlySpan<char> passphrase)
    {
        ArgumentNullException.ThrowIfNull(path);
        var bytes = File.ReadAllBytes(path);
        try
        {
            // The PKCS#8 names its algorithm: an id-ecPublicKey key is a next-generation CA's, anything else RSA.
            var pem = bytes.Length > 0 && bytes[0] == (byte)'-';
            var der = pem ? null : bytes;
            var ec = IsEc(pem ? System.Text.Encoding.ASCII.GetString(bytes) : null, der, passphrase);
            AsymmetricAlgorithm key = ec ? ECDsa.Create() : RSA.Create();
            try
            {
                if (pem)
                {
                    key.ImportFromEncryptedPem(System.Text.Encoding.ASCII.GetString(bytes), passphrase);
                }
                else
                {
                    key.ImportEncryptedPkcs8PrivateKey(passphrase, bytes, out var read);
                    if (read != bytes.Length)
                    {
                        throw new CryptographicException("Trailing bytes after the encrypted PKCS#8 key.");
                    }
                }

                return key is ECDsa ecdsa ? new SoftwareCaKey(ecdsa) : new SoftwareCaKey((RSA)key);
            }
            catch
            {
                key.Dispose();
                throw;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private static bool IsEc(string? pem, byte[]? der, ReadOnlySpan<char> passphrase)
    {
        using var probe = ECDsa.Create();
        try
        {
            if (pem is not null)
            {
                probe.ImportFromEncryptedPem(pem, passphrase);
            }
            else
            {
                probe.ImportEncryptedPkcs8PrivateKey(passphrase, der, out _);
            }

            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Writes the key as an encrypted PKCS#8 PEM file readable only by the owner (0600 where supported).</summary>
    public void Save(string path, ReadOnlySpan<char> passphrase)
    {
        ArgumentNullException.ThrowIfNull(path);
        var parameters = new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, Iterations);
        var pem = _rsa is not null ? _rsa.ExportEncryptedPkcs8PrivateKeyPem(passphrase, parameters) : _ecdsa!.ExportEncryptedPkcs8PrivateKeyPem(passphrase, parameters);
        PrivateFiles.WriteAllText(path, pem);
    }

    /// <inheritdoc />
    public byte[] SignSha256Hash(ReadOnlySpan<byte> hash)
    {
        if (hash.Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException("A SHA-256 digest is 32 bytes.", nameof(hash));
        }

        if (_rsa is null)
        {
            throw new NotSupportedException("This CA key is ECDSA P-384: it signs SHA-384 digests (SignHash).");
        }

        return _rsa.SignHash(hash.ToArray(), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    /// <inheritdoc />
    public byte[] SignHash(ReadOnlySpan<byte> hash)
    {
        if (_rsa is not null)
        {
            return SignSha256Hash(hash);
        }

        if (hash.Length != SHA384.HashSizeInBytes)
        {
            throw new ArgumentException("A SHA-384 digest is 48 bytes.", nameof(hash));
        }

        return _ecdsa!.SignHash(hash, DSASignatureFormat.Rfc3279DerSequence);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _rsa?.Dispose();
        _ecdsa?.Dispose();
    }
}
