namespace Jpki.Municipality.Staff;

/// <summary>A login id locked from one client (terminal address) until <paramref name="LockedUntil"/>.</summary>
/// <param name="StaffId">The account's login id, or the hashed key of an unknown id (leading <c>~</c>).</param>
/// <param name="Client">The client address the failures came from.</param>
/// <param name="LockedUntil">No login of that id from that client is accepted before this instant.</param>
public sealed record ClientLock(string StaffId, string Client, DateTimeOffset LockedUntil);
