namespace Jpki.Municipality.Staff;

/// <summary>The staff member operating the counter (authentication comes with the web interface).</summary>
/// <param name="Id">Account name, recorded in the journal.</param>
/// <param name="Role">Clerk or supervisor.</param>
public sealed record StaffAccount(string Id, StaffRole Role)
{
    /// <summary>A clerk account.</summary>
    public static StaffAccount Clerk(string id) => new(id, StaffRole.Clerk);

    /// <summary>A supervisor account.</summary>
    public static StaffAccount Supervisor(string id) => new(id, StaffRole.Supervisor);
}
