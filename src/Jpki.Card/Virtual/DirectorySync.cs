using System.Runtime.InteropServices;
using System.Text;

namespace Jpki.Card.Virtual;

/// <summary>
/// fsync(2) of a directory, which makes a rename inside it durable on Linux: without it a power loss after the rename can
/// bring back the old directory entry (the old card) even though the new file's data was flushed. .NET cannot open a
/// directory as a file, so this goes to libc. A no-op on Windows, where a rename is made durable with the file.
/// </summary>
internal static class DirectorySync
{
    private const int ReadOnly = 0; // O_RDONLY; O_DIRECTORY differs between architectures and is not needed for fsync

    /// <summary>Flushes the directory entry table of <paramref name="directory"/> to disk.</summary>
    /// <exception cref="IOException">The directory could not be opened or synced.</exception>
    public static void Flush(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var path = Encoding.UTF8.GetBytes(directory + "\0");
        var fd = Open(path, ReadOnly);
        if (fd < 0)
        {
            throw new IOException($"Could not open the directory {directory} to sync it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"Could not sync the directory {directory} (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open(byte[] path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
