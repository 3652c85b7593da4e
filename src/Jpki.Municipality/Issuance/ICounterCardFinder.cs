namespace Jpki.Municipality.Issuance;

/// <summary>
/// Reaches a card by its number without a clerk, for the recovery of an issuance that stopped while the card was being
/// written (<see cref="Applications.IssuanceRecovery"/>): a virtual card file in the counter's folders, a card whose
/// number a reader already knows. A card the counter cannot reach now is not found — the recovery then waits for the
/// clerk to present it.
/// </summary>
public interface ICounterCardFinder
{
    /// <summary>
    /// Opens card <paramref name="cardId"/> when it can be reached now; null when it cannot (absent, in use, unreadable).
    /// The caller disposes the card when it is <see cref="IDisposable"/>.
    /// </summary>
    Task<ICounterCard?> FindAsync(string cardId, CancellationToken cancellationToken);
}
