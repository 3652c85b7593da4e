namespace Jpki.Core.Charset;

/// <summary>
/// Where a substitute (代替文字) candidate comes from, in the priority order that <see cref="JpkiCharset"/> ranks
/// candidates by. The Unihan field names are those of Unicode TR38.
/// </summary>
public enum SubstituteKind
{
    /// <summary>Unihan <c>kCompatibilityVariant</c>: a CJK compatibility ideograph's unified form (e.g. U+F91D 欄 → 欄).</summary>
    CompatibilityVariant,

    /// <summary>
    /// A change of width only (Unicode &lt;wide&gt;/&lt;narrow&gt; decompositions and their inverse): ｶ → カ, ｶﾞ → ガ,
    /// A → Ａ, - → －, space → U+3000. Not a 代替文字: <see cref="JpkiCharset.Map(string)"/> applies it as normalisation,
    /// unflagged and unlisted, because the resident register holds the full-width character.
    /// </summary>
    Width,

    /// <summary>Unicode compatibility decomposition (NFKC): ① → １, ㈱ → （株）, ㍻ → 平成.</summary>
    CompatibilityDecomposition,

    /// <summary>Unihan <c>kZVariant</c>: the same character with a different glyph shape.</summary>
    ZVariant,

    /// <summary>Unihan <c>kSemanticVariant</c> (z-variants by a dictionary first): 髙 → 高, 﨑 → 崎.</summary>
    SemanticVariant,

    /// <summary>Unihan <c>kSpecializedSemanticVariant</c>: the same meaning in some contexts.</summary>
    SpecializedSemanticVariant,

    /// <summary>Unihan <c>kSpoofingVariant</c>: a visually confusable character (𠮷 → 吉).</summary>
    SpoofingVariant,

    /// <summary>Unihan <c>kTraditionalVariant</c>: the traditional form of a simplified Chinese character.</summary>
    TraditionalVariant,

    /// <summary>Unihan <c>kSimplifiedVariant</c>: the simplified form.</summary>
    SimplifiedVariant,

    /// <summary>Chosen by the caller: another candidate, or a kana reading when no candidate exists.</summary>
    Caller,

    /// <summary>
    /// Latin punctuation of foreign residents' names that JIS X 0208/0212 lack, replaced by the JIS character a reader
    /// takes for it (ours, <see cref="LatinPunctuation"/>): the apostrophe of O'BRIEN → ’ (U+2019), " → ”, en and em
    /// dashes → － and ―, the middle dot · → ・.
    /// </summary>
    LatinPunctuation,
}
