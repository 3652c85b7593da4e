using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;

namespace Jpki.Server.Web;

/// <summary>
/// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> from the configured reverse proxies only
/// (<see cref="JpkiServerOptions.TrustedProxies"/>), through ASP.NET Core's forwarded-headers middleware. Without any,
/// the middleware is not used at all and the headers mean nothing (ASP.NET Core's own default would trust loopback).
/// </summary>
internal static class ForwardedFromProxies
{
    /// <summary>Registers the options; returns whether the middleware is to be used.</summary>
    /// <exception cref="ArgumentException">An entry is neither an IP address nor a network in CIDR notation.</exception>
    public static bool Configure(IServiceCollection services, IReadOnlyList<string> proxies)
    {
        if (proxies.Count == 0)
        {
            return false;
        }

        var addresses = new List<IPAddress>();
        var networks = new List<System.Net.IPNetwork>();
        foreach (var proxy in proxies)
        {
            if (!TryParse(proxy, out var address, out var network))
            {
                throw new ArgumentException($"'{proxy}' is not an IP address or a CIDR network (e.g. 10.0.0.5 or 10.0.0.0/24).", nameof(proxies));
            }

            if (address is not null)
            {
                addresses.Add(address);
            }
            else
            {
                networks.Add(network);
            }
        }

        services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.ForwardLimit = 1;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            addresses.ForEach(forwarded.KnownProxies.Add);
            networks.ForEach(forwarded.KnownIPNetworks.Add);
        });
        return true;
    }

    /// <summary>An address (<c>10.0.0.5</c>, <c>::1</c>) or a network (<c>10.0.0.0/24</c>).</summary>
    public static bool TryParse(string value, out IPAddress? address, out System.Net.IPNetwork network)
    {
        network = default;
        address = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        return value.Contains('/', StringComparison.Ordinal)
            ? System.Net.IPNetwork.TryParse(value, out network)
            : IPAddress.TryParse(value, out address);
    }
}
