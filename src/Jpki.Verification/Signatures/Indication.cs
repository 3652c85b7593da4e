using System.Text.Json.Serialization;

namespace Jpki.Verification.Signatures;

/// <summary>The main status of a signature validation (ETSI EN 319 102-1 §5.1.3, Table 4).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Indication>))]
public enum Indication
{
    /// <summary><c>TOTAL-PASSED</c>: every check passed; the signature is valid under the policy.</summary>
    [JsonStringEnumMemberName("TOTAL-PASSED")]
    TotalPassed = 0,

    /// <summary><c>TOTAL-FAILED</c>: the signature is invalid (a hash or signature check failed, or it was proven made with a revoked or expired certificate).</summary>
    [JsonStringEnumMemberName("TOTAL-FAILED")]
    TotalFailed = 1,

    /// <summary><c>INDETERMINATE</c>: the available information does not tell valid from invalid (no chain, no revocation data, no proof of existence…).</summary>
    [JsonStringEnumMemberName("INDETERMINATE")]
    Indeterminate = 2,
}
