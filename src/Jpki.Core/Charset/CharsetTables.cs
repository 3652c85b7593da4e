using System.Collections.Frozen;
using System.Globalization;

namespace Jpki.Core.Charset;

/// <summary>
/// The generated tables (tools/charset/generate.py → Charset/Data/*.tsv, embedded), loaded once on first use.
/// The repertoire is a byte per BMP scalar (64 KiB): JIS X 0208 and 0212 have no scalar outside the BMP.
/// </summary>
internal sealed class CharsetTables
{
    private const string ResourcePrefix = "Jpki.Core.Charset.Data.";
    private static readonly Lazy<CharsetTables> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly JisSource[] _sources;
    private readonly FrozenDictionary<int, SubstituteCandidate[]> _substitutes;

    private CharsetTables(JisSource[] sources, FrozenDictionary<int, SubstituteCandidate[]> substitutes, string header)
    {
        _sources = sources;
        _substitutes = substitutes;
        Header = header;
    }

    public static CharsetTables Instance => Loaded.Value;

    /// <summary>The generator's header line naming the sources and their versions.</summary>
    public string Header { get; }

    public JisSource SourceOf(int codePoint) =>
        codePoint >= 0 && codePoint < _sources.Length ? _sources[codePoint] : JisSource.None;

    public bool IsAllowed(int codePoint) => SourceOf(codePoint) != JisSource.None;

    public IReadOnlyList<SubstituteCandidate> CandidatesFor(int codePoint) =>
        _substitutes.TryGetValue(codePoint, out var candidates) ? candidates : LatinPunctuation.CandidatesFor(codePoint);

    public int SubstituteCount => _substitutes.Count;

    /// <summary>Reads the embedded tables (internal for the load benchmark; use <see cref="Instance"/>).</summary>
    internal static CharsetTables Load()
    {
        var sources = new JisSource[0x10000];
        var header = string.Empty;
        var section = JisSource.None;
        foreach (var line in ReadLines("repertoire.tsv"))
        {
            if (line.StartsWith('#'))
            {
                if (header.Length == 0 && line.StartsWith("# Sources:", StringComparison.Ordinal))
                {
                    header = line["# Sources: ".Length..];
                }

                continue;
            }

            if (line.StartsWith('@'))
            {
                section = ParseSection(line[1..]);
                continue;
            }

            foreach (var item in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var dash = item.IndexOf('-', StringComparison.Ordinal);
                var first = Hex(dash < 0 ? item : item[..dash]);
                var last = dash < 0 ? first : Hex(item[(dash + 1)..]);
                for (var cp = first; cp <= last; cp++)
                {
                    sources[cp] = section;
                }
            }
        }

        var substitutes = new Dictionary<int, SubstituteCandidate[]>();
        foreach (var line in ReadLines("substitutes.tsv"))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            var tokens = line[(tab + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var candidates = new SubstituteCandidate[tokens.Length];
            for (var i = 0; i < tokens.Length; i++)
            {
                // 5FB3:standard, FF08+682A+FF09:nfkc, 4E98:registry@20122 (reached through U+20122)
                var colon = tokens[i].IndexOf(':', StringComparison.Ordinal);
                var at = tokens[i].IndexOf('@', colon + 1);
                var text = string.Concat(tokens[i][..colon].Split('+').Select(h => char.ConvertFromUtf32(Hex(h))));
                var kind = ParseKind(at < 0 ? tokens[i][(colon + 1)..] : tokens[i][(colon + 1)..at]);
                var via = at < 0 ? null : char.ConvertFromUtf32(Hex(tokens[i][(at + 1)..]));
                candidates[i] = new SubstituteCandidate(text, kind, via);
            }

            substitutes[Hex(line[..tab])] = candidates;
        }

        return new CharsetTables(sources, substitutes.ToFrozenDictionary(), header);
    }

    private static IEnumerable<string> ReadLines(string name)
    {
        using var stream = typeof(CharsetTables).Assembly.GetManifestResourceStream(ResourcePrefix + name)
            ?? throw new InvalidOperationException($"The embedded charset table {name} is missing from {typeof(CharsetTables).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                yield return line;
            }
        }
    }

    private static int Hex(string text) => int.Parse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    private static JisSource ParseSection(string name) => name switch
    {
        "x0208-nonkanji" => JisSource.X0208NonKanji,
        "x0208-kanji" => JisSource.X0208Kanji,
        "x0208-alias" => JisSource.X0208Alias,
        "x0212-nonkanji" => JisSource.X0212NonKanji,
        "x0212-kanji" => JisSource.X0212Kanji,
        _ => throw new InvalidOperationException($"Unknown section '{name}' in the embedded repertoire.tsv."),
    };

    private static SubstituteKind ParseKind(string tag) => tag switch
    {
        "compat" => SubstituteKind.CompatibilityVariant,
        "width" => SubstituteKind.Width,
        "nfkc" => SubstituteKind.CompatibilityDecomposition,
        "standard" => SubstituteKind.StandardForm,
        "jis" => SubstituteKind.JisUnification,
        "registry" => SubstituteKind.FamilyRegister,
        "z" => SubstituteKind.ZVariant,
        "immigration" => SubstituteKind.ResidenceCardForm,
        "jisx0213" => SubstituteKind.JisX0213Related,
        "semantic" => SubstituteKind.SemanticVariant,
        "related" => SubstituteKind.DictionaryRelated,
        "specialized" => SubstituteKind.SpecializedSemanticVariant,
        "spoofing" => SubstituteKind.SpoofingVariant,
        "traditional" => SubstituteKind.TraditionalVariant,
        "simplified" => SubstituteKind.SimplifiedVariant,
        _ => throw new InvalidOperationException($"Unknown candidate kind '{tag}' in the embedded substitutes.tsv."),
    };
}
