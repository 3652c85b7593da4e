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

    private readonly RSA _rsa;

    /// <summary>Wraps <paramref name="rsa"/>; the key takes ownership and disposes it.</summary>
    public SoftwareCaKey(RSA rsa)
    {
        ArgumentNullException.ThrowIfNull(rsa);
        _rsa = rsa;
        PublicKey = new PublicKey(rsa);
    }

    /// <inheritdoc />
    public PublicKey PublicKey { get; }

    /// <inheritdoc />
    public int SignatureSize => (_rsa.KeySize + 7) / 8;

    /// <summary>Generates a fresh RSA key of <paramref name="bits"/> bits (2048 by default, as J-LIS uses).</summary>
    public static SoftwareCaKey Generate(int bits = 2048) => new(RSA.Create(bits));

    /// <summary>Loads an encrypted PKCS#8 file (DER or PEM).</summary>
    /// <exception cref="CryptographicException">Wrong passphrase or not an encrypted RSA PKCS#8 key.</exception>
    public static SoftwareCaKey Load(string path, ReadOnlySpan<char> passphrase)
    {
        ArgumentNullException.ThrowIfNull(path);
        var bytes = File.ReadAllBytes(path);
        try
        {
            var rsa = RSA.Create();
            try
            {
                if (bytes.Length > 0 && bytes[0] == (byte)'-')
                {
                    rsa.ImportFromEncryptedPem(System.Text.Encoding.ASCII.GetString(bytes), passphrase);
                }
                else
                {
                    rsa.ImportEncryptedPkcs8PrivateKey(passphrase, bytes, out var read);
                    if (read != bytes.Length)
                    {
                        throw new CryptographicException("Trailing bytes after the encrypted PKCS#8 key.");
                    }
                }

                return new SoftwareCaKey(rsa);
            }
            catch
            {
                rsa.Dispose();
                throw;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>Writes the key as an encrypted PKCS#8 PEM file readable only by the owner (0600 where supported).</summary>
    public void Save(string path, ReadOnlySpan<char> passphrase)
    {
        ArgumentNullException.ThrowIfNull(path);
        var pem = _rsa.ExportEncryptedPkcs8PrivateKeyPem(passphrase, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, Iterations));
        PrivateFiles.WriteAllText(path, pem);
    }

    /// <inheritdoc />
    public byte[] SignSha256Hash(ReadOnlySpan<byte> hash)
    {
        if (hash.Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException("A SHA-256 digest is 32 bytes.", nameof(hash));
        }

        return _rsa.SignHash(hash.ToArray(), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    /// <inheritdoc />
    public void Dispose() => _rsa.Dispose();
}
