using System.Text;
using Jpki.Testing;

namespace Jpki.Core.Tests.Charset;

/// <summary>
/// Facts read straight from Debian's Unihan (unicode-data), not through tools/charset: the 常用/人名用 kanji and the
/// pairs Unihan itself records for them (kJinmeiyoKanji <c>2010:U+5FB3</c> on 德, kJoyoKanji <c>U+525D</c> on 剥).
/// The file is bzip2-compressed, which the BCL cannot read: python3's bz2 module does, as for the generator test.
/// </summary>
internal sealed class UnihanFacts
{
    private const string Script = """
        import bz2, re
        for line in bz2.open('/usr/share/unicode/Unihan_OtherMappings.txt.bz2', 'rt', encoding='utf-8'):
            if line.startswith('U+'):
                cp, field, value = line.rstrip('\n').split('\t')
                if field in ('kJoyoKanji', 'kJinmeiyoKanji'):
                    m = re.search(r'U\+([0-9A-F]+)$', value)
                    print(cp[2:], m.group(1) if m else '-')
        """;

    private static readonly Lazy<UnihanFacts> Loaded = new(Load);

    private UnihanFacts(IReadOnlySet<int> standard, IReadOnlyList<(int A, int B)> pairs)
    {
        Standard = standard;
        Pairs = pairs;
    }

    public static UnihanFacts Instance => Loaded.Value;

    /// <summary>Every kanji with kJoyoKanji or kJinmeiyoKanji.</summary>
    public IReadOnlySet<int> Standard { get; }

    /// <summary>The pairs: (the character carrying the field, the code point in its value).</summary>
    public IReadOnlyList<(int A, int B)> Pairs { get; }

    private static UnihanFacts Load()
    {
        Assert.True(File.Exists("/usr/share/unicode/Unihan_OtherMappings.txt.bz2"), "The Unihan database is missing: apt-get install unicode-data");
        var (exit, output, error) = ExternalTool.RunAsync("python3", "python3", ["-c", Script]).GetAwaiter().GetResult();
        Assert.True(exit == 0, "reading Unihan failed: " + error);
        var lines = Encoding.UTF8.GetString(output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var standard = new HashSet<int>();
        var pairs = new List<(int, int)>();
        foreach (var line in lines)
        {
            var fields = line.Split(' ');
            var cp = Convert.ToInt32(fields[0], 16);
            standard.Add(cp);
            if (fields[1] != "-")
            {
                pairs.Add((cp, Convert.ToInt32(fields[1], 16)));
            }
        }

        Assert.True(standard.Count > 2_900, $"only {standard.Count} 常用/人名用 kanji in Unihan");
        return new UnihanFacts(standard, pairs);
    }
}
