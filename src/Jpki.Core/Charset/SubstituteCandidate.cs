namespace Jpki.Core.Charset;

/// <summary>One possible substitute for a character outside the JPKI character set.</summary>
/// <param name="Text">The substitute: one character, or a few for compatibility decompositions (㈱ → （株）).</param>
/// <param name="Kind">The source of the candidate; for a candidate reached in two steps, the weaker of the two.</param>
/// <param name="Via">For a candidate reached through another character that is itself outside the set, that
/// character (U+2F803 𠄢 → 亘 via 𠄢 U+20122); otherwise null.</param>
public readonly record struct SubstituteCandidate(string Text, SubstituteKind Kind, string? Via = null);
