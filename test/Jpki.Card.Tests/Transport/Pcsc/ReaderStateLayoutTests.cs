using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Jpki.Card.Transport.Pcsc;

namespace Jpki.Card.Tests.Transport.Pcsc;

public sealed class ReaderStateLayoutTests
{
    private static readonly byte[] JpkiAtr = Convert.FromHexString("3BE000FF8131FE4514");

    public static TheoryData<PcscPlatform, int, int[], int, int> Layouts64 => new()
    {
        // platform, sizeof, offsets of szReader/pvUserData/dwCurrentState/dwEventState/cbAtr/rgbAtr, ATR length, sizeof(SCARD_IO_REQUEST)
        { PcscPlatform.PcscLite, 80, [0, 8, 16, 24, 32, 40], 33, 16 },
        { PcscPlatform.WinScard, 64, [0, 8, 16, 20, 24, 28], 36, 8 },
        { PcscPlatform.MacOS, 61, [0, 8, 16, 20, 24, 28], 33, 8 },
    };

    [Theory]
    [MemberData(nameof(Layouts64))]
    public void For_64BitProcess_SizeAndOffsetsAreTheHeaders(PcscPlatform platform, int size, int[] offsets, int atrLength, int ioRequestSize)
    {
        var layout = ReaderStateLayout.For(platform, 8);
        Assert.Equal(size, layout.Size);
        Assert.Equal(offsets, new[] { layout.ReaderOffset, layout.UserDataOffset, layout.CurrentStateOffset, layout.EventStateOffset, layout.AtrLengthOffset, layout.AtrOffset });
        Assert.Equal(atrLength, layout.AtrLength);
        Assert.Equal(ioRequestSize, layout.IoRequestSize);
    }

    [Theory]
    [InlineData(PcscPlatform.PcscLite, 56)] // 4 × 5 + 33 = 53, padded to 4
    [InlineData(PcscPlatform.WinScard, 56)] // 4 × 5 + 36
    [InlineData(PcscPlatform.MacOS, 53)] // packed
    public void For_32BitProcess_SizeFollowsTheSmallerPointersAndDwords(PcscPlatform platform, int size) =>
        Assert.Equal(size, ReaderStateLayout.For(platform, 4).Size);

    [Fact]
    public void For_ThisProcess_AgreesWithTheRuntimesLayoutOfTheHeaderStructs()
    {
        Assert.Equal(8, nint.Size); // the machines this runs on are 64-bit
        Check<PcscLiteReaderState>(ReaderStateLayout.For(PcscPlatform.PcscLite, nint.Size));
        Check<WinScardReaderStateW>(ReaderStateLayout.For(PcscPlatform.WinScard, nint.Size));
        Check<MacReaderState>(ReaderStateLayout.For(PcscPlatform.MacOS, nint.Size));

        static void Check<T>(ReaderStateLayout layout)
            where T : struct
        {
            Assert.Equal(Unsafe.SizeOf<T>(), layout.Size);
            Assert.Equal((int)Marshal.OffsetOf<T>("PvUserData"), layout.UserDataOffset);
            Assert.Equal((int)Marshal.OffsetOf<T>("DwCurrentState"), layout.CurrentStateOffset);
            Assert.Equal((int)Marshal.OffsetOf<T>("DwEventState"), layout.EventStateOffset);
            Assert.Equal((int)Marshal.OffsetOf<T>("CbAtr"), layout.AtrLengthOffset);
            Assert.Equal((int)Marshal.OffsetOf<T>("RgbAtr"), layout.AtrOffset);
        }
    }

    [Theory]
    [InlineData(PcscPlatform.PcscLite)]
    [InlineData(PcscPlatform.WinScard)]
    [InlineData(PcscPlatform.MacOS)]
    public void WriteArrayReadArray_ThreeEntries_RoundTripAtTheStride(PcscPlatform platform)
    {
        var layout = ReaderStateLayout.For(platform, 8);
        var longest = Enumerable.Range(1, layout.AtrLength).Select(i => (byte)i).ToArray();
        ReaderStateEntry[] states =
        [
            new(Pointer(0x7F00_1234_5678), 0, 0, 0x0003_0122, JpkiAtr),
            new(Pointer(0x7F00_1234_5690), 0x55, 0x0001_0010, 0x0000_0012, ReadOnlyMemory<byte>.Empty),
            new(Pointer(0x7F00_1234_56A8), 0, 0x20, 0xFFFF_0020, longest),
        ];

        var buffer = layout.WriteArray(states);
        Assert.Equal(3 * layout.Size, buffer.Length);
        var read = layout.ReadArray(buffer, 3);
        for (var i = 0; i < states.Length; i++)
        {
            Assert.Equal(states[i].Reader, read[i].Reader);
            Assert.Equal(states[i].UserData, read[i].UserData);
            Assert.Equal(states[i].CurrentState, read[i].CurrentState);
            Assert.Equal(states[i].EventState, read[i].EventState);
            Assert.Equal(states[i].Atr.ToArray(), read[i].Atr.ToArray());
        }

        // The second entry starts exactly one stride in: its reader pointer is there, little-endian.
        Assert.Equal(0x7F00_1234_5690, BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(layout.Size)));
    }

    [Fact]
    public void Write_PcscLite_DwordsTakeEightBytesAndTheAtrFollowsThem()
    {
        var layout = ReaderStateLayout.For(PcscPlatform.PcscLite, 8);
        var bytes = new byte[layout.Size];
        layout.Write(bytes, new ReaderStateEntry(1, 0, 0x10, 0x8001_0020, JpkiAtr));
        Assert.Equal(0x8001_0020UL, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(24)));
        Assert.Equal((ulong)JpkiAtr.Length, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(32)));
        Assert.Equal(JpkiAtr, bytes.AsSpan(40, JpkiAtr.Length).ToArray());
    }

    [Fact]
    public void Write_Windows_DwordsTakeFourBytesAndAThirtySixByteAtrFits()
    {
        var layout = ReaderStateLayout.For(PcscPlatform.WinScard, 8);
        var bytes = new byte[layout.Size];
        var atr = new byte[36];
        atr[35] = 0xAA;
        layout.Write(bytes, new ReaderStateEntry(1, 0, 0x10, 0x0002_0020, atr));
        Assert.Equal(0x0002_0020U, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(20)));
        Assert.Equal(36U, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(24)));
        Assert.Equal(0xAA, bytes[63]);
    }

    [Theory]
    [InlineData(PcscPlatform.PcscLite)]
    [InlineData(PcscPlatform.MacOS)]
    public void Write_AtrLongerThanMaxAtrSize_Refused(PcscPlatform platform)
    {
        var layout = ReaderStateLayout.For(platform, 8);
        Assert.Throws<ArgumentException>(() => layout.Write(new byte[layout.Size], new ReaderStateEntry(1, 0, 0, 0, new byte[34])));
    }

    [Fact]
    public void Read_AtrLengthBeyondTheField_IsClampedNotOverread()
    {
        var layout = ReaderStateLayout.For(PcscPlatform.MacOS, 8);
        var bytes = Enumerable.Repeat((byte)0xEE, layout.Size + 8).ToArray(); // the packed entry is followed by other bytes
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(layout.AtrLengthOffset), 1000);
        Assert.Equal(33, layout.Read(bytes).Atr.Length);
    }

    [Fact]
    public void Write_PaddingIsZeroed()
    {
        var layout = ReaderStateLayout.For(PcscPlatform.PcscLite, 8);
        var bytes = Enumerable.Repeat((byte)0xEE, layout.Size).ToArray();
        layout.Write(bytes, new ReaderStateEntry(1, 0, 0, 0, JpkiAtr));
        Assert.All(bytes.AsSpan(layout.AtrOffset + JpkiAtr.Length).ToArray(), b => Assert.Equal(0, b));
    }

    private static nint Pointer(long value) => (nint)value;

    [Fact]
    public void For_OtherPointerSizes_Refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ReaderStateLayout.For(PcscPlatform.PcscLite, 2));
}
