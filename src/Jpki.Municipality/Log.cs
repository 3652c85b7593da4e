using Microsoft.Extensions.Logging;

namespace Jpki.Municipality;

/// <summary>
/// The counter's log messages (source-generated, stable event ids 3100–3199: 3101–3104 staff accounts, 3110–3129 counter
/// workflows as they are journaled). They carry the action, the staff id, the card id, the outcome code, fees, serials
/// and PIN kinds — never a resident's name, address, birth date, My Number, a PIN or an inquiry reference.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3110, Level = LogLevel.Information, Message = "Issuance at the counter by {Staff}: {Outcome}, card {Card}, fee {FeeYen} yen; {Certificates}")]
    public static partial void Issued(ILogger logger, string staff, string outcome, string? card, int feeYen, string certificates);

    [LoggerMessage(EventId = 3111, Level = LogLevel.Information, Message = "Issuance to a proxy by {Staff}: {Outcome}, card {Card}; {Certificates}")]
    public static partial void ProxyIssued(ILogger logger, string staff, string outcome, string? card, string certificates);

    [LoggerMessage(EventId = 3112, Level = LogLevel.Information, Message = "Proxy application (inquiry letter) recorded by {Staff}: {Outcome}.")]
    public static partial void ProxyRequested(ILogger logger, string staff, string outcome);

    [LoggerMessage(EventId = 3113, Level = LogLevel.Information, Message = "PIN reset at the counter by {Staff}: {Outcome}, card {Card}, PIN {PinKind}.")]
    public static partial void PinReset(ILogger logger, string staff, string outcome, string? card, string pinKind);

    [LoggerMessage(EventId = 3128, Level = LogLevel.Information, Message = "PUK unblock at the counter by {Staff}: {Outcome}, card {Card}, PIN {PinKind}.")]
    public static partial void PinUnblockedWithPuk(ILogger logger, string staff, string outcome, string? card, string pinKind);

    [LoggerMessage(EventId = 3114, Level = LogLevel.Information, Message = "Revocation on the holder's request by {Staff}: {Outcome}; {Serials}")]
    public static partial void RevokedOnRequest(ILogger logger, string staff, string outcome, string serials);

    [LoggerMessage(EventId = 3115, Level = LogLevel.Information, Message = "Registry change ({Change}) by {Staff}: {Outcome}, card {Card}; certificates it invalidates are revoked (done or pending: see the journal).")]
    public static partial void RegistryChanged(ILogger logger, string change, string staff, string outcome, string? card);

    [LoggerMessage(EventId = 3116, Level = LogLevel.Warning, Message = "Half-done issuance resolved (started by {Staff}, card {Card}): {Resolution}")]
    public static partial void IssuanceRecovered(ILogger logger, string staff, string? card, string resolution);

    [LoggerMessage(EventId = 3120, Level = LogLevel.Warning, Message = "Half-done issuance of certificate {Serial} waits for card {Card} ({Cause}): it stopped while the card was being written and the card cannot be read now; present the card at the counter (or report it lost) to complete or revoke it.")]
    public static partial void IssuanceWaitsForCard(ILogger logger, string serial, string card, string cause);

    [LoggerMessage(EventId = 3117, Level = LogLevel.Information, Message = "Daily close of {Day} by {Staff}.")]
    public static partial void DayClosed(ILogger logger, string day, string staff);

    [LoggerMessage(EventId = 3118, Level = LogLevel.Information, Message = "Counter action {Action} by {Staff}: {Outcome}, card {Card}.")]
    public static partial void OtherAction(ILogger logger, string action, string staff, string outcome, string? card);

    [LoggerMessage(EventId = 3119, Level = LogLevel.Error, Message = "Counter action {Action} by {Staff} FAILED ({Error}), card {Card}; it is journaled as failed.")]
    public static partial void ActionFailed(ILogger logger, string action, string staff, string error, string? card);
}
