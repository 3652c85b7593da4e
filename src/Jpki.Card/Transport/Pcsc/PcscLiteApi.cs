using System.Runtime.InteropServices;

namespace Jpki.Card.Transport.Pcsc;

/// <summary>
/// pcsc-lite's <c>libpcsclite.so.1</c> (Linux, the BSDs). Its <c>wintypes.h</c> makes DWORD <c>unsigned long</c> and
/// LONG <c>long</c>: 8 bytes on 64-bit Unix, so every DWORD is a <see cref="nuint"/> and every result a <see cref="nint"/>
/// (positive: pcsc-lite's error constants are not sign-extended). SCARDCONTEXT and SCARDHANDLE are LONG.
/// </summary>
internal sealed class PcscLiteApi : IPcscApi
{
    public const string Library = "libpcsclite.so.1";

    private readonly Lazy<ProtocolControlInfo> _pci = new(() => new ProtocolControlInfo(Library, nint.Size));

    public PcscPlatform Platform => PcscPlatform.PcscLite;

    public ReaderStateLayout Layout { get; } = ReaderStateLayout.For(PcscPlatform.PcscLite, nint.Size);

    public string LibraryName => Library;

    public int CharSize => 1;

    public byte[] EncodeString(string text) => PcscStrings.Encode(text, 1);

    public IReadOnlyList<string> DecodeMultiString(ReadOnlySpan<byte> buffer, int length) => PcscStrings.DecodeMulti(buffer, length, 1);

    public uint EstablishContext(out nint context) => Code(Native.SCardEstablishContext(PcscConstants.ScopeSystem, 0, 0, out context));

    public uint ReleaseContext(nint context) => Code(Native.SCardReleaseContext(context));

    public uint ListReaders(nint context, byte[]? buffer, ref int length)
    {
        var size = (nuint)length;
        var result = Code(Native.SCardListReaders(context, 0, buffer, ref size));
        length = checked((int)size);
        return result;
    }

    public uint Connect(nint context, byte[] reader, uint shareMode, uint protocols, out nint card, out uint activeProtocol)
    {
        var result = Code(Native.SCardConnect(context, reader, shareMode, protocols, out card, out var active));
        activeProtocol = (uint)active;
        return result;
    }

    public uint Reconnect(nint card, uint shareMode, uint protocols, uint initialization, out uint activeProtocol)
    {
        var result = Code(Native.SCardReconnect(card, shareMode, protocols, initialization, out var active));
        activeProtocol = (uint)active;
        return result;
    }

    public uint Disconnect(nint card, uint disposition) => Code(Native.SCardDisconnect(card, disposition));

    public uint BeginTransaction(nint card) => Code(Native.SCardBeginTransaction(card));

    public uint EndTransaction(nint card, uint disposition) => Code(Native.SCardEndTransaction(card, disposition));

    public uint Transmit(nint card, uint protocol, ReadOnlySpan<byte> command, Span<byte> response, out int received)
    {
        var length = (nuint)response.Length;
        var result = Code(Native.SCardTransmit(
            card, _pci.Value.For(protocol), ref MemoryMarshal.GetReference(command), (nuint)command.Length, 0, ref MemoryMarshal.GetReference(response), ref length));
        received = result == PcscCodes.Success ? checked((int)length) : 0;
        return result;
    }

    public uint Status(nint card, Span<byte> atr, out int atrLength)
    {
        // A reader-name buffer is passed although only the ATR is wanted: some PC/SC stacks mishandle a NULL one.
        var name = new byte[StatusNameCapacity];
        var readerLength = (nuint)name.Length;
        var length = (nuint)atr.Length;
        var result = Code(Native.SCardStatus(card, name, ref readerLength, out _, out _, ref MemoryMarshal.GetReference(atr), ref length));
        atrLength = result == PcscCodes.Success ? (int)Math.Min(length, (nuint)atr.Length) : 0;
        return result;
    }

    public uint GetStatusChange(nint context, uint timeoutMilliseconds, nint states, int count) =>
        Code(Native.SCardGetStatusChange(context, timeoutMilliseconds, states, (nuint)count));

    public uint Cancel(nint context) => Code(Native.SCardCancel(context));

    private const int StatusNameCapacity = 1024;

    private static uint Code(nint result) => unchecked((uint)(long)result);

    private static class Native
    {
        [DllImport(Library)]
        public static extern nint SCardEstablishContext(nuint dwScope, nint pvReserved1, nint pvReserved2, out nint phContext);

        [DllImport(Library)]
        public static extern nint SCardReleaseContext(nint hContext);

        [DllImport(Library)]
        public static extern nint SCardListReaders(nint hContext, nint mszGroups, byte[]? mszReaders, ref nuint pcchReaders);

        [DllImport(Library)]
        public static extern nint SCardConnect(
            nint hContext, byte[] szReader, nuint dwShareMode, nuint dwPreferredProtocols, out nint phCard, out nuint pdwActiveProtocol);

        [DllImport(Library)]
        public static extern nint SCardReconnect(
            nint hCard, nuint dwShareMode, nuint dwPreferredProtocols, nuint dwInitialization, out nuint pdwActiveProtocol);

        [DllImport(Library)]
        public static extern nint SCardDisconnect(nint hCard, nuint dwDisposition);

        [DllImport(Library)]
        public static extern nint SCardBeginTransaction(nint hCard);

        [DllImport(Library)]
        public static extern nint SCardEndTransaction(nint hCard, nuint dwDisposition);

        [DllImport(Library)]
        public static extern nint SCardTransmit(
            nint hCard, nint pioSendPci, ref byte pbSendBuffer, nuint cbSendLength, nint pioRecvPci, ref byte pbRecvBuffer, ref nuint pcbRecvLength);

        [DllImport(Library)]
        public static extern nint SCardStatus(
            nint hCard, byte[]? szReaderName, ref nuint pcchReaderLen, out nuint pdwState, out nuint pdwProtocol, ref byte pbAtr, ref nuint pcbAtrLen);

        [DllImport(Library)]
        public static extern nint SCardGetStatusChange(nint hContext, nuint dwTimeout, nint rgReaderStates, nuint cReaders);

        [DllImport(Library)]
        public static extern nint SCardCancel(nint hContext);
    }
}
