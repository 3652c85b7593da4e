namespace Jpki.Municipality.Residents;

/// <summary>State of a <see cref="RevocationTask"/>.</summary>
public enum RevocationTaskStatus
{
    /// <summary>Not yet confirmed by the authority; retried.</summary>
    Pending = 0,

    /// <summary>The authority confirmed every revocation.</summary>
    Done = 1,
}
