using Jpki.Core.Storage;
using System.Security.Cryptography;
using Jpki.Authority.Keys;

namespace Jpki.Authority.Ca;

/// <summary>
/// The registration-authority API key of the embedded test authority: generated once, kept in
/// <c>&lt;data&gt;/authority/registration-authority-key</c> (mode 0600) so a local terminal or test can read it. Never logged.
/// </summary>
public static class RegistrationAuthorityKeyFile
{
    /// <summary>The file name inside the authority folder.</summary>
    public const string FileName = "registration-authority-key";

    /// <summary>The path of the key file of <paramref name="dataDirectory"/>.</summary>
    public static string PathOf(string dataDirectory) => Path.Combine(AuthorityFolder.PathOf(dataDirectory), FileName);

    /// <summary>Reads the key of <paramref name="dataDirectory"/>, generating and writing a random one (0600) first when there is none.</summary>
    public static string ReadOrCreate(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        var path = PathOf(dataDirectory);
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } existing)
        {
            return existing;
        }

        PrivateFiles.CreateFolder(AuthorityFolder.PathOf(dataDirectory));
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        PrivateFiles.WriteAllText(path, key);
        return key;
    }
}
