using System.Text;
using Jpki.Municipality.Issuance;

namespace Jpki.Municipality.Tests.Fakes;

/// <summary>
/// A tiny character set: 髙 (U+9AD9) → 高 or タカ; 𠮷 (U+20BB7) → 吉 or ヨシ; ☃ (U+2603) has no substitute; everything else
/// maps to itself.
/// </summary>
public sealed class FakeCharset : ICharsetMapper
{
    private static readonly Dictionary<int, string[]> Candidates = new()
    {
        [0x9AD9] = ["高", "タカ"],
        [0x20BB7] = ["吉", "ヨシ"],
    };

    public MappedText Map(string text, IReadOnlyDictionary<int, string>? choices)
    {
        var output = new StringBuilder();
        var substitutions = new List<Substitution>();
        var unmappable = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value == 0x2603)
            {
                unmappable++;
                continue;
            }

            if (Candidates.TryGetValue(rune.Value, out var candidates))
            {
                var chosen = choices is not null && choices.TryGetValue(rune.Value, out var c) ? c : candidates[0];
                substitutions.Add(new Substitution(rune.ToString(), chosen, candidates));
                output.Append(chosen);
                continue;
            }

            output.Append(rune.ToString());
        }

        return new MappedText(output.ToString(), substitutions, unmappable);
    }
}
