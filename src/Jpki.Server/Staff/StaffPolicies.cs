namespace Jpki.Server.Staff;

/// <summary>
/// The authorization policies for city staff pages and APIs (counter, e-application queue). The authentication scheme
/// and the staff accounts behind them are set up by the counter's web interface.
/// </summary>
public static class StaffPolicies
{
    /// <summary>Any signed-in staff member: a clerk or a supervisor.</summary>
    public const string Clerk = "staff-clerk";

    /// <summary>A supervisor: revocation at a third party's request and the daily close.</summary>
    public const string Supervisor = "staff-supervisor";
}
