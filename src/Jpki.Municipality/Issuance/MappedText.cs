namespace Jpki.Municipality.Issuance;

/// <summary>Text mapped to the JPKI character set.</summary>
/// <param name="Text">The mapped text (what goes into the certificate).</param>
/// <param name="Substitutions">Each replaced character, with its candidates.</param>
/// <param name="UnmappableCount">Characters for which no substitute exists (the mapping is then unusable).</param>
/// <param name="Flags">Substitution flags for the certificate (one digit per character of <paramref name="Text"/>, 1 = substitute; OIDs .5.5.2 / .5.5.6), when the mapper gives them.</param>
/// <param name="Unmappable">The characters without substitute (each once), when the mapper names them: the clerk asks the holder for their kana reading.</param>
public sealed record MappedText(string Text, IReadOnlyList<Substitution> Substitutions, int UnmappableCount, string? Flags = null, IReadOnlyList<string>? Unmappable = null)
{
    /// <summary>True when every character is in the set or substituted.</summary>
    public bool IsComplete => UnmappableCount == 0;
}
