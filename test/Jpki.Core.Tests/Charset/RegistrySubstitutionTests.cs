using System.Text;
using Jpki.Core.Charset;
using Jpki.Testing;

namespace Jpki.Core.Tests.Charset;

/// <summary>
/// Real-world 旧字/異体字 names: the substitute a residents' registry uses, the variants JIS X 0208/0212 already hold
/// (kept, unflagged), and the characters that must stay unmappable. Where a source outside our tables can judge — the
/// Unicode data's own 人名用/常用 pairs, NFC for compatibility ideographs, glibc's iconv for what JIS X 0208/0212 (EUC-JP) holds — it does (issue 12, item 7).
/// </summary>
[Trait("Category", "Security")]
public sealed class RegistrySubstitutionTests
{
    /// <summary>Real-world names and place names with 旧字/異体字: input, the register's form, flags, the kind of the first candidate.</summary>
    public static TheoryData<string, string, string, SubstituteKind> RegistryNames => new()
    {
        { "德川　家康", "徳川　家康", "10000", SubstituteKind.StandardForm }, // 人名用漢字 別表第二 二: 德 is the 旧字体 of 徳 (not 悳)
        { "姬野　愛", "姫野　愛", "1000", SubstituteKind.JisUnification }, // 姬 is unified with 姫 by JIS X 0213's rules
        { "俱知安町", "倶知安町", "1000", SubstituteKind.JisX0213Related }, // JIS X 0213:2004 1-14-1 俱 and 1-22-70 倶
        { "髙橋　一郎", "高橋　一郎", "10000", SubstituteKind.JisUnification },
        { "山\uFA11　花子", "山崎　花子", "01000", SubstituteKind.FamilyRegister }, // 﨑: its 戸籍統一文字 正字 崎, not 埼 嵜 碕
        { "\U00020BB7田　茂", "吉田　茂", "1000", SubstituteKind.JisUnification }, // 𠮷 (土 over 口)
        { "廣瀨　すず", "廣瀬　すず", "01000", SubstituteKind.StandardForm }, // 廣 is JIS X 0208: only 瀨 is substituted
        { "\uF9DC", "隆", "1", SubstituteKind.CompatibilityVariant }, // 隆 with the extra stroke
        { "\uFA19田", "神田", "10", SubstituteKind.CompatibilityVariant },
        { "郞", "郎", "1", SubstituteKind.StandardForm },
        { "黑田", "黒田", "10", SubstituteKind.StandardForm },
        { "淸水", "清水", "10", SubstituteKind.JisUnification },
        { "靑木", "青木", "10", SubstituteKind.JisUnification },
        { "吳", "呉", "1", SubstituteKind.JisUnification }, // not the Chinese simplified 吴 (a z-variant in Unihan)
        { "剝", "剥", "1", SubstituteKind.StandardForm }, // 常用漢字表 (2010): 剝 with the 許容字体 剥
        { "\U00020B9F", "叱", "1", SubstituteKind.StandardForm }, // 𠮟, likewise
        { "\U0002123D屋", "土屋", "10", SubstituteKind.FamilyRegister }, // 𡈽 (土 with a dot)
        { "\U000266B0田", "脇田", "10", SubstituteKind.FamilyRegister }, // 𦚰
        { "㒳", "両", "1", SubstituteKind.FamilyRegister }, // 戸籍: 㒳 → 兩 → 両; the 常用漢字 before the nearer 兩
        { "郑", "鄭", "1", SubstituteKind.ResidenceCardForm }, // 在留カード (法務省告示582号別表第四)
        { "张", "張", "1", SubstituteKind.TraditionalVariant },
    };

    [Theory]
    [MemberData(nameof(RegistryNames))]
    public void Map_RegistryName_TakesTheRegistrySubstitute(string input, string expected, string flags, SubstituteKind kind)
    {
        var mapping = JpkiCharset.Map(input);

        Assert.Equal(expected, mapping.Text);
        Assert.Equal(flags, mapping.Flags);
        Assert.True(mapping.IsComplete);
        Assert.All(mapping.Substitutions, s => Assert.Equal(s.Chosen, s.Candidates[0].Text));
        Assert.Equal(kind, mapping.Substitutions[^1].Candidates[0].Kind);
    }

    /// <summary>The same names: input and the register's form.</summary>
    public static IEnumerable<object[]> RegistrySpellings => RegistryNames.Select(row => new[] { row[0], row[1] });

    [Theory]
    [MemberData(nameof(RegistrySpellings))]
    public async Task Iconv_RegistryName_EucJpRefusesTheOriginalAndCarriesTheSubstitute(string input, string expected)
    {
        // Judge: glibc's iconv, whose EUC-JP is exactly JIS X 0208 + JIS X 0212 (the JPKI set). It must refuse the
        // registered spelling and carry our substitute through EUC-JP and back unchanged.
        var mapped = JpkiCharset.Map(input).Text;
        Assert.Equal(expected, mapped);

        var (refused, _) = await IconvAsync(input, "UTF-8", "EUC-JP");
        Assert.False(refused == 0, $"iconv's EUC-JP accepts {input}: it needs no substitute");
        var (exit, euc) = await IconvAsync(mapped, "UTF-8", "EUC-JP");
        Assert.True(exit == 0, $"iconv's EUC-JP refuses the substitute {mapped}");
        var (back, utf8) = await IconvAsync(Encoding.Latin1.GetString(euc), "EUC-JP", "UTF-8", Encoding.Latin1);
        Assert.Equal(0, back);
        Assert.Equal(mapped, Encoding.UTF8.GetString(utf8));
    }

    [Theory]
    [InlineData(0x29E3D)] // 𩸽
    [InlineData(0xFA0F)] // 﨏
    [InlineData(0x25771)] // 𥝱
    public async Task Iconv_UnmappableKokuji_AreJisX0213ButNotEucJp(int codePoint)
    {
        // Judge: glibc's iconv. These 国字 are real JIS X 0213 characters (EUC-JISX0213 takes them) outside the JPKI
        // set (EUC-JP refuses them): the clerk must give kana, and we do not pretend otherwise.
        var text = char.ConvertFromUtf32(codePoint);
        Assert.Equal(0, (await IconvAsync(text, "UTF-8", "EUC-JISX0213")).Exit);
        Assert.NotEqual(0, (await IconvAsync(text, "UTF-8", "EUC-JP")).Exit);
        Assert.False(JpkiCharset.Map(text).IsComplete);
    }

    private static async Task<(int Exit, byte[] Output)> IconvAsync(string input, string from, string to, Encoding? inputEncoding = null)
    {
        var (exit, output, _) = await ExternalTool.RunAsync("iconv", "libc-bin", ["-f", from, "-t", to], (inputEncoding ?? Encoding.UTF8).GetBytes(input));
        return (exit, output);
    }

    [Fact]
    public void CandidatesFor_Toku_StandardFormBeforeTheRareSemanticVariant()
    {
        // The finding of issue 12: 德 became 悳, a rare semantic variant, although 徳 is the 常用漢字.
        var candidates = JpkiCharset.CandidatesFor(0x5FB7);

        Assert.Equal(["徳", "悳"], candidates.Select(c => c.Text));
    }

    [Theory]
    [InlineData("濵田")] // 濵 is JIS X 0212 (41-06): the certificate can hold it
    [InlineData("渡邊")]
    [InlineData("渡邉")]
    [InlineData("渡辺")]
    [InlineData("齋藤")]
    [InlineData("斎藤")]
    [InlineData("櫻井")]
    [InlineData("眞田")]
    [InlineData("廣田")]
    [InlineData("澤田")]
    [InlineData("國井")]
    [InlineData("嶋田")]
    [InlineData("冨田")]
    public void Map_VariantInsideJis_KeptAsRegistered(string name)
    {
        var mapping = JpkiCharset.Map(name);

        Assert.Equal(name, mapping.Text);
        Assert.Equal(new string('0', name.Length), mapping.Flags);
        Assert.False(mapping.HasSubstitutions);
    }

    [Theory]
    [InlineData(0x29E3D)] // 𩸽 (ほっけ): a 国字 of JIS X 0213; no source relates it to another character
    [InlineData(0xFA0F)] // 﨏 (さこ), a place-name 国字 of JIS X 0213: likewise
    [InlineData(0x25771)] // 𥝱 (じょ), a numeral 国字 of JIS X 0213: likewise
    [InlineData(0x1F600)] // 😀 is no character of a name or an address
    public void Map_NoSourceRelatesTheCharacter_StaysUnmappable(int codePoint)
    {
        var text = char.ConvertFromUtf32(codePoint);
        var mapping = JpkiCharset.Map(text);

        Assert.False(mapping.IsComplete);
        Assert.Equal(codePoint, Assert.Single(mapping.Unmappable).CodePoint);
        Assert.Empty(JpkiCharset.CandidatesFor(codePoint));
    }

    [Fact]
    public void CandidatesFor_UnicodeJinmeiyoJoyoPair_FirstIsThePartner()
    {
        // Judge: Unihan's own kJinmeiyoKanji '2010:U+XXXX' and kJoyoKanji 'U+XXXX' pairs, read from Debian's file.
        var checkedPairs = 0;
        foreach (var (from, to) in UnihanFacts.Instance.Pairs.SelectMany(p => new[] { p, (p.B, p.A) }))
        {
            if (JpkiCharset.IsAllowed(from) || !JpkiCharset.IsAllowed(to))
            {
                continue;
            }

            checkedPairs++;
            var first = JpkiCharset.CandidatesFor(from) is [var c, ..] ? c.Text : "(none)";
            Assert.True(first == char.ConvertFromUtf32(to), $"U+{from:X4} {char.ConvertFromUtf32(from)}: expected {char.ConvertFromUtf32(to)}, got {first}");
        }

        Assert.True(checkedPairs >= 80, $"only {checkedPairs} pairs with one side outside the set: is the Unihan data complete?");
    }

    [Fact]
    public void CandidatesFor_CompatibilityIdeograph_FirstIsItsNfcForm()
    {
        // Judge: .NET's (ICU's) canonical decomposition of the CJK compatibility ideographs.
        var checkedCount = 0;
        foreach (var cp in Enumerable.Range(0xF900, 0x200).Concat(Enumerable.Range(0x2F800, 0x220)))
        {
            var text = char.ConvertFromUtf32(cp);
            var nfc = text.Normalize(NormalizationForm.FormC);
            if (nfc == text || !JpkiCharset.IsAllowed(char.ConvertToUtf32(nfc, 0)))
            {
                continue;
            }

            checkedCount++;
            var first = JpkiCharset.CandidatesFor(cp) is [var c, ..] ? c.Text : "(none)";
            Assert.True(first == nfc, $"U+{cp:X4}: expected {nfc}, got {first}");
        }

        Assert.True(checkedCount >= 700, $"only {checkedCount} compatibility ideographs checked");
    }

    [Fact]
    public void Map_EveryFirstSubstitute_IsAFixedPoint()
    {
        // Substitution is idempotent: mapping the substitute again changes nothing and flags nothing. (That every
        // candidate is in the set: CharsetRepertoireTests.Substitutes_EveryCandidate_IsInTheSet.)
        for (var cp = 0; cp <= 0x10FFFF; cp++)
        {
            if (cp is >= 0xD800 and <= 0xDFFF || JpkiCharset.CandidatesFor(cp) is not [var first, ..] || first.Kind == SubstituteKind.Width)
            {
                continue;
            }

            var once = JpkiCharset.Map(char.ConvertFromUtf32(cp));
            var twice = JpkiCharset.Map(once.Text);
            Assert.True(once.IsComplete && twice.Text == once.Text && !twice.HasSubstitutions, $"U+{cp:X4} → {once.Text} → {twice.Text}");
        }
    }

    [Fact]
    public void CandidatesFor_SameCharacterForms_StandardKanjiBeforeARarerOne()
    {
        // Judge of "standard": Unihan's kJoyoKanji/kJinmeiyoKanji. Among the first candidate's equals (same kind, both
        // direct or both in two steps) of a same-character kind, a 常用/人名用 kanji is never preceded by a rarer one.
        var standard = UnihanFacts.Instance.Standard;
        SubstituteKind[] sameCharacter = [SubstituteKind.StandardForm, SubstituteKind.JisUnification, SubstituteKind.FamilyRegister, SubstituteKind.ZVariant];
        var groups = 0;
        for (var cp = 0; cp <= 0x10FFFF; cp++)
        {
            if (cp is >= 0xD800 and <= 0xDFFF || JpkiCharset.CandidatesFor(cp) is not [var first, ..] candidates || !sameCharacter.Contains(first.Kind))
            {
                continue;
            }

            var equals = candidates.Where(c => c.Kind == first.Kind && (c.Via is null) == (first.Via is null)).ToList();
            if (equals.Count < 2 || !equals.Any(c => standard.Contains(char.ConvertToUtf32(c.Text, 0))))
            {
                continue;
            }

            groups++;
            Assert.True(standard.Contains(char.ConvertToUtf32(first.Text, 0)), $"U+{cp:X4}: {first.Text} before {string.Join(" ", equals.Select(c => c.Text))}");
        }

        Assert.True(groups > 100, $"only {groups} characters with several same-character forms");
    }
}
