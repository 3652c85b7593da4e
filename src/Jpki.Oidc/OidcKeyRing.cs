using Jpki.Core.Storage;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Jpki.Oidc;

/// <summary>
/// The provider's token keys in <c>&lt;data&gt;/oidc/keys/</c>: RSA 2048 signing keys (RS256, ID tokens), P-256 signing
/// keys (ES256, offered to clients that ask for it) and AES-256 keys that encrypt authorization codes. Each file is
/// named by its creation time; the newest of each kind signs/encrypts, older ones stay published in the JWKS and keep
/// validating until they are retired, so a rotation logs nobody out (docs/login.md, "Key rotation").
/// </summary>
public sealed class OidcKeyRing
{
    private const string RsaPrefix = "sign-rsa-";
    private const string EcPrefix = "sign-ec-";
    private const string EncryptionPrefix = "encrypt-";

    private OidcKeyRing(string directory, IReadOnlyList<OidcKey> keys)
    {
        Directory = directory;
        Keys = keys;
    }

    /// <summary>The folder.</summary>
    public string Directory { get; }

    /// <summary>Every key, newest first within each kind.</summary>
    public IReadOnlyList<OidcKey> Keys { get; }

    /// <summary>The RSA signing keys, newest (current) first.</summary>
    public IEnumerable<OidcKey> RsaSigningKeys => Keys.Where(k => k.Kind == OidcKeyKind.RsaSigning);

    /// <summary>The EC signing keys, newest (current) first.</summary>
    public IEnumerable<OidcKey> EcSigningKeys => Keys.Where(k => k.Kind == OidcKeyKind.EcSigning);

    /// <summary>The encryption keys, newest (current) first.</summary>
    public IEnumerable<OidcKey> EncryptionKeys => Keys.Where(k => k.Kind == OidcKeyKind.Encryption);

    /// <summary>Loads the keys of <paramref name="directory"/>, creating a first set when a kind has none.</summary>
    /// <exception cref="InvalidDataException">A key file cannot be read.</exception>
    public static OidcKeyRing OpenOrCreate(string directory, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        PrivateFiles.CreateFolder(directory);
        var ring = Load(directory);
        if (!ring.RsaSigningKeys.Any() || !ring.EcSigningKeys.Any() || !ring.EncryptionKeys.Any())
        {
            Create(directory, clock.GetUtcNow(), onlyMissing: ring);
            ring = Load(directory);
        }

        return ring;
    }

    /// <summary>Adds a new current key of each kind (the old ones stay published until <see cref="Retire"/>).</summary>
    public static OidcKeyRing Rotate(string directory, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        PrivateFiles.CreateFolder(directory);
        Create(directory, clock.GetUtcNow(), onlyMissing: null);
        return Load(directory);
    }

    /// <summary>Deletes every key that is not the current one of its kind and was created before <paramref name="before"/>; returns the deleted ones.</summary>
    public IReadOnlyList<OidcKey> Retire(DateTimeOffset before)
    {
        var current = Keys.GroupBy(k => k.Kind).Select(g => g.First()).ToHashSet();
        var retired = Keys.Where(k => !current.Contains(k) && k.CreatedAt < before).ToList();
        foreach (var key in retired)
        {
            File.Delete(key.Path);
        }

        return retired;
    }

    private static void Create(string directory, DateTimeOffset now, OidcKeyRing? onlyMissing)
    {
        var stamp = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);
        if (onlyMissing is null || !onlyMissing.RsaSigningKeys.Any())
        {
            using var rsa = RSA.Create(2048);
            WriteNew(Path.Combine(directory, RsaPrefix + stamp + ".pem"), rsa.ExportPkcs8PrivateKeyPem());
        }

        if (onlyMissing is null || !onlyMissing.EcSigningKeys.Any())
        {
            using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            WriteNew(Path.Combine(directory, EcPrefix + stamp + ".pem"), ec.ExportPkcs8PrivateKeyPem());
        }

        if (onlyMissing is null || !onlyMissing.EncryptionKeys.Any())
        {
            var secret = RandomNumberGenerator.GetBytes(32);
            WriteNew(Path.Combine(directory, EncryptionPrefix + stamp + ".key"), Convert.ToBase64String(secret));
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>Writes a key file atomically, readable by the owner only; never overwrites (two processes starting at once).</summary>
    private static void WriteNew(string path, string text)
    {
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var options = PrivateFiles.CreateOptions();

        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
        }
    }

    private static OidcKeyRing Load(string directory)
    {
        var keys = new List<OidcKey>();
        foreach (var path in System.IO.Directory.EnumerateFiles(directory))
        {
            var name = Path.GetFileName(path);
            var (kind, stamp) = name switch
            {
                _ when name.StartsWith(RsaPrefix, StringComparison.Ordinal) && name.EndsWith(".pem", StringComparison.Ordinal) => (OidcKeyKind.RsaSigning, name[RsaPrefix.Length..^4]),
                _ when name.StartsWith(EcPrefix, StringComparison.Ordinal) && name.EndsWith(".pem", StringComparison.Ordinal) => (OidcKeyKind.EcSigning, name[EcPrefix.Length..^4]),
                _ when name.StartsWith(EncryptionPrefix, StringComparison.Ordinal) && name.EndsWith(".key", StringComparison.Ordinal) => (OidcKeyKind.Encryption, name[EncryptionPrefix.Length..^4]),
                _ => ((OidcKeyKind?)null, ""),
            };
            if (kind is null)
            {
                continue;
            }

            if (!DateTimeOffset.TryParseExact(stamp, "yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var created))
            {
                throw new InvalidDataException($"OIDC key file {path}: the name does not carry its creation time (…yyyyMMddTHHmmssfffZ).");
            }

            keys.Add(new OidcKey(kind.Value, path, created, Read(kind.Value, path)));
        }

        return new OidcKeyRing(directory, [.. keys.OrderBy(k => k.Kind).ThenByDescending(k => k.CreatedAt).ThenByDescending(k => k.Path, StringComparer.Ordinal)]);
    }

    private static SecurityKey Read(OidcKeyKind kind, string path)
    {
        try
        {
            var text = File.ReadAllText(path);
            SecurityKey key;
            switch (kind)
            {
                case OidcKeyKind.RsaSigning:
                    var rsa = RSA.Create();
                    rsa.ImportFromPem(text);
                    key = new RsaSecurityKey(rsa);
                    key.KeyId = KeyId(rsa.ExportSubjectPublicKeyInfo());
                    break;
                case OidcKeyKind.EcSigning:
                    var ec = ECDsa.Create();
                    ec.ImportFromPem(text);
                    key = new ECDsaSecurityKey(ec);
                    key.KeyId = KeyId(ec.ExportSubjectPublicKeyInfo());
                    break;
                default:
                    var secret = Convert.FromBase64String(text.Trim());
                    if (secret.Length != 32)
                    {
                        throw new InvalidDataException("an encryption key is 32 bytes");
                    }

                    key = new SymmetricSecurityKey(secret) { KeyId = KeyId(SHA256.HashData(secret)) };
                    break;
            }

            return key;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException or FormatException or InvalidDataException)
        {
            throw new InvalidDataException($"OIDC key file {path} cannot be read: {e.Message}", e);
        }
    }

    /// <summary>A key id that names the key without revealing it: base64url of the first 12 bytes of SHA-256(SubjectPublicKeyInfo).</summary>
    private static string KeyId(ReadOnlySpan<byte> publicPart) => Base64Url.EncodeToString(SHA256.HashData(publicPart).AsSpan(0, 12));
}

/// <summary>What an <see cref="OidcKey"/> is for.</summary>
public enum OidcKeyKind
{
    /// <summary>RSA 2048, RS256: signs ID tokens and access tokens by default.</summary>
    RsaSigning = 0,

    /// <summary>P-256, ES256: signs ID tokens for clients registered with <c>--id-token-alg ES256</c>.</summary>
    EcSigning = 1,

    /// <summary>AES-256: encrypts authorization codes (never published).</summary>
    Encryption = 2,
}

/// <summary>One key of the <see cref="OidcKeyRing"/>.</summary>
/// <param name="Kind">What it is for.</param>
/// <param name="Path">Its file.</param>
/// <param name="CreatedAt">When it was created (from the file name).</param>
/// <param name="Key">The key, with its <c>kid</c>.</param>
public sealed record OidcKey(OidcKeyKind Kind, string Path, DateTimeOffset CreatedAt, SecurityKey Key);
