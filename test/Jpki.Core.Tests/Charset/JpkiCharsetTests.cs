using FsCheck.Xunit;
using Jpki.Core.Charset;

namespace Jpki.Core.Tests.Charset;

public sealed class JpkiCharsetTests
{
    [Theory]
    [InlineData("髙", "高", SubstituteKind.JisUnification)]
    [InlineData("\uFA11", "崎", SubstituteKind.FamilyRegister)] // 﨑: its 戸籍統一文字 正字, before 埼 嵜 碕
    [InlineData("\U00020BB7", "吉", SubstituteKind.JisUnification)] // 𠮷
    [InlineData("\uFA19", "神", SubstituteKind.CompatibilityVariant)] // 神 compatibility ideograph, kept out of NFC
    [InlineData("①", "１", SubstituteKind.CompatibilityDecomposition)]
    [InlineData("㈱", "（株）", SubstituteKind.CompatibilityDecomposition)]
    public void Map_CharacterOutsideSet_TakesFirstCandidate(string input, string expected, SubstituteKind kind)
    {
        var mapping = JpkiCharset.Map(input);

        Assert.Equal(expected, mapping.Text);
        Assert.Equal(new string('1', expected.EnumerateRunes().Count()), mapping.Flags);
        var substitution = Assert.Single(mapping.Substitutions);
        Assert.Equal(input, substitution.Original);
        Assert.Equal(expected, substitution.Chosen);
        Assert.Equal(kind, substitution.Candidates[0].Kind);
        Assert.False(substitution.ChosenByCaller);
        Assert.True(mapping.IsComplete);
    }

    [Fact]
    public void Map_NameWithTwoSubstitutes_FlagsTheirPositions()
    {
        var mapping = JpkiCharset.Map("髙橋　﨑子");

        Assert.Equal("高橋　崎子", mapping.Text);
        Assert.Equal("10010", mapping.Flags);
        Assert.Equal([0, 3], mapping.Substitutions.Select(s => s.OutputIndex));
    }

    [Fact]
    public void Map_SurrogatePair_CountsAsOneCharacter()
    {
        // 𠮷 is two UTF-16 units but one character: the flags have one digit for it.
        var mapping = JpkiCharset.Map("\U00020BB7野　太郎");

        Assert.Equal("吉野　太郎", mapping.Text);
        Assert.Equal("10000", mapping.Flags);
        Assert.Equal(0, mapping.Substitutions[0].InputIndex);
    }

    [Fact]
    public void Map_CharacterAfterSurrogatePair_KeepsItsCharacterPosition()
    {
        var mapping = JpkiCharset.Map("\U00020BB7田髙");

        Assert.Equal("吉田高", mapping.Text);
        Assert.Equal("101", mapping.Flags);
        Assert.Equal([0, 2], mapping.Substitutions.Select(s => s.InputIndex));
    }

    [Fact]
    public void Map_NoSubstitute_ReportsUnmappableAndLeavesCharacter()
    {
        // 𩸽 (U+29E3D, ほっけ) is JIS X 0213 only and no source relates it to another character: JPKI falls back to kana.
        var mapping = JpkiCharset.Map("𩸽野　花子");

        Assert.False(mapping.IsComplete);
        var unmappable = Assert.Single(mapping.Unmappable);
        Assert.Equal(0, unmappable.InputIndex);
        Assert.Equal(0x29E3D, unmappable.CodePoint);
        Assert.Equal("𩸽野　花子", mapping.Text);
        Assert.Equal("00000", mapping.Flags);
        Assert.Empty(JpkiCharset.CandidatesFor(0x29E3D));
    }

    [Fact]
    public void Map_KanaChosenForUnmappable_FlagsEveryKana()
    {
        var mapping = JpkiCharset.Map("𩸽野　花子", new Dictionary<int, string> { [0] = "ほっけ" });

        Assert.True(mapping.IsComplete);
        Assert.Equal("ほっけ野　花子", mapping.Text);
        Assert.Equal("1110000", mapping.Flags);
        var substitution = Assert.Single(mapping.Substitutions);
        Assert.True(substitution.ChosenByCaller);
        Assert.Empty(substitution.Candidates);
    }

    [Fact]
    public void Map_CallerChoosesAnotherCandidate_UsesIt()
    {
        var mapping = JpkiCharset.Map("\uFA11", new Dictionary<int, string> { [0] = "埼" });

        Assert.Equal("埼", mapping.Text);
        Assert.Equal("1", mapping.Flags);
        Assert.True(mapping.Substitutions[0].ChosenByCaller);
        Assert.Contains(mapping.Substitutions[0].Candidates, c => c.Text == "埼");
    }

    [Theory]
    [InlineData(0, "高")] // position holds an allowed character
    [InlineData(5, "高")] // beyond the text
    [InlineData(1, "髙")] // the choice itself is outside the set
    [InlineData(1, "")]
    public void Map_BadChoice_Throws(int position, string choice)
    {
        var error = Assert.Throws<ArgumentException>(() => JpkiCharset.Map("山髙", new Dictionary<int, string> { [position] = choice }));
        Assert.Equal("choices", error.ParamName);
    }

    [Fact]
    public void Map_VariationSelector_IsDropped()
    {
        // 葛 + VS17 (the Hanyo-Denshi ideographic variation): the selector goes, 葛 stays, nothing is flagged.
        var mapping = JpkiCharset.Map("葛\U000E0100城");

        Assert.Equal("葛城", mapping.Text);
        Assert.Equal("00", mapping.Flags);
        Assert.Empty(mapping.Substitutions);
    }

    [Fact]
    public void Map_StandardVariationSelector_IsDropped()
    {
        Assert.Equal("辻", JpkiCharset.Map("辻\uFE00").Text);
    }

    [Fact]
    public void Map_DecomposedKana_IsComposedByNfc()
    {
        var mapping = JpkiCharset.Map("か\u3099ら");

        Assert.Equal("がら", mapping.Text);
        Assert.Equal("00", mapping.Flags);
    }

    [Theory]
    [InlineData("１丁目２－３", "１丁目２－３")]
    [InlineData("1丁目2-3", "１丁目２－３")]
    [InlineData("山田 太郎", "山田　太郎")]
    [InlineData("ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダ　タロウ")]
    [InlineData("ﾊﾟｰｸ", "パーク")]
    [InlineData("ABC", "ＡＢＣ")]
    public void Map_HalfWidth_FoldsToFullWidthUnflagged(string input, string expected)
    {
        var mapping = JpkiCharset.Map(input);

        Assert.Equal(expected, mapping.Text);
        Assert.Equal(new string('0', expected.Length), mapping.Flags);
        Assert.Empty(mapping.Substitutions);
        Assert.True(mapping.IsComplete);
    }

    [Theory]
    [InlineData(0x3000)] // ideographic space between family and given name
    [InlineData(0xFF0D)] // － as in test-card addresses (JIS 1-61 by Microsoft's mapping)
    [InlineData(0x2212)] // − the same JIS 1-61 by the JIS mapping
    [InlineData(0xFF11)] // １
    [InlineData(0x4E00)] // 一
    [InlineData(0x9AD8)] // 高
    [InlineData(0x4E02)] // 丂, JIS X 0212
    [InlineData(0x00E9)] // é, JIS X 0212 row 11
    [InlineData(0x2500)] // ─ box drawing, JIS X 0208 row 8
    [InlineData(0x03B1)] // α
    [InlineData(0x042F)] // Я
    [InlineData(0x3006)] // 〆
    [InlineData(0x30F6)] // ヶ
    [InlineData(0x4EDD)] // 仝, a kanji-like symbol in row 1
    public void IsAllowed_JisCharacter_True(int codePoint) => Assert.True(JpkiCharset.IsAllowed(codePoint));

    [Theory]
    [InlineData(0x0041)] // ASCII A: JIS X 0208 has only the full-width form
    [InlineData(0x0020)]
    [InlineData(0x9AD9)] // 髙
    [InlineData(0x20BB7)] // 𠮷
    [InlineData(0xFA11)] // 﨑
    [InlineData(0x1F600)] // 😀
    [InlineData(-1)]
    [InlineData(0x110000)]
    public void IsAllowed_OtherCharacter_False(int codePoint) => Assert.False(JpkiCharset.IsAllowed(codePoint));

    [Fact]
    public void Map_LoneSurrogate_ThrowsArgumentException()
    {
        var error = Assert.Throws<ArgumentException>(() => JpkiCharset.Map("山\uD842"));
        Assert.Equal("text", error.ParamName);
    }

    [Fact]
    public void Map_Empty_IsEmptyAndComplete()
    {
        var mapping = JpkiCharset.Map(string.Empty);
        Assert.Equal(string.Empty, mapping.Text);
        Assert.Equal(string.Empty, mapping.Flags);
        Assert.True(mapping.IsComplete);
    }

    private static readonly int[] Pool =
    [
        0x5C71, 0x7530, 0x9AD8, 0x9AD9, 0xFA11, 0x20BB7, 0x29E3D, 0x3000, 0x0020, 0x0041, 0x002D, 0xFF76, 0xFF9E,
        0x304B, 0x3099, 0x845B, 0xE0100, 0xFE00, 0x2460, 0x3231, 0x1F600, 0xFA19, 0x00E9, 0x0065, 0x0301,
        0x5FB7, 0x59EC, 0x4FF1, 0x34B3, 0x2F803, 0x90D1, 0x2123D, 0x7028, 0x6FF5,
    ];

    [Property]
    public bool Map_AnyText_FlagsHaveOneDigitPerCharacterAndOnlyJisOrUnmappableRemain(int[] picks)
    {
        var text = string.Concat((picks ?? []).Select(p => char.ConvertFromUtf32(Pool[unchecked((int)((uint)p % (uint)Pool.Length))])));
        var mapping = JpkiCharset.Map(text);
        var runes = mapping.Text.EnumerateRunes().ToList();
        var unmappable = mapping.Unmappable.Select(u => u.OutputIndex).ToHashSet();
        return runes.Count == mapping.Flags.Length
            && mapping.Flags.All(f => f is '0' or '1')
            && runes.Select((r, i) => JpkiCharset.IsAllowed(r.Value) || unmappable.Contains(i)).All(ok => ok)
            && mapping.Substitutions.All(s => mapping.Flags[s.OutputIndex] == '1');
    }

    [Theory]
    [InlineData("\uFF76\u3099", "ガ")] // found by the fixed-point property: half-width ka + combining voiced mark
    [InlineData("\uFF8A\u309A", "パ")]
    [InlineData("\uFF76\uFF9E", "ガ")]
    public void Map_HalfWidthKanaWithVoicedMark_ComposesOnce(string input, string expected)
    {
        var mapping = JpkiCharset.Map(input);
        Assert.Equal(expected, mapping.Text);
        Assert.Equal("0", mapping.Flags);
        Assert.Equal(mapping.Text, JpkiCharset.Map(mapping.Text).Text);
    }

    [Property]
    public bool Map_MappedCompleteText_IsFixedPoint(int[] picks)
    {
        var text = string.Concat((picks ?? []).Select(p => char.ConvertFromUtf32(Pool[unchecked((int)((uint)p % (uint)Pool.Length))])));
        var first = JpkiCharset.Map(text);
        var second = JpkiCharset.Map(first.Text);
        return second.Text == first.Text && !second.HasSubstitutions;
    }
}
