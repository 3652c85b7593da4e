using System.Runtime.InteropServices;

namespace Jpki.Card.Transport.Pcsc;

/// <summary>
/// macOS's <c>PCSC.framework</c> (pcsc-lite 1.x's API over CryptoTokenKit): DWORD is <c>uint32_t</c>, LONG
/// <c>int32_t</c>, and SCARDCONTEXT/SCARDHANDLE are <c>int32_t</c> too — on a 64-bit Mac reading them as 64-bit values
/// picks up garbage in the high half. Strings are UTF-8; <c>SCARD_READERSTATE</c> is packed (61 bytes on 64-bit).
/// </summary>
internal sealed class MacPcscApi : IPcscApi
{
    public const string Library = "/System/Library/Frameworks/PCSC.framework/PCSC";

    private const int StatusNameCapacity = 1024;

    private readonly Lazy<ProtocolControlInfo> _pci = new(() => new ProtocolControlInfo(Library, 4));

    public PcscPlatform Platform => PcscPlatform.MacOS;

    public ReaderStateLayout Layout { get; } = ReaderStateLayout.For(PcscPlatform.MacOS, nint.Size);

    public string LibraryName => Library;

    public int CharSize => 1;

    public byte[] EncodeString(string text) => PcscStrings.Encode(text, 1);

    public IReadOnlyList<string> DecodeMultiString(ReadOnlySpan<byte> buffer, int length) => PcscStrings.DecodeMulti(buffer, length, 1);

    public uint EstablishContext(out nint context)
    {
        var result = (uint)Native.SCardEstablishContext(PcscConstants.ScopeSystem, 0, 0, out var handle);
        context = handle;
        return result;
    }

    public uint ReleaseContext(nint context) => (uint)Native.SCardReleaseContext(Narrow(context));

    public uint ListReaders(nint context, byte[]? buffer, ref int length)
    {
        var size = (uint)length;
        var result = (uint)Native.SCardListReaders(Narrow(context), 0, buffer, ref size);
        length = checked((int)size);
        return result;
    }

    public uint Connect(nint context, byte[] reader, uint shareMode, uint protocols, out nint card, out uint activeProtocol)
    {
        var result = (uint)Native.SCardConnect(Narrow(context), reader, shareMode, protocols, out var handle, out activeProtocol);
        card = handle;
        return result;
    }

    public uint Reconnect(nint card, uint shareMode, uint protocols, uint initialization, out uint activeProtocol) =>
        (uint)Native.SCardReconnect(Narrow(card), shareMode, protocols, initialization, out activeProtocol);

    public uint Disconnect(nint card, uint disposition) => (uint)Native.SCardDisconnect(Narrow(card), disposition);

    public uint BeginTransaction(nint card) => (uint)Native.SCardBeginTransaction(Narrow(card));

    public uint EndTransaction(nint card, uint disposition) => (uint)Native.SCardEndTransaction(Narrow(card), disposition);

    public uint Transmit(nint card, uint protocol, ReadOnlySpan<byte> command, Span<byte> response, out int received)
    {
        var length = (uint)response.Length;
        var result = (uint)Native.SCardTransmit(
            Narrow(card), _pci.Value.For(protocol), ref MemoryMarshal.GetReference(command), (uint)command.Length, 0, ref MemoryMarshal.GetReference(response), ref length);
        received = result == PcscCodes.Success ? checked((int)length) : 0;
        return result;
    }

    public uint Status(nint card, Span<byte> atr, out int atrLength)
    {
        // macOS 10.10 returned a wrong length for a NULL name buffer and then failed with SCARD_E_INSUFFICIENT_BUFFER:
        // always pass a large one.
        var name = new byte[StatusNameCapacity];
        var readerLength = (uint)name.Length;
        var length = (uint)atr.Length;
        var result = (uint)Native.SCardStatus(Narrow(card), name, ref readerLength, out _, out _, ref MemoryMarshal.GetReference(atr), ref length);
        atrLength = result == PcscCodes.Success ? (int)Math.Min(length, (uint)atr.Length) : 0;
        return result;
    }

    public uint GetStatusChange(nint context, uint timeoutMilliseconds, nint states, int count) =>
        (uint)Native.SCardGetStatusChange(Narrow(context), timeoutMilliseconds, states, (uint)count);

    public uint Cancel(nint context) => (uint)Native.SCardCancel(Narrow(context));

    /// <summary>SCARDCONTEXT/SCARDHANDLE are <c>int32_t</c> on macOS: they came from the library as such.</summary>
    private static int Narrow(nint handle) => checked((int)handle);

    private static class Native
    {
        [DllImport(Library)]
        public static extern int SCardEstablishContext(uint dwScope, nint pvReserved1, nint pvReserved2, out int phContext);

        [DllImport(Library)]
        public static extern int SCardReleaseContext(int hContext);

        [DllImport(Library)]
        public static extern int SCardListReaders(int hContext, nint mszGroups, byte[]? mszReaders, ref uint pcchReaders);

        [DllImport(Library)]
        public static extern int SCardConnect(
            int hContext, byte[] szReader, uint dwShareMode, uint dwPreferredProtocols, out int phCard, out uint pdwActiveProtocol);

        [DllImport(Library)]
        public static extern int SCardReconnect(int hCard, uint dwShareMode, uint dwPreferredProtocols, uint dwInitialization, out uint pdwActiveProtocol);

        [DllImport(Library)]
        public static extern int SCardDisconnect(int hCard, uint dwDisposition);

        [DllImport(Library)]
        public static extern int SCardBeginTransaction(int hCard);

        [DllImport(Library)]
        public static extern int SCardEndTransaction(int hCard, uint dwDisposition);

        [DllImport(Library)]
        public static extern int SCardTransmit(
            int hCard, nint pioSendPci, ref byte pbSendBuffer, uint cbSendLength, nint pioRecvPci, ref byte pbRecvBuffer, ref uint pcbRecvLength);

        [DllImport(Library)]
        public static extern int SCardStatus(
            int hCard, byte[] szReaderName, ref uint pcchReaderLen, out uint pdwState, out uint pdwProtocol, ref byte pbAtr, ref uint pcbAtrLen);

        [DllImport(Library)]
        public static extern int SCardGetStatusChange(int hContext, uint dwTimeout, nint rgReaderStates, uint cReaders);

        [DllImport(Library)]
        public static extern int SCardCancel(int hContext);
    }
}
