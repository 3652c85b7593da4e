using System.Text;

namespace Jpki.Core.Charset;

/// <summary>
/// A normalisation of names and addresses for <b>equality</b> — search and resident matching — that treats as the same
/// what the resident register and a certificate may write differently for one person: 髙橋 = 高橋, 﨑 = 崎, 𠮷 = 吉 (the
/// register's variant and the JPKI substitute), ＳＭＩＴＨ = SMITH = Smith, ｶﾞ = ガ = が, Ｏ’ＢＲＩＥＮ = O'BRIEN,
/// １－１ = 1-1, with or without spaces. The folded text is a key, never shown: pages show the registered form.
/// </summary>
/// <remarks>
/// Steps, in order: variation selectors are dropped; an ideograph outside JIS X 0208/0212 becomes its first
/// substitute candidate (<see cref="JpkiCharset.CandidatesFor"/>: compatibility, z- and semantic variants before
/// spoofing ones), the same choice a certificate makes by default; NFKC (widths, compatibility ideographs, ㈱);
/// upper case (invariant); hiragana → katakana; apostrophes, quotation marks and dashes → one ASCII form each;
/// white space (also U+3000) is removed. Variants that are both inside JIS X 0208/0212 (澤/沢, 齋/斎) are kept apart:
/// the generated tables only relate characters outside the set to one inside it. The result changes when the tables
/// change; a store that keeps folded keys recomputes them when <see cref="Version"/> changes.
/// </remarks>
public static class VariantFolding
{
    /// <summary>Changes whenever the folding of some text changes (new tables, new steps). Stores compare it to recompute keys.</summary>
    public static string Version => "1:" + JpkiCharset.DataSources;

    /// <summary>The folded form of <paramref name="text"/> (empty for null or blank text).</summary>
    /// <exception cref="ArgumentException"><paramref name="text"/> is not well-formed UTF-16.</exception>
    public static string Fold(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var tables = CharsetTables.Instance;
        var mapped = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length;)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                throw new ArgumentException($"The text is not well-formed UTF-16 (a lone surrogate at index {i}).", nameof(text));
            }

            i += consumed;
            var cp = rune.Value;
            if (cp is (>= 0xFE00 and <= 0xFE0F) or (>= 0xE0100 and <= 0xE01EF))
            {
                continue;
            }

            if (IsIdeograph(cp) && !tables.IsAllowed(cp) && tables.CandidatesFor(cp) is [var first, ..])
            {
                mapped.Append(first.Text);
                continue;
            }

            mapped.Append(rune.ToString());
        }

        var normalized = mapped.ToString().Normalize(NormalizationForm.FormKC).ToUpperInvariant();
        var folded = new StringBuilder(normalized.Length);
        foreach (var c in normalized)
        {
            if (char.IsWhiteSpace(c))
            {
                continue;
            }

            folded.Append(c switch
            {
                >= '\u3041' and <= '\u3096' => (char)(c + 0x60), // hiragana → katakana
                '\u2018' or '\u2019' or '\u201B' or '\u02BC' or '\u02BB' or '\u0060' or '\u00B4' => '\'',
                '\u201C' or '\u201D' => '"',
                '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2015' or '\u2212' => '-',
                '\u00B7' or '\u30FB' => '\u30FB',
                _ => c,
            });
        }

        return folded.ToString();
    }

    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> fold to the same text.</summary>
    public static bool Equal(string? a, string? b) => string.Equals(Fold(a), Fold(b), StringComparison.Ordinal);

    private static bool IsIdeograph(int cp) =>
        cp is (>= 0x2E80 and <= 0x2FDF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x4E00 and <= 0x9FFF) or (>= 0xF900 and <= 0xFAFF) or (>= 0x20000 and <= 0x3FFFF);
}
