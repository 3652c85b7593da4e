using System.Buffers.Binary;

namespace Jpki.Card.Transport.Pcsc;

/// <summary>
/// The memory layout of one <c>SCARD_READERSTATE</c> on a platform, and its encoding: the reader-state arrays of
/// <c>SCardGetStatusChange</c> are built and read byte by byte with it, so each platform's layout is plain data that a
/// test can check on any machine. Fields (all platforms, in this order): <c>szReader</c> (pointer), <c>pvUserData</c>
/// (pointer), <c>dwCurrentState</c>, <c>dwEventState</c>, <c>cbAtr</c> (DWORDs), <c>rgbAtr</c> (bytes). Little-endian.
/// </summary>
/// <param name="Platform">Whose layout.</param>
/// <param name="PointerSize">Size of a pointer (8 on 64-bit processes).</param>
/// <param name="DwordSize">Size of the platform's DWORD: C <c>unsigned long</c> in pcsc-lite, 4 on Windows and macOS.</param>
/// <param name="AtrLength">Length of <c>rgbAtr</c>: 33 (<c>MAX_ATR_SIZE</c>) in pcsc-lite and on macOS, 36 on Windows.</param>
/// <param name="Packed">True when the structure is declared under <c>#pragma pack(1)</c> (macOS): no tail padding.</param>
internal sealed record ReaderStateLayout(PcscPlatform Platform, int PointerSize, int DwordSize, int AtrLength, bool Packed)
{
    /// <summary>Offset of <c>szReader</c>.</summary>
    public int ReaderOffset => 0;

    /// <summary>Offset of <c>pvUserData</c>.</summary>
    public int UserDataOffset => PointerSize;

    /// <summary>Offset of <c>dwCurrentState</c>.</summary>
    public int CurrentStateOffset => 2 * PointerSize;

    /// <summary>Offset of <c>dwEventState</c>.</summary>
    public int EventStateOffset => CurrentStateOffset + DwordSize;

    /// <summary>Offset of <c>cbAtr</c>.</summary>
    public int AtrLengthOffset => EventStateOffset + DwordSize;

    /// <summary>Offset of <c>rgbAtr</c>.</summary>
    public int AtrOffset => AtrLengthOffset + DwordSize;

    /// <summary><c>sizeof(SCARD_READERSTATE)</c>: the array stride, with the tail padding C adds unless packed.</summary>
    public int Size
    {
        get
        {
            var end = AtrOffset + AtrLength;
            if (Packed)
            {
                return end;
            }

            var alignment = Math.Max(PointerSize, DwordSize);
            return (end + alignment - 1) / alignment * alignment;
        }
    }

    /// <summary><c>sizeof(SCARD_IO_REQUEST)</c>: two DWORDs (<c>dwProtocol</c>, <c>cbPciLength</c>).</summary>
    public int IoRequestSize => 2 * DwordSize;

    /// <summary>The layout of <paramref name="platform"/> in a process with pointers of <paramref name="pointerSize"/> bytes.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Pointer size other than 4 or 8, or an unknown platform.</exception>
    public static ReaderStateLayout For(PcscPlatform platform, int pointerSize)
    {
        if (pointerSize is not (4 or 8))
        {
            throw new ArgumentOutOfRangeException(nameof(pointerSize), pointerSize, "Pointers have 4 or 8 bytes.");
        }

        return platform switch
        {
            // pcsc-lite: typedef unsigned long DWORD (LP64 on 64-bit Linux and the BSDs, ILP32 on 32-bit).
            PcscPlatform.PcscLite => new(platform, pointerSize, pointerSize, 33, Packed: false),
            PcscPlatform.WinScard => new(platform, pointerSize, 4, 36, Packed: false),
            PcscPlatform.MacOS => new(platform, pointerSize, 4, 33, Packed: true),
            _ => throw new ArgumentOutOfRangeException(nameof(platform), platform, "Unknown PC/SC platform."),
        };
    }

    /// <summary>Writes <paramref name="state"/> into <paramref name="destination"/> (at least <see cref="Size"/> bytes; padding is zeroed).</summary>
    public void Write(Span<byte> destination, in ReaderStateEntry state)
    {
        var slot = destination[..Size];
        slot.Clear();
        WritePointer(slot[ReaderOffset..], state.Reader);
        WritePointer(slot[UserDataOffset..], state.UserData);
        WriteDword(slot[CurrentStateOffset..], state.CurrentState);
        WriteDword(slot[EventStateOffset..], state.EventState);
        var atr = state.Atr.Span;
        if (atr.Length > AtrLength)
        {
            throw new ArgumentException($"An ATR has at most {AtrLength} bytes in this layout.", nameof(state));
        }

        WriteDword(slot[AtrLengthOffset..], (uint)atr.Length);
        atr.CopyTo(slot[AtrOffset..]);
    }

    /// <summary>Reads one entry from <paramref name="source"/>; an out-of-range <c>cbAtr</c> is clamped to the ATR field.</summary>
    public ReaderStateEntry Read(ReadOnlySpan<byte> source)
    {
        var slot = source[..Size];
        var atrLength = (int)Math.Min(ReadDword(slot[AtrLengthOffset..]), (ulong)AtrLength);
        return new ReaderStateEntry(
            ReadPointer(slot[ReaderOffset..]),
            ReadPointer(slot[UserDataOffset..]),
            (uint)ReadDword(slot[CurrentStateOffset..]),
            (uint)ReadDword(slot[EventStateOffset..]),
            slot.Slice(AtrOffset, atrLength).ToArray());
    }

    /// <summary>Writes an array of entries back to back (stride <see cref="Size"/>).</summary>
    public byte[] WriteArray(IReadOnlyList<ReaderStateEntry> states)
    {
        ArgumentNullException.ThrowIfNull(states);
        var buffer = new byte[checked(Size * states.Count)];
        for (var i = 0; i < states.Count; i++)
        {
            var state = states[i];
            Write(buffer.AsSpan(i * Size), state);
        }

        return buffer;
    }

    /// <summary>Reads <paramref name="count"/> entries written back to back.</summary>
    public IReadOnlyList<ReaderStateEntry> ReadArray(ReadOnlySpan<byte> source, int count)
    {
        var result = new ReaderStateEntry[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = Read(source[(i * Size)..]);
        }

        return result;
    }

    private void WritePointer(Span<byte> destination, nint value)
    {
        if (PointerSize == 8)
        {
            BinaryPrimitives.WriteInt64LittleEndian(destination, value);
        }
        else
        {
            BinaryPrimitives.WriteInt32LittleEndian(destination, checked((int)value));
        }
    }

    private nint ReadPointer(ReadOnlySpan<byte> source) => PointerSize == 8
        ? (nint)BinaryPrimitives.ReadInt64LittleEndian(source)
        : BinaryPrimitives.ReadInt32LittleEndian(source);

    private void WriteDword(Span<byte> destination, uint value)
    {
        if (DwordSize == 8)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(destination, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(destination, value);
        }
    }

    private ulong ReadDword(ReadOnlySpan<byte> source) => DwordSize == 8
        ? BinaryPrimitives.ReadUInt64LittleEndian(source)
        : BinaryPrimitives.ReadUInt32LittleEndian(source);
}
