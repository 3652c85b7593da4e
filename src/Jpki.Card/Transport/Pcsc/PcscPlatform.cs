namespace Jpki.Card.Transport.Pcsc;

/// <summary>The PC/SC implementations OpenJpki binds, each with its own C types, structure layouts and error values.</summary>
public enum PcscPlatform
{
    /// <summary>
    /// pcsc-lite's <c>libpcsclite.so.1</c> (Linux, the BSDs): DWORD and LONG are C <c>long</c> (8 bytes on 64-bit),
    /// SCARDCONTEXT/SCARDHANDLE are LONG, strings UTF-8, <c>SCARD_READERSTATE</c> naturally aligned with a 33-byte ATR.
    /// </summary>
    PcscLite,

    /// <summary>
    /// Windows' <c>winscard.dll</c> (the W entry points): DWORD and LONG are 32-bit, SCARDCONTEXT/SCARDHANDLE are
    /// ULONG_PTR, strings UTF-16LE, <c>SCARD_READERSTATEW</c> naturally aligned with a 36-byte ATR.
    /// </summary>
    WinScard,

    /// <summary>
    /// macOS's <c>PCSC.framework</c>: DWORD and LONG are 32-bit (<c>uint32_t</c>/<c>int32_t</c>), and so are
    /// SCARDCONTEXT/SCARDHANDLE; strings UTF-8; <c>SCARD_READERSTATE</c> packed (<c>#pragma pack(1)</c>) with a 33-byte
    /// ATR; some error values are pcsc-lite 1.x's (e.g. <c>0x8010006A</c> is SCARD_W_INSERTED_CARD).
    /// </summary>
    MacOS,
}
