using System.Net;
using System.Net.Sockets;

namespace Jpki.Load.Safety;

/// <summary>
/// HTTP clients that connect only to the vetted loopback addresses (whatever the URL's host resolves to later),
/// follow no redirects, and keep up to <c>connections</c> connections open.
/// </summary>
internal static class LoadHttp
{
    public static SocketsHttpHandler Handler(IReadOnlyList<IPAddress> addresses, int connections, CookieContainer? cookies = null)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Math.Max(1, connections),
            PooledConnectionLifetime = TimeSpan.FromMinutes(30),
            AllowAutoRedirect = false,
            UseCookies = cookies is not null,
            CookieContainer = cookies ?? new CookieContainer(),
            ConnectCallback = async (context, cancellationToken) =>
            {
                var port = context.DnsEndPoint.Port;
                Exception? last = null;
                foreach (var address in addresses)
                {
                    var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    try
                    {
                        await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken).ConfigureAwait(false);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch (SocketException e)
                    {
                        socket.Dispose();
                        last = e;
                    }
                }

                throw new HttpRequestException(HttpRequestError.ConnectionError, "no loopback address accepted the connection", last);
            },
        };
        return handler;
    }

    /// <summary>A client on <paramref name="baseUrl"/>; the per-request timeout is the runner's, not the client's.</summary>
    public static HttpClient Client(string baseUrl, HttpMessageHandler handler) =>
        new(handler, disposeHandler: true) { BaseAddress = new Uri(baseUrl.TrimEnd('/') + "/"), Timeout = Timeout.InfiniteTimeSpan };
}
