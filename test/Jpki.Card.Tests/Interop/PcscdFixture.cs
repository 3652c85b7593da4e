using Jpki.Card.Transport.Vpcd;

namespace Jpki.Card.Tests.Interop;

/// <summary>
/// A private pcscd (<see cref="PcscdProcess"/>) with one vpcd reader on its own port (CHANNELID 0x8CA0 → TCP 36000,
/// readers "JPKI Test PCD 00 00" and "… 00 01"), and a dev-issued virtual card inserted into the first slot through our
/// vpcd connector (recording every APDU it receives).
/// </summary>
public sealed class PcscdFixture : IDisposable
{
    public const string ReaderName = "JPKI Test PCD 00 00";
    public const string SecondReaderName = "JPKI Test PCD 00 01";
    public const int VpcdPort = 0x8CA0;

    private readonly PcscdProcess _pcscd;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task? _connector;

    public PcscdFixture()
    {
        ExternalTool.RequireAll();
        Card = TestCard.Create();
        Directory = Path.Combine(Card.Directory, "pcscd");
        System.IO.Directory.CreateDirectory(Directory);
        _pcscd = PcscdProcess.Start(Directory, "JPKI Test PCD", VpcdPort);
        try
        {
            Recorder = new Transcripts.RecordingCard(Card.Card);
            var connector = new VpcdCardConnector(Recorder, "127.0.0.1", VpcdPort);
            _connector = Task.Run(() => connector.RunAsync(_stop.Token));
            _pcscd.WaitForCard(ReaderName, TimeSpan.FromSeconds(30));
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

    public string PcscdLog => _pcscd.Log;

    /// <summary>Polls (bounded, 30 s) until PC/SC reports a card in <paramref name="reader"/> (e.g. a second card in slot 01).</summary>
    public static void WaitForCard(string reader) => PcscdProcess.WaitForCardIn(reader, TimeSpan.FromSeconds(30));

    public void Dispose()
    {
        _stop.Cancel();
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
    }
}
