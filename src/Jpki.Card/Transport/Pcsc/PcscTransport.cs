using System.Text;

namespace Jpki.Card.Transport.Pcsc;

/// <summary>
/// A card in a PC/SC reader through pcsc-lite (Linux): a real My Number card in a USB reader, or a virtual card
/// inserted through vpcd. Connects shared with T=1 (or T=0) and resets the card on dispose so that no verified PIN
/// outlives the session.
/// </summary>
public sealed class PcscTransport : ICardTransport
{
    private readonly nint _context;
    private readonly nint _card;
    private readonly PcscNative.IoRequest _pci;
    private readonly byte[] _atr;
    private bool _disposed;

    private PcscTransport(nint context, nint card, uint protocol, string reader, byte[] atr)
    {
        _context = context;
        _card = card;
        _pci = new PcscNative.IoRequest { Protocol = protocol, PciLength = (nuint)(2 * nuint.Size) };
        Name = reader;
        _atr = atr;
    }

    /// <inheritdoc/>
    public ReadOnlyMemory<byte> Atr => _atr;

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>The names of the readers pcscd knows (empty when there are none).</summary>
    /// <exception cref="CardTransportException">pcscd is not running or libpcsclite is missing.</exception>
    public static IReadOnlyList<string> ListReaders()
    {
        var context = Establish();
        try
        {
            return ListReaders(context);
        }
        finally
        {
            _ = PcscNative.ReleaseContext(context);
        }
    }

    /// <summary>Connects to the card in <paramref name="reader"/> (exact name, or null for the first reader with a card).</summary>
    /// <exception cref="CardTransportException">No such reader, no card, or a PC/SC failure.</exception>
    public static PcscTransport Connect(string? reader = null)
    {
        var context = Establish();
        try
        {
            var readers = ListReaders(context);
            var candidates = reader is null ? readers : readers.Where(r => r == reader).ToList();
            if (candidates.Count == 0)
            {
                throw new CardTransportException(reader is null
                    ? "No PC/SC reader found: is pcscd running and a reader attached?"
                    : $"No PC/SC reader named \"{reader}\". Known readers: {string.Join(", ", readers)}.");
            }

            uint lastError = PcscNative.NoSmartcard;
            foreach (var name in candidates)
            {
                var result = PcscNative.Connect(
                    context, Zero(name), PcscNative.ShareShared, PcscNative.ProtocolT1 | PcscNative.ProtocolT0, out var card, out var protocol);
                lastError = PcscNative.Code(result);
                if (lastError == PcscNative.Success)
                {
                    return new PcscTransport(context, card, (uint)protocol, name, ReadAtr(card));
                }
            }

            throw new CardTransportException($"No card in {string.Join(", ", candidates)} ({Describe(lastError)}).");
        }
        catch
        {
            _ = PcscNative.ReleaseContext(context);
            throw;
        }
    }

    /// <inheritdoc/>
    public byte[] Transmit(ReadOnlySpan<byte> commandApdu)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var send = commandApdu.ToArray();
        var receive = new byte[258];
        var length = (nuint)receive.Length;
        var pci = _pci;
        var result = PcscNative.Code(PcscNative.Transmit(_card, ref pci, send, (nuint)send.Length, 0, receive, ref length));
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(send); // may have carried a PIN
        if (result != PcscNative.Success)
        {
            throw new CardTransportException($"SCardTransmit failed on {Name}: {Describe(result)}.");
        }

        return receive.AsSpan(0, (int)length).ToArray();
    }

    /// <summary>Resets the card (drops its security state) and releases the PC/SC context.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _ = PcscNative.Disconnect(_card, PcscNative.ResetCard);
        _ = PcscNative.ReleaseContext(_context);
    }

    private static nint Establish()
    {
        nint context;
        uint result;
        try
        {
            result = PcscNative.Code(PcscNative.EstablishContext(PcscNative.ScopeSystem, 0, 0, out context));
        }
        catch (DllNotFoundException e)
        {
            throw new CardTransportException("libpcsclite.so.1 is missing: install the Debian package libpcsclite1 (and pcscd).", e);
        }

        if (result != PcscNative.Success)
        {
            throw new CardTransportException($"Cannot reach pcscd: {Describe(result)}. Is pcscd running?");
        }

        return context;
    }

    private static List<string> ListReaders(nint context)
    {
        nuint length = 0;
        var result = PcscNative.Code(PcscNative.ListReaders(context, null, null, ref length));
        if (result == PcscNative.NoReadersAvailable)
        {
            return [];
        }

        if (result != PcscNative.Success)
        {
            throw new CardTransportException($"SCardListReaders failed: {Describe(result)}.");
        }

        var buffer = new byte[(int)length];
        result = PcscNative.Code(PcscNative.ListReaders(context, null, buffer, ref length));
        if (result == PcscNative.NoReadersAvailable)
        {
            return [];
        }

        if (result != PcscNative.Success)
        {
            throw new CardTransportException($"SCardListReaders failed: {Describe(result)}.");
        }

        return Encoding.UTF8.GetString(buffer, 0, (int)length).Split('\0', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    private static byte[] ReadAtr(nint card)
    {
        var atr = new byte[33];
        nuint atrLength = (nuint)atr.Length;
        nuint nameLength = 0;
        var result = PcscNative.Code(PcscNative.Status(card, null, ref nameLength, out _, out _, atr, ref atrLength));
        return result == PcscNative.Success ? atr.AsSpan(0, (int)atrLength).ToArray() : [];
    }

    private static byte[] Zero(string text) => [.. Encoding.UTF8.GetBytes(text), 0];

    private static string Describe(uint code) => code switch
    {
        PcscNative.NoReadersAvailable => "no readers available",
        PcscNative.NoSmartcard => "no card in the reader",
        PcscNative.RemovedCard => "the card was removed",
        PcscNative.UnknownReader => "unknown reader",
        _ => $"PC/SC error 0x{code:X8}",
    };
}
