using System.Text;
using Jpki.Card.Transport.Pcsc;

namespace Jpki.Card.Tests.Transport.Pcsc;

public sealed class PcscStringsTests
{
    private const string Sony = "Sony FeliCa Port/PaSoRi 4.0 (0120000) 00 00";
    private const string Japanese = "ソニー カードリーダー 00 01";

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void DecodeMulti_TwoNamesAndTheEmptyTerminator(int charSize)
    {
        var encoding = charSize == 1 ? Encoding.UTF8 : Encoding.Unicode;
        var multi = encoding.GetBytes(Sony + "\0" + Japanese + "\0\0");
        var names = PcscStrings.DecodeMulti(multi, multi.Length / charSize, charSize);
        Assert.Equal([Sony, Japanese], names);
    }

    [Fact]
    public void DecodeMulti_LengthShorterThanTheBuffer_ReadsOnlyThatManyCharacters()
    {
        var multi = Encoding.Unicode.GetBytes("A\0B\0\0" + "garbage");
        Assert.Equal(["A"], PcscStrings.DecodeMulti(multi, 2, 2));
    }

    [Fact]
    public void DecodeMulti_MissingFinalNul_KeepsTheLastName() =>
        Assert.Equal(["A", "B"], PcscStrings.DecodeMulti("A\0B"u8, 3, 1));

    [Fact]
    public void DecodeMulti_Empty_NoNames() => Assert.Empty(PcscStrings.DecodeMulti("\0"u8, 1, 1));

    [Fact]
    public void Encode_NulTerminatedInThePlatformsCharacters()
    {
        Assert.Equal([.. Encoding.UTF8.GetBytes(Japanese), 0], PcscStrings.Encode(Japanese, 1));
        Assert.Equal([.. Encoding.Unicode.GetBytes(Japanese), 0, 0], PcscStrings.Encode(Japanese, 2));
    }

    [Fact]
    public void Apis_EncodeAsTheirPlatformDoes()
    {
        Assert.Equal(1, PcscApi.For(PcscPlatform.PcscLite).CharSize);
        Assert.Equal(2, PcscApi.For(PcscPlatform.WinScard).CharSize);
        Assert.Equal(1, PcscApi.For(PcscPlatform.MacOS).CharSize);
        Assert.Equal(PcscStrings.Encode(Sony, 2), PcscApi.For(PcscPlatform.WinScard).EncodeString(Sony));
        Assert.Equal(PcscPlatform.PcscLite, PcscApi.CurrentPlatform); // this test machine is Linux
        Assert.Equal(ReaderStateLayout.For(PcscPlatform.MacOS, nint.Size), PcscApi.For(PcscPlatform.MacOS).Layout);
    }
}
