namespace Jpki.Verification.Paths;

/// <summary>Options of <see cref="PathValidator"/>.</summary>
public sealed record PathValidationOptions
{
    /// <summary>
    /// Accept the J-LIS test-environment policies (<c>1.2.392.200149.8.5.1.0.20</c> sign, <c>.0.30</c> auth) as the
    /// production ones. Default false: a test card's signature is not valid in production.
    /// </summary>
    public bool AllowTestPolicy { get; init; }

    /// <summary>The most intermediate CA certificates a path may hold (JPKI paths have none). Default 4.</summary>
    public int MaxIntermediates { get; init; } = 4;
}
