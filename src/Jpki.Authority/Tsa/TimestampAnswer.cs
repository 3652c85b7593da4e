namespace Jpki.Authority.Tsa;

/// <summary>What the TSA answered one request: the DER TimeStampResp to send, and the facts for logs and metrics.</summary>
/// <param name="Granted">True when a token was issued (PKIStatus granted).</param>
/// <param name="Failure">Why the request was rejected; <see cref="TimestampFailure.None"/> when granted.</param>
/// <param name="Message">The statusString sent to the client, or a short note for a granted token.</param>
/// <param name="Der">The DER TimeStampResp (RFC 3161 §2.4.2), always present.</param>
/// <param name="Serial">The serial number of the issued token (its audit-log sequence number); null when rejected.</param>
/// <param name="GenTime">The genTime of the issued token; null when rejected.</param>
public sealed record TimestampAnswer(bool Granted, TimestampFailure Failure, string Message, byte[] Der, long? Serial, DateTimeOffset? GenTime);
