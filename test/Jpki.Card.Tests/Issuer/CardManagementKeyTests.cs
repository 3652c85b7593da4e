using Jpki.Card.Issuer;

namespace Jpki.Card.Tests.Issuer;

public sealed class CardManagementKeyTests
{
    [Fact]
    public void Derive_SameMasterAndCard_SameKey_OtherCardDiffers()
    {
        using var a = CardManagementKey.Derive(TestCard.MasterKey, "CARD1");
        using var b = CardManagementKey.Derive(TestCard.MasterKey, "CARD1");
        using var c = CardManagementKey.Derive(TestCard.MasterKey, "CARD2");
        Assert.Equal(a.ExportBytes(), b.ExportBytes());
        Assert.NotEqual(a.ExportBytes(), c.ExportBytes());
    }

    [Fact]
    public void Derive_ShortMaster_Throws() =>
        Assert.Equal("masterKey", Assert.Throws<ArgumentException>(() => CardManagementKey.Derive(new byte[31], "CARD1")).ParamName);

    [Fact]
    public void ToString_NeverShowsKey()
    {
        using var key = CardManagementKey.Derive(TestCard.MasterKey, "CARD1");
        Assert.DoesNotContain(Convert.ToHexString(key.ExportBytes())[..8], key.ToString(), StringComparison.OrdinalIgnoreCase);
    }
}
