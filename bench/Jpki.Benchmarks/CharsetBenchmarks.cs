using BenchmarkDotNet.Attributes;
using Jpki.Core.Charset;

namespace Jpki.Benchmarks;

/// <summary>Every certificate issuance maps the holder's name and address to the JPKI character set.</summary>
[MemoryDiagnoser]
public class CharsetBenchmarks
{
    private const string Name = "髙橋　𠮷子";
    private const string Address = "東京都千代田区霞が関１丁目２－３　﨑ハイツ１０１";
    private const string PlainName = "山田　太郎";

    [GlobalSetup]
    public void Warm() => JpkiCharset.Map(PlainName); // load the tables outside the measurement

    [Benchmark(Baseline = true)]
    public CharsetMapping PlainNameOnly() => JpkiCharset.Map(PlainName);

    [Benchmark]
    public CharsetMapping NameWithSubstitutes() => JpkiCharset.Map(Name);

    [Benchmark]
    public CharsetMapping NameAndAddress()
    {
        _ = JpkiCharset.Map(Name);
        return JpkiCharset.Map(Address);
    }

    /// <summary>What the first mapping of a process pays once: parsing the embedded repertoire and substitute tables.</summary>
    [Benchmark]
    public int TableLoad() => CharsetTables.Load().SubstituteCount;

    [Benchmark]
    public bool IsAllowed() => JpkiCharset.IsAllowed('髙') | JpkiCharset.IsAllowed('高');
}
