namespace Jpki.Core.Charset;

/// <summary>A character of the input replaced by a substitute (代替文字).</summary>
/// <param name="InputIndex">Position of the original character in the normalised input, counted in characters (Unicode scalars).</param>
/// <param name="OutputIndex">Position of the substitute's first character in <see cref="CharsetMapping.Text"/>, in characters.</param>
/// <param name="Original">The original character (two for a half-width kana with its voiced mark, e.g. ｶﾞ).</param>
/// <param name="Candidates">Every candidate from the tables, best first; the caller may choose another one.</param>
/// <param name="Chosen">The substitute written into the mapped text.</param>
/// <param name="ChosenByCaller">True when the caller chose <paramref name="Chosen"/> instead of the first candidate.</param>
public sealed record CharsetSubstitution(
    int InputIndex,
    int OutputIndex,
    string Original,
    IReadOnlyList<SubstituteCandidate> Candidates,
    string Chosen,
    bool ChosenByCaller);
