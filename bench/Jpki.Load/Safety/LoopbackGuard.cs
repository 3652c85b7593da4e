using System.Net;
using System.Net.Sockets;

namespace Jpki.Load.Safety;

/// <summary>
/// The tool only loads its own machine: the target's host must be, or resolve only to, loopback addresses
/// (127.0.0.0/8, ::1). The addresses checked here are the only ones the HTTP client connects to
/// (<see cref="LoadHttp"/>), so a name that resolves differently later cannot send load elsewhere.
/// </summary>
internal static class LoopbackGuard
{
    /// <summary>The loopback addresses of <paramref name="target"/>, or a sentence saying why it is refused.</summary>
    public static async Task<(IReadOnlyList<IPAddress>? Addresses, string? Refusal)> CheckAsync(string target, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(target, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return (null, $"'{target}' is not an http:// or https:// URL; jpki-load only targets loopback addresses (127.0.0.0/8, ::1).");
        }

        IPAddress[] addresses;
        if (IPAddress.TryParse(uri.IdnHost, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(uri.IdnHost, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                return (null, $"cannot resolve '{uri.Host}' ({e.SocketErrorCode}); jpki-load only targets loopback addresses (127.0.0.0/8, ::1).");
            }
        }

        if (addresses.Length == 0)
        {
            return (null, $"'{uri.Host}' resolves to no address; jpki-load only targets loopback addresses (127.0.0.0/8, ::1).");
        }

        var outside = addresses.FirstOrDefault(a => !IsLoopback(a));
        return outside is null
            ? (addresses.Select(Normalise).ToList(), null)
            : (null, $"refusing {uri.Host}: it resolves to {outside}, which is not a loopback address. jpki-load only loads this machine (127.0.0.0/8, ::1).");
    }

    /// <summary>True for 127.0.0.0/8, ::1 and their IPv4-mapped forms.</summary>
    public static bool IsLoopback(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return IPAddress.IsLoopback(Normalise(address));
    }

    private static IPAddress Normalise(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
