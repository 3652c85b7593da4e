namespace Jpki.Municipality.Residents;

/// <summary>A registry change as recorded (the event), with what it asked the authority to revoke.</summary>
/// <param name="Id">Event id.</param>
/// <param name="Kind">What changed.</param>
/// <param name="ResidentId">Whose record.</param>
/// <param name="At">When it was recorded.</param>
/// <param name="StaffId">Who recorded it.</param>
/// <param name="Summary">What changed, without secrets (field names, not My Numbers).</param>
public sealed record ResidentChangeRecord(string Id, ResidentChangeKind Kind, string ResidentId, DateTimeOffset At, string StaffId, string Summary);
