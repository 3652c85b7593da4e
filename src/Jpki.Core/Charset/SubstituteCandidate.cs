namespace Jpki.Core.Charset;

/// <summary>One possible substitute for a character outside the JPKI character set.</summary>
/// <param name="Text">The substitute: one character, or a few for compatibility decompositions (㈱ → （株）).</param>
/// <param name="Kind">The source of the candidate.</param>
public readonly record struct SubstituteCandidate(string Text, SubstituteKind Kind);
