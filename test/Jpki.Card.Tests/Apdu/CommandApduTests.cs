using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Jpki.Card.Apdu;

namespace Jpki.Card.Tests.Apdu;

public class CommandApduTests
{
    [Theory]
    [InlineData("00A4040C0AD392F000260100000001", 0x00, 0xA4, 10, null)]
    [InlineData("00B0000004", 0x00, 0xB0, 0, 4)]
    [InlineData("00B0000000", 0x00, 0xB0, 0, 256)]
    [InlineData("00200080", 0x00, 0x20, 0, null)]
    [InlineData("802A00800331323300", 0x80, 0x2A, 3, 256)]
    [InlineData("00A4040C09A00000030800001000", 0x00, 0xA4, 9, null)]
    [InlineData("00A4040C09A0000003080000100000", 0x00, 0xA4, 9, 256)]
    public void TryParse_ShortCases_Parsed(string hex, int cla, int ins, int dataLength, int? le)
    {
        Assert.True(CommandApdu.TryParse(Convert.FromHexString(hex), out var apdu));
        Assert.Equal(cla, apdu.Cla);
        Assert.Equal(ins, apdu.Ins);
        Assert.Equal(dataLength, apdu.Data.Length);
        Assert.Equal(le, apdu.Le);
    }

    [Theory]
    [InlineData("")]
    [InlineData("00")]
    [InlineData("00A404")]
    [InlineData("00A4040C0AD392")]
    [InlineData("00A4040C02001B0000")]
    [InlineData("00B0000000FFFF")]
    [InlineData("00A4040C0000000A")]
    [InlineData("0020008005313233")]
    public void TryParse_Malformed_False(string hex) => Assert.False(CommandApdu.TryParse(Convert.FromHexString(hex), out _));

    [Property]
    public void Encode_ThenParse_RoundTrips(byte cla, byte ins, byte p1, byte p2, byte[] data, byte leCode, bool withLe)
    {
        var body = data.Length > 255 ? data[..255] : data;
        int? le = withLe ? (leCode == 0 ? 256 : leCode) : null;
        var encoded = CommandApdu.Encode(cla, ins, p1, p2, body, le);
        Assert.True(CommandApdu.TryParse(encoded, out var apdu));
        Assert.Equal((cla, ins, p1, p2), (apdu.Cla, apdu.Ins, apdu.P1, apdu.P2));
        Assert.Equal(body, apdu.Data.ToArray());
        Assert.Equal(le, apdu.Le);
    }

    [Fact]
    public void Transmit_RandomBytes_NeverThrowsAndAlwaysAnswersSw()
    {
        using var card = TestCard.Create(issue: false);
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes =>
        {
            var response = card.Card.Transmit(bytes);
            return response.Length >= 2;
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [MemberData(nameof(TruncatedAndOverlong))]
    public void Transmit_TruncatedOrOverlong_Answers6700(string hex)
    {
        using var card = TestCard.Create(issue: false);
        Assert.Equal(StatusWords.WrongLength, card.Sw(hex));
    }

    public static TheoryData<string> TruncatedAndOverlong()
    {
        var data = new TheoryData<string>();
        foreach (var valid in new[] { "00A4040C0AD392F000260100000001", "00A4020C020018", "002000800431323334", "802A00800331323300" })
        {
            for (var cut = 2; cut < valid.Length - 10; cut += 2)
            {
                var truncated = valid[..cut];
                if (truncated.Length is 8 or 10)
                {
                    continue; // 4 or 5 bytes are valid case 1 / case 2 commands
                }

                data.Add(truncated);
            }

            data.Add(valid + "0000");
            data.Add(valid + "AABBCC");
        }

        return data;
    }
}
