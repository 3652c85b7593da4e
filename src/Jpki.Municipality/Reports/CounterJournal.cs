using Jpki.Municipality.Staff;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Jpki.Municipality.Storage;

namespace Jpki.Municipality.Reports;

/// <summary>
/// Writes journal entries stamped with the injected clock, and logs each (events 3110–3119) with what may leave the
/// journal: the action, staff, card, outcome code, fee, serials — never the resident's id or data.
/// </summary>
public sealed class CounterJournal
{
    private readonly ICounterStore _store;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;

    /// <summary>Creates the journal over <paramref name="store"/>; <paramref name="logger"/> (null: nowhere) gets one event per entry.</summary>
    public CounterJournal(ICounterStore store, TimeProvider clock, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(clock);
        _store = store;
        _clock = clock;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Records one action.</summary>
    public async Task RecordAsync(StaffAccount staff, string action, string? residentId, string? cardId, string outcome, string details, int feeYen, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        await _store.AppendJournalAsync(new JournalEntry(_clock.GetUtcNow(), staff.Id, action, residentId, cardId, outcome, details, feeYen), cancellationToken).ConfigureAwait(false);
        CounterTelemetry.Recorded(action, outcome, feeYen);
        LogEntry(staff.Id, action, cardId, outcome, details, feeYen);
    }

    /// <summary>
    /// Logs one entry. The details go to the log only where they hold no personal data: serials and modes of an issuance
    /// or revocation that went through, the PIN kind, the change kind, the day closed; a refusal's sentence (it may quote
    /// a name) and a proxy inquiry reference (the second visit's credential) never do.
    /// </summary>
    private void LogEntry(string staff, string action, string? card, string outcome, string details, int feeYen)
    {
        if (!_logger.IsEnabled(LogLevel.Error))
        {
            return;
        }

        var ok = outcome == JournalEntry.Ok;
        if (outcome == JournalEntry.Failed)
        {
            Log.ActionFailed(_logger, action, staff, details, card);
            return;
        }

        switch (action)
        {
            case CounterActions.Issue:
                Log.Issued(_logger, staff, outcome, card, feeYen, ok ? details : string.Empty);
                break;
            case CounterActions.ProxyIssue:
                Log.ProxyIssued(_logger, staff, outcome, card, ok ? details : string.Empty);
                break;
            case CounterActions.ProxyRequest:
                Log.ProxyRequested(_logger, staff, outcome);
                break;
            case CounterActions.PinReset:
                Log.PinReset(_logger, staff, outcome, card, details);
                break;
            case CounterActions.PinUnblock:
                Log.PinUnblockedWithPuk(_logger, staff, outcome, card, details);
                break;
            case CounterActions.Revoke:
                Log.RevokedOnRequest(_logger, staff, outcome, ok ? details : string.Empty);
                break;
            case CounterActions.RegistryChange:
                // "Kind: summary; revocations …" when applied, the kind alone when refused: the summary holds the new address or name.
                var colon = details.IndexOf(':', StringComparison.Ordinal);
                Log.RegistryChanged(_logger, colon < 0 ? details : details[..colon], staff, outcome, card);
                break;
            case CounterActions.IssueRecovered:
                Log.IssuanceRecovered(_logger, staff, card, details);
                break;
            case CounterActions.DayClose:
                Log.DayClosed(_logger, details, staff);
                break;
            default:
                Log.OtherAction(_logger, action, staff, outcome, card);
                break;
        }
    }
}
