using System.Diagnostics;
using Jpki.Card.Transport;
using Jpki.Card.Transport.Pcsc;
using Jpki.Card.Transport.Vpcd;

namespace Jpki.Card.Tests.Interop;

/// <summary>
/// A private pcscd (started by this fixture, stopped by PID) with one vpcd reader on its own port (CHANNELID 0x8CA0 →
/// TCP 36000, reader "JPKI Test PCD 00 00"), and a dev-issued virtual card inserted into it through our vpcd connector.
/// </summary>
public sealed class PcscdFixture : IDisposable
{
    public const string ReaderName = "JPKI Test PCD 00 00";
    public const int VpcdPort = 36000;

    private readonly PcscdLock _machine;
    private readonly Process _pcscd;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _connector;

    public PcscdFixture()
    {
        ExternalTool.RequireAll();
        _machine = PcscdLock.Acquire(TimeSpan.FromMinutes(30));
        var running = RunningPcscd();
        if (running is not null)
        {
            _machine.Dispose();
            Assert.Fail($"Another pcscd is already running (PID {running}); pcscd allows only one per machine. Stop it and rerun the interop tests.");
        }

        Card = TestCard.Create();
        Directory = Path.Combine(Card.Directory, "pcscd");
        var configuration = Path.Combine(Directory, "reader.conf.d"); // pcscd parses EVERY file in it: nothing else goes there
        System.IO.Directory.CreateDirectory(configuration);
        File.WriteAllText(Path.Combine(configuration, "reader.conf"), """
            FRIENDLYNAME "JPKI Test PCD"
            DEVICENAME   /dev/null:0x8CA0
            LIBPATH      /usr/lib/pcsc/drivers/serial/libifdvpcd.so
            CHANNELID    0x8CA0

            """);
        TcpPorts.WaitUntilBindable(VpcdPort, TimeSpan.FromSeconds(90));
        var start = new ProcessStartInfo("/bin/sh")
        {
            ArgumentList = { "-c", $"exec /usr/sbin/pcscd -f -a -d -c '{configuration}' > '{Path.Combine(Directory, "pcscd.log")}' 2>&1" },
            UseShellExecute = false,
        };
        _pcscd = Process.Start(start) ?? throw new InvalidOperationException("Could not start pcscd.");
        try
        {
            Recorder = new Transcripts.RecordingCard(Card.Card);
            var connector = new VpcdCardConnector(Recorder, "127.0.0.1", VpcdPort);
            _connector = Task.Run(() => connector.RunAsync(_stop.Token));
            WaitForCard();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public TestCard Card { get; }

    /// <summary>Records every APDU the card receives through pcscd (for the golden transcripts of OpenSC's driver).</summary>
    internal Transcripts.RecordingCard Recorder { get; private set; } = null!;

    public string Directory { get; }

    public string PcscdLog => File.Exists(Path.Combine(Directory, "pcscd.log")) ? File.ReadAllText(Path.Combine(Directory, "pcscd.log")) : "";

    public void Dispose()
    {
        _stop.Cancel();
        if (!_pcscd.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", _pcscd.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                term.WaitForExit();
            }

            if (!_pcscd.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                _pcscd.Kill();
                _pcscd.WaitForExit();
            }
        }

        _pcscd.Dispose();
        try
        {
            _connector?.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
        Card.Dispose();
        _machine.Dispose();
    }

    private static int? RunningPcscd()
    {
        foreach (var process in Process.GetProcessesByName("pcscd"))
        {
            using (process)
            {
                return process.Id;
            }
        }

        return null;
    }

    /// <summary>Polls (bounded, 30 s) until a card can be connected in <paramref name="reader"/> (e.g. a second card in slot 01).</summary>
    public static void WaitForCard(string reader) => WaitForCard(reader, alive: null);

    /// <summary>Polls (bounded, 30 s) until pcscd lists our reader and a card can be connected in it.</summary>
    private void WaitForCard() => WaitForCard(ReaderName, () =>
    {
        if (_pcscd.HasExited)
        {
            Assert.Fail($"pcscd exited with {_pcscd.ExitCode}. Log:\n{PcscdLog}");
        }
    });

    private static void WaitForCard(string reader, Action? alive)
    {
        var deadline = Stopwatch.StartNew();
        var last = "pcscd did not start";
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            alive?.Invoke();
            try
            {
                using var transport = PcscTransport.Connect(reader);
                return;
            }
            catch (CardTransportException e)
            {
                last = e.Message;
            }

            Thread.Sleep(100); // polling interval of a bounded readiness wait, not synchronisation by sleeping
        }

        Assert.Fail($"No card appeared in {reader} within 30 s: {last}");
    }
}
