using System.Xml.Linq;
using Jpki.Municipality.Storage;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Jpki.Server.Staff;

/// <summary>
/// Keeps the ASP.NET Core data-protection key ring (which protects the staff cookie and the CSRF tokens) in the counter
/// store: the data folder's <c>counter.db</c> for one server, the shared PostgreSQL database for several. Two
/// deployments never share keys, so one's cookies are worthless at the other (issue 12); the servers of one deployment
/// share them, so a session survives a restart and works on each. The elements are stored as written (the store is as
/// private as the staff password hashes it also holds).
/// </summary>
internal sealed class CounterStoreKeyRepository(ICounterStore store) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() =>
        // Called at start and at key rotation only, from synchronous framework code.
        [.. store.ListDataProtectionKeysAsync(CancellationToken.None).GetAwaiter().GetResult().Select(xml => XElement.Parse(xml))];

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        var name = string.IsNullOrEmpty(friendlyName) ? Guid.NewGuid().ToString("N") : friendlyName;
        store.StoreDataProtectionKeyAsync(name, element.ToString(SaveOptions.DisableFormatting), CancellationToken.None).GetAwaiter().GetResult();
    }
}
