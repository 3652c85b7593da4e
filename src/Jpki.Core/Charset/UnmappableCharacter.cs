namespace Jpki.Core.Charset;

/// <summary>
/// A character outside the JPKI character set for which the tables hold no substitute. JPKI then writes the name in
/// kana (JPKI-REFERENCE §9); the kana reading must come from the applicant or the resident register: pass it as a
/// choice for <see cref="InputIndex"/> to <see cref="JpkiCharset.Map(string, IReadOnlyDictionary{int, string})"/>.
/// </summary>
/// <param name="InputIndex">Position in the normalised input, in characters (Unicode scalars).</param>
/// <param name="OutputIndex">Position in <see cref="CharsetMapping.Text"/>, where the character was left unchanged.</param>
/// <param name="Character">The character.</param>
public sealed record UnmappableCharacter(int InputIndex, int OutputIndex, string Character)
{
    /// <summary>The Unicode scalar value of <see cref="Character"/>.</summary>
    public int CodePoint => char.ConvertToUtf32(Character, 0);
}
