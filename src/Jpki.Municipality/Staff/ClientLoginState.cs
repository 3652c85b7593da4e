namespace Jpki.Municipality.Staff;

/// <summary>Failed logins of one login id from one client (terminal address), and the lock they caused.</summary>
/// <param name="Failures">Failed attempts since the last success or the end of the last lock.</param>
/// <param name="LockedUntil">No login of that id from that client is accepted before this instant.</param>
public sealed record ClientLoginState(int Failures, DateTimeOffset? LockedUntil)
{
    /// <summary>True when locked at <paramref name="now"/>.</summary>
    public bool IsLockedAt(DateTimeOffset now) => LockedUntil is { } until && now < until;
}
