using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Jpki.Card.Tests.Transport.Pcsc;

// The three SCARD_READERSTATE declarations transcribed field by field from the platforms' headers, for the runtime's
// own struct layout algorithm to lay out (a second computation of the offsets ReaderStateLayout derives by rule):
//   pcsc-lite pcsclite.h:      const char *szReader; void *pvUserData; DWORD (unsigned long) ×3; unsigned char rgbAtr[33];
//   Windows winscard.h:        LPCWSTR szReader; LPVOID pvUserData; DWORD (32-bit) ×3; BYTE rgbAtr[36];
//   macOS PCSC pcsclite.h:     const char *szReader; void *pvUserData; uint32_t ×3; unsigned char rgbAtr[33]; #pragma pack(1)
// C `unsigned long` is 8 bytes on LP64 (64-bit Linux), which is what nuint is in a 64-bit process.

[InlineArray(33)]
internal struct Atr33
{
    private byte _element;
}

[InlineArray(36)]
internal struct Atr36
{
    private byte _element;
}

[StructLayout(LayoutKind.Sequential)]
internal struct PcscLiteReaderState
{
    public nint SzReader;
    public nint PvUserData;
    public nuint DwCurrentState;
    public nuint DwEventState;
    public nuint CbAtr;
    public Atr33 RgbAtr;
}

[StructLayout(LayoutKind.Sequential)]
internal struct WinScardReaderStateW
{
    public nint SzReader;
    public nint PvUserData;
    public uint DwCurrentState;
    public uint DwEventState;
    public uint CbAtr;
    public Atr36 RgbAtr;
}

[StructLayout(LayoutKind.Sequential, Pack = 1)]
internal struct MacReaderState
{
    public nint SzReader;
    public nint PvUserData;
    public uint DwCurrentState;
    public uint DwEventState;
    public uint CbAtr;
    public Atr33 RgbAtr;
}
