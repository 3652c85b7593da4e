using System.Text;
using Jpki.Card.Apdu;
using Jpki.Card.Virtual;

namespace Jpki.Card.Tests.Virtual;

public sealed class VirtualCardFileTests
{
    private sealed class SimulatedCrashException : Exception
    {
    }

    /// <summary>Persists through the real store, then "pulls the power" once the first write is durable.</summary>
    private sealed class CrashAfterPersist(ICardImageSink inner) : ICardImageSink
    {
        public void Persist(CardImage image)
        {
            inner.Persist(image);
            throw new SimulatedCrashException();
        }
    }

    [Fact]
    public void Verify_CrashAfterDecrementPersisted_ReopenedCardShowsDecrementedCounter()
    {
        using var card = TestCard.Create();
        card.Card.Dispose();
        using (var crashing = VirtualCard.Open(card.Path, TestCard.Options, sink => new CrashAfterPersist(sink)))
        {
            crashing.Transmit(Convert.FromHexString(Apdus.SelectJpki));
            crashing.Transmit(Convert.FromHexString(Apdus.SelectAuthPin));
            // Even the RIGHT PIN costs a try if the card dies between counting and comparing.
            Assert.Throws<SimulatedCrashException>(() => crashing.Transmit(Convert.FromHexString(Apdus.VerifyAuth1234)));
        }

        card.Reopen();
        card.Sw(Apdus.SelectJpki);
        card.Sw(Apdus.SelectAuthPin);
        Assert.Equal(0x63C2, card.Sw(Apdus.RetryQuery));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Persist_CrashMidWrite_OldCardIntact(int stageNumber)
    {
        var stage = (CardWriteStage)stageNumber;
        using var card = TestCard.Create();
        var before = File.ReadAllBytes(card.Path);
        card.Card.Store.FaultHook = s =>
        {
            if (s == stage)
            {
                throw new SimulatedCrashException();
            }
        };
        card.Sw(Apdus.SelectJpki);
        card.Sw(Apdus.SelectAuthPin);
        Assert.Throws<SimulatedCrashException>(() => card.Card.Transmit(Convert.FromHexString(Apdus.VerifyAuth9999)));
        Assert.Equal(before, File.ReadAllBytes(card.Path));
        Assert.Empty(Directory.GetFiles(card.Directory, "*.tmp"));
        card.Reopen();
        card.Sw(Apdus.SelectJpki);
        card.Sw(Apdus.SelectAuthPin);
        Assert.Equal(0x63C3, card.Sw(Apdus.RetryQuery));
    }

    [Fact]
    public void Persist_IoFailure_Answers6581AndDoesNotCompare()
    {
        using var card = TestCard.Create();
        card.Card.Store.FaultHook = s =>
        {
            if (s == CardWriteStage.TempFlushed)
            {
                throw new IOException("disk full");
            }
        };
        card.Sw(Apdus.SelectJpki);
        card.Sw(Apdus.SelectAuthPin);
        Assert.Equal(StatusWords.MemoryFailure, card.Sw(Apdus.VerifyAuth1234));
        card.Sw(Apdus.SelectAuthKey);
        Assert.Equal(StatusWords.SecurityStatusNotSatisfied, card.Sw(Apdus.Sign(Apdus.Sha256DigestInfo([1]))));
    }

    [Fact]
    public void Open_WhileInsertedElsewhere_CardInUse()
    {
        using var card = TestCard.Create(issue: false);
        var error = Assert.Throws<VirtualCardException>(() => VirtualCard.Open(card.Path));
        Assert.Equal("card-in-use", error.Code);
        card.Card.Dispose();
        using (var second = VirtualCard.Open(card.Path))
        {
            Assert.Equal(TestCard.CardNumber, second.CardNumber);
        }

        card.Reopen(); // keeps Dispose balanced: the fixture owns one open card
    }

    [Fact]
    public void Open_FromAnotherProcess_CardInUse()
    {
        using var card = TestCard.Create(issue: false);
        var start = new System.Diagnostics.ProcessStartInfo("flock", ["-n", card.Path + ".lock", "true"])
        {
            RedirectStandardError = true,
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        process.WaitForExit();
        Assert.NotEqual(0, process.ExitCode); // the lock is an OS-level flock another process sees
    }

    [Fact]
    public void Create_ExistingFile_CardFileExists()
    {
        using var card = TestCard.Create(issue: false);
        card.Card.Dispose();
        using var key = TestCard.ManagementKey();
        var error = Assert.Throws<VirtualCardException>(() => VirtualCard.Create(
            card.Path, new VirtualCardSpec("X1", "h", Core.Identity.CardKind.MyNumberCard, new DateOnly(2030, 1, 1)), key));
        Assert.Equal("card-file-exists", error.Code);
        card.Reopen();
    }

    [Theory]
    [InlineData("not json", "card-file-invalid")]
    [InlineData("{}", "card-file-invalid")]
    public void Open_BadFile_ClearError(string content, string code)
    {
        var directory = Directory.CreateTempSubdirectory("jpki-card-bad-");
        try
        {
            var path = Path.Combine(directory.FullName, "bad.jpkicard");
            File.WriteAllText(path, content);
            Assert.Equal(code, Assert.Throws<VirtualCardException>(() => VirtualCard.Open(path)).Code);
        }
        finally
        {
            directory.Delete(true);
        }
    }

    [Fact]
    public void CardFile_HoldsNoPlainPins()
    {
        using var card = TestCard.Create();
        var text = File.ReadAllText(card.Path, Encoding.UTF8);
        Assert.DoesNotContain(TestCard.SignPassword, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.ASCII.GetBytes(TestCard.SignPassword)), text, StringComparison.Ordinal);
        Assert.Contains("\"Verifier\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadAndSign_DoNotWriteTheCardFile()
    {
        using var card = TestCard.Create();
        card.Sw(Apdus.SelectJpki);
        card.Sw(Apdus.SelectAuthPin);
        card.Sw(Apdus.VerifyAuth1234);
        var writes = 0;
        card.Card.Store.FaultHook = s => writes += s == CardWriteStage.Committed ? 1 : 0;
        card.Sw("00A4020C02000A");
        card.Sw("00B0000000");
        card.Sw(Apdus.SelectAuthKey);
        Assert.Equal(StatusWords.Success, card.Sw(Apdus.Sign(Apdus.Sha256DigestInfo([1]))));
        Assert.Equal(0, writes);
    }
}
