using System.Security.Cryptography;
using System.Text;

namespace Jpki.Municipality.Cards;

/// <summary>
/// The authority's card-management master key, from which each card's issuer-channel key is derived
/// (<c>CardManagementKey.Derive</c>). The embedded demo uses the public development key that <c>jpki card new</c> also
/// uses without <c>--master-key-file</c>: cards made with it are for testing only.
/// </summary>
public static class CardMasterKey
{
    /// <summary>The public, insecure development master key (the same bytes as <c>jpki card new</c>'s default).</summary>
    public static byte[] Development() =>
        SHA256.HashData(Encoding.ASCII.GetBytes("OpenJpki development card-management master key (public, insecure)"));

    /// <summary>Reads a master key file: 64+ hex characters, or 32+ raw bytes.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="InvalidDataException">Fewer than 32 key bytes.</exception>
    public static byte[] Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var bytes = File.ReadAllBytes(path);
        var text = Encoding.ASCII.GetString(bytes).Trim();
        if (text.Length >= 64 && text.All(char.IsAsciiHexDigit))
        {
            return Convert.FromHexString(text);
        }

        return bytes.Length >= 32 ? bytes : throw new InvalidDataException($"{Path.GetFileName(path)} holds fewer than 32 key bytes.");
    }
}
