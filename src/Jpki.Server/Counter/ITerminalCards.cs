using Jpki.Municipality.Issuance;

namespace Jpki.Server.Counter;

/// <summary>The cards at the terminal (the counter runtime's card source, seen by the web interface).</summary>
internal interface ITerminalCards
{
    /// <summary>The cards that can be opened now.</summary>
    Task<IReadOnlyList<CardSlot>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Number, kind and expiry of the card <paramref name="slotId"/> as the card tells them, or null (not there, or a card that cannot tell: a reader).</summary>
    Task<CardInfo?> DescribeAsync(string slotId, CancellationToken cancellationToken);

    /// <summary>Opens the card <paramref name="slotId"/>, or null when it is not there. The caller disposes it (if disposable) after the workflow.</summary>
    Task<ICounterCard?> OpenAsync(string slotId, CancellationToken cancellationToken);
}
