using System.Security.Cryptography;
using System.Text;

namespace Jpki.Authority.Keys;

/// <summary>Files that hold secrets: created with owner-only permissions (0600) on Unix.</summary>
internal static class SecretFiles
{
    public static void WriteOwnerOnly(string path, string content)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        {
            var bytes = Encoding.UTF8.GetBytes(content);
            stream.Write(bytes);
            CryptographicOperations.ZeroMemory(bytes);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
