using Jpki.Card.Client;
using Jpki.Card.Issuer;
using Jpki.Card.Profiles;
using Jpki.Card.Transport;
using Jpki.Core.Pins;
using Microsoft.Extensions.Logging;

namespace Jpki.Card.Tests.Applications;

/// <summary>The card logs wrong PINs and lock-outs (events 2101–2106) by card number and reference — never the PIN.</summary>
public sealed class PinLoggingTests
{
    [Fact]
    public void Verify_WrongPinUntilBlocked_LogsTriesLeftThenTheLockOut_NeverThePin()
    {
        var logs = new CollectingLoggerProvider();
        using var card = TestCard.Create(options: TestCard.Options with { Logger = logs.CreateLogger("Jpki.Card") });
        using var transport = new InProcessTransport(card.Card);
        var client = new JpkiCardClient(transport);

        Assert.Equal(2, client.Verify(PinKind.AuthenticationPin, "9999").TriesLeft);
        Assert.Equal(1, client.Verify(PinKind.AuthenticationPin, "9999").TriesLeft);
        Assert.True(client.Verify(PinKind.AuthenticationPin, "9999").Blocked);
        Assert.True(client.Verify(PinKind.AuthenticationPin, TestCard.AuthPin).Blocked);

        var wrong = logs.Of(2101);
        Assert.Equal(["2", "1"], wrong.Select(e => e.Values["TriesLeft"]));
        Assert.All(wrong, e => Assert.Equal(TestCard.CardNumber, e.Values["Card"]));
        var blocked = Assert.Single(logs.Of(2102));
        Assert.Equal(LogLevel.Warning, blocked.Level);
        Assert.Equal("Jpki", blocked.Values["Application"]);
        Assert.Single(logs.Of(2103)); // the right PIN on the blocked card: refused without a try, logged
        Assert.DoesNotContain(logs.Events, e => e.AllText.Contains("9999", StringComparison.Ordinal) || e.AllText.Contains(TestCard.AuthPin, StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_RightPin_LogsNothing()
    {
        var logs = new CollectingLoggerProvider();
        using var card = TestCard.Create(options: TestCard.Options with { Logger = logs.CreateLogger("Jpki.Card") });
        using var transport = new InProcessTransport(card.Card);
        Assert.True(new JpkiCardClient(transport).Verify(PinKind.AuthenticationPin, TestCard.AuthPin).Verified);
        Assert.Empty(logs.Events);
    }

    [Fact]
    public void ResetWithPuk_WrongThenRight_LogsThePukTriesAndTheUnblock_NeverThePuk()
    {
        const string Puk = "24681357";
        var logs = new CollectingLoggerProvider();
        using var card = TestCard.Create(CardProfile.NextGeneration.Id, options: TestCard.Options with { Logger = logs.CreateLogger("Jpki.Card") });
        using var transport = new InProcessTransport(card.Card);
        var client = new JpkiCardClient(transport);
        using (var managementKey = TestCard.ManagementKey())
        {
            new CardIssuerClient(client, managementKey, TestCard.CardNumber).SetPuk(Puk);
        }

        while (!client.Verify(PinKind.AuthenticationPin, "0000").Blocked)
        {
        }

        Assert.False(client.UnblockWithPuk(PinKind.AuthenticationPin, "11112222").Verified);
        Assert.True(client.UnblockWithPuk(PinKind.AuthenticationPin, Puk).Verified);

        Assert.Single(logs.Of(2102));
        Assert.Equal("9", Assert.Single(logs.Of(2104)).Values["TriesLeft"]);
        Assert.Equal("False", Assert.Single(logs.Of(2106)).Values["Replaced"]);
        Assert.DoesNotContain(logs.Events, e => e.AllText.Contains(Puk, StringComparison.Ordinal) || e.AllText.Contains("11112222", StringComparison.Ordinal));
    }
}
