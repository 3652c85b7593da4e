using Jpki.Municipality.Staff;

namespace Jpki.Server.Staff;

/// <summary>The outcome of a login: the account, or a code (<c>bad-credentials</c>, <c>locked</c>, <c>disabled</c>, <c>one-time-used</c>).</summary>
internal sealed record StaffLoginResult(StaffRecord? Staff, string? Code)
{
    public const string BadCredentials = "bad-credentials";
    public const string Locked = "locked";
    public const string Disabled = "disabled";
    public const string OneTimeUsed = "one-time-used";

    public bool Succeeded => Staff is not null;
}
