namespace Jpki.Card.Transport.Pcsc;

/// <summary>
/// The PC/SC calls OpenJpki makes, the same on every platform: handles widened to <see cref="nint"/>, DWORDs and
/// results to <see cref="uint"/>, strings in the platform's encoding. One implementation per platform does the
/// narrowing and widening (<see cref="PcscLiteApi"/>, <see cref="WinScardApi"/>, <see cref="MacPcscApi"/>).
/// </summary>
internal interface IPcscApi
{
    /// <summary>Which platform's library this binds.</summary>
    PcscPlatform Platform { get; }

    /// <summary>The <c>SCARD_READERSTATE</c> layout of this platform in this process.</summary>
    ReaderStateLayout Layout { get; }

    /// <summary>The library's file name, for messages.</summary>
    string LibraryName { get; }

    /// <summary>Encodes a reader name NUL-terminated in the platform's encoding (UTF-8, or UTF-16LE on Windows).</summary>
    byte[] EncodeString(string text);

    /// <summary>Decodes a multi-string (names separated and ended by NUL) of <paramref name="length"/> characters.</summary>
    IReadOnlyList<string> DecodeMultiString(ReadOnlySpan<byte> buffer, int length);

    /// <summary>Bytes per character in <see cref="ListReaders"/> buffers (1, or 2 on Windows).</summary>
    int CharSize { get; }

    uint EstablishContext(out nint context);

    uint ReleaseContext(nint context);

    /// <summary>SCardListReaders: <paramref name="length"/> is in characters, in and out.</summary>
    uint ListReaders(nint context, byte[]? buffer, ref int length);

    uint Connect(nint context, byte[] reader, uint shareMode, uint protocols, out nint card, out uint activeProtocol);

    uint Reconnect(nint card, uint shareMode, uint protocols, uint initialization, out uint activeProtocol);

    uint Disconnect(nint card, uint disposition);

    uint BeginTransaction(nint card);

    uint EndTransaction(nint card, uint disposition);

    /// <summary>SCardTransmit with the library's own PCI for <paramref name="protocol"/> (T=0 or T=1).</summary>
    uint Transmit(nint card, uint protocol, ReadOnlySpan<byte> command, Span<byte> response, out int received);

    /// <summary>SCardStatus for the ATR only.</summary>
    uint Status(nint card, Span<byte> atr, out int atrLength);

    /// <summary>SCardGetStatusChange over a reader-state array laid out with <see cref="Layout"/> at <paramref name="states"/>.</summary>
    uint GetStatusChange(nint context, uint timeoutMilliseconds, nint states, int count);

    uint Cancel(nint context);
}
