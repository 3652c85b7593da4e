using System.Net.Sockets;

namespace Jpki.Card.Transport.Vpcd;

/// <summary>
/// Immediate TCP acknowledgements for the card's vpcd socket. Debian's vpcd 0.8 writes a message's 2-byte length and
/// its payload with two <c>send()</c> calls on a socket with Nagle's algorithm on: the payload leaves only once the
/// length segment is acknowledged, and Linux delays that acknowledgement by up to 40 ms. Every APDU then costs ≈ 44 ms
/// (19 APDU/s through pcscd). <c>TCP_QUICKACK</c> makes the kernel acknowledge at once, but it is not sticky (tcp(7):
/// "subsequent operation of the TCP protocol will once again enter/leave quickack mode"), so it is re-armed before
/// every read.
/// </summary>
internal static class TcpAcknowledgement
{
    private const int IpProtoTcp = 6; // IPPROTO_TCP, <netinet/in.h>
    private const int TcpQuickAck = 12; // TCP_QUICKACK, <linux/tcp.h>
    private static readonly byte[] On = BitConverter.GetBytes(1);

    /// <summary>
    /// Arms TCP_QUICKACK on <paramref name="socket"/> (Linux; elsewhere the option does not exist and nothing is done).
    /// </summary>
    /// <exception cref="SocketException">The socket is closed or broken.</exception>
    public static void ArmQuickAck(Socket socket)
    {
        if (OperatingSystem.IsLinux())
        {
            socket.SetRawSocketOption(IpProtoTcp, TcpQuickAck, On);
        }
    }

    /// <summary>Reads TCP_QUICKACK back (Linux only; false elsewhere). For tests.</summary>
    internal static bool IsQuickAckArmed(Socket socket)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        Span<byte> value = stackalloc byte[4];
        var length = socket.GetRawSocketOption(IpProtoTcp, TcpQuickAck, value);
        return length >= 1 && value[0] != 0;
    }
}
