using Jpki.Core.Identity;
using Jpki.Core.Time;
using Jpki.Municipality.Issuance;
using Jpki.Municipality.Proxy;
using Jpki.Municipality.Reports;
using Jpki.Municipality.Residents;

namespace Jpki.Municipality.Tests.Proxy;

/// <summary>Run on SQLite (<see cref="SqliteProxyTests"/>) and PostgreSQL (<see cref="PostgresProxyTests"/>).</summary>
public abstract class ProxyTests : IAsyncLifetime
{
    private readonly CounterHarness _h;

    protected ProxyTests(CounterHarness harness) => _h = harness;

    public Task InitializeAsync() => _h.InitializeAsync();

    public Task DisposeAsync() => _h.DisposeAsync();

    [Fact]
    public async Task RecordRequestAsync_CreatesInquiryToRegisteredAddressWithValidReference()
    {
        await _h.AddResidentAsync("R1");

        var outcome = await _h.Proxy.RecordRequestAsync(_h.Clerk, Visit1(), default);

        Assert.True(outcome.IsAllowed, outcome.Message);
        var inquiry = outcome.Value!;
        Assert.Equal(inquiry.Reference, InquiryReference.Normalise(inquiry.Reference.Replace("-", string.Empty, StringComparison.Ordinal)));
        Assert.Equal(("東京都千代田区千代田１－１", _h.Today, _h.Today.AddDays(ProxyService.AnswerPeriodDays)), (inquiry.AddresseeAddress, inquiry.IssuedOn, inquiry.AnswerDeadline));
        Assert.Equal(inquiry, await _h.Store.FindInquiryAsync(inquiry.Reference, default));
        var letter = InquiryLetter.From(inquiry);
        Assert.Equal(inquiry.AddresseeAddress, letter.AddresseeAddress);
        Assert.Contains(letter.Instructions, l => l.Contains("2026年7月10日", StringComparison.Ordinal));
        Assert.Empty(_h.Issuer.Records);
    }

    [Theory]
    [InlineData(false, true, true, "identity-not-checked")]
    [InlineData(true, false, true, "proxy-documents-missing")]
    [InlineData(true, true, false, "proxy-documents-missing")]
    public async Task RecordRequestAsync_MissingChecks_Refused(bool id, bool application, bool attorney, string code)
    {
        await _h.AddResidentAsync("R1");

        var outcome = await _h.Proxy.RecordRequestAsync(_h.Clerk, Visit1() with { ProxyIdChecked = id, ApplicationPresent = application, PowerOfAttorneyPresent = attorney }, default);

        Assert.Equal(code, outcome.Code);
    }

    [Fact]
    public async Task CompleteAsync_NextDayWithIntactSeal_IssuesAndClosesInquiry()
    {
        var card = await _h.AddResidentAsync("R1");
        var inquiry = (await _h.Proxy.RecordRequestAsync(_h.Clerk, Visit1(), default)).Value!;
        _h.Clock.Advance(TimeSpan.FromDays(3));

        var outcome = await _h.Proxy.CompleteAsync(_h.Clerk, card, Visit2(inquiry.Reference), default);

        Assert.True(outcome.IsAllowed, outcome.Message);
        Assert.True(outcome.Value!.ByProxy);
        Assert.Equal(2, outcome.Value.Certificates.Count);
        Assert.Equal(InquiryStatus.Completed, (await _h.Store.FindInquiryAsync(inquiry.Reference, default))!.Status);
        Assert.Equal("proxy-inquiry-closed", (await _h.Proxy.CompleteAsync(_h.Clerk, card, Visit2(inquiry.Reference), default)).Code);
        Assert.Contains(await _h.JournalAsync(), e => e.Action == CounterActions.ProxyIssue && e.Outcome == "ok");
    }

    [Fact]
    public async Task CompleteAsync_SameDay_Refused()
    {
        var card = await _h.AddResidentAsync("R1");
        var inquiry = (await _h.Proxy.RecordRequestAsync(_h.Clerk, Visit1(), default)).Value!;
        _h.Clock.Advance(TimeSpan.FromHours(2));

        Assert.Equal("proxy-same-day", (await _h.Proxy.CompleteAsync(_h.Clerk, card, Visit2(inquiry.Reference), default)).Code);
        Assert.Empty(_h.Issuer.Records);
    }

    [Fact]
    public async Task CompleteAsync_OnDeadlineAcceptedAfterDeadlineRefused()
    {
        var card = await _h.AddResidentAsync("R1");
        var first = (await _h.Proxy.RecordRequestAsync(_h.Clerk, Visit1(), default)).Value!;
        var second = (await _h.Proxy.RecordRequestAsync(_h.Clerk, Visit1(), default)).Value!;
        _h.Clock.SetUtcNow(JapanTime.At(first.AnswerDeadline, new TimeOnly(16, 59)));

        Assert.True((await _h.Proxy.CompleteAsync(_h.Clerk, card, Visit2(first.Reference), default)).IsAllowed);

        _h.Clock.SetUtcNow(JapanTime.At(second.AnswerDeadline.AddDays(1), new TimeOnly(10, 0)));
        Assert.Equal("proxy-answer-late", (await _h.Proxy.CompleteAsync(_h.Clerk, card, Visit2(second.Reference), default)).Code);
    }

    [Fact]
    public async Task CompleteAsync_SealBroken_RefusedRecordedAndInquiryClosed()
    {
        var card = await _h.AddResidentAsync("R1");
        var inquiry = (await _h.Proxy.RecordRequestAsync(_h.Clerk, Visit1(), default)).Value!;
        _h.Clock.Advance(TimeSpan.FromDays(1));

        Assert.Equal("proxy-seal-broken", (await _h.Proxy.CompleteAsync(_h.Clerk, card, Visit2(inquiry.Reference) with { SealIntact = false }, default)).Code);

        var stored = (await _h.Store.FindInquiryAsync(inquiry.Reference, default))!;
        Assert.Equal((InquiryStatus.Refused, "proxy-seal-broken"), (stored.Status, stored.ClosedCode));
        Assert.Contains(await _h.JournalAsync(), e => e.Outcome == "proxy-seal-broken" && e.ResidentId == "R1");
        Assert.Equal("proxy-inquiry-closed", (await _h.Proxy.CompleteAsync(_h.Clerk, card, Visit2(inquiry.Reference), default)).Code);
        Assert.Empty(_h.Issuer.Records);
    }

    [Fact]
    public async Task CompleteAsync_ReferenceTypo_InvalidUnknownReferenceUnknown()
    {
        var card = await _h.AddResidentAsync("R1");
        var inquiry = (await _h.Proxy.RecordRequestAsync(_h.Clerk, Visit1(), default)).Value!;
        _h.Clock.Advance(TimeSpan.FromDays(1));
        var typo = inquiry.Reference[..^1] + (char)('0' + ((inquiry.Reference[^1] - '0' + 1) % 10));
        var unknown = "0000-0000-0000-0000";

        Assert.Equal("proxy-reference-invalid", (await _h.Proxy.CompleteAsync(_h.Clerk, card, Visit2(typo), default)).Code);
        Assert.Equal("proxy-reference-unknown", (await _h.Proxy.CompleteAsync(_h.Clerk, card, Visit2(unknown), default)).Code);
    }

    [Fact]
    public async Task CompleteAsync_ProxyIdNotChecked_Refused()
    {
        var card = await _h.AddResidentAsync("R1");
        var inquiry = (await _h.Proxy.RecordRequestAsync(_h.Clerk, Visit1(), default)).Value!;
        _h.Clock.Advance(TimeSpan.FromDays(1));

        Assert.Equal("identity-not-checked", (await _h.Proxy.CompleteAsync(_h.Clerk, card, Visit2(inquiry.Reference) with { ProxyIdChecked = false }, default)).Code);
    }

    [Fact]
    public async Task CompleteAsync_ApplicantMovedSinceLetter_Refused()
    {
        var card = await _h.AddResidentAsync("R1");
        var inquiry = (await _h.Proxy.RecordRequestAsync(_h.Clerk, Visit1(), default)).Value!;
        _h.Clock.Advance(TimeSpan.FromDays(1));
        await _h.Changes.ApplyAsync(new ResidentChange(ResidentChangeKind.MoveWithin, "R1", NewAddress: "東京都港区１"), _h.Clerk, default);

        Assert.Equal("proxy-address-changed", (await _h.Proxy.CompleteAsync(_h.Clerk, card, Visit2(inquiry.Reference), default)).Code);
    }

    [Fact]
    public async Task CompleteAsync_WrongCardPin_RefusedInquiryStaysOpen()
    {
        var card = await _h.AddResidentAsync("R1");
        var inquiry = (await _h.Proxy.RecordRequestAsync(_h.Clerk, Visit1(), default)).Value!;
        _h.Clock.Advance(TimeSpan.FromDays(1));

        Assert.Equal("card-pin-wrong", (await _h.Proxy.CompleteAsync(_h.Clerk, card, Visit2(inquiry.Reference) with { CardPin = SecretPin.From("0000") }, default)).Code);
        Assert.Equal(InquiryStatus.Open, (await _h.Store.FindInquiryAsync(inquiry.Reference, default))!.Status);
    }

    [Fact]
    public void InquiryReference_CreatedValuesAlwaysValidAndSingleDigitErrorsCaught()
    {
        for (var n = 0; n < 200; n++)
        {
            var reference = InquiryReference.Create();
            Assert.Equal(reference, InquiryReference.Normalise(reference));
            var digits = reference.Replace("-", string.Empty, StringComparison.Ordinal).ToCharArray();
            var i = n % digits.Length;
            digits[i] = (char)('0' + ((digits[i] - '0' + 1 + (n % 9)) % 10));
            Assert.Null(InquiryReference.Normalise(new string(digits)));
        }
    }

    private static ProxyRequest Visit1() => new("R1", "代理　次郎", "運転免許証", true, true, true);

    private static ProxyVisit Visit2(string reference) =>
        new(reference, true, true, SecretPin.From("1234"), SecretPin.From("PW1234"), SecretPin.From("9876"));
}

/// <summary>The workflow on the embedded SQLite store.</summary>
public sealed class SqliteProxyTests() : ProxyTests(new CounterHarness());

/// <summary>The workflow on PostgreSQL.</summary>
[Collection(Jpki.Municipality.Tests.Storage.PostgresCollection.Name)]
public sealed class PostgresProxyTests(Jpki.Testing.PostgresServer server)
    : ProxyTests(new CounterHarness(async () => Jpki.Municipality.Storage.CounterStores.OpenPostgres(await server.CreateSchemaAsync())));
