using Jpki.Card.Virtual;

namespace Jpki.Card.Tests.Virtual;

/// <summary>What a killed writer leaves behind, and the directory sync that makes the rename durable.</summary>
public sealed class CardFileDurabilityTests
{
    [Fact]
    public void Open_TempFilesOfAKilledWriter_Removed()
    {
        using var card = TestCard.Create(issue: false);
        card.Eject();
        var stale = Path.Combine(card.Directory, $".{Path.GetFileName(card.Path)}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(stale, "{ half a card");
        var unrelated = Path.Combine(card.Directory, ".other.jpkicard.0.tmp");
        File.WriteAllText(unrelated, "another card's temp file");
        card.Reopen();
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(unrelated));
        Assert.Equal(TestCard.CardNumber, card.Card.CardNumber);
    }

    [Fact]
    public void Persist_Stages_DirectorySyncedAfterRenameBeforeCommitted()
    {
        using var card = TestCard.Create(issue: false);
        var stages = new List<CardWriteStage>();
        card.Card.Store.FaultHook = stages.Add;
        card.Sw(Apdus.SelectJpki);
        card.Sw(Apdus.SelectAuthPin);
        card.Sw("E42C0380"); // refused (no issuer authentication): writes nothing
        Assert.Empty(stages);
        card.Card.Store.Persist(card.Card.Processor.Image);
        Assert.Equal([CardWriteStage.PartlyWritten, CardWriteStage.TempFlushed, CardWriteStage.Renamed, CardWriteStage.Committed], stages);
    }

    [Fact]
    public void DirectorySync_RealDirectory_Succeeds_MissingDirectory_IOException()
    {
        var directory = Directory.CreateTempSubdirectory("jpki-dirsync-");
        try
        {
            DirectorySync.Flush(directory.FullName);
            Assert.Throws<IOException>(() => DirectorySync.Flush(Path.Combine(directory.FullName, "missing")));
        }
        finally
        {
            directory.Delete();
        }
    }
}
