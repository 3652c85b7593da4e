using Microsoft.Extensions.Logging;

namespace Jpki.OnlineApplication;

/// <summary>
/// The online application's log messages (source-generated, stable event ids 6200–6299): a signed request received,
/// accepted (receipt number, kind, format, the signer certificate's serial) or refused with its code, a clerk's
/// re-verification and decision. Never the applicant's name, address, birth date, the request's content, a
/// certificate's subject, a refusal's sentence or a clerk's note.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 6201, Level = LogLevel.Information, Message = "Online application received: {Format} signature of {Bytes} bytes.")]
    public static partial void Received(ILogger logger, string format, int bytes);

    [LoggerMessage(EventId = 6202, Level = LogLevel.Information, Message = "Online application accepted: receipt {Receipt}, {Kind}, {Format} signature of certificate {Serial}, kept at B-LTA.")]
    public static partial void Accepted(ILogger logger, string receipt, string kind, string format, string serial);

    [LoggerMessage(EventId = 6203, Level = LogLevel.Information, Message = "Online application refused: {Code} (HTTP {Status}).")]
    public static partial void Refused(ILogger logger, string code, int status);

    [LoggerMessage(EventId = 6204, Level = LogLevel.Information, Message = "Application {Receipt} re-verified by {Staff}: {Indication}/{SubIndication}.")]
    public static partial void Reverified(ILogger logger, string receipt, string staff, string indication, string subIndication);

    [LoggerMessage(EventId = 6205, Level = LogLevel.Information, Message = "Application {Receipt} decided by {Staff}: {Decision}.")]
    public static partial void Decided(ILogger logger, string receipt, string staff, string decision);
}
