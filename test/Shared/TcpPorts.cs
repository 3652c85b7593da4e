using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Jpki.Testing;

/// <summary>Fixed TCP ports that a test server (vpcd inside pcscd) must bind.</summary>
public static class TcpPorts
{
    /// <summary>
    /// Waits (bounded) until <paramref name="port"/> can be bound on all addresses without SO_REUSEADDR, as vpcd binds it.
    /// vpcd's ports (36000, 36001) lie in Linux's ephemeral range, so an earlier outgoing connection (PostgreSQL, HTTP)
    /// may hold one in TIME_WAIT for up to a minute; test.sh reserves them on CI, this covers other machines.
    /// </summary>
    public static void WaitUntilBindable(int port, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, false);
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Any, port));
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse && watch.Elapsed < timeout)
            {
                Thread.Sleep(TimeSpan.FromMilliseconds(500));
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                throw new InvalidOperationException(
                    $"TCP port {port} stayed in use for {timeout.TotalSeconds:F0} s (see `ss -tanp | grep {port}`); vpcd needs it. As root, reserve it: echo 36000-36001 > /proc/sys/net/ipv4/ip_local_reserved_ports", e);
            }
        }
    }
}
