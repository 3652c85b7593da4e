namespace Jpki.Municipality.Issuance;

/// <summary>One character of the register replaced by a 代替文字 in the certificate.</summary>
/// <param name="Original">The register's character (one code point).</param>
/// <param name="Substitute">What the certificate carries.</param>
/// <param name="Candidates">All substitutes the holder may choose from, the default first.</param>
public sealed record Substitution(string Original, string Substitute, IReadOnlyList<string> Candidates)
{
    /// <summary>The code point of <see cref="Original"/>.</summary>
    public int CodePoint => char.ConvertToUtf32(Original, 0);
}
