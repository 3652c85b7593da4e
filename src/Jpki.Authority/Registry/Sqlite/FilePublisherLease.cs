using Jpki.Core.Storage;
namespace Jpki.Authority.Registry.Sqlite;

/// <summary>
/// The publisher lease of a SQLite data folder: an exclusive lock (flock) on a file beside the database, taken without
/// waiting. The kernel releases it when the holding process exits or is killed, so another process takes over at its
/// next attempt. The file holds nothing; it is never deleted (deleting a locked file would let a second holder in).
/// </summary>
internal sealed class FilePublisherLease : IPublisherLease
{
    private readonly FileStream _file;
    private readonly CancellationTokenSource _lost = new();

    private FilePublisherLease(FileStream file) => _file = file;

    public CancellationToken Lost => _lost.Token;

    /// <summary>Takes the lock on <paramref name="path"/>, or returns null when another holder has it.</summary>
    public static FilePublisherLease? TryAcquire(string path)
    {
        try
        {
            // FileShare.None is an exclusive flock(2) on Unix (LOCK_EX | LOCK_NB): a second open, in this process or
            // another, fails at once.
            return new FilePublisherLease(new FileStream(path, PrivateFiles.CreateOptions(FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, FileOptions.None, 1)));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    public Task<bool> ConfirmAsync(CancellationToken cancellationToken) => Task.FromResult(!_lost.IsCancellationRequested);

    public ValueTask DisposeAsync()
    {
        _lost.Cancel();
        _file.Dispose();
        _lost.Dispose();
        return ValueTask.CompletedTask;
    }
}
