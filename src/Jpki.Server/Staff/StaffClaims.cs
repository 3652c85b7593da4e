using System.Security.Claims;
using Jpki.Municipality.Staff;

namespace Jpki.Server.Staff;

/// <summary>The claims of a signed-in staff member (cookie <see cref="Scheme"/>): id, display name, role.</summary>
internal static class StaffClaims
{
    public const string Scheme = "jpki-staff";
    public const string ClerkRole = "clerk";
    public const string SupervisorRole = "supervisor";
    public const string MustChangePassword = "jpki:must-change-password";

    /// <summary>The account's session stamp at sign-in (<see cref="StaffRecord.SessionStamp"/>): a session whose stamp differs has ended.</summary>
    public const string SessionStamp = "jpki:session-stamp";

    /// <summary>When the holder signed in with a password (Unix seconds): a session lasts at most 8 hours from it, however active.</summary>
    public const string SignedInAt = "jpki:signed-in-at";

    /// <summary>The claims of <paramref name="staff"/>, signed in with a password at <paramref name="signedInAt"/>.</summary>
    public static ClaimsPrincipal Principal(StaffRecord staff, DateTimeOffset signedInAt)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, staff.Id),
            new(ClaimTypes.Name, staff.DisplayName),
            new(ClaimTypes.Role, staff.Role == StaffRole.Supervisor ? SupervisorRole : ClerkRole),
            new(SessionStamp, staff.SessionStamp),
            new(SignedInAt, signedInAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        if (staff.MustChangePassword)
        {
            claims.Add(new Claim(MustChangePassword, "1"));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>The account for the counter's services, or null when nobody is signed in.</summary>
    public static StaffAccount? Account(ClaimsPrincipal user)
    {
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier);
        if (id is null || user.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        return new StaffAccount(id, user.IsInRole(SupervisorRole) ? StaffRole.Supervisor : StaffRole.Clerk);
    }

    public static string DisplayName(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Name) ?? string.Empty;

    public static string RoleName(StaffRole role) => role == StaffRole.Supervisor ? "監督者" : "窓口職員";
}
