using Microsoft.Extensions.Logging;

namespace Jpki.Card;

/// <summary>
/// The card's log messages (source-generated, stable event ids 2100–2199): PIN and PUK lock-outs of a virtual card,
/// named by its card number, application and reference name with the tries left — never a PIN, PUK or key value.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Card {Card}: wrong {Application} {Reference}, {TriesLeft} tries left.")]
    public static partial void WrongPin(ILogger logger, string card, string application, string reference, int triesLeft);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Card {Card}: {Application} {Reference} BLOCKED after its last wrong try; only a reset at the counter (or the PUK) opens it again.")]
    public static partial void PinBlocked(ILogger logger, string card, string application, string reference);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Information, Message = "Card {Card}: {Application} {Reference} is blocked; a VERIFY was refused without a try.")]
    public static partial void VerifyWhileBlocked(ILogger logger, string card, string application, string reference);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Information, Message = "Card {Card}: wrong PUK for {Application} {Reference}, {TriesLeft} PUK tries left.")]
    public static partial void WrongPuk(ILogger logger, string card, string application, string reference, int triesLeft);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Warning, Message = "Card {Card}: the PUK of {Application} is BLOCKED after its last wrong try.")]
    public static partial void PukBlocked(ILogger logger, string card, string application);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Information, Message = "Card {Card}: {Application} {Reference} unblocked with the PUK (new PIN set: {Replaced}).")]
    public static partial void PinUnblocked(ILogger logger, string card, string application, string reference, bool replaced);
}
