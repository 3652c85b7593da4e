using System.Formats.Asn1;
using Jpki.Core.Identity;

namespace Jpki.Core.Tests.Identity;

public class BasicFourInfoOtherNamesTests
{
    private static readonly Asn1Tag OtherName = new(TagClass.ContextSpecific, 0, isConstructed: true);

    private static byte[] San(params (string Oid, string Value)[] entries)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            // A dNSName first: general names of other kinds are skipped.
            writer.WriteCharacterString(UniversalTagNumber.IA5String, "example.jp", new Asn1Tag(TagClass.ContextSpecific, 2));
            foreach (var (oid, value) in entries)
            {
                using (writer.PushSequence(OtherName))
                {
                    writer.WriteObjectIdentifier(oid);
                    using (writer.PushSequence(OtherName))
                    {
                        writer.WriteCharacterString(UniversalTagNumber.UTF8String, value);
                    }
                }
            }
        }

        return writer.Encode();
    }

    [Fact]
    public void Read_EntriesInCardOrder_ReturnsEachByOid()
    {
        var values = BasicFourInfoOtherNames.Read(San(
            (BasicFourInfoOtherNames.Name, "公的　太郎"),
            (BasicFourInfoOtherNames.DateOfBirth, "319800217"),
            (BasicFourInfoOtherNames.Sex, "1"),
            (BasicFourInfoOtherNames.Address, "東京都千代田区"),
            ("1.2.3.4", "not ours")));

        Assert.Equal(4, values.Count);
        Assert.Equal("公的　太郎", values[BasicFourInfoOtherNames.Name]);
        Assert.Equal("319800217", values[BasicFourInfoOtherNames.DateOfBirth]);
    }

    [Fact]
    public void Read_EntryTwice_Throws()
        => Assert.Throws<FormatException>(() => BasicFourInfoOtherNames.Read(San((BasicFourInfoOtherNames.Name, "A"), (BasicFourInfoOtherNames.Name, "B"))));

    [Theory]
    [InlineData(new byte[] { 0x30, 0x03, 0x02, 0x01 })]
    [InlineData(new byte[] { 0x30, 0x00, 0x00 })]
    [InlineData(new byte[] { 0x04, 0x00 })]
    public void Read_NotDerGeneralNames_Throws(byte[] der) => Assert.Throws<FormatException>(() => BasicFourInfoOtherNames.Read(der));

    [Theory]
    [InlineData("1", Sex.Male)]
    [InlineData("2", Sex.Female)]
    [InlineData("9", Sex.NotApplicable)]
    [InlineData("0", null)]
    [InlineData("M", null)]
    public void ParseSex_Code_MapsIso5218(string code, Sex? expected) => Assert.Equal(expected, BasicFourInfoOtherNames.ParseSex(code));
}
