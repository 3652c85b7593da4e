using System.Runtime.InteropServices;

namespace Jpki.Card.Transport.Pcsc;

/// <summary>
/// One PC/SC resource-manager context (<c>SCardEstablishContext</c> … <c>SCardReleaseContext</c>): lists readers and
/// reads their state with <c>SCardGetStatusChange</c>, which never touches the cards (no connect, no reset).
/// </summary>
internal sealed class PcscContext : IDisposable
{
    private readonly IPcscApi _api;
    private int _released;

    private PcscContext(IPcscApi api, nint handle)
    {
        _api = api;
        Handle = handle;
    }

    public nint Handle { get; }

    public IPcscApi Api => _api;

    /// <summary>Establishes a context.</summary>
    /// <exception cref="CardTransportException">The library is missing or the PC/SC service cannot be reached.</exception>
    public static PcscContext Establish(IPcscApi api)
    {
        uint result;
        nint handle;
        try
        {
            result = api.EstablishContext(out handle);
        }
        catch (DllNotFoundException e)
        {
            throw new CardTransportException(MissingLibrary(api), e);
        }
        catch (EntryPointNotFoundException e)
        {
            throw new CardTransportException($"{api.LibraryName} lacks a PC/SC function OpenJpki needs: {e.Message}", e);
        }

        if (result != PcscCodes.Success)
        {
            throw new CardTransportException(
                $"Cannot reach the PC/SC service: {PcscCodes.Describe(api.Platform, result)}." +
                (api.Platform == PcscPlatform.PcscLite ? " Is pcscd running?" : ""));
        }

        return new PcscContext(api, handle);
    }

    /// <summary>The reader names (empty when there are none, or when the service stopped because none is attached).</summary>
    /// <exception cref="CardTransportException">A PC/SC failure.</exception>
    public IReadOnlyList<string> ListReaders()
    {
        // The list can grow between the size query and the read: retry a few times on "buffer too small".
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var length = 0;
            var result = _api.ListReaders(Handle, null, ref length);
            if (IsNoReaders(result))
            {
                return [];
            }

            Check(result, "SCardListReaders");
            var buffer = new byte[checked(Math.Max(length, 1) * _api.CharSize)];
            result = _api.ListReaders(Handle, buffer, ref length);
            if (IsNoReaders(result))
            {
                return [];
            }

            if (PcscCodes.Interpret(_api.Platform, result) == PcscResult.InsufficientBuffer)
            {
                continue;
            }

            Check(result, "SCardListReaders");
            return _api.DecodeMultiString(buffer, length);
        }

        throw new CardTransportException("SCardListReaders: the list of readers kept changing.");
    }

    /// <summary>
    /// The state of each of <paramref name="readers"/> as PC/SC knows it now: <c>SCardGetStatusChange</c> with every
    /// current state SCARD_STATE_UNAWARE and a zero timeout, which answers at once and never connects to a card.
    /// </summary>
    /// <exception cref="CardTransportException">Unknown reader, or a PC/SC failure.</exception>
    public IReadOnlyList<ReaderStatus> GetStatus(IReadOnlyList<string> readers)
    {
        ArgumentNullException.ThrowIfNull(readers);
        if (readers.Count == 0)
        {
            return [];
        }

        var entries = GetStatusChange(readers, new uint[readers.Count], 0);
        var result = new ReaderStatus[readers.Count];
        for (var i = 0; i < readers.Count; i++)
        {
            result[i] = ReaderStatus.FromRaw(readers[i], entries[i].EventState, entries[i].Atr);
        }

        return result;
    }

    /// <summary>
    /// One <c>SCardGetStatusChange</c> call: the names and the reader-state array are laid out in pinned buffers with
    /// the platform's <see cref="ReaderStateLayout"/>. Returns the entries as PC/SC left them.
    /// </summary>
    public IReadOnlyList<ReaderStateEntry> GetStatusChange(IReadOnlyList<string> readers, IReadOnlyList<uint> currentStates, uint timeoutMilliseconds)
    {
        var layout = _api.Layout;
        var encoded = readers.Select(_api.EncodeString).ToArray();
        var names = new byte[encoded.Sum(e => e.Length)];
        var states = new byte[checked(layout.Size * readers.Count)];
        var namesPin = GCHandle.Alloc(names, GCHandleType.Pinned);
        var statesPin = GCHandle.Alloc(states, GCHandleType.Pinned);
        try
        {
            var nameBase = namesPin.AddrOfPinnedObject();
            var offset = 0;
            for (var i = 0; i < readers.Count; i++)
            {
                encoded[i].CopyTo(names, offset);
                layout.Write(states.AsSpan(i * layout.Size), new ReaderStateEntry(nameBase + offset, 0, currentStates[i], 0, ReadOnlyMemory<byte>.Empty));
                offset += encoded[i].Length;
            }

            var result = _api.GetStatusChange(Handle, timeoutMilliseconds, statesPin.AddrOfPinnedObject(), readers.Count);
            if (PcscCodes.Interpret(_api.Platform, result) == PcscResult.UnknownReader)
            {
                throw new CardTransportException($"SCardGetStatusChange: unknown reader among {string.Join(", ", readers)}.");
            }

            if (PcscCodes.Interpret(_api.Platform, result) != PcscResult.Timeout)
            {
                Check(result, "SCardGetStatusChange");
            }

            return layout.ReadArray(states, readers.Count);
        }
        finally
        {
            statesPin.Free();
            namesPin.Free();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _ = _api.ReleaseContext(Handle);
        }
    }

    internal static string MissingLibrary(IPcscApi api) => api.Platform switch
    {
        PcscPlatform.PcscLite => $"{api.LibraryName} is missing: install pcsc-lite (Debian/Ubuntu: apt-get install pcscd libpcsclite1; Fedora: dnf install pcsc-lite pcsc-lite-libs).",
        PcscPlatform.WinScard => $"{api.LibraryName} is missing: this Windows has no smart card support.",
        _ => $"{api.LibraryName} is missing: this macOS has no PC/SC framework.",
    };

    private bool IsNoReaders(uint result) => PcscCodes.Interpret(_api.Platform, result) switch
    {
        PcscResult.NoReadersAvailable => true,
        // Windows (8+) stops its smart card service when the last reader goes, and PCSC.framework answers likewise
        // without readers; on pcsc-lite the same code means pcscd is not running, which is an error.
        PcscResult.NoService or PcscResult.ServiceStopped => _api.Platform != PcscPlatform.PcscLite,
        _ => false,
    };

    private void Check(uint result, string call)
    {
        if (result != PcscCodes.Success)
        {
            throw new CardTransportException($"{call} failed: {PcscCodes.Describe(_api.Platform, result)}.");
        }
    }
}
