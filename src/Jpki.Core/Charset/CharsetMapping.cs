namespace Jpki.Core.Charset;

/// <summary>
/// A name or address mapped to the JPKI character set (JIS X 0208 + JIS X 0212), with the substitution flags that go
/// into the signing certificate (otherName 1.2.392.200149.8.5.5.2 for the name, .5.5.6 for the address).
/// </summary>
/// <param name="Text">The mapped text: normalised, each substituted character replaced by its chosen substitute.
/// Characters without a substitute are left in place; then the text is not certifiable (<see cref="IsComplete"/>).</param>
/// <param name="Flags">One digit per character (Unicode scalar) of <see cref="Text"/>: <c>1</c> = substitute, <c>0</c> otherwise.</param>
/// <param name="Substitutions">The substituted characters, in input order.</param>
/// <param name="Unmappable">Characters with no substitute: the caller must supply kana for them.</param>
public sealed record CharsetMapping(
    string Text,
    string Flags,
    IReadOnlyList<CharsetSubstitution> Substitutions,
    IReadOnlyList<UnmappableCharacter> Unmappable)
{
    /// <summary>True when every character of <see cref="Text"/> is in the JPKI character set.</summary>
    public bool IsComplete => Unmappable.Count == 0;

    /// <summary>True when at least one character was substituted.</summary>
    public bool HasSubstitutions => Substitutions.Count > 0;
}
