using System.Security.Cryptography;

namespace Jpki.Card.Transport.Pcsc;

/// <summary>
/// A card in a PC/SC reader — a real My Number card in a USB reader, or a virtual card inserted through vpcd — through
/// the platform's PC/SC (pcsc-lite, winscard or PCSC.framework, chosen at run time). The connection is shared (T=1 or
/// T=0), so other applications may use the same card; <see cref="BeginTransaction"/> gives this one the card for a
/// logical operation (VERIFY and the SIGN it enables, or a multi-chunk READ BINARY) so that no other application's
/// APDU lands in between.
/// </summary>
/// <remarks>
/// <para>When another application resets the card, PC/SC answers this connection's next call with
/// SCARD_W_RESET_CARD. The transport then reconnects (<c>SCardReconnect</c> with SCARD_LEAVE_CARD, which acknowledges
/// the reset) and reports it from the next <see cref="BeginTransaction"/>, so the caller re-selects its application and
/// re-verifies what it needs; an APDU sent outside a transaction fails instead. A removed card is never reconnected: a
/// card put back may be another person's.</para>
/// <para>Dispose disconnects with SCARD_LEAVE_CARD: the card stays as it is for the other applications. Clearing the
/// security state this connection raised (verified PINs) is the client's job
/// (<see cref="Client.JpkiCardClient.Logout"/>); no reset of a shared card is needed for that.</para>
/// <para>Not thread-safe for concurrent operations; calls are serialised internally.</para>
/// </remarks>
public sealed class PcscTransport : ICardTransport
{
    private const int MaxResponse = 4 + 3 + 65536 + 3 + 2; // pcsc-lite's MAX_BUFFER_SIZE_EXTENDED
    private const int ResetRetries = 5;

    private readonly PcscContext _context;
    private readonly IPcscApi _api;
    private readonly Lock _gate = new();
    private readonly byte[] _response = new byte[MaxResponse];
    private readonly nint _card;
    private uint _protocol;
    private byte[] _atr;
    private bool _resetSinceTransaction;
    private bool _removed;
    private bool _inTransaction;
    private bool _disposed;

    private PcscTransport(PcscContext context, nint card, uint protocol, string reader)
    {
        _context = context;
        _api = context.Api;
        _card = card;
        _protocol = protocol;
        Name = reader;
        _atr = ReadAtr();
    }

    /// <inheritdoc/>
    public ReadOnlyMemory<byte> Atr => _atr;

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>Always true: other applications can use the same card between this connection's transactions.</summary>
    public bool IsShared => true;

    /// <summary>The PC/SC implementation in use.</summary>
    public PcscPlatform Platform => _api.Platform;

    /// <summary>The names of the readers PC/SC knows (empty when there are none).</summary>
    /// <exception cref="CardTransportException">The PC/SC service is not running or its library is missing.</exception>
    public static IReadOnlyList<string> ListReaders() => PcscReaders.List();

    /// <summary>
    /// Connects (shared, T=1 or T=0) to the card in <paramref name="reader"/> (exact name), or with null to the card in
    /// the first reader that has one. Which readers hold a card is read with <c>SCardGetStatusChange</c>: no card is
    /// connected to just to look.
    /// </summary>
    /// <exception cref="CardTransportException">No such reader, no card, the card held exclusively elsewhere, or a PC/SC failure.</exception>
    public static PcscTransport Connect(string? reader = null) => Connect(PcscApi.Current, reader);

    internal static PcscTransport Connect(IPcscApi api, string? reader)
    {
        var context = PcscContext.Establish(api);
        try
        {
            var readers = context.ListReaders();
            if (readers.Count == 0)
            {
                throw new CardTransportException("No PC/SC reader found: is a reader attached" + (api.Platform == PcscPlatform.PcscLite ? " and pcscd running?" : "?"));
            }

            if (reader is not null && !readers.Contains(reader, StringComparer.Ordinal))
            {
                throw new CardTransportException($"No PC/SC reader named \"{reader}\". Known readers: {string.Join(", ", readers)}.");
            }

            var statuses = context.GetStatus(reader is null ? readers : [reader]);
            var target = statuses.FirstOrDefault(s => s.CardPresent);
            if (target is null)
            {
                var mute = statuses.FirstOrDefault(s => s.State.HasFlag(ReaderStates.Mute));
                throw new CardTransportException(mute is not null
                    ? $"The card in {mute.Reader} does not answer (no ATR): take it out and insert it again."
                    : reader is null
                        ? $"No card in any reader ({string.Join(", ", readers)})."
                        : $"No card in {reader}.");
            }

            if (target.Exclusive)
            {
                throw new CardTransportException($"Another application holds the card in {target.Reader} exclusively.");
            }

            var result = api.Connect(
                context.Handle, api.EncodeString(target.Reader), PcscConstants.ShareShared, PcscConstants.ProtocolT1 | PcscConstants.ProtocolT0,
                out var card, out var protocol);
            if (result != PcscCodes.Success)
            {
                throw new CardTransportException($"Cannot connect to the card in {target.Reader}: {PcscCodes.Describe(api.Platform, result)}.");
            }

            return new PcscTransport(context, card, protocol, target.Reader);
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>
    /// <c>SCardBeginTransaction</c>: until <see cref="EndTransaction"/>, other applications' calls on this card wait.
    /// Returns true when the card was reset since the previous transaction (by another application): its selected
    /// application and verified PINs are gone, and this connection has already acknowledged the reset.
    /// </summary>
    /// <exception cref="CardTransportException">The card was removed, a transaction is already open, or a PC/SC failure.</exception>
    public bool BeginTransaction()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_inTransaction)
            {
                throw new InvalidOperationException("A transaction is already open on this connection.");
            }

            ThrowIfRemoved();
            for (var attempt = 0; attempt < ResetRetries; attempt++)
            {
                var result = _api.BeginTransaction(_card);
                switch (PcscCodes.Interpret(_api.Platform, result))
                {
                    case PcscResult.Success:
                        _inTransaction = true;
                        var reset = _resetSinceTransaction;
                        _resetSinceTransaction = false;
                        return reset;
                    case PcscResult.ResetCard:
                        Reconnect();
                        continue;
                    default:
                        throw Failure("SCardBeginTransaction", result);
                }
            }

            throw new CardTransportException($"The card in {Name} was reset {ResetRetries} times in a row by another application.");
        }
    }

    /// <summary><c>SCardEndTransaction</c> with SCARD_LEAVE_CARD. Does nothing outside a transaction.</summary>
    public void EndTransaction()
    {
        lock (_gate)
        {
            if (!_inTransaction || _disposed)
            {
                return;
            }

            _inTransaction = false;
            var result = _api.EndTransaction(_card, PcscConstants.LeaveCard);
            switch (PcscCodes.Interpret(_api.Platform, result))
            {
                case PcscResult.Success:
                    return;
                case PcscResult.ResetCard:
                    // The lock is gone with the reset; acknowledge it now and report it at the next transaction.
                    Reconnect();
                    return;
                case PcscResult.RemovedCard or PcscResult.InsertedCard or PcscResult.NoSmartcard:
                    _removed = true;
                    return;
                default:
                    throw Failure("SCardEndTransaction", result);
            }
        }
    }

    /// <inheritdoc/>
    public byte[] Transmit(ReadOnlySpan<byte> commandApdu)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            ThrowIfRemoved();
            var result = _api.Transmit(_card, _protocol, commandApdu, _response, out var received);
            try
            {
                if (result == PcscCodes.Success)
                {
                    return _response.AsSpan(0, received).ToArray();
                }

                if (PcscCodes.Interpret(_api.Platform, result) == PcscResult.ResetCard)
                {
                    Reconnect();
                    throw new CardTransportException(
                        $"The card in {Name} was reset by another application: its selected application and verified PINs are gone. Run the operation again.");
                }

                throw Failure("SCardTransmit", result);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(_response.AsSpan(0, Math.Max(received, 0))); // responses can carry personal data
            }
        }
    }

    /// <summary>Ends an open transaction and disconnects with SCARD_LEAVE_CARD; releases the PC/SC context.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            if (_inTransaction)
            {
                _inTransaction = false;
                _ = _api.EndTransaction(_card, PcscConstants.LeaveCard);
            }

            _disposed = true;
            _ = _api.Disconnect(_card, PcscConstants.LeaveCard);
            _context.Dispose();
        }
    }

    private void Reconnect()
    {
        var result = _api.Reconnect(_card, PcscConstants.ShareShared, PcscConstants.ProtocolT1 | PcscConstants.ProtocolT0, PcscConstants.LeaveCard, out var protocol);
        if (result != PcscCodes.Success)
        {
            throw Failure("SCardReconnect", result);
        }

        _protocol = protocol;
        _resetSinceTransaction = true;
        _atr = ReadAtr();
    }

    private byte[] ReadAtr()
    {
        Span<byte> atr = stackalloc byte[64];
        return _api.Status(_card, atr, out var length) == PcscCodes.Success ? atr[..length].ToArray() : [];
    }

    private void ThrowIfRemoved()
    {
        if (_removed)
        {
            throw new CardTransportException($"The card was removed from {Name}; connect again.");
        }
    }

    private CardTransportException Failure(string call, uint result)
    {
        var meaning = PcscCodes.Interpret(_api.Platform, result);
        if (meaning is PcscResult.RemovedCard or PcscResult.InsertedCard or PcscResult.NoSmartcard)
        {
            _removed = true;
            return new CardTransportException($"The card was removed from {Name} ({PcscCodes.Describe(_api.Platform, result)}).");
        }

        return new CardTransportException($"{call} failed on {Name}: {PcscCodes.Describe(_api.Platform, result)}.");
    }
}
