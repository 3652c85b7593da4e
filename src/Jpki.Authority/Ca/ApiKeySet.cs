using System.Security.Cryptography;
using System.Text;

namespace Jpki.Authority.Ca;

/// <summary>
/// A list of registered API keys (verifiers', registration authorities'), as configured: plain keys (older
/// <c>authority.json</c> files, options built in code) or their stored form <c>sha256:</c> + 64 hex digits. A
/// presented key matches when it equals a plain key or hashes to a stored one; every comparison is constant-time, and
/// presenting a stored hash itself never matches.
/// </summary>
internal sealed class ApiKeySet
{
    /// <summary>The prefix of a stored key hash: <c>sha256:</c> + 64 hex digits of SHA-256 over the key's UTF-8 bytes.</summary>
    public const string HashPrefix = "sha256:";

    private readonly byte[][] _keys;
    private readonly byte[][] _hashes;

    /// <summary>Reads <paramref name="configured"/>; <paramref name="what"/> names the list in error messages.</summary>
    /// <exception cref="ArgumentException">A stored hash is malformed.</exception>
    public ApiKeySet(IEnumerable<string> configured, string what)
    {
        ArgumentNullException.ThrowIfNull(configured);
        var list = configured.Where(k => !string.IsNullOrEmpty(k)).ToList();
        _keys = [.. list.Where(k => !IsHashed(k)).Select(Encoding.UTF8.GetBytes)];
        _hashes = [.. list.Where(IsHashed).Select(k => ParseHash(k[HashPrefix.Length..], what))];
    }

    /// <summary>The form a key is kept in at rest: its SHA-256 with <see cref="HashPrefix"/>; a stored form is returned as is.</summary>
    public static string StoredForm(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return IsHashed(key) ? key : HashPrefix + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    /// <summary>True when <paramref name="presentedKey"/> is one of the registered keys.</summary>
    public bool Matches(string? presentedKey)
    {
        if (string.IsNullOrEmpty(presentedKey))
        {
            return false;
        }

        var presented = Encoding.UTF8.GetBytes(presentedKey);
        var match = false;
        foreach (var key in _keys)
        {
            match |= CryptographicOperations.FixedTimeEquals(key, presented);
        }

        if (_hashes.Length > 0)
        {
            var hash = SHA256.HashData(presented);
            foreach (var keyHash in _hashes)
            {
                match |= CryptographicOperations.FixedTimeEquals(keyHash, hash);
            }
        }

        return match;
    }

    private static bool IsHashed(string key) => key.StartsWith(HashPrefix, StringComparison.Ordinal);

    private static byte[] ParseHash(string hex, string what)
    {
        var message = $"A stored {what} key hash is {HashPrefix} and 64 hex digits.";
        try
        {
            var bytes = Convert.FromHexString(hex);
            return bytes.Length == 32 ? bytes : throw new ArgumentException(message, nameof(hex));
        }
        catch (FormatException ex)
        {
            throw new ArgumentException(message, nameof(hex), ex);
        }
    }
}
