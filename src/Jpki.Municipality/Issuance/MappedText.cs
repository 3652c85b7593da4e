namespace Jpki.Municipality.Issuance;

/// <summary>Text mapped to the JPKI character set.</summary>
/// <param name="Text">The mapped text (what goes into the certificate).</param>
/// <param name="Substitutions">Each replaced character, with its candidates.</param>
/// <param name="UnmappableCount">Characters for which no substitute exists (the mapping is then unusable).</param>
public sealed record MappedText(string Text, IReadOnlyList<Substitution> Substitutions, int UnmappableCount)
{
    /// <summary>True when every character is in the set or substituted.</summary>
    public bool IsComplete => UnmappableCount == 0;
}
