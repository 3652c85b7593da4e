using Microsoft.Extensions.Logging;

namespace Jpki.Signing;

/// <summary>
/// The signing library's log messages (source-generated, stable event ids 6100–6199: 6101–6109 signatures made and
/// extended, 6110–6119 time-stamps, 6120–6129 validation data). They carry formats, levels, certificate serials,
/// issuer (CA) names, TSA and revocation-service addresses and counts — never a subject name, a document's name or
/// content, a PIN or a key.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "Signature made: {Format} {Level}, signer certificate {Serial} of {Issuer}.")]
    public static partial void SignatureMade(ILogger logger, string format, string level, string serial, string issuer);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Information, Message = "Signature extended: {Format} to {Level}, {Problems} validation-data problem(s).")]
    public static partial void SignatureExtended(ILogger logger, string format, string level, int problems);

    [LoggerMessage(EventId = 6110, Level = LogLevel.Warning, Message = "Time-stamp from the TSA {Tsa} failed: {Failure}")]
    public static partial void TimestampFailed(ILogger logger, string tsa, string failure);

    [LoggerMessage(EventId = 6120, Level = LogLevel.Information, Message = "Validation data ({Source}) for certificate {Serial} of {Issuer} could not be fetched: {Reason}")]
    public static partial void RevocationSourceFailed(ILogger logger, string source, string serial, string issuer, string reason);

    [LoggerMessage(EventId = 6121, Level = LogLevel.Warning, Message = "No revocation data was fetched for certificate {Serial} of {Issuer}: the signature cannot reach B-LT for it.")]
    public static partial void NoRevocationData(ILogger logger, string serial, string issuer);

    /// <summary>The names of a level in the ETSI baseline profiles.</summary>
    public static string NameOf(Cades.CadesLevel level) => level switch
    {
        Cades.CadesLevel.BaselineB => "B-B",
        Cades.CadesLevel.BaselineT => "B-T",
        Cades.CadesLevel.BaselineLt => "B-LT",
        Cades.CadesLevel.BaselineLta => "B-LTA",
        _ => level.ToString(),
    };
}
