using System.Text.Json.Serialization;

namespace Jpki.Verification.Signatures;

/// <summary>The validation of one time-stamp token inside a signature.</summary>
public sealed record TimestampReport
{
    /// <summary>What the token covers.</summary>
    public required TimestampKind Kind { get; init; }

    /// <summary>TOTAL-PASSED when the token is intact, signed by a trusted TSA certificate (id-kp-timeStamping) and over the right data.</summary>
    public required Indication Indication { get; init; }

    /// <summary>Why not, when not TOTAL-PASSED.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SubIndication? SubIndication { get; init; }

    /// <summary>A sentence a person can act on.</summary>
    public required string Message { get; init; }

    /// <summary>The time the TSA attests (TSTInfo genTime), when the token could be read.</summary>
    public DateTimeOffset? GenTime { get; init; }

    /// <summary>The TSA certificate that signed the token, when found.</summary>
    public CertificateSummary? Tsa { get; init; }

    /// <summary>The token's serial number (hex), when the token could be read.</summary>
    public string? SerialNumber { get; init; }

    /// <summary>The TSA policy OID of the token.</summary>
    public string? Policy { get; init; }

    /// <summary>The imprint's hash algorithm (SHA256, SHA384, SHA512).</summary>
    public string? HashAlgorithm { get; init; }

    /// <summary>True when the token was used as proof of existence (its genTime bounds the best signature time or a later check).</summary>
    public bool UsedAsProof { get; init; }
}
