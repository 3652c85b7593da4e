namespace Jpki.Core.Charset;

/// <summary>
/// Where a substitute (代替文字) candidate comes from. <see cref="JpkiCharset"/> ranks candidates by the strength of
/// their source (see docs/charset.md): the same character by Unicode's definition (<see cref="CompatibilityVariant"/>,
/// <see cref="Width"/>, <see cref="CompatibilityDecomposition"/>); then the same character in another glyph or its
/// official form (<see cref="StandardForm"/>, <see cref="JisUnification"/>, <see cref="FamilyRegister"/>,
/// <see cref="ZVariant"/>); then looser relations, in the order of this enum. Within one source a 常用漢字 or
/// 人名用漢字 comes before a rarer character. The Unihan field names are those of Unicode TR38.
/// </summary>
public enum SubstituteKind
{
    /// <summary>Unihan <c>kCompatibilityVariant</c>: a CJK compatibility ideograph's unified form (e.g. U+FA19 神 → 神).</summary>
    CompatibilityVariant,

    /// <summary>
    /// A change of width only (Unicode &lt;wide&gt;/&lt;narrow&gt; decompositions and their inverse): ｶ → カ, ｶﾞ → ガ,
    /// A → Ａ, - → －, space → U+3000. Not a 代替文字: <see cref="JpkiCharset.Map(string)"/> applies it as normalisation,
    /// unflagged and unlisted, because the resident register holds the full-width character.
    /// </summary>
    Width,

    /// <summary>Unicode compatibility decomposition (NFKC): ① → １, ㈱ → （株）, ㍻ → 平成.</summary>
    CompatibilityDecomposition,

    /// <summary>
    /// The other form of a pair in the official lists: 人名用漢字 (戸籍法施行規則 別表第二: 旧字体 → 常用漢字, 德 → 徳,
    /// 瀨 → 瀬), 常用漢字表 (康熙字典体 and 許容字体, 剝 → 剥), 表外漢字字体表 (印刷標準字体 ↔ 簡易慣用字体, 屛 → 屏).
    /// </summary>
    StandardForm,

    /// <summary>
    /// MJ縮退マップ, JIS包摂規準・UCS統合規則: a glyph that JIS X 0213's unification rules put at the code point of a
    /// JIS character (髙 → 高, 姬 → 姫, 𠮷 → 吉).
    /// </summary>
    JisUnification,

    /// <summary>
    /// MJ縮退マップ, 法務省戸籍法関連通達・通知: the 親字・正字 of a 戸籍統一文字, the 誤字俗字・正字一覧表 of the
    /// 民一2842号通達 and the 正字・俗字等対照表 of the 民二5202号通知 (﨑 → 崎, 𡈽 → 土).
    /// </summary>
    FamilyRegister,

    /// <summary>Unihan <c>kZVariant</c>: the same character with a different glyph shape.</summary>
    ZVariant,

    /// <summary>
    /// MJ縮退マップ, 法務省告示582号別表第四: the 正字 a residence card (在留カード) writes for a character outside its
    /// set, by rank (郑 → 鄭, 乔 → 喬) — foreign residents' names are registered as on the card.
    /// </summary>
    ResidenceCardForm,

    /// <summary>JIS X 0213's related characters (関連字) and the JIS X 0212 variants of its annex (俱 → 倶, 吞 → 呑).</summary>
    JisX0213Related,

    /// <summary>Unihan <c>kSemanticVariant</c> (z-variants by a dictionary first): the same meaning (悳 for 德).</summary>
    SemanticVariant,

    /// <summary>MJ縮退マップ, 辞書類等による関連字 and 読み・字形による類推: related by a dictionary, a reading or the shape.</summary>
    DictionaryRelated,

    /// <summary>Unihan <c>kSpecializedSemanticVariant</c>: the same meaning in some contexts.</summary>
    SpecializedSemanticVariant,

    /// <summary>Unihan <c>kSpoofingVariant</c>: a visually confusable character.</summary>
    SpoofingVariant,

    /// <summary>Unihan <c>kTraditionalVariant</c>: the traditional form of a simplified Chinese character (张 → 張).</summary>
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
