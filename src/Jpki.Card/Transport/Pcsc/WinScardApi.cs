using System.Runtime.InteropServices;

namespace Jpki.Card.Transport.Pcsc;

/// <summary>
/// Windows' <c>winscard.dll</c>: DWORD and LONG are 32-bit (LLP64), SCARDCONTEXT and SCARDHANDLE are ULONG_PTR
/// (pointer-sized), and the calls taking or returning strings are the W entry points (<c>SCardListReadersW</c>,
/// <c>SCardConnectW</c>, <c>SCardStatusW</c>, <c>SCardGetStatusChangeW</c> with <c>SCARD_READERSTATEW</c>), whose
/// lengths count UTF-16 characters. The PCI headers are winscard.dll's exported <c>g_rgSCardT0Pci</c>/<c>g_rgSCardT1Pci</c>.
/// </summary>
internal sealed class WinScardApi : IPcscApi
{
    public const string Library = "winscard.dll";

    private const int StatusNameCapacity = 1024;

    private readonly Lazy<ProtocolControlInfo> _pci = new(() => new ProtocolControlInfo(Library, 4));

    public PcscPlatform Platform => PcscPlatform.WinScard;

    public ReaderStateLayout Layout { get; } = ReaderStateLayout.For(PcscPlatform.WinScard, nint.Size);

    public string LibraryName => Library;

    public int CharSize => 2;

    public byte[] EncodeString(string text) => PcscStrings.Encode(text, 2);

    public IReadOnlyList<string> DecodeMultiString(ReadOnlySpan<byte> buffer, int length) => PcscStrings.DecodeMulti(buffer, length, 2);

    // Scope: the user's, as a desktop application (pcsc-lite and macOS ignore the scope).
    public uint EstablishContext(out nint context) => (uint)Native.SCardEstablishContext(PcscConstants.ScopeUser, 0, 0, out context);

    public uint ReleaseContext(nint context) => (uint)Native.SCardReleaseContext(context);

    public uint ListReaders(nint context, byte[]? buffer, ref int length)
    {
        var characters = (uint)length;
        var result = (uint)Native.SCardListReadersW(context, 0, buffer, ref characters);
        length = checked((int)characters);
        return result;
    }

    public uint Connect(nint context, byte[] reader, uint shareMode, uint protocols, out nint card, out uint activeProtocol) =>
        (uint)Native.SCardConnectW(context, reader, shareMode, protocols, out card, out activeProtocol);

    public uint Reconnect(nint card, uint shareMode, uint protocols, uint initialization, out uint activeProtocol) =>
        (uint)Native.SCardReconnect(card, shareMode, protocols, initialization, out activeProtocol);

    public uint Disconnect(nint card, uint disposition) => (uint)Native.SCardDisconnect(card, disposition);

    public uint BeginTransaction(nint card) => (uint)Native.SCardBeginTransaction(card);

    public uint EndTransaction(nint card, uint disposition) => (uint)Native.SCardEndTransaction(card, disposition);

    public uint Transmit(nint card, uint protocol, ReadOnlySpan<byte> command, Span<byte> response, out int received)
    {
        var length = (uint)response.Length;
        var result = (uint)Native.SCardTransmit(
            card, _pci.Value.For(protocol), ref MemoryMarshal.GetReference(command), (uint)command.Length, 0, ref MemoryMarshal.GetReference(response), ref length);
        received = result == PcscCodes.Success ? checked((int)length) : 0;
        return result;
    }

    public uint Status(nint card, Span<byte> atr, out int atrLength)
    {
        var name = new byte[StatusNameCapacity * 2];
        var characters = (uint)StatusNameCapacity;
        var length = (uint)atr.Length;
        var result = (uint)Native.SCardStatusW(card, name, ref characters, out _, out _, ref MemoryMarshal.GetReference(atr), ref length);
        atrLength = result == PcscCodes.Success ? (int)Math.Min(length, (uint)atr.Length) : 0;
        return result;
    }

    public uint GetStatusChange(nint context, uint timeoutMilliseconds, nint states, int count) =>
        (uint)Native.SCardGetStatusChangeW(context, timeoutMilliseconds, states, (uint)count);

    public uint Cancel(nint context) => (uint)Native.SCardCancel(context);

    private static class Native
    {
        [DllImport(Library)]
        public static extern int SCardEstablishContext(uint dwScope, nint pvReserved1, nint pvReserved2, out nint phContext);

        [DllImport(Library)]
        public static extern int SCardReleaseContext(nint hContext);

        [DllImport(Library)]
        public static extern int SCardListReadersW(nint hContext, nint mszGroups, byte[]? mszReaders, ref uint pcchReaders);

        [DllImport(Library)]
        public static extern int SCardConnectW(
            nint hContext, byte[] szReader, uint dwShareMode, uint dwPreferredProtocols, out nint phCard, out uint pdwActiveProtocol);

        [DllImport(Library)]
        public static extern int SCardReconnect(nint hCard, uint dwShareMode, uint dwPreferredProtocols, uint dwInitialization, out uint pdwActiveProtocol);

        [DllImport(Library)]
        public static extern int SCardDisconnect(nint hCard, uint dwDisposition);

        [DllImport(Library)]
        public static extern int SCardBeginTransaction(nint hCard);

        [DllImport(Library)]
        public static extern int SCardEndTransaction(nint hCard, uint dwDisposition);

        [DllImport(Library)]
        public static extern int SCardTransmit(
            nint hCard, nint pioSendPci, ref byte pbSendBuffer, uint cbSendLength, nint pioRecvPci, ref byte pbRecvBuffer, ref uint pcbRecvLength);

        [DllImport(Library)]
        public static extern int SCardStatusW(
            nint hCard, byte[] szReaderName, ref uint pcchReaderLen, out uint pdwState, out uint pdwProtocol, ref byte pbAtr, ref uint pcbAtrLen);

        [DllImport(Library)]
        public static extern int SCardGetStatusChangeW(nint hContext, uint dwTimeout, nint rgReaderStates, uint cReaders);

        [DllImport(Library)]
        public static extern int SCardCancel(nint hContext);
    }
}
