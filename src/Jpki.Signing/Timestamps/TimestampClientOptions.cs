namespace Jpki.Signing.Timestamps;

/// <summary>Options of <see cref="HttpTimestampClient"/>.</summary>
public sealed record TimestampClientOptions
{
    /// <summary>The TSA policy to ask for (reqPolicy); null lets the TSA choose.</summary>
    public string? Policy { get; init; }

    /// <summary>The largest answer accepted, in bytes. Default 256 KiB.</summary>
    public int MaxResponseBytes { get; init; } = 256 * 1024;

    /// <summary>Where a failed time-stamp is logged (event 6110: the TSA's address and why). Default null: nowhere.</summary>
    public Microsoft.Extensions.Logging.ILogger? Logger { get; init; }
}
