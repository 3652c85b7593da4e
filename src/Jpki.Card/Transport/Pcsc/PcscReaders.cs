namespace Jpki.Card.Transport.Pcsc;

/// <summary>
/// The PC/SC readers of this machine and whether a card is in each, through the platform's PC/SC (pcsc-lite on
/// Linux, winscard on Windows, PCSC.framework on macOS — chosen at run time). Looking never connects to a card, so it
/// never resets one and never disturbs another application's session.
/// </summary>
public static class PcscReaders
{
    /// <summary>The PC/SC implementation this process binds.</summary>
    public static PcscPlatform Platform => PcscApi.CurrentPlatform;

    /// <summary>The names of the readers (empty when there are none).</summary>
    /// <exception cref="CardTransportException">The PC/SC service cannot be reached or its library is missing.</exception>
    public static IReadOnlyList<string> List()
    {
        using var context = PcscContext.Establish(PcscApi.Current);
        return context.ListReaders();
    }

    /// <summary>Every reader with its state and the ATR of the card in it (read with <c>SCardGetStatusChange</c>).</summary>
    /// <exception cref="CardTransportException">The PC/SC service cannot be reached or its library is missing.</exception>
    public static IReadOnlyList<ReaderStatus> GetStatus()
    {
        using var context = PcscContext.Establish(PcscApi.Current);
        var readers = context.ListReaders();
        try
        {
            return context.GetStatus(readers);
        }
        catch (CardTransportException) when (readers.Count > 0)
        {
            // A reader went away between the two calls: look again once.
            return context.GetStatus(context.ListReaders());
        }
    }
}
