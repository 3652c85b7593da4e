using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Jpki.Card.Transport.Pcsc;

/// <summary>
/// The <c>SCARD_IO_REQUEST</c> headers passed as <c>pioSendPci</c>: the library's own exported
/// <c>g_rgSCardT0Pci</c>/<c>g_rgSCardT1Pci</c> (what <c>SCARD_PCI_T0</c>/<c>SCARD_PCI_T1</c> point to in every
/// platform's winscard.h), or, where a library does not export them, a copy built with the platform's DWORD size and
/// kept for the life of the process.
/// </summary>
internal sealed class ProtocolControlInfo
{
    private readonly nint _t0;
    private readonly nint _t1;

    public ProtocolControlInfo(string library, int dwordSize)
    {
        nint handle = 0;
        var loaded = NativeLibrary.TryLoad(library, typeof(ProtocolControlInfo).Assembly, null, out handle);
        _t0 = Export(loaded, handle, "g_rgSCardT0Pci", PcscConstants.ProtocolT0, dwordSize);
        _t1 = Export(loaded, handle, "g_rgSCardT1Pci", PcscConstants.ProtocolT1, dwordSize);
    }

    /// <summary>True when the library exported both headers (false: our own copies are used).</summary>
    public bool FromLibrary { get; private set; } = true;

    /// <summary>The header for <paramref name="protocol"/> (T=1 for anything but T=0).</summary>
    public nint For(uint protocol) => protocol == PcscConstants.ProtocolT0 ? _t0 : _t1;

    private nint Export(bool loaded, nint handle, string symbol, uint protocol, int dwordSize)
    {
        if (loaded && NativeLibrary.TryGetExport(handle, symbol, out var address))
        {
            return address;
        }

        FromLibrary = false;
        var header = new byte[2 * dwordSize];
        if (dwordSize == 8)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(header, protocol);
            BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(8), (ulong)header.Length);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header, protocol);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), (uint)header.Length);
        }

        var memory = Marshal.AllocHGlobal(header.Length); // process lifetime, like the library's own statics
        Marshal.Copy(header, 0, memory, header.Length);
        return memory;
    }
}
