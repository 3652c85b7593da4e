using Jpki.Core.Charset;

namespace Jpki.Municipality.Issuance;

/// <summary>
/// <see cref="ICharsetMapper"/> over <see cref="JpkiCharset"/> (JIS X 0208 + 0212 with the 代替文字 tables). The counter
/// keys the holder's choices by code point (one choice per character, for name and address alike); the tables key
/// them by position, so a choice is applied at every position where that character is substituted. A choice that is
/// not one of the candidates is not passed on (the counter refuses it with <c>charset-bad-choice</c>).
/// </summary>
public sealed class JpkiCharsetMapper : ICharsetMapper
{
    /// <inheritdoc/>
    public MappedText Map(string text, IReadOnlyDictionary<int, string>? choices)
    {
        ArgumentNullException.ThrowIfNull(text);
        var mapping = JpkiCharset.Map(text);
        var unmappable = mapping.Unmappable.Select(u => u.Character).Distinct(StringComparer.Ordinal).ToList();
        if (choices is { Count: > 0 } && (mapping.HasSubstitutions || mapping.Unmappable.Count > 0))
        {
            var positional = new Dictionary<int, string>();
            foreach (var substitution in mapping.Substitutions)
            {
                if (choices.TryGetValue(char.ConvertToUtf32(substitution.Original, 0), out var chosen)
                    && substitution.Candidates.Any(c => string.Equals(c.Text, chosen, StringComparison.Ordinal)))
                {
                    positional[substitution.InputIndex] = chosen;
                }
            }

            // A character without substitute takes the reading the holder gave (kana), when it is all in the set.
            foreach (var character in mapping.Unmappable)
            {
                if (choices.TryGetValue(character.CodePoint, out var reading) && reading.Length > 0
                    && reading.EnumerateRunes().All(r => JpkiCharset.IsAllowed(r.Value)))
                {
                    positional[character.InputIndex] = reading;
                }
            }

            if (positional.Count > 0)
            {
                mapping = JpkiCharset.Map(text, positional);
            }
        }

        return new MappedText(
            mapping.Text,
            mapping.Substitutions.Select(s => new Substitution(s.Original, s.Chosen, s.Candidates.Select(c => c.Text).ToList())).ToList(),
            mapping.Unmappable.Count,
            mapping.Flags,
            unmappable);
    }
}
