using System.Diagnostics;

namespace Jpki.Testing;

/// <summary>
/// A machine-wide lock for tests that start pcscd: pcscd allows one instance per machine and the vpcd ports are fixed,
/// so two test runs on one machine (two worktrees, two developers, a test run beside <c>./test.sh</c>) must take turns.
/// The lock is an exclusive <c>flock</c> on <c>/tmp/jpki-pcscd.lock</c> (what .NET's <see cref="FileShare.None"/> takes
/// on Unix); the kernel releases it when the holding process dies, so a killed run never leaves it stuck.
/// </summary>
public sealed class PcscdLock : IDisposable
{
    private const string Path = "/tmp/jpki-pcscd.lock";
    private readonly FileStream _file;

    private PcscdLock(FileStream file) => _file = file;

    /// <summary>Waits (bounded by <paramref name="timeout"/>) until no other process holds the lock, then holds it.</summary>
    /// <exception cref="TimeoutException">Another test run held the lock for longer than <paramref name="timeout"/>.</exception>
    public static PcscdLock Acquire(TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new PcscdLock(new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (watch.Elapsed < timeout)
            {
                Thread.Sleep(TimeSpan.FromMilliseconds(250)); // polling interval of a bounded wait for another process
            }
            catch (IOException e)
            {
                throw new TimeoutException(
                    $"Another test run held {Path} (the pcscd lock) for more than {timeout.TotalMinutes:F0} min; see `fuser {Path}`.", e);
            }
        }
    }

    public void Dispose() => _file.Dispose();
}
