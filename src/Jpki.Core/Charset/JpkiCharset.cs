using System.Text;

namespace Jpki.Core.Charset;

/// <summary>
/// The JPKI character set of names and addresses (JPKI-REFERENCE §9): certificates carry only JIS X 0208 (levels 1
/// and 2) and JIS X 0212 characters; every other character is replaced by a substitute (代替文字) and its position
/// flagged (otherNames 1.2.392.200149.8.5.5.2 and .5.5.6). The tables are generated from Unihan and the JIS codec
/// tables by <c>tools/charset/generate.py</c> (see docs/charset.md); they are loaded once, on first use, thread-safely.
/// </summary>
/// <remarks>
/// J-LIS's own substitution table is not public: the candidates here come from Unicode's variant data, so a real
/// counter may propose another substitute. Characters are Unicode scalars: 𠮷 (U+20BB7, a surrogate pair) is one.
/// </remarks>
public static class JpkiCharset
{
    /// <summary>The sources and versions the embedded tables were generated from.</summary>
    public static string DataSources => CharsetTables.Instance.Header;

    /// <summary>True when <paramref name="codePoint"/> is a JIS X 0208 or JIS X 0212 character (as Unicode).</summary>
    public static bool IsAllowed(int codePoint) => CharsetTables.Instance.IsAllowed(codePoint);

    /// <summary>The substitute candidates for <paramref name="codePoint"/>, best first; empty when allowed or when none exists.</summary>
    public static IReadOnlyList<SubstituteCandidate> CandidatesFor(int codePoint) => CharsetTables.Instance.CandidatesFor(codePoint);

    /// <summary>Maps <paramref name="text"/> to the JPKI character set, taking the first candidate for each substitution.</summary>
    /// <inheritdoc cref="Map(string, IReadOnlyDictionary{int, string})" path="/exception"/>
    public static CharsetMapping Map(string text) => Map(text, null);

    /// <summary>
    /// Maps <paramref name="text"/> to the JPKI character set. The text is normalised first: variation selectors
    /// (U+FE00–FE0F, U+E0100–E01EF) are dropped and the rest is put in NFC, except CJK compatibility ideographs, which
    /// are kept so that they show up as substitutions (U+FA19 → 神 is a different glyph on the resident register).
    /// Half-width ASCII and katakana become their full-width JIS forms (A → Ａ, ｶﾞ → ガ, '-' → '－', space → U+3000)
    /// as part of normalisation: they are not 代替文字 and are not flagged.
    /// </summary>
    /// <param name="text">A name or an address.</param>
    /// <param name="choices">Optional: for a position (index in the normalised input, in characters, as reported by
    /// <see cref="CharsetSubstitution.InputIndex"/> or <see cref="UnmappableCharacter.InputIndex"/>) the substitute to
    /// use instead of the first candidate — another candidate, or the kana reading of a character with no substitute.</param>
    /// <returns>The mapped text, its substitution flags, the substitutions and the characters left without substitute.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="text"/> is not well-formed UTF-16; or a choice names a
    /// position that needs no substitute, lies outside the text, or contains a character outside the JPKI set.</exception>
    public static CharsetMapping Map(string text, IReadOnlyDictionary<int, string>? choices)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tables = CharsetTables.Instance;
        var normalized = Normalize(text);
        var output = new StringBuilder(normalized.Length + 4);
        var flags = new StringBuilder(normalized.Length);
        var substitutions = new List<CharsetSubstitution>();
        var unmappable = new List<UnmappableCharacter>();
        var usedChoices = 0;
        var inputIndex = 0;
        var outputIndex = 0;

        for (var i = 0; i < normalized.Length; inputIndex++)
        {
            var rune = Rune.GetRuneAt(normalized, i);
            var consumed = rune.Utf16SequenceLength;
            IReadOnlyList<SubstituteCandidate>? candidates = null;
            if (TryHalfWidthVoiced(normalized, i, rune, tables, out var composed))
            {
                consumed = 2;
                candidates = [new SubstituteCandidate(composed, SubstituteKind.Width)];
            }

            string? choice = null;
            if (choices is not null && choices.TryGetValue(inputIndex, out choice))
            {
                usedChoices++;
            }

            if (candidates is null && tables.IsAllowed(rune.Value))
            {
                if (choice is not null)
                {
                    throw new ArgumentException($"Position {inputIndex} holds a JPKI character and needs no substitute.", nameof(choices));
                }

                output.Append(normalized, i, consumed);
                flags.Append('0');
                outputIndex++;
                i += consumed;
                continue;
            }

            candidates ??= tables.CandidatesFor(rune.Value);
            var original = normalized.Substring(i, consumed);
            if (choice is not null)
            {
                RequireAllowed(choice, inputIndex, tables);
            }

            if (choice is null && candidates.Count > 0 && candidates[0].Kind == SubstituteKind.Width)
            {
                // Width is normalisation, not a 代替文字: the register holds the full-width character.
                output.Append(candidates[0].Text);
                flags.Append('0');
                outputIndex++;
                i += consumed;
                continue;
            }

            var chosen = choice ?? (candidates.Count > 0 ? candidates[0].Text : null);
            if (chosen is null)
            {
                unmappable.Add(new UnmappableCharacter(inputIndex, outputIndex, original));
                output.Append(original);
                flags.Append('0');
                outputIndex++;
            }
            else
            {
                var byCaller = choice is not null && !(candidates.Count > 0 && candidates[0].Text == choice);
                substitutions.Add(new CharsetSubstitution(inputIndex, outputIndex, original, candidates, chosen, byCaller));
                output.Append(chosen);
                var length = CountScalars(chosen);
                flags.Append('1', length);
                outputIndex += length;
            }

            i += consumed;
        }

        if (choices is not null && usedChoices != choices.Count)
        {
            throw new ArgumentException($"A choice names a position outside the text (it has {inputIndex} characters after normalisation).", nameof(choices));
        }

        return new CharsetMapping(output.ToString(), flags.ToString(), substitutions, unmappable);
    }

    /// <summary>Drops variation selectors and applies NFC, keeping CJK compatibility ideographs as they are.</summary>
    internal static string Normalize(string text)
    {
        var kept = new StringBuilder(text.Length);
        var result = new StringBuilder(text.Length);
        var needsWork = false;
        for (var i = 0; i < text.Length;)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                throw new ArgumentException($"The text is not well-formed UTF-16 (a lone surrogate at index {i}).", nameof(text));
            }

            if (IsVariationSelector(rune.Value))
            {
                needsWork = true;
            }
            else if (IsCjkCompatibilityIdeograph(rune.Value))
            {
                Flush(kept, result);
                result.Append(text, i, consumed);
                needsWork = true;
            }
            else
            {
                kept.Append(text, i, consumed);
            }

            i += consumed;
        }

        if (!needsWork)
        {
            return text.IsNormalized(NormalizationForm.FormC) ? text : text.Normalize(NormalizationForm.FormC);
        }

        Flush(kept, result);
        return result.ToString();

        static void Flush(StringBuilder kept, StringBuilder result)
        {
            if (kept.Length > 0)
            {
                result.Append(kept.ToString().Normalize(NormalizationForm.FormC));
                kept.Clear();
            }
        }
    }

    private static bool IsVariationSelector(int cp) => cp is (>= 0xFE00 and <= 0xFE0F) or (>= 0xE0100 and <= 0xE01EF);

    private static bool IsCjkCompatibilityIdeograph(int cp) => cp is (>= 0xF900 and <= 0xFAFF) or (>= 0x2F800 and <= 0x2FA1F);

    /// <summary>
    /// ｶﾞ, ﾊﾟ: a half-width katakana followed by a half-width or combining (U+3099/U+309A) (semi-)voiced mark composes
    /// to one JIS kana. NFC leaves both pairs apart, so without this the widened kana and the combining mark would
    /// compose only on a second pass and the mapping would not be a fixed point.
    /// </summary>
    private static bool TryHalfWidthVoiced(string text, int index, Rune rune, CharsetTables tables, out string composed)
    {
        composed = string.Empty;
        if (rune.Value is < 0xFF61 or > 0xFF9F || index + 1 >= text.Length || text[index + 1] is not ('\uFF9E' or '\uFF9F' or '\u3099' or '\u309A'))
        {
            return false;
        }

        var folded = text.Substring(index, 2).Normalize(NormalizationForm.FormKC);
        if (folded.Length != 1 || !tables.IsAllowed(folded[0]))
        {
            return false;
        }

        composed = folded;
        return true;
    }

    private static void RequireAllowed(string choice, int position, CharsetTables tables)
    {
        if (choice.Length == 0)
        {
            throw new ArgumentException($"The choice for position {position} is empty.", "choices");
        }

        foreach (var rune in choice.EnumerateRunes())
        {
            if (!tables.IsAllowed(rune.Value))
            {
                throw new ArgumentException($"The choice for position {position} contains U+{rune.Value:X4}, which is not in JIS X 0208 or JIS X 0212.", "choices");
            }
        }
    }

    private static int CountScalars(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }
}
