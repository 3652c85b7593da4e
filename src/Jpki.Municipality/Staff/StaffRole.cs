namespace Jpki.Municipality.Staff;

/// <summary>What a staff account may do.</summary>
public enum StaffRole
{
    /// <summary>Day-to-day counter work.</summary>
    Clerk = 1,

    /// <summary>Also revocation at a third party's request and the daily close.</summary>
    Supervisor = 2,
}
