using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Jpki.Card.Transport.Vpcd;

/// <summary>
/// Inserts a card into pcscd's vpcd reader: the card is the TCP client of vpcd (default 127.0.0.1:35963). Every message
/// is a 2-byte big-endian length and a payload; one-byte payloads are control messages (00 power off, 01 power on,
/// 02 reset — no reply; 04 get ATR — reply the framed ATR), longer ones are command APDUs answered with the framed
/// response (vsmartcard <c>doc/api.txt</c>, CARD-INTEROP §2). On EOF or a socket error the card counts as removed and
/// the connector reconnects with a bounded backoff until cancelled.
/// </summary>
public sealed class VpcdCardConnector
{
    /// <summary>vpcd's default port (CHANNELID 0x8C7B).</summary>
    public const int DefaultPort = 35963;

    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);

    private readonly ICard _card;

    /// <summary>Creates a connector for <paramref name="card"/>.</summary>
    /// <param name="card">The card to insert.</param>
    /// <param name="host">vpcd's address; loopback by default (vpcd listens on all interfaces, the card stays local).</param>
    /// <param name="port">vpcd's port: 35963 for the first slot of the default reader.conf.</param>
    public VpcdCardConnector(ICard card, string host = "127.0.0.1", int port = DefaultPort)
    {
        _card = card ?? throw new ArgumentNullException(nameof(card));
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        Host = host;
        Port = port;
    }

    /// <summary>vpcd's host.</summary>
    public string Host { get; }

    /// <summary>vpcd's port.</summary>
    public int Port { get; }

    /// <summary>Called with true when the card is connected to vpcd, false when the connection is lost.</summary>
    public Action<bool>? ConnectionChanged { get; init; }

    /// <summary>Serves vpcd until <paramref name="cancellationToken"/> fires, reconnecting after every disconnect.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = FirstBackoff;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(Host, Port, cancellationToken).ConfigureAwait(false);
                backoff = FirstBackoff;
                ConnectionChanged?.Invoke(true);
                try
                {
                    using var stream = new NetworkStream(socket, ownsSocket: false);
                    await ServeAsync(stream, () => TcpAcknowledgement.ArmQuickAck(socket), cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    _card.Reset();
                    ConnectionChanged?.Invoke(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                // vpcd not (yet) listening: retry below.
            }
            catch (IOException)
            {
                // connection lost mid-message: the card was "pulled"; reconnect.
            }

            try
            {
                await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    /// <summary>Serves one vpcd connection until EOF. Exposed for tests with an in-memory stream.</summary>
    internal Task ServeAsync(Stream stream, CancellationToken cancellationToken) => ServeAsync(stream, static () => { }, cancellationToken);

    /// <summary>
    /// Serves one vpcd connection until EOF, calling <paramref name="beforeRead"/> before every message is read (the
    /// socket re-arms TCP_QUICKACK there, see <see cref="TcpAcknowledgement"/>). Every reply is written as one frame in
    /// one write (length and payload together), so the card side never splits a message into two segments.
    /// </summary>
    internal async Task ServeAsync(Stream stream, Action beforeRead, CancellationToken cancellationToken)
    {
        // One buffer for the whole connection: a message is at most 2 + 0xFFFF bytes.
        var buffer = new byte[2 + ushort.MaxValue];
        try
        {
            while (true)
            {
                beforeRead();
                if (!await ReadExactlyOrEofAsync(stream, buffer.AsMemory(0, 2), cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                var length = BinaryPrimitives.ReadUInt16BigEndian(buffer);
                if (length > 1)
                {
                    // vpcd 0.8 sends the payload as a second segment right behind the length: acknowledge at once.
                    beforeRead();
                }

                var payload = buffer.AsMemory(2, length);
                if (!await ReadExactlyOrEofAsync(stream, payload, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                byte[]? reply;
                if (length == 1)
                {
                    switch (payload.Span[0])
                    {
                        case 0x00 or 0x01 or 0x02:
                            _card.Reset();
                            reply = null;
                            break;
                        case 0x04:
                            reply = _card.Atr.ToArray();
                            break;
                        default:
                            reply = null; // unknown control byte: ignore, as vpcd expects no answer
                            break;
                    }
                }
                else
                {
                    reply = _card.Transmit(payload.Span);
                    CryptographicOperations.ZeroMemory(payload.Span); // may have carried a PIN
                }

                if (reply is not null)
                {
                    var frame = new byte[reply.Length + 2];
                    BinaryPrimitives.WriteUInt16BigEndian(frame, checked((ushort)reply.Length));
                    reply.CopyTo(frame, 2);
                    await stream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    private static async Task<bool> ReadExactlyOrEofAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (buffer.IsEmpty)
        {
            return true;
        }

        try
        {
            await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
    }
}
