namespace Jpki.Municipality.Issuance;

/// <summary>
/// Maps register text to the JPKI character set (JIS X 0208 + JIS X 0212, JPKI-REFERENCE §9). Implemented over
/// <c>Jpki.Core.Charset</c>.
/// </summary>
public interface ICharsetMapper
{
    /// <summary>
    /// Maps <paramref name="text"/>; <paramref name="choices"/> gives, per code point, the substitute the holder
    /// chose among the candidates.
    /// </summary>
    MappedText Map(string text, IReadOnlyDictionary<int, string>? choices);
}
