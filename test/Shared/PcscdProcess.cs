using System.Diagnostics;
using System.Globalization;
using Jpki.Card.Transport;
using Jpki.Card.Transport.Pcsc;

namespace Jpki.Testing;

/// <summary>
/// A private pcscd for one test class or collection: started with its own reader.conf (one vpcd reader on
/// TCP port CHANNELID, slots "&lt;name&gt; 00 00" and "&lt;name&gt; 00 01"), stopped by PID.
/// Holds the machine-wide <see cref="PcscdLock"/> while it runs (pcscd allows one instance per machine). Missing
/// packages (pcscd, vsmartcard-vpcd) are failures that name the package. Shared by the tests and the reader-path
/// benchmark (no xUnit dependency: failures are exceptions).
/// </summary>
public sealed class PcscdProcess : IDisposable
{
    private readonly PcscdLock _machine;
    private readonly Process _process;

    private PcscdProcess(PcscdLock machine, Process process, string directory, string friendlyName, int port)
    {
        _machine = machine;
        _process = process;
        Directory = directory;
        FriendlyName = friendlyName;
        VpcdPort = port;
    }

    /// <summary>The folder with reader.conf.d and pcscd.log.</summary>
    public string Directory { get; }

    /// <summary>The reader's FRIENDLYNAME.</summary>
    public string FriendlyName { get; }

    /// <summary>The TCP port vpcd listens on for the first slot (the second slot is one higher).</summary>
    public int VpcdPort { get; }

    /// <summary>The first slot's reader name.</summary>
    public string Reader => FriendlyName + " 00 00";

    /// <summary>The second slot's reader name (vpcd always offers two).</summary>
    public string SecondReader => FriendlyName + " 00 01";

    /// <summary>pcscd's log (-d -a: every APDU).</summary>
    public string Log => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";

    private string LogPath => Path.Combine(Directory, "pcscd.log");

    /// <summary>
    /// Takes the machine lock (bounded wait), then starts pcscd with one vpcd reader on <paramref name="channelId"/>;
    /// with <paramref name="logApdus"/> pcscd logs at debug level with every APDU (tests read it; benchmarks do not, as
    /// logging costs time per APDU).
    /// </summary>
    public static PcscdProcess Start(string directory, string friendlyName, int channelId, bool logApdus = true)
    {
        foreach (var (path, package) in new[] { ("/usr/sbin/pcscd", "pcscd"), ("/usr/lib/pcsc/drivers/serial/libifdvpcd.so", "vsmartcard-vpcd") })
        {
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"{path} is missing: install the Debian package '{package}' (apt-get install -y {package}); ./test.sh does this on CI.");
            }
        }

        var machine = PcscdLock.Acquire(TimeSpan.FromMinutes(30));
        try
        {
            foreach (var running in Process.GetProcessesByName("pcscd"))
            {
                using (running)
                {
                    throw new InvalidOperationException($"Another pcscd is already running (PID {running.Id}); pcscd allows only one per machine. Stop it and rerun.");
                }
            }

            var configuration = Path.Combine(directory, "reader.conf.d"); // pcscd parses EVERY file in it: nothing else goes there
            System.IO.Directory.CreateDirectory(configuration);
            var channel = channelId.ToString("X4", CultureInfo.InvariantCulture);
            File.WriteAllText(Path.Combine(configuration, "reader.conf"), $"""
                FRIENDLYNAME "{friendlyName}"
                DEVICENAME   /dev/null:0x{channel}
                LIBPATH      /usr/lib/pcsc/drivers/serial/libifdvpcd.so
                CHANNELID    0x{channel}

                """);
            var port = channelId; // vpcd listens on TCP port CHANNELID (+1 for the second slot)
            TcpPorts.WaitUntilBindable(port, TimeSpan.FromSeconds(90));
            var log = Path.Combine(directory, "pcscd.log");
            var process = Process.Start(new ProcessStartInfo("/bin/sh")
            {
                ArgumentList = { "-c", $"exec /usr/sbin/pcscd -f {(logApdus ? "-a -d " : "")}-c '{configuration}' > '{log}' 2>&1" },
                UseShellExecute = false,
            }) ?? throw new InvalidOperationException("Could not start pcscd.");
            return new PcscdProcess(machine, process, directory, friendlyName, port);
        }
        catch
        {
            machine.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Polls (bounded) until PC/SC reports a card in <paramref name="reader"/> — read with SCardGetStatusChange, never
    /// by connecting to the card.
    /// </summary>
    public void WaitForCard(string reader, TimeSpan timeout) => WaitForCard(reader, timeout, () =>
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"pcscd exited with {_process.ExitCode}. Log:\n{Log}");
        }
    });

    /// <summary>As <see cref="WaitForCard(string, TimeSpan)"/> for a pcscd started elsewhere (e.g. a second slot's card).</summary>
    public static void WaitForCardIn(string reader, TimeSpan timeout) => WaitForCard(reader, timeout, null);

    private static void WaitForCard(string reader, TimeSpan timeout, Action? alive)
    {
        var deadline = Stopwatch.StartNew();
        var last = "pcscd did not start";
        while (deadline.Elapsed < timeout)
        {
            alive?.Invoke();
            try
            {
                var status = PcscReaders.GetStatus().FirstOrDefault(r => r.Reader == reader);
                if (status is { CardPresent: true })
                {
                    return;
                }

                last = status is null ? $"no reader {reader} yet" : $"{reader}: {status.State}";
            }
            catch (CardTransportException e)
            {
                last = e.Message;
            }

            Thread.Sleep(100); // polling interval of a bounded readiness wait, not synchronisation by sleeping
        }

        throw new InvalidOperationException($"No card appeared in {reader} within {timeout.TotalSeconds:F0} s: {last}.");
    }

    /// <summary>Stops pcscd (SIGTERM, then SIGKILL after 5 s) and releases the machine lock.</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
                {
                    term.WaitForExit();
                }

                if (!_process.WaitForExit(TimeSpan.FromSeconds(5)))
                {
                    _process.Kill();
                    _process.WaitForExit();
                }
            }

            _process.Dispose();
        }
        finally
        {
            _machine.Dispose();
        }
    }
}
