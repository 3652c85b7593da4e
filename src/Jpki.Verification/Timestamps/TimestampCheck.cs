using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Verification.Signatures;

namespace Jpki.Verification.Timestamps;

/// <summary>What <see cref="TimestampVerifier"/> found about one token.</summary>
public sealed record TimestampCheck
{
    /// <summary>TOTAL-PASSED, TOTAL-FAILED (wrong imprint, bad signature, malformed) or INDETERMINATE (untrusted or unfit TSA).</summary>
    public required Indication Indication { get; init; }

    /// <summary>Why not passed.</summary>
    public SubIndication? SubIndication { get; init; }

    /// <summary>A sentence a person can act on.</summary>
    public required string Message { get; init; }

    /// <summary>genTime, when the token could be read.</summary>
    public DateTimeOffset? GenTime { get; init; }

    /// <summary>The TSA certificate that signed the token, when found.</summary>
    public X509Certificate2? TsaCertificate { get; init; }

    /// <summary>The earliest notAfter over the TSA's chain: after it, the token proves nothing unless a later archive time-stamp covers it.</summary>
    public DateTimeOffset? ChainNotAfter { get; init; }

    /// <summary>The serial number (hex).</summary>
    public string? SerialNumber { get; init; }

    /// <summary>The TSA policy OID.</summary>
    public string? Policy { get; init; }

    /// <summary>The imprint's hash algorithm.</summary>
    public HashAlgorithmName? HashAlgorithm { get; init; }

    /// <summary>True when passed.</summary>
    public bool IsValid => Indication == Indication.TotalPassed;
}
