using Jpki.Card.Apdu;
using Jpki.Card.Applications;

namespace Jpki.Card.Tests.Applications;

public sealed class SelectAndReadTests : IClassFixture<IssuedCardFixture>
{
    private readonly TestCard _card;

    public SelectAndReadTests(IssuedCardFixture fixture)
    {
        _card = fixture.Card;
        _card.Card.Reset();
    }

    /// <summary>The probes of the OpenSC drivers that run before jpki (CARD-INTEROP §3): all must be refused.</summary>
    public static TheoryData<string, ushort> ForeignProbes()
    {
        var data = new TheoryData<string, ushort>();
        string[] aids =
        [
            "627601FF000000", "A00000000101", "E82B0601040181C31F0201", "D23300000045737445494420763335", "A00000030800001000",
            "A000000116DB00", "A0000000791000", "F276A288BCFBA69D34F31001", "A00000039742544659", "D27600012401",
        ];
        foreach (var aid in aids.Concat(Enumerable.Range(0, 16).Select(i => $"A00000007901{i:X2}")))
        {
            var lc = (aid.Length / 2).ToString("X2", System.Globalization.CultureInfo.InvariantCulture);
            data.Add($"00A4040C{lc}{aid}", StatusWords.FileNotFound);
            data.Add($"00A4040C{lc}{aid}00", StatusWords.FileNotFound); // case 4 with trailing Le
            data.Add($"00A40400{lc}{aid}00", StatusWords.FileNotFound);
        }

        data.Add("00CADF3005", StatusWords.DataNotFound); // GET DATA exists on the card; SetCOS's probe tag is not held
        data.Add("00CB3FFF035C017E08", StatusWords.InsNotSupported);
        return data;
    }

    [Theory]
    [MemberData(nameof(ForeignProbes))]
    public void Select_ForeignProbe_Refused(string apdu, ushort expected) => Assert.Equal(expected, _card.Sw(apdu));

    [Fact]
    public void Select_ForeignAidAfterJpki_KeepsJpkiSelected()
    {
        Assert.Equal(StatusWords.Success, _card.Sw(Apdus.SelectJpki));
        Assert.Equal(StatusWords.FileNotFound, _card.Sw("00A4040C06A00000000101"));
        Assert.Equal(StatusWords.Success, _card.Sw("00A4020C02000A"));
    }

    [Theory]
    [InlineData(Apdus.SelectJpki, StatusWords.Success)]
    [InlineData(Apdus.SelectText, StatusWords.Success)]
    [InlineData("00A4040C0AD392F00026010000000100", StatusWords.Success)]
    [InlineData("00A4040C0AD3921000310001010402", StatusWords.Success)] // visual AP
    [InlineData("00A4040C09D392F0002601000000", StatusWords.FileNotFound)] // partial AID
    [InlineData("00A40404 0AD392F000260100000001", StatusWords.WrongP1P2)]
    [InlineData("00A4080C023F00", StatusWords.WrongP1P2)]
    [InlineData("00A4020C02000A", StatusWords.FileNotFound)] // EF without AP
    [InlineData("00A40000", StatusWords.WrongP1P2)] // MF after reset [R MC]
    [InlineData("0CA4040C0AD392F000260100000001", StatusWords.SecureMessagingNotSupported)]
    [InlineData("08B0000004", StatusWords.SecureMessagingClass)]
    [InlineData("0C20008000", StatusWords.SecureMessagingClass)]
    [InlineData("40B0000004", StatusWords.ClaNotSupported)]
    [InlineData("A0A4040C0AD392F000260100000001", StatusWords.ClaNotSupported)]
    [InlineData("00FF0000", StatusWords.InsNotSupported)]
    [InlineData("80B0000004", StatusWords.InsNotSupported)]
    public void Select_AfterReset_AnswersStatus(string apdu, ushort expected) => Assert.Equal(expected, _card.Sw(apdu));

    [Theory]
    [InlineData("00A4020C02000A", StatusWords.Success)]
    [InlineData("00A4020C020001", StatusWords.Success)]
    [InlineData("00A4020C020006", StatusWords.Success)]
    [InlineData("00A4020C020009", StatusWords.FileNotFound)]
    [InlineData("00A4020C023F00", StatusWords.FileNotFound)]
    [InlineData("00A4020C0100", StatusWords.WrongLength)]
    [InlineData("00A4020C03000A00", StatusWords.WrongLength)]
    [InlineData("00A4020402000A", StatusWords.WrongP1P2)]
    [InlineData("00A40000", StatusWords.Success)] // MF inside an AP: a no-op
    [InlineData("00B0000004", StatusWords.NoCurrentEf)]
    public void SelectEf_InJpki_AnswersStatus(string apdu, ushort expected)
    {
        Assert.Equal(StatusWords.Success, _card.Sw(Apdus.SelectJpki));
        Assert.Equal(expected, _card.Sw(apdu));
    }

    [Fact]
    public void ReadBinary_TokenInfo_Is160BytesWithCardLabel()
    {
        _card.Sw(Apdus.SelectJpki);
        _card.Sw("00A4020C020006");
        var (sw, data) = _card.Send("00B00000A0");
        Assert.Equal(StatusWords.Success, sw);
        Assert.Equal(160, data.Length);
        Assert.Equal("JPKIAPICCTOKEN2", TokenInfo.ReadLabel(data));
        Assert.Equal(StatusWords.WrongOffset, _card.Sw("00B000A001"));
    }

    [Fact]
    public void ReadBinary_AuthCertificateLikeOpenSc_ReturnsDerByteForByte()
    {
        _card.Sw(Apdus.SelectJpki);
        _card.Sw("00A4020C02000A");
        var (sw, header) = _card.Send("00B0000004");
        Assert.Equal(StatusWords.Success, sw);
        Assert.Equal(new byte[] { 0x30, 0x82 }, header[..2]);
        var size = ((header[2] << 8) | header[3]) + 4;
        var read = new List<byte>();
        while (read.Count < size)
        {
            var length = Math.Min(256, size - read.Count);
            var apdu = CommandApdu.Encode(0x00, 0xB0, (byte)(read.Count >> 8), (byte)(read.Count & 0xFF), le: length);
            var (chunkSw, chunk) = _card.Send(apdu);
            Assert.Equal(StatusWords.Success, chunkSw);
            Assert.Equal(length, chunk.Length);
            read.AddRange(chunk);
        }

        Assert.Equal(_card.Certificates!.Authentication, read.ToArray());
        var beyond = CommandApdu.Encode(0x00, 0xB0, (byte)(size >> 8), (byte)(size & 0xFF), le: 256);
        Assert.Equal(StatusWords.WrongOffset, _card.Send(beyond).Sw);
    }

    [Fact]
    public void ReadBinary_LeZero_Returns256Bytes()
    {
        _card.Sw(Apdus.SelectJpki);
        _card.Sw("00A4020C02000B");
        var (sw, data) = _card.Send("00B0000000");
        Assert.Equal(StatusWords.Success, sw);
        Assert.Equal(256, data.Length);
    }

    [Fact]
    public void ReadBinary_FifteenBitOffset_ReadsFromThere()
    {
        _card.Sw(Apdus.SelectJpki);
        _card.Sw("00A4020C02000A");
        var (_, data) = _card.Send("00B0010010");
        Assert.Equal(_card.Certificates!.Authentication.AsSpan(0x100, 0x10).ToArray(), data);
        Assert.Equal(StatusWords.WrongOffset, _card.Sw("00B07FFF01"));
    }

    [Fact]
    public void ReadBinary_WithSfi_SelectsAndReads()
    {
        _card.Sw(Apdus.SelectJpki);
        var (sw, data) = _card.Send("00B0860010");
        Assert.Equal(StatusWords.Success, sw);
        Assert.Equal("JPKIAPICCTOKEN2 ", System.Text.Encoding.ASCII.GetString(data));
        Assert.Equal(StatusWords.FileNotFound, _card.Sw("00B0890010"));
        Assert.Equal(StatusWords.WrongP1P2, _card.Sw("00B0A60010"));
    }

    [Theory]
    [InlineData("00A4020C020017")]
    [InlineData("00A4020C020018")]
    [InlineData("00A4020C02001B")]
    public void ReadBinary_KeyOrPinEf_Answers6981(string select)
    {
        _card.Sw(Apdus.SelectJpki);
        _card.Sw(select);
        Assert.Equal(StatusWords.IncompatibleFile, _card.Sw("00B0000004"));
    }

    [Theory]
    [InlineData("00B000000400")] // case 4 READ BINARY: data where none belongs
    [InlineData("00B00000")] // case 1: no Le
    public void ReadBinary_BadShape_Answers6700(string apdu)
    {
        _card.Sw(Apdus.SelectJpki);
        _card.Sw("00A4020C020006");
        Assert.Equal(StatusWords.WrongLength, _card.Sw(apdu));
    }

    [Fact]
    public void ReadBinary_SignCertificate_NeedsSignPassword()
    {
        _card.Sw(Apdus.SelectJpki);
        _card.Sw("00A4020C020001");
        Assert.Equal(StatusWords.SecurityStatusNotSatisfied, _card.Sw("00B0000004"));
        _card.Sw(Apdus.SelectAuthPin);
        Assert.Equal(StatusWords.Success, _card.Sw(Apdus.VerifyAuth1234));
        _card.Sw("00A4020C020001");
        Assert.Equal(StatusWords.SecurityStatusNotSatisfied, _card.Sw("00B0000004")); // the auth PIN does not open it
        _card.Sw(Apdus.SelectSignPin);
        Assert.Equal(StatusWords.Success, _card.Sw(Apdus.VerifySignAbc123));
        _card.Sw("00A4020C020001");
        Assert.Equal(StatusWords.Success, _card.Sw("00B0000004"));
    }

    [Fact]
    public void ReadBinary_Availability_ShowsBothCertificates()
    {
        _card.Sw(Apdus.SelectJpki);
        _card.Sw("00A4020C020008");
        var (sw, data) = _card.Send("00B0000003");
        Assert.Equal(StatusWords.Success, sw);
        Assert.Equal(new byte[] { 0x8F, 0x8F, 0x00 }, data);
    }
}
