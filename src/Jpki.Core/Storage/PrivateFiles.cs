using Jpki.Core.Storage;
using System.Security.Cryptography;
using System.Text;

namespace Jpki.Core.Storage;

/// <summary>
/// Files and folders that hold keys or personal data (databases with residents and My Numbers, card files, CA keys,
/// spooled register imports): on Unix created readable by the owner only — folders 0700, files 0600 — whatever the
/// process's umask, so that another account on the machine reads nothing even when a folder above is open. On Windows
/// the files inherit the folder's ACL (the user's profile or a folder the operator secured).
/// </summary>
public static class PrivateFiles
{
    /// <summary>rw------- for files.</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>rwx------ for folders.</summary>
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates <paramref name="path"/> and any missing parents 0700; a folder that exists is left as it is.</summary>
    public static DirectoryInfo CreateFolder(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return OperatingSystem.IsWindows() ? Directory.CreateDirectory(path) : Directory.CreateDirectory(path, FolderMode);
    }

    /// <summary>
    /// Creates the data folder <paramref name="path"/> 0700, or takes away the group's and others' access to an existing one
    /// (a folder made by an older version or by hand with the umask's 0755). Returns whether the mode was changed, so the
    /// caller can say so. Only the folder itself: with it closed, nothing inside can be reached by another account.
    /// </summary>
    public static bool SecureDataFolder(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var existed = Directory.Exists(path);
        CreateFolder(path);
        if (!existed || OperatingSystem.IsWindows())
        {
            return false;
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & GroupOrOther) == 0)
        {
            return false;
        }

        File.SetUnixFileMode(path, mode & ~GroupOrOther);
        return true;
    }

    /// <summary>Options for a new file of mode 0600 (on Unix).</summary>
    public static FileStreamOptions CreateOptions(
        System.IO.FileMode mode = System.IO.FileMode.CreateNew, FileAccess access = FileAccess.Write, FileShare share = FileShare.None, FileOptions options = FileOptions.None, int bufferSize = 4096)
    {
        var result = new FileStreamOptions { Mode = mode, Access = access, Share = share, Options = options, BufferSize = bufferSize };
        if (!OperatingSystem.IsWindows() && mode is not System.IO.FileMode.Open and not System.IO.FileMode.Truncate)
        {
            result.UnixCreateMode = FileMode;
        }

        return result;
    }

    /// <summary>
    /// Writes <paramref name="bytes"/> to <paramref name="path"/> (replacing it) as a 0600 file. A file that existed keeps its
    /// inode, so its mode is set too.
    /// </summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        using (var stream = new FileStream(path, CreateOptions(System.IO.FileMode.Create)))
        {
            stream.Write(bytes);
        }

        Restrict(path);
    }

    /// <summary>UTF-8 text as <see cref="WriteAllBytes"/>; the encoded copy is wiped after the write (for secrets).</summary>
    public static void WriteAllText(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = Encoding.UTF8.GetBytes(text);
        try
        {
            WriteAllBytes(path, bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>
    /// Creates an empty SQLite database file 0600 if <paramref name="path"/> does not exist: SQLite creates a new database
    /// 0644 (less the umask), and its <c>-wal</c>, <c>-shm</c> and journal files take the database file's mode.
    /// </summary>
    public static void EnsureDatabaseFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (OperatingSystem.IsWindows() || File.Exists(path))
        {
            return;
        }

        try
        {
            using var created = new FileStream(path, CreateOptions(System.IO.FileMode.CreateNew));
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: it did so the same way.
        }
    }

    /// <summary>Sets an existing file to 0600 (on Unix).</summary>
    public static void Restrict(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, FileMode);
        }
    }
}
