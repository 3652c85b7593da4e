namespace Jpki.Verification.Revocation;

/// <summary>Options of <see cref="CrlRevocationSource"/>.</summary>
public sealed record CrlSourceOptions
{
    /// <summary>Tolerance for the publisher's clock when judging nextUpdate. Default 5 minutes.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Where to download CRLs. Null (default): the http(s) URIs in the certificate's cRLDistributionPoints; downloads
    /// happen only when the source was given an <see cref="HttpClient"/>.
    /// </summary>
    public Uri? DownloadUri { get; init; }

    /// <summary>
    /// Apply delta CRLs (RFC 5280 §5.2.4): loaded ones, and those downloaded from the freshestCRL extension of the
    /// certificate or of the complete CRL. Default true. A delta makes a revocation visible before the next complete
    /// CRL; without one, the complete CRL alone answers.
    /// </summary>
    public bool UseDeltas { get; init; } = true;

    /// <summary>The largest CRL accepted from the network. Default 512 MiB (a CRL of 10 million entries).</summary>
    public long MaxDownloadBytes { get; init; } = 512L * 1024 * 1024;
}
