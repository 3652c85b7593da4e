using Jpki.Core.Identity;
using Jpki.Core.Pins;
using Jpki.Municipality.Applications;
using Jpki.Municipality.Issuance;
using Jpki.Municipality.Reports;
using Jpki.Municipality.Staff;
using Microsoft.Extensions.Logging;

namespace Jpki.Municipality.Tests.Cards;

/// <summary>
/// The counter's workflows log their events (3110–3119) through the runtime's logging, with the virtual cards' lock-outs
/// (2101–2106) and the authority's issuances (4120–4125) — by staff, card, code and serial, never the resident's data.
/// </summary>
public sealed class CounterLoggingTests : IAsyncLifetime
{
    private const string Name = "秘密　守";
    private readonly RealCounter _c = new();
    private readonly CollectingLoggerProvider _logs = new();

    public async Task InitializeAsync()
    {
        await _c.InitializeAsync();
        _c.Runtime.UseLogging(_logs);
        _c.Authority.UseLogging(_logs);
    }

    public Task DisposeAsync() => _c.DisposeAsync();

    [Fact]
    public async Task IssueAsync_WrongCardPinUntilBlocked_LogsTheRefusalsAndTheCardsLockOut()
    {
        var id = await _c.AddResidentWithCardAsync("R1", Name);
        using (var card = await _c.Runtime.Cards.OpenAsync(id, default))
        {
            for (var i = 0; i < 3; i++)
            {
                Assert.False((await _c.Runtime.Counter.IssueAsync(_c.Clerk, card, RealCounter.Request("R1", "9999"), default)).IsAllowed);
            }
        }

        Assert.Equal(["2", "1"], _logs.Of(2101).Select(e => e.Values["TriesLeft"]));
        var lockOut = Assert.Single(_logs.Of(2102));
        Assert.Equal(("Jpki.Card", LogLevel.Warning), (lockOut.Category, lockOut.Level));
        Assert.Equal(
            [CounterCodes.CardPinWrong, CounterCodes.CardPinWrong, CounterCodes.CardPinBlocked],
            _logs.Of(3110).Select(e => e.Values["Outcome"]));
        Assert.All(_logs.Of(3110), e => Assert.Equal(("clerk1", string.Empty), (e.Values["Staff"], e.Values["Certificates"])));
        Assert.Empty(_logs.Of(4120));
        AssertNoPersonalData("9999");
    }

    [Fact]
    public async Task IssueResetRevokeClose_EachLogsItsEvent()
    {
        var id = await _c.AddResidentWithCardAsync("R1", Name);
        IssuanceReceipt receipt;
        using (var card = await _c.Runtime.Cards.OpenAsync(id, default))
        {
            var issued = await _c.Runtime.Counter.IssueAsync(_c.Clerk, card, RealCounter.Request("R1"), default);
            Assert.True(issued.IsAllowed, issued.Message);
            receipt = issued.Value!;
            var reset = await _c.Runtime.Counter.ResetPinAsync(_c.Clerk, card, new PinResetRequest("R1", true, PinKind.AuthenticationPin, SecretPin.From("2468")), default);
            Assert.True(reset.IsAllowed, reset.Message);
        }

        var supervisor = StaffAccount.Supervisor("super1");
        var revoked = await _c.Runtime.Counter.RevokeOnRequestAsync(supervisor, new RevocationRequest("R1", true, [CertificateKind.Signature]), default);
        Assert.True(revoked.IsAllowed, revoked.Message);
        Assert.True((await new DayCloseService(_c.Runtime.Store, _c.Clock, _logs.CreateLogger("Jpki.Municipality.Counter")).CloseAsync(supervisor, _c.Today, default)).IsAllowed);

        var issue = Assert.Single(_logs.Of(3110));
        Assert.Equal(JournalEntry.Ok, issue.Values["Outcome"]);
        Assert.All(receipt.Certificates, c => Assert.Contains(c.SerialHex, issue.Values["Certificates"], StringComparison.Ordinal));
        Assert.Equal(receipt.Certificates.Select(c => c.SerialHex).Order(), _logs.Of(4120).Select(e => e.Values["Serial"]!).Order());
        Assert.Equal(nameof(PinKind.AuthenticationPin), Assert.Single(_logs.Of(3113)).Values["PinKind"]);
        var signSerial = receipt.Certificates.Single(c => c.Kind == CertificateKind.Signature).SerialHex;
        Assert.Contains(signSerial, Assert.Single(_logs.Of(3114)).Values["Serials"], StringComparison.Ordinal);
        Assert.Equal(signSerial, Assert.Single(_logs.Of(4124)).Values["Serial"]);
        Assert.Equal(_c.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), Assert.Single(_logs.Of(3117)).Values["Day"]);
        AssertNoPersonalData("2468", RealCounter.CardPin, "ABC123", "5678");
    }

    private void AssertNoPersonalData(params string[] secrets)
    {
        // The resident id R1 is in no value (the card number, which is logged, is made from it in this test).
        Assert.DoesNotContain(_logs.Events, e => e.Values.Values.Contains("R1"));
        string[] personal = [Name, "ヤマダ", "東京都千代田区", "1980-02-17", .. secrets];
        var leaks = _logs.Events.SelectMany(e => personal.Where(p => e.AllText.Contains(p, StringComparison.Ordinal)).Select(p => $"{p} in event {e.Id}")).ToList();
        Assert.True(leaks.Count == 0, string.Join("\n", leaks));
    }
}
