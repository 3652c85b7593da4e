using Jpki.Card.Transport.Vpcd;
using Jpki.Card.Virtual;

namespace Jpki.Testing;

/// <summary>
/// A virtual card file inserted into a reader of a private pcscd (<see cref="PcscdProcess"/>, vpcd driver): the card is
/// served by our vpcd connector on its own task and present in <see cref="Reader"/> when <see cref="Start"/> returns.
/// Disposing removes it and stops pcscd.
/// </summary>
public sealed class VirtualCardInReader : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PcscdProcess _pcscd;
    private readonly VirtualCard _card;
    private readonly Task _connector;

    private VirtualCardInReader(PcscdProcess pcscd, VirtualCard card, string reader)
    {
        _pcscd = pcscd;
        _card = card;
        Reader = reader;
        var connector = new VpcdCardConnector(card, "127.0.0.1", pcscd.VpcdPort);
        _connector = Task.Run(() => connector.RunAsync(_stop.Token));
    }

    /// <summary>The PC/SC reader name (<c>"{friendlyName} 00 00"</c>).</summary>
    public string Reader { get; }

    /// <summary>Starts pcscd in <paramref name="directory"/> with one vpcd reader and inserts the card of <paramref name="cardFile"/>.</summary>
    public static VirtualCardInReader Start(string directory, string friendlyName, int channelId, string cardFile)
    {
        Directory.CreateDirectory(directory);
        var pcscd = PcscdProcess.Start(directory, friendlyName, channelId);
        VirtualCard? card = null;
        try
        {
            card = VirtualCard.Open(cardFile);
            var inserted = new VirtualCardInReader(pcscd, card, friendlyName + " 00 00");
            pcscd.WaitForCard(inserted.Reader, TimeSpan.FromSeconds(30));
            return inserted;
        }
        catch
        {
            card?.Dispose();
            pcscd.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _pcscd.Dispose();
        try
        {
            await _connector.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (OperationCanceledException)
        {
            // The connector's own way of stopping.
        }

        _card.Dispose();
        _stop.Dispose();
    }
}
