namespace Jpki.Municipality.Applications;

/// <summary>Where a holder's certificate stands at a given time.</summary>
public enum CertificateStanding
{
    /// <summary>Not revoked and not expired.</summary>
    Valid = 1,

    /// <summary>Past its end of validity (not revoked).</summary>
    Expired = 2,

    /// <summary>Revoked (final).</summary>
    Revoked = 3,
}
