namespace Jpki.Municipality.Issuance;

/// <summary>How <see cref="HttpCertificateIssuer"/> retries when it gets no answer from the authority.</summary>
public sealed class HttpCertificateIssuerOptions
{
    /// <summary>Further attempts after the first when no answer came (connection lost, timeout, 502/503/504); default 4.</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>The first wait before a retry; it doubles with each attempt, with jitter. Default 500 ms.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The clock the waits run on (tests give a fake one).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
