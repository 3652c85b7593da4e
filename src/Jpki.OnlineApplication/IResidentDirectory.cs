using Jpki.Municipality.Residents;

namespace Jpki.OnlineApplication;

/// <summary>
/// The resident register as the staff queue needs it: residents with a name and a date of birth. The default is the
/// counter's store (<c>counter.db</c>); register another implementation in DI to share the counter's instance.
/// </summary>
internal interface IResidentDirectory
{
    Task<IReadOnlyList<Resident>> FindAsync(string name, DateOnly dateOfBirth, CancellationToken cancellationToken);
}
