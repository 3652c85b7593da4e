namespace Jpki.Municipality.Staff;

/// <summary>The outcome of a login: the account, or a code (<c>bad-credentials</c>, <c>locked</c>, <c>disabled</c>, <c>one-time-used</c>).</summary>
/// <param name="Staff">The account when the login succeeded.</param>
/// <param name="Code">The refusal code otherwise.</param>
public sealed record StaffLoginResult(StaffRecord? Staff, string? Code)
{
    /// <summary>Unknown id or wrong password (not told apart).</summary>
    public const string BadCredentials = "bad-credentials";

    /// <summary>Locked after repeated failures.</summary>
    public const string Locked = "locked";

    /// <summary>Disabled by a supervisor.</summary>
    public const string Disabled = "disabled";

    /// <summary>A given-out password (first admin, reset) that already opened a session.</summary>
    public const string OneTimeUsed = "one-time-used";

    /// <summary>True when <see cref="Staff"/> is set.</summary>
    public bool Succeeded => Staff is not null;
}
