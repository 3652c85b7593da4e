namespace Jpki.Fuzz.Tests;

/// <summary>
/// Replays every committed corpus file (fuzz/corpus/&lt;target&gt;/*) through its target's harness, uninstrumented: the
/// fast CI half of the fuzzing. A harness throws only for a finding, so any exception here is a regression.
/// </summary>
public sealed class CorpusReplayTests
{
    private static readonly string Corpus = Path.Combine(AppContext.BaseDirectory, "corpus");

    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var target in FuzzTargets.Names)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Corpus, target)).Order(StringComparer.Ordinal))
            {
                data.Add(target, Path.GetFileName(file));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Run_CorpusFile_NoFinding(string target, string file)
    {
        var harness = FuzzTargets.Find(target);
        Assert.NotNull(harness);

        harness.Run(File.ReadAllBytes(Path.Combine(Corpus, target, file)));
    }

    [Fact]
    public void Corpus_EveryTarget_HasSeeds()
    {
        Assert.All(FuzzTargets.Names, target => Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(Corpus, target))));
    }

    [Fact]
    public void Run_HostileApduSequences_EveryApduAnswered()
    {
        // A few hand-made hostile sequences: truncated APDUs, an Lc longer than the data, extended length, a reset.
        var harness = FuzzTargets.Find(ApduTarget.TargetName)!;
        harness.Run([0x03, 0x00, 0xA4, 0x04, 0x06, 0x00, 0xA4, 0x04, 0x0C, 0xFF, 0x00, 0x00, 0x07, 0x00, 0xB0, 0x00, 0x00, 0x00, 0xFF, 0xFF]);
        harness.Run([0xFF]);
        harness.Run([]);
    }
}
