using Jpki.Core.Charset;
using Jpki.Testing;

namespace Jpki.Core.Tests.Charset;

public sealed class VariantFoldingTests
{
    [Theory]
    [InlineData("髙橋　一郎", "高橋一郎")]
    [InlineData("山\uFA11　花子", "山崎花子")] // 﨑
    [InlineData("\U00020BB7田　太郎", "吉田太郎")] // 𠮷, the certificate's substitute 吉
    [InlineData("ＳＭＩＴＨ　ＪＯＨＮ", "Smith John")]
    [InlineData("Ｏ’ＢＲＩＥＮ", "O'BRIEN")]
    [InlineData("やまだ", "ヤマダ")]
    [InlineData("ﾔﾏﾀﾞ", "ヤマダ")]
    [InlineData("東京都千代田区千代田１－１", "東京都千代田区千代田1-1")]
    [InlineData("葛\U000E0100飾", "葛飾")] // a variation selector
    [InlineData("JEAN–LUC", "Jean-Luc")]
    public void Fold_SamePersonWrittenDifferently_Equal(string register, string typed)
    {
        Assert.True(VariantFolding.Equal(register, typed), $"{VariantFolding.Fold(register)} ≠ {VariantFolding.Fold(typed)}");
    }

    [Theory]
    [InlineData("高橋", "高槁")]
    [InlineData("ヤマダ", "ヤマタ")]
    [InlineData("SMITH", "SMYTH")]
    [InlineData("斎藤", "佐藤")]
    public void Fold_DifferentNames_Differ(string a, string b)
    {
        Assert.False(VariantFolding.Equal(a, b));
    }

    [Fact]
    public void Fold_IsAFixedPoint()
    {
        foreach (var text in new[] { "髙橋　﨑子", "ＳＭＩＴＨ", "ｶﾞｷﾞ", "𠮷野家", "O'BRIEN" })
        {
            var once = VariantFolding.Fold(text);
            Assert.Equal(once, VariantFolding.Fold(once));
        }
    }

    [Fact]
    public void Fold_LoneSurrogate_Refused()
    {
        Assert.Throws<ArgumentException>(() => VariantFolding.Fold("a\uD800b"));
    }

    [Theory]
    [InlineData("O'BRIEN", "Ｏ’ＢＲＩＥＮ")]
    [InlineData("\"NICK\"", "”ＮＩＣＫ”")]
    [InlineData("JEAN–LUC", "ＪＥＡＮ－ＬＵＣ")]
    [InlineData("ANNA—MARIA", "ＡＮＮＡ―ＭＡＲＩＡ")]
    [InlineData("MARIA·JOSÉ", "ＭＡＲＩＡ・ＪＯＳÉ")]
    public void Map_LatinPunctuation_SubstitutedIntoJis(string name, string expected)
    {
        var mapping = JpkiCharset.Map(name);

        Assert.True(mapping.IsComplete);
        Assert.Equal(expected, mapping.Text);
        Assert.All(mapping.Substitutions, s => Assert.Equal(SubstituteKind.LatinPunctuation, s.Candidates[0].Kind));

        // glibc's iconv agrees that every character is JIS X 0208 (2 bytes in EUC-JP) or JIS X 0212 (0x8F + 2 bytes).
        // EUC-JP-MS: Microsoft's mapping, where JIS 1-61 is U+FF0D as in our tables (plain EUC-JP says U+2212).
        var euc = Iconv.Encode(mapping.Text, "EUC-JP-MS");
        for (var i = 0; i < euc.Length;)
        {
            var width = euc[i] == 0x8F ? 3 : 2;
            Assert.True(euc[i] >= 0xA1 || euc[i] == 0x8F, $"byte {euc[i]:X2} at {i} of {mapping.Text} is not a JIS X 0208/0212 character");
            i += width;
        }
    }
}
