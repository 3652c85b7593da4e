using Jpki.Core.Charset;

namespace Jpki.Core.Tests.Charset;

public sealed class CharsetRepertoireTests
{
    // JIS X 0208:1997 has 6,879 characters (524 non-kanji, 6,355 kanji: 2,965 level 1 + 3,390 level 2);
    // JIS X 0212-1990 has 6,067 (266 non-kanji, 5,801 kanji). Both Unihan (kJis0/kJis1) and Python's euc_jp agree.
    [Theory]
    [InlineData(nameof(JisSource.X0208NonKanji), 524)]
    [InlineData(nameof(JisSource.X0208Kanji), 6355)]
    [InlineData(nameof(JisSource.X0212NonKanji), 266)]
    [InlineData(nameof(JisSource.X0212Kanji), 5801)]
    [InlineData(nameof(JisSource.X0208Alias), 6)]
    public void Repertoire_Section_HasTheStandardCount(string section, int expected)
    {
        var source = Enum.Parse<JisSource>(section);
        var tables = CharsetTables.Instance;
        var count = Enumerable.Range(0, 0x110000).Count(cp => tables.SourceOf(cp) == source);
        Assert.Equal(expected, count);
    }

    [Fact]
    public void Repertoire_Total_Is12952()
    {
        Assert.Equal(6879 + 6067 + 6, Enumerable.Range(0, 0x110000).Count(JpkiCharset.IsAllowed));
    }

    [Fact]
    public void Repertoire_EveryAllowedCharacter_StaysInTheSetUnflagged()
    {
        var allowed = Enumerable.Range(0, 0x10000).Where(JpkiCharset.IsAllowed).ToList();
        var text = string.Concat(allowed.Select(char.ConvertFromUtf32));

        var mapping = JpkiCharset.Map(text);

        Assert.Equal(text.Normalize(System.Text.NormalizationForm.FormC), mapping.Text);
        Assert.DoesNotContain('1', mapping.Flags);
        Assert.Empty(mapping.Substitutions);
    }

    [Fact]
    public void Repertoire_OnlyAngstromSign_ChangesUnderNfc()
    {
        // JIS X 0208 2-82 is U+212B ANGSTROM SIGN in the JIS table; NFC makes it U+00C5, which is JIS X 0212 10-9.
        var changed = Enumerable.Range(0, 0x10000)
            .Where(cp => JpkiCharset.IsAllowed(cp) && !char.ConvertFromUtf32(cp).IsNormalized(System.Text.NormalizationForm.FormC))
            .ToList();

        Assert.Equal([0x212B], changed);
        Assert.True(JpkiCharset.IsAllowed(0x00C5));
    }

    [Fact]
    public void Substitutes_EveryCandidate_IsInTheSet()
    {
        // Every substitute is a JPKI character; a character of the set has none; no candidate twice; a two-step
        // candidate goes through a character outside the set.
        var tables = CharsetTables.Instance;
        Assert.True(tables.SubstituteCount > 20_000);
        for (var cp = 0; cp < 0x110000; cp++)
        {
            var candidates = tables.CandidatesFor(cp);
            if (candidates.Count == 0)
            {
                continue;
            }

            Assert.False(JpkiCharset.IsAllowed(cp), $"U+{cp:X4} is in the set but has candidates");
            Assert.Equal(candidates.Count, candidates.Select(c => c.Text).Distinct(StringComparer.Ordinal).Count());
            foreach (var candidate in candidates)
            {
                Assert.All(candidate.Text.EnumerateRunes(), r => Assert.True(JpkiCharset.IsAllowed(r.Value), $"U+{cp:X4} → U+{r.Value:X4}"));
                Assert.True(candidate.Via is null || !JpkiCharset.IsAllowed(char.ConvertToUtf32(candidate.Via, 0)), $"U+{cp:X4}: a step through an allowed character");
            }
        }
    }

    [Fact]
    public void DataSources_NamesUnihanVersion()
    {
        Assert.Contains("Unihan 15.0.0", JpkiCharset.DataSources, StringComparison.Ordinal);
    }
}
