using Microsoft.Extensions.Logging;

namespace Jpki.Oidc;

/// <summary>
/// The OpenID Connect provider's log messages (source-generated, stable event ids 6300–6399): card login steps at the
/// provider accepted or refused by their code, and authorizations given to or refused for a client — named by its
/// client id only. Never a certificate's subject, the basic 4 info, a pairwise subject, a code or a token.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 6301, Level = LogLevel.Information, Message = "Card {Step} at the provider accepted.")]
    public static partial void CardStepAccepted(ILogger logger, string step);

    [LoggerMessage(EventId = 6302, Level = LogLevel.Information, Message = "Card {Step} at the provider refused: {Code}.")]
    public static partial void CardStepRefused(ILogger logger, string step, string code);

    [LoggerMessage(EventId = 6303, Level = LogLevel.Information, Message = "Authorization given to client {ClientId} (scopes {Scopes}): its code and tokens are issued.")]
    public static partial void AuthorizationGiven(ILogger logger, string clientId, string scopes);

    [LoggerMessage(EventId = 6304, Level = LogLevel.Information, Message = "Authorization refused for client {ClientId}: {Error}.")]
    public static partial void AuthorizationRefused(ILogger logger, string clientId, string error);
}
