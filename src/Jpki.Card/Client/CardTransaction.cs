namespace Jpki.Card.Client;

/// <summary>
/// Exclusive use of the card for one logical operation, from <see cref="JpkiCardClient.BeginTransaction"/> until
/// disposed. Transactions nest: only the outermost one holds the PC/SC transaction.
/// </summary>
public sealed class CardTransaction : IDisposable
{
    private JpkiCardClient? _client;

    internal CardTransaction(JpkiCardClient client) => _client = client;

    /// <summary>Ends this (nested) transaction; the outermost one releases the card to other applications.</summary>
    public void Dispose() => Interlocked.Exchange(ref _client, null)?.EndTransaction();
}
