namespace Jpki.Municipality.Staff;

/// <summary>
/// A staff account as stored: who, what role, the password hash (never the password) and the login state.
/// <see cref="ToString"/> shows neither the hash nor the login state.
/// </summary>
/// <param name="Id">Login name (see <see cref="StaffId"/>); recorded in the journal.</param>
/// <param name="DisplayName">Name shown in the pages.</param>
/// <param name="Role">Clerk or supervisor.</param>
/// <param name="PasswordHash">The hash in the format of the hasher that made it (ASP.NET Core's PBKDF2 <c>PasswordHasher</c> in the server).</param>
/// <param name="Disabled">A disabled account cannot log in.</param>
/// <param name="FailedLogins">Failed logins since the last successful one.</param>
/// <param name="LockedUntil">No login is accepted before this instant.</param>
/// <param name="MustChangePassword">The password was given out (initial or reset by a supervisor): the holder must choose a new one.</param>
/// <param name="SessionStamp">Changes whenever every session of the account must end (logout, password change or reset,
/// disabling): a session carries the stamp it was signed in with and is refused once it differs.</param>
/// <param name="OneTimePasswordUsed">A given-out password (<paramref name="MustChangePassword"/>) has been used for one
/// login: it opens no further session; the session it opened may only change it.</param>
public sealed record StaffRecord(
    string Id,
    string DisplayName,
    StaffRole Role,
    string PasswordHash,
    bool Disabled = false,
    int FailedLogins = 0,
    DateTimeOffset? LockedUntil = null,
    bool MustChangePassword = false,
    string SessionStamp = "",
    bool OneTimePasswordUsed = false)
{
    /// <summary>The account the counter's services take.</summary>
    public StaffAccount Account => new(Id, Role);

    /// <summary>True when locked at <paramref name="now"/>.</summary>
    public bool IsLockedAt(DateTimeOffset now) => LockedUntil is { } until && now < until;

    /// <summary>Id and role only.</summary>
    public override string ToString() => $"StaffRecord {{ Id = {Id}, Role = {Role} }}";
}
