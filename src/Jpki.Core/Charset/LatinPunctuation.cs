using System.Collections.Frozen;

namespace Jpki.Core.Charset;

/// <summary>
/// Substitutes for the Latin punctuation of foreign residents' names (O'BRIEN, "NICK", JEAN–LUC, MARIA·JOSÉ) that JIS
/// X 0208 and 0212 do not have: ASCII <c>'</c> and <c>"</c> have no full-width form in JIS X 0208 (＇ and ＂ are JIS X
/// 0213 and vendor extensions), so without a substitute such a name could never be put in a signature certificate.
/// Each maps to the JIS character a reader takes for it, flagged as a 代替文字 like any substitute. The pairs are ours
/// (Unihan's variant data covers only ideographs); letters with diacritics need none — JIS X 0212 has them (É, Ñ, Ø).
/// </summary>
internal static class LatinPunctuation
{
    private static readonly FrozenDictionary<int, SubstituteCandidate[]> Pairs = new Dictionary<int, SubstituteCandidate[]>
    {
        [0x0027] = One(0x2019), // ' APOSTROPHE → ’ (JIS X 0208 1-39)
        [0xFF07] = One(0x2019), // ＇ FULLWIDTH APOSTROPHE
        [0x02BC] = One(0x2019), // ʼ MODIFIER LETTER APOSTROPHE
        [0x02BB] = One(0x2018), // ʻ MODIFIER LETTER TURNED COMMA (ʻokina) → ‘ (1-38)
        [0x201B] = One(0x2018), // ‛ SINGLE HIGH-REVERSED-9 QUOTATION MARK
        [0x0022] = One(0x201D), // " QUOTATION MARK → ” (1-41)
        [0xFF02] = One(0x201D), // ＂ FULLWIDTH QUOTATION MARK
        [0x2012] = One(0xFF0D), // ‒ FIGURE DASH → － (1-61), as '-' becomes
        [0x2013] = One(0xFF0D), // – EN DASH
        [0x2014] = One(0x2015), // — EM DASH → ― (1-29)
        [0x00B7] = One(0x30FB), // · MIDDLE DOT → ・ (1-6), the separator of names written in katakana
        [0x2027] = One(0x30FB), // ‧ HYPHENATION POINT
    }.ToFrozenDictionary();

    /// <summary>The substitute of <paramref name="codePoint"/>, or empty.</summary>
    public static IReadOnlyList<SubstituteCandidate> CandidatesFor(int codePoint) =>
        Pairs.TryGetValue(codePoint, out var candidates) ? candidates : [];

    private static SubstituteCandidate[] One(int codePoint) => [new(char.ConvertFromUtf32(codePoint), SubstituteKind.LatinPunctuation)];
}
