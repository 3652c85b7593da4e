using Jpki.Core.Identity;
using Jpki.Core.Pins;
using Jpki.Municipality.Applications;
using Jpki.Municipality.Cards;
using Jpki.Municipality.Issuance;
using Jpki.Municipality.Reports;

namespace Jpki.Municipality.Tests.Cards;

/// <summary>
/// The PUK at the counter (docs/counter.md): a next-generation card's blocked PIN unblocked with the holder's PUK and set
/// anew, on the real virtual card through the counter service — the PUK's countdown, its lock, the issuer-channel reset
/// still open after it, and today's card (no PUK) refused.
/// </summary>
public sealed class PukCounterTests : IAsyncLifetime
{
    private const string Puk = "20261205";
    private const string WrongPuk = "11112222";
    private readonly RealCounter _c = new(nextGeneration: true);
    private string _slot = "";

    public async Task InitializeAsync()
    {
        await _c.InitializeAsync();
        _slot = await _c.AddResidentWithCardAsync("R1");
        _c.SetPuk("R1", Puk);
        using var card = await _c.Runtime.Cards.OpenAsync(_slot, default);
        var issued = await _c.Runtime.Counter.IssueAsync(_c.Clerk, card, RealCounter.Request("R1"), default);
        Assert.True(issued.IsAllowed, issued.Message);
    }

    public Task DisposeAsync() => _c.DisposeAsync();

    [Theory]
    [InlineData(PinKind.SignaturePassword, "WRONG9", "NEWPW42")]
    [InlineData(PinKind.AuthenticationPin, "0000", "2468")]
    public async Task UnblockWithPukAsync_BlockedPin_UnblockedNewPinVerifiesJournaledWithoutFee(PinKind kind, string wrong, string newPin)
    {
        using (var card = await _c.Runtime.Cards.OpenAsync(_slot, default))
        {
            Block(card, kind, wrong);
            var outcome = await _c.Runtime.Counter.UnblockWithPukAsync(_c.Clerk, card, Request(kind, Puk, newPin), default);
            Assert.True(outcome.IsAllowed, outcome.Message);
            Assert.Equal(kind, outcome.Value);
        }

        using (var again = await _c.Runtime.Cards.OpenAsync(_slot, default))
        {
            Assert.Equal(PinPolicy.For(kind).MaxTries, again.Client.GetTriesLeft(kind));
            Assert.False(again.Client.Verify(kind, kind == PinKind.SignaturePassword ? "ABC123" : "5678").Verified);
            Assert.True(again.Client.Verify(kind, newPin).Verified);
            again.Client.Logout();
        }

        var journal = await _c.Runtime.Store.ListJournalDayAsync(_c.Today, default);
        var entry = Assert.Single(journal, e => e.Action == CounterActions.PinUnblock);
        Assert.Equal((JournalEntry.Ok, kind.ToString(), 0, "R1"), (entry.Outcome, entry.Details, entry.FeeYen, entry.ResidentId));
        Assert.All(journal, e => Assert.DoesNotContain(Puk, e.Details, StringComparison.Ordinal));
        Assert.All(journal, e => Assert.DoesNotContain(newPin, e.Details, StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnblockWithPukAsync_WrongPukTenTimes_CountsDownThenBlockedAndTheIssuerChannelResetStillWorks()
    {
        using (var card = await _c.Runtime.Cards.OpenAsync(_slot, default))
        {
            Block(card, PinKind.SignaturePassword, "WRONG9");

            // A PUK of the wrong shape is refused before the card sees it: no try is spent (the next wrong one leaves 9).
            var shape = await _c.Runtime.Counter.UnblockWithPukAsync(_c.Clerk, card, Request(PinKind.SignaturePassword, "1234", "NEWPW42"), default);
            Assert.Equal(PukPolicy.BadFormatCode, shape.Code);
            var badPin = await _c.Runtime.Counter.UnblockWithPukAsync(_c.Clerk, card, Request(PinKind.SignaturePassword, Puk, "short"), default);
            Assert.StartsWith("pin-", badPin.Code, StringComparison.Ordinal);

            for (var left = PukPolicy.MaxTries - 1; left >= 1; left--)
            {
                var wrong = await _c.Runtime.Counter.UnblockWithPukAsync(_c.Clerk, card, Request(PinKind.SignaturePassword, WrongPuk, "NEWPW42"), default);
                Assert.Equal(CounterCodes.PukWrong, wrong.Code);
                Assert.Equal(left, wrong.Data?.TriesLeft);
                Assert.Contains($"{left} PUK tries left", wrong.Message, StringComparison.Ordinal);
            }

            var last = await _c.Runtime.Counter.UnblockWithPukAsync(_c.Clerk, card, Request(PinKind.SignaturePassword, WrongPuk, "NEWPW42"), default);
            Assert.Equal(CounterCodes.PukBlocked, last.Code);
            Assert.Equal(0, last.Data?.TriesLeft);

            // Blocked now: even the right PUK is refused, with the way that stays open.
            var right = await _c.Runtime.Counter.UnblockWithPukAsync(_c.Clerk, card, Request(PinKind.SignaturePassword, Puk, "NEWPW42"), default);
            Assert.Equal(CounterCodes.PukBlocked, right.Code);
            Assert.Contains("issuer channel", right.Message, StringComparison.Ordinal);
            Assert.Equal(0, card.Client.GetTriesLeft(PinKind.SignaturePassword));

            using var reset = SecretPin.From("RESET77");
            var viaIssuer = await _c.Runtime.Counter.ResetPinAsync(_c.Clerk, card, new PinResetRequest("R1", true, PinKind.SignaturePassword, reset), default);
            Assert.True(viaIssuer.IsAllowed, viaIssuer.Message);
            Assert.True(card.Client.Verify(PinKind.SignaturePassword, "RESET77").Verified);
            card.Client.Logout();
        }

        var journal = await _c.Runtime.Store.ListJournalDayAsync(_c.Today, default);
        var unblocks = journal.Where(e => e.Action == CounterActions.PinUnblock).Select(e => e.Outcome).ToList();
        Assert.Equal([PukPolicy.BadFormatCode, "pin-too-short", .. Enumerable.Repeat(CounterCodes.PukWrong, 9), CounterCodes.PukBlocked, CounterCodes.PukBlocked], unblocks);
    }

    [Fact]
    public async Task UnblockWithPukAsync_CardPinOrIdentityNotChecked_RefusedBeforeTheCard()
    {
        using var card = await _c.Runtime.Cards.OpenAsync(_slot, default);
        var cardPin = await _c.Runtime.Counter.UnblockWithPukAsync(_c.Clerk, card, Request(PinKind.CardPin, Puk, "4321"), default);
        Assert.Equal(CounterCodes.PukNotForCardPin, cardPin.Code);
        using var puk = SecretPin.From(Puk);
        using var pin = SecretPin.From("4321");
        var noId = await _c.Runtime.Counter.UnblockWithPukAsync(_c.Clerk, card, new PukUnblockRequest("R1", false, PinKind.AuthenticationPin, puk, pin), default);
        Assert.Equal(CounterCodes.IdentityNotChecked, noId.Code);
        var other = await _c.Runtime.Counter.UnblockWithPukAsync(_c.Clerk, card, new PukUnblockRequest("R9", true, PinKind.AuthenticationPin, puk, pin), default);
        Assert.Equal(CounterCodes.ResidentNotFound, other.Code);
        Assert.Equal(3, card.Client.GetTriesLeft(PinKind.AuthenticationPin));
    }

    [Fact]
    public async Task UnblockWithPukAsync_NextGenerationCardMadeWithoutPuk_RefusedPukNotSet()
    {
        var slot = await _c.AddResidentWithCardAsync("R2");
        using var card = await _c.Runtime.Cards.OpenAsync(slot, default);
        var issued = await _c.Runtime.Counter.IssueAsync(_c.Clerk, card, RealCounter.Request("R2"), default);
        Assert.True(issued.IsAllowed, issued.Message);
        using var puk = SecretPin.From(Puk);
        using var pin = SecretPin.From("2468");
        var outcome = await _c.Runtime.Counter.UnblockWithPukAsync(_c.Clerk, card, new PukUnblockRequest("R2", true, PinKind.AuthenticationPin, puk, pin), default);
        Assert.Equal(CounterCodes.PukNotSet, outcome.Code);
        Assert.True(card.Client.Verify(PinKind.AuthenticationPin, "5678").Verified);
        card.Client.Logout();
    }

    [Fact]
    public async Task UnblockWithPukAsync_TodaysRsaCard_RefusedCardHasNoPukAndTheCardAnswers6D00()
    {
        var today = new RealCounter();
        await today.InitializeAsync();
        try
        {
            var slot = await today.AddResidentWithCardAsync("R1");
            using var card = await today.Runtime.Cards.OpenAsync(slot, default);
            Assert.Equal(CardGeneration.Current, (await card.ReadInfoAsync(default)).Generation);
            using var puk = SecretPin.From(Puk);
            using var pin = SecretPin.From("2468");
            var outcome = await today.Runtime.Counter.UnblockWithPukAsync(today.Clerk, card, new PukUnblockRequest("R1", true, PinKind.AuthenticationPin, puk, pin), default);
            Assert.Equal(CounterCodes.CardHasNoPuk, outcome.Code);
            Assert.Contains("issuer channel", outcome.Message, StringComparison.Ordinal);

            // The card agrees, whatever the counter thinks of its generation: today's card has no RESET RETRY COUNTER.
            Assert.Equal(PukCheck.NoPuk, await ((ICounterCard)card).UnblockWithPukAsync(PinKind.AuthenticationPin, puk, pin, default));
        }
        finally
        {
            await today.DisposeAsync();
        }
    }

    private static PukUnblockRequest Request(PinKind kind, string puk, string newPin) =>
        new("R1", true, kind, SecretPin.From(puk), SecretPin.From(newPin));

    private static void Block(CardCounterCard card, PinKind kind, string wrong)
    {
        for (var i = 0; i < PinPolicy.For(kind).MaxTries; i++)
        {
            Assert.False(card.Client.Verify(kind, wrong).Verified);
        }

        Assert.True(card.Client.Verify(kind, wrong).Blocked);
    }
}
