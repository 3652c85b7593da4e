using Microsoft.Extensions.Logging;

namespace Jpki.Verification;

/// <summary>
/// The verifier's log messages (source-generated, stable event ids 5100–5199: 5101–5102 logins, 5110–5119 certificate,
/// signature and revocation decisions). They carry certificate serials, issuer (CA) names, verdict codes, ETSI
/// indications and revocation sources — never a subject name, the basic 4 info, a document's name or content.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5110, Level = LogLevel.Debug, Message = "Certificate {Serial} of {Issuer} accepted ({Kind}): path, profile and revocation checked.")]
    public static partial void CertificateAccepted(ILogger logger, string serial, string issuer, string kind);

    [LoggerMessage(EventId = 5111, Level = LogLevel.Information, Message = "Certificate {Serial} of {Issuer} refused ({Kind}): {Verdict}.")]
    public static partial void CertificateRefused(ILogger logger, string serial, string issuer, string kind, string verdict);

    [LoggerMessage(EventId = 5112, Level = LogLevel.Debug, Message = "Signature of certificate {Serial} accepted.")]
    public static partial void SignatureAccepted(ILogger logger, string serial);

    [LoggerMessage(EventId = 5113, Level = LogLevel.Information, Message = "Signature of certificate {Serial} refused: {Verdict}.")]
    public static partial void SignatureRefused(ILogger logger, string serial, string verdict);

    [LoggerMessage(EventId = 5114, Level = LogLevel.Information, Message = "Signature validation ({Format} {Level}): {Indication}/{SubIndication}, signer certificate {Serial} of {Issuer}.")]
    public static partial void SignatureValidated(ILogger logger, string format, string level, string indication, string subIndication, string serial, string issuer);

    [LoggerMessage(EventId = 5115, Level = LogLevel.Information, Message = "Revocation source {Source} gave no usable answer for certificate {Serial} of {Issuer}: {Reason}")]
    public static partial void RevocationSourceFailed(ILogger logger, string source, string serial, string issuer, string reason);

    [LoggerMessage(EventId = 5116, Level = LogLevel.Warning, Message = "No revocation source established the status of certificate {Serial} of {Issuer}: refused (fail closed).")]
    public static partial void NoRevocationData(ILogger logger, string serial, string issuer);

    [LoggerMessage(EventId = 5117, Level = LogLevel.Warning, Message = "No revocation source established the status of certificate {Serial} of {Issuer}: ACCEPTED because UnsafeSkipRevocationCheck is set.")]
    public static partial void RevocationSkipped(ILogger logger, string serial, string issuer);
}
