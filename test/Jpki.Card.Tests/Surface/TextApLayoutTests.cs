using System.Security.Cryptography;
using Jpki.Card.Applications;
using Jpki.Core.Identity;

namespace Jpki.Card.Tests.Surface;

/// <summary>
/// The text AP's files against what soltia48/myna-card read off a real JPKI test card (fixtures
/// <c>tests/fixtures/text-0001-physical.bin</c> and the EF 0002 bytes in <c>src/ap/text.rs</c> <c>attributes_file</c>).
/// </summary>
public sealed class TextApLayoutTests
{
    /// <summary>EF 0002 of the test card, byte for byte [soltia48/myna-card src/ap/text.rs, tests::attributes_file].</summary>
    private const string TestCardEf0002 =
        "ff2065df2108000e002000590064df22" + "0fe9bb92e6a190e38080e5b9b9e4b99f" + "df2336e69db1e4baace983bde6b885e7" +
        "80ace5b882e8a6b3e5b883e5ad90e58d" + "97efbc91efbc92efbc8defbc97efbc8d" + "efbc92efbc90efbc92df240831393830" +
        "30323137df250131";

    private static readonly BasicFourInfo TestCardHolder = new("黒桐　幹也", "東京都清瀬市観布子南１２－７－２０２", new DateOnly(1980, 2, 17), Sex.Male);

    [Fact]
    public void EncodeMyNumber_IsTheRealCardsPhysicalEf0001()
    {
        // text-0001-physical.bin: FF 10 0C, the 12 digits, FF FF — 17 bytes.
        Assert.Equal("FF100C" + Convert.ToHexString("537686677188"u8) + "FFFF", Convert.ToHexString(TextApEncoding.EncodeMyNumber("537686677188")));
    }

    [Fact]
    public void EncodeBasicFour_IsTheRealCardsEf0002ByteForByte() =>
        Assert.Equal(TestCardEf0002, Convert.ToHexString(TextApEncoding.EncodeBasicFour(TestCardHolder)), ignoreCase: true);

    [Fact]
    public void DecodeBasicFour_RealCardsEf0002_AndChecksTheOffsetTable()
    {
        var ef = Convert.FromHexString(TestCardEf0002);
        Assert.Equal(TestCardHolder, TextApEncoding.DecodeBasicFour(ef));
        ef[7] = 0x0F; // the first offset no longer points at DF22 [the same tamper as myna-card's checks_the_offset_table test]
        Assert.Null(TextApEncoding.DecodeBasicFour(ef));
    }

    [Fact]
    public void DecodeMyNumber_RefusesOtherTags()
    {
        var ef = TextApEncoding.EncodeMyNumber("537686677188");
        Assert.Equal("537686677188", TextApEncoding.DecodeMyNumber(ef));
        ef[1] = 0x11;
        Assert.Null(TextApEncoding.DecodeMyNumber(ef));
        Assert.Null(TextApEncoding.DecodeMyNumber(Convert.FromHexString("100C" + Convert.ToHexString("537686677188"u8) + "FFFFFF"))); // our old layout
    }

    [Fact]
    public void BasicFourDigestSource_SkipsTheOffsetTable()
    {
        var ef = Convert.FromHexString(TestCardEf0002);
        Assert.Equal(ef[14..], TextApEncoding.BasicFourDigestSource(ef)); // FF 20 65 | DF 21 08 <8> | DF 22 ...
    }
}
