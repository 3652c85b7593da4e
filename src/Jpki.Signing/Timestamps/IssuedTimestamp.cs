using System.Security.Cryptography.X509Certificates;

namespace Jpki.Signing.Timestamps;

/// <summary>A token the TSA issued.</summary>
/// <param name="Token">The DER TimeStampToken exactly as the TSA sent it (a ContentInfo with SignedData over TSTInfo).</param>
/// <param name="GenTime">The time the TSA attests.</param>
/// <param name="SerialNumber">The token's serial number (hex).</param>
/// <param name="TsaCertificate">The TSA certificate the token carries (asked for with certReq), or null.</param>
public sealed record IssuedTimestamp(byte[] Token, DateTimeOffset GenTime, string SerialNumber, X509Certificate2? TsaCertificate);
