using System.Runtime.InteropServices;

namespace Jpki.Card.Transport.Pcsc;

/// <summary>
/// P/Invoke to pcsc-lite's <c>libpcsclite.so.1</c>. On 64-bit Linux pcsc-lite's DWORD and LONG are C <c>long</c>
/// (8 bytes), and SCARDCONTEXT/SCARDHANDLE are LONG, hence <see cref="nint"/>/<see cref="nuint"/> throughout.
/// </summary>
internal static class PcscNative
{
    public const uint ScopeSystem = 2;
    public const uint ShareShared = 2;
    public const uint ProtocolT0 = 1;
    public const uint ProtocolT1 = 2;
    public const uint ResetCard = 1;
    public const uint Success = 0;
    public const uint NoReadersAvailable = 0x8010002E;
    public const uint NoSmartcard = 0x8010000C;
    public const uint RemovedCard = 0x80100069;
    public const uint UnknownReader = 0x80100009;

    private const string Library = "libpcsclite.so.1";

    [StructLayout(LayoutKind.Sequential)]
    public struct IoRequest
    {
        public nuint Protocol;
        public nuint PciLength;
    }

    [DllImport(Library, EntryPoint = "SCardEstablishContext")]
    public static extern nint EstablishContext(nuint scope, nint reserved1, nint reserved2, out nint context);

    [DllImport(Library, EntryPoint = "SCardReleaseContext")]
    public static extern nint ReleaseContext(nint context);

    [DllImport(Library, EntryPoint = "SCardListReaders")]
    public static extern nint ListReaders(nint context, byte[]? groups, byte[]? readers, ref nuint readersLength);

    [DllImport(Library, EntryPoint = "SCardConnect")]
    public static extern nint Connect(nint context, byte[] reader, nuint shareMode, nuint preferredProtocols, out nint card, out nuint activeProtocol);

    [DllImport(Library, EntryPoint = "SCardDisconnect")]
    public static extern nint Disconnect(nint card, nuint disposition);

    [DllImport(Library, EntryPoint = "SCardTransmit")]
    public static extern nint Transmit(
        nint card, ref IoRequest sendPci, byte[] sendBuffer, nuint sendLength, nint receivePci, byte[] receiveBuffer, ref nuint receiveLength);

    [DllImport(Library, EntryPoint = "SCardStatus")]
    public static extern nint Status(
        nint card, byte[]? readerName, ref nuint readerLength, out nuint state, out nuint protocol, byte[] atr, ref nuint atrLength);

    /// <summary>The 32-bit PC/SC result code of a call.</summary>
    public static uint Code(nint result) => unchecked((uint)(long)result);
}
