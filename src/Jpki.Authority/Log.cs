using Microsoft.Extensions.Logging;

namespace Jpki.Authority;

/// <summary>
/// The authority's log messages (source-generated, stable event ids 4100–4199: 4100–4119 revocation publication
/// and OCSP, 4120–4129 certificate issuance and revocation, 4130–4139 time-stamping). They carry
/// CA names, CRL numbers, counts and durations — never keys, PINs or personal data.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "CRL published: {Ca} {Generation} #{Number}, {Documents} documents, {Entries} entries, {Bytes} bytes, built and checked in {Milliseconds} ms (of which the coverage check {CheckMilliseconds} ms).")]
    public static partial void Published(ILogger logger, string ca, string generation, long number, int documents, long entries, long bytes, long milliseconds, long checkMilliseconds);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Error, Message = "CRL publication of the {Ca} CA failed; the current CRLs stay published until their nextUpdate and it is tried again.")]
    public static partial void PublicationFailed(ILogger logger, string ca, Exception exception);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Critical, Message = "CRL publication of the {Ca} CA REFUSED by the coverage check (the current CRLs stay published): {Problems}")]
    public static partial void CoverageRefused(ILogger logger, string ca, string problems);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "CRL #{Number} of the {Ca} CA was not published: another publisher published a newer one meanwhile.")]
    public static partial void PublicationSuperseded(ILogger logger, string ca, long number);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "CRL #{Number} of the {Ca} CA was not published: this process lost the publisher lease while building it.")]
    public static partial void PublicationAbandoned(ILogger logger, string ca, long number);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Information, Message = "This process is now the revocation publisher (CRLs and pre-signed OCSP answers) of its registry.")]
    public static partial void PublisherLeaseTaken(ILogger logger);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Warning, Message = "This process is no longer the revocation publisher (its lease was lost); another process takes over.")]
    public static partial void PublisherLeaseLost(ILogger logger);

    [LoggerMessage(EventId = 4107, Level = LogLevel.Warning, Message = "The publisher lease could not be asked for; retrying.")]
    public static partial void PublisherLeaseFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4108, Level = LogLevel.Warning, Message = "Reading the published revocation data failed; serving what this process has and retrying.")]
    public static partial void PublicationRefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4110, Level = LogLevel.Warning, Message = "Pre-signing OCSP answers failed; retrying.")]
    public static partial void PresignFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4111, Level = LogLevel.Debug, Message = "Pre-signed {Count} OCSP answers in {Milliseconds} ms.")]
    public static partial void Presigned(ILogger logger, int count, long milliseconds);

    [LoggerMessage(EventId = 4112, Level = LogLevel.Warning, Message = "Following the registry's revocations failed (OCSP cache invalidation); retrying.")]
    public static partial void FeedFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4113, Level = LogLevel.Error, Message = "An OCSP request of the {Ca} CA could not be answered (internalError sent).")]
    public static partial void OcspAnswerFailed(ILogger logger, string ca, Exception exception);

    [LoggerMessage(EventId = 4114, Level = LogLevel.Warning, Message = "Refreshing a cached OCSP answer of the {Ca} CA failed; the cached answer stays valid until its nextUpdate and the next request tries again.")]
    public static partial void OcspRefreshFailed(ILogger logger, string ca, Exception exception);

    [LoggerMessage(EventId = 4115, Level = LogLevel.Warning, Message = "Storing {Count} OCSP answers signed on demand failed; this process serves them from memory and the publisher signs them in its batches.")]
    public static partial void OcspStoreFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 4116, Level = LogLevel.Warning, Message = "Recording the OCSP signers failed at shutdown.")]
    public static partial void OcspRecordingFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4120, Level = LogLevel.Information, Message = "Certificate issued: {Kind} serial {Serial} by {Actor} (renewal of {Previous}).")]
    public static partial void CertificateIssued(ILogger logger, string kind, string serial, string actor, string? previous);

    [LoggerMessage(EventId = 4121, Level = LogLevel.Warning, Message = "Certificate issuance refused: {Kind}, code {Code}, field {Field}, requested by {Actor}.")]
    public static partial void IssuanceRefused(ILogger logger, string kind, string code, string? field, string actor);

    [LoggerMessage(EventId = 4122, Level = LogLevel.Information, Message = "Issuance request {RequestId} repeated: answered the certificate {Serial} issued the first time.")]
    public static partial void IssuanceRepeated(ILogger logger, string requestId, string serial);

    [LoggerMessage(EventId = 4123, Level = LogLevel.Warning, Message = "Issuance request {RequestId} reused for a different request: refused.")]
    public static partial void IssuanceRequestConflict(ILogger logger, string requestId);

    [LoggerMessage(EventId = 4124, Level = LogLevel.Information, Message = "Certificate revoked: {Kind} serial {Serial}, reason {Reason}, by {Actor}.")]
    public static partial void CertificateRevoked(ILogger logger, string kind, string serial, string reason, string actor);

    [LoggerMessage(EventId = 4125, Level = LogLevel.Warning, Message = "Revocation of serial {Serial} by {Actor} not done: {Result}.")]
    public static partial void RevocationNotDone(ILogger logger, string serial, string actor, string result);

    [LoggerMessage(EventId = 4130, Level = LogLevel.Debug, Message = "Time-stamp token {Serial} issued ({Algorithm} imprint).")]
    public static partial void TimestampIssued(ILogger logger, long serial, string algorithm);

    [LoggerMessage(EventId = 4131, Level = LogLevel.Warning, Message = "Time-stamp request refused: {Failure} ({Reason}).")]
    public static partial void TimestampRefused(ILogger logger, string failure, string reason);
}
