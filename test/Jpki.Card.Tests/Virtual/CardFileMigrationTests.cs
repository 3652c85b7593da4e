using System.Text.Json;
using System.Text.Json.Nodes;
using Jpki.Card.Applications;
using Jpki.Card.Virtual;

namespace Jpki.Card.Tests.Virtual;

/// <summary>Card files written by earlier builds (format version 1) open, answer with the new layouts and are rewritten as version 2.</summary>
public sealed class CardFileMigrationTests
{
    [Fact]
    public void OpenVersion1_ReencodesTextAp_KeepsPinsAndKeys_WritesVersion2()
    {
        using var card = TestCard.Create();
        card.Card.Transmit(Convert.FromHexString(Apdus.SelectJpki));
        card.Card.Transmit(Convert.FromHexString(Apdus.SelectAuthPin));
        card.Card.Transmit(Convert.FromHexString(Apdus.VerifyAuth9999)); // one failed try must survive the migration
        card.Eject();
        WriteAsVersion1(card.Path);

        card.Reopen();
        var onDisk = JsonNode.Parse(File.ReadAllText(card.Path))!;
        Assert.Equal(2, (int)onDisk["FormatVersion"]!);
        Assert.Equal("mynumber", (string)onDisk["Profile"]!);
        Assert.Equal("3BE000FF8131FE4514", Convert.ToHexString(card.Card.Atr.Span));

        Assert.Equal(0x9000, card.Sw(Apdus.SelectJpki));
        Assert.Equal(0x9000, card.Sw(Apdus.SelectAuthPin));
        Assert.Equal(0x63C2, card.Sw(Apdus.RetryQuery));
        Assert.Equal(0x9000, card.Sw(Apdus.VerifyAuth1234));
        card.Sw(Apdus.SelectAuthKey);
        Assert.Equal(0x9000, card.Send(Apdus.Sign(Apdus.Sha256DigestInfo([1]))).Sw);

        card.Sw(Apdus.SelectText);
        card.Sw("00A4020C020011");
        Assert.Equal(0x9000, card.Sw("002000800435363738"));
        card.Sw("00A4020C020001");
        var myNumber = card.Send("00B0000000").Data;
        Assert.Equal("FF100C", Convert.ToHexString(myNumber[..3]));
        Assert.Equal(TestCard.MyNumber, TextApEncoding.DecodeMyNumber(myNumber));
        card.Sw("00A4020C020002");
        var basicFour = card.Send("00B0000000").Data;
        Assert.Equal("DF2108", Convert.ToHexString(basicFour[3..6]));
        Assert.Equal(TestCard.Holder, TextApEncoding.DecodeBasicFour(basicFour));
    }

    [Fact]
    public void OpenVersion1JukiCard_GetsTheJukiProfile()
    {
        using var card = TestCard.Create(issue: false);
        card.Eject();
        WriteAsVersion1(card.Path, kind: "JukiCard");
        card.Reopen();
        Assert.Equal("juki", card.Card.Profile.Id);
        Assert.Equal(0x6A82, card.Sw(Apdus.SelectText));
    }

    [Fact]
    public void OpenUnknownProfileOrNewerVersion_RefusedWithCardFileVersion()
    {
        using var card = TestCard.Create(issue: false);
        card.Eject();
        var json = JsonNode.Parse(File.ReadAllText(card.Path))!;
        json["Profile"] = "next-gen-from-the-future";
        File.WriteAllText(card.Path, json.ToJsonString());
        Assert.Equal("card-file-version", Assert.Throws<VirtualCardException>(() => VirtualCard.Open(card.Path)).Code);
        json["Profile"] = "mynumber";
        json["FormatVersion"] = 3;
        File.WriteAllText(card.Path, json.ToJsonString());
        Assert.Equal("card-file-version", Assert.Throws<VirtualCardException>(() => VirtualCard.Open(card.Path)).Code);
        json["FormatVersion"] = 2;
        File.WriteAllText(card.Path, json.ToJsonString());
        card.Reopen();
    }

    /// <summary>Rewrites a current card file the way format version 1 stored it (no profile/ATR/new APs; the old text EF layouts).</summary>
    private static void WriteAsVersion1(string path, string kind = "MyNumberCard")
    {
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        json["FormatVersion"] = 1;
        json["Kind"] = kind;
        foreach (var added in new[] { "Profile", "Atr", "MunicipalityCode", "Visual", "Common", "Juki" })
        {
            json.Remove(added);
        }

        var files = json["Text"]!["Files"]!.AsObject();
        if (files.ContainsKey("0001"))
        {
            files["0001"] = Convert.ToBase64String([0x10, 0x0C, .. "123456789018"u8, 0xFF, 0xFF, 0xFF]);
            var info = TestCard.Holder;
            byte[] Field(int tag, byte[] value) => [0xDF, (byte)tag, (byte)value.Length, .. value];
            byte[] inner = [.. Field(0x21, []), .. Field(0x22, System.Text.Encoding.UTF8.GetBytes(info.Name)), .. Field(0x23, System.Text.Encoding.UTF8.GetBytes(info.Address)),
                .. Field(0x24, "19900228"u8.ToArray()), .. Field(0x25, "2"u8.ToArray())];
            Assert.True(inner.Length < 0x80);
            files["0002"] = Convert.ToBase64String([0xFF, 0x20, (byte)inner.Length, .. inner]);
            foreach (var added in new[] { "0003", "0004", "0005", "0007" })
            {
                files.Remove(added);
            }
        }

        File.WriteAllText(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
