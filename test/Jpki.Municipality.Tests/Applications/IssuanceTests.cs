using Jpki.Core.Identity;
using Jpki.Core.Pins;
using Jpki.Core.Time;
using Jpki.Municipality.Applications;
using Jpki.Municipality.Reports;
using Jpki.Municipality.Tests.Fakes;

namespace Jpki.Municipality.Tests.Applications;

/// <summary>Run on SQLite (<see cref="SqliteIssuanceTests"/>) and PostgreSQL (<see cref="PostgresIssuanceTests"/>).</summary>
public abstract class IssuanceTests : IAsyncLifetime
{
    private readonly CounterHarness _h;

    protected IssuanceTests(CounterHarness harness) => _h = harness;

    public Task InitializeAsync() => _h.InitializeAsync();

    public Task DisposeAsync() => _h.DisposeAsync();

    [Fact]
    public async Task IssueAsync_AdultWithValidCard_IssuesBothWritesCardAndReceipt()
    {
        var card = await _h.AddResidentAsync("R1");

        var outcome = await _h.IssueAsync(card, CounterHarness.Request("R1", sign: "abc123"));

        Assert.True(outcome.IsAllowed, outcome.Message);
        var receipt = outcome.Value!;
        Assert.Equal([CertificateKind.Authentication, CertificateKind.Signature], receipt.Certificates.Select(c => c.Kind));
        Assert.All(receipt.Certificates, c => Assert.Equal(IssuanceMode.New, c.Mode));
        // Born 1980-02-17, issued 2026-06-10: 5th birthday after → 2031-02-17 (card runs to 2035).
        Assert.All(receipt.Certificates, c => Assert.Equal(new DateOnly(2031, 2, 17), c.ExpiresOn));
        Assert.Equal("birthday-5", receipt.Certificates[0].DecidedBy);
        Assert.Equal(0, receipt.TotalFeeYen);
        Assert.Equal("free-my-number-card", receipt.Certificates[0].FeeCode);
        Assert.Equal(2, card.Certificates.Count);
        Assert.True(card.HasPin(PinKind.SignaturePassword, "ABC123"), "the password is stored uppercased");
        Assert.True(card.HasPin(PinKind.AuthenticationPin, "5678"));
        var signRequest = _h.Issuer.Requests.Single(r => r.Kind == CertificateKind.Signature);
        Assert.Equal(card.PublicKeys[CertificateKind.Signature], signRequest.SubjectPublicKeyInfo.ToArray());
        Assert.Equal("山田　太郎", signRequest.Signature!.Name);
        Assert.Null(_h.Issuer.Requests.Single(r => r.Kind == CertificateKind.Authentication).Signature);
        var entry = Assert.Single(await _h.JournalAsync());
        Assert.Equal((CounterActions.Issue, "ok", "clerk1", "R1", "C-R1"), (entry.Action, entry.Outcome, entry.StaffId, entry.ResidentId, entry.CardId));
    }

    [Fact]
    public async Task IssueAsync_SignatureCappedByAuthCertificateThatExpiresEarlier()
    {
        var card = await _h.AddResidentAsync("R1");
        Assert.True((await _h.IssueAsync(card, CounterHarness.Request("R1", includeSign: false, sign: null))).IsAllowed);
        _h.Clock.Advance(TimeSpan.FromDays(1));

        var outcome = await _h.IssueAsync(card, CounterHarness.Request("R1", includeAuth: false, auth: null));

        Assert.True(outcome.IsAllowed, outcome.Message);
        Assert.Equal(new DateOnly(2031, 2, 17), outcome.Value!.Certificates.Single().ExpiresOn);
    }

    [Fact]
    public async Task IssueAsync_SubstitutedCharacters_ShownOnReceiptAndChoiceHonoured()
    {
        var card = await _h.AddResidentAsync("R1", name: "髙橋　𠮷男");

        var outcome = await _h.IssueAsync(card, CounterHarness.Request("R1", choices: new Dictionary<int, string> { [0x20BB7] = "ヨシ" }));

        Assert.True(outcome.IsAllowed, outcome.Message);
        Assert.Equal("高橋　ヨシ男", outcome.Value!.CertificateName);
        Assert.Equal(["髙", "𠮷"], outcome.Value.NameSubstitutions.Select(s => s.Original));
        Assert.Equal("高橋　ヨシ男", _h.Issuer.Requests.Single(r => r.Kind == CertificateKind.Signature).Signature!.Name);
    }

    public static TheoryData<string, string> SimpleRefusals => new()
    {
        { "closed", "office-closed" },
        { "no-id", "identity-not-checked" },
        { "unknown-resident", "resident-not-found" },
        { "other-card", "card-not-holders" },
        { "expired-card", "card-expired" },
        { "wrong-pin", "card-pin-wrong" },
        { "blocked-pin", "card-pin-blocked" },
        { "short-auth-pin", "pin-too-short" },
        { "sign-no-digit", "pin-needs-digit" },
        { "card-pin-format", "pin-bad-character" },
        { "nothing", "nothing-requested" },
        { "bad-choice", "charset-bad-choice" },
    };

    [Theory]
    [MemberData(nameof(SimpleRefusals))]
    public async Task IssueAsync_Refusal_NothingIssuedNothingWrittenJournaled(string scenario, string code)
    {
        var card = await _h.AddResidentAsync("R1", name: "髙橋　一郎");
        var other = await _h.AddResidentAsync("R2");
        var request = CounterHarness.Request("R1");
        switch (scenario)
        {
            case "closed": _h.Clock.SetUtcNow(JapanTime.At(_h.Today, new TimeOnly(17, 0))); break;
            case "no-id": request = request with { IdentityChecked = false }; break;
            case "unknown-resident": request = request with { ResidentId = "NOPE" }; break;
            case "other-card": card = other; break;
            case "expired-card": card.Info = card.Info with { ExpiresOn = _h.Today.AddDays(-1) }; break;
            case "wrong-pin": request = request with { CardPin = Jpki.Municipality.Issuance.SecretPin.From("9999") }; break;
            case "blocked-pin": card.CardPinTries = 0; break;
            case "short-auth-pin": request = request with { AuthenticationPin = Jpki.Municipality.Issuance.SecretPin.From("123") }; break;
            case "sign-no-digit": request = request with { SignaturePassword = Jpki.Municipality.Issuance.SecretPin.From("ABCDEF") }; break;
            case "card-pin-format": request = request with { CardPin = Jpki.Municipality.Issuance.SecretPin.From("12a4") }; break;
            case "nothing": request = request with { IncludeAuthentication = false, IncludeSignature = false }; break;
            case "bad-choice": request = request with { SubstituteChoices = new Dictionary<int, string> { [0x9AD9] = "X" } }; break;
        }

        var outcome = await _h.IssueAsync(card, request);

        Assert.False(outcome.IsAllowed);
        Assert.Equal(code, outcome.Code);
        Assert.Empty(_h.Issuer.Records);
        Assert.Equal(0, card.Writes);
        Assert.Equal(code, Assert.Single(await _h.JournalAsync()).Outcome);
    }

    [Fact]
    public async Task IssueAsync_WrongCardPin_SaysTriesLeftAndThenBlocks()
    {
        var card = await _h.AddResidentAsync("R1");
        var wrong = CounterHarness.Request("R1", cardPin: "0000");

        var refused = await _h.IssueAsync(card, wrong);
        Assert.Contains("2 tries left", refused.Message, StringComparison.Ordinal);
        Assert.Equal(2, refused.Data!.TriesLeft); // a number from the card's 63 Cx answer, not parsed from the sentence
        Assert.Equal("card-pin-wrong", (await _h.IssueAsync(card, wrong)).Code);
        Assert.Equal("card-pin-blocked", (await _h.IssueAsync(card, wrong)).Code);
        Assert.Equal("card-pin-blocked", (await _h.IssueAsync(card, CounterHarness.Request("R1"))).Code);
        Assert.Empty(_h.Issuer.Records);
    }

    [Fact]
    public async Task IssueAsync_Under15_SignRefusedAuthOnlyAllowed()
    {
        var card = await _h.AddResidentAsync("R1", birth: new DateOnly(2015, 6, 15));

        Assert.Equal(Jpki.Core.Rules.Eligibility.SignUnder15Code, (await _h.IssueAsync(card, CounterHarness.Request("R1"))).Code);
        var authOnly = await _h.IssueAsync(card, CounterHarness.Request("R1", includeSign: false, sign: null));

        Assert.True(authOnly.IsAllowed, authOnly.Message);
        Assert.Equal(CertificateKind.Authentication, Assert.Single(authOnly.Value!.Certificates).Kind);
    }

    [Fact]
    public async Task IssueAsync_UnderGuardianship_SignRefused()
    {
        var card = await _h.AddResidentAsync("R1", guardianship: true);

        Assert.Equal("sign-under-guardianship", (await _h.IssueAsync(card, CounterHarness.Request("R1"))).Code);
        Assert.True((await _h.IssueAsync(card, CounterHarness.Request("R1", includeSign: false, sign: null))).IsAllowed);
    }

    [Fact]
    public async Task IssueAsync_JukiCard_RefusedForBoth()
    {
        var card = await _h.AddResidentAsync("R1", cardKind: CardKind.JukiCard);

        Assert.Equal("juki-card-issuance-ended", (await _h.IssueAsync(card, CounterHarness.Request("R1", includeSign: false, sign: null))).Code);
    }

    [Fact]
    public async Task IssueAsync_UnmappableCharacter_Refused()
    {
        var card = await _h.AddResidentAsync("R1", name: "山田　☃");

        Assert.Equal("charset-unmappable", (await _h.IssueAsync(card, CounterHarness.Request("R1"))).Code);
        Assert.True((await _h.IssueAsync(card, CounterHarness.Request("R1", includeSign: false, sign: null))).IsAllowed, "the auth certificate carries no name");
    }

    [Fact]
    public async Task IssueAsync_ValidCertificateOutsideWindow_RenewalTooEarly()
    {
        var card = await _h.AddResidentAsync("R1");
        await _h.IssueAsync(card, CounterHarness.Request("R1"));
        _h.Clock.Advance(TimeSpan.FromDays(30));

        var outcome = await _h.IssueAsync(card, CounterHarness.Request("R1"));

        Assert.Equal("renewal-too-early", outcome.Code);
    }

    [Fact]
    public async Task IssueAsync_InsideRenewalWindow_SixthBirthdayAndOldSuperseded()
    {
        var card = await _h.AddResidentAsync("R1");
        await _h.IssueAsync(card, CounterHarness.Request("R1"));
        var first = _h.Issuer.Records.ToList();
        // Expiry 2031-02-17; window opens 2030-11-17.
        _h.Clock.SetUtcNow(JapanTime.At(new DateOnly(2030, 12, 1), new TimeOnly(10, 0)));

        var outcome = await _h.IssueAsync(card, CounterHarness.Request("R1", sign: "NEW123", auth: "1111"));

        Assert.True(outcome.IsAllowed, outcome.Message);
        Assert.All(outcome.Value!.Certificates, c =>
        {
            Assert.Equal(IssuanceMode.Renewal, c.Mode);
            Assert.Equal(new DateOnly(2035, 2, 17), c.ExpiresOn); // 6th birthday after 2030-12-01, = card expiry
        });
        Assert.All(first, old => Assert.Equal(RevocationReason.Superseded, _h.Issuer.Records.Single(r => r.Serial.Hex == old.Serial.Hex).Revocation!.Reason));
        Assert.Equal(first.Select(f => f.Serial.Hex).Order(), outcome.Value.Certificates.Select(c => c.PreviousSerialHex!).Order());
    }

    [Fact]
    public async Task IssueAsync_AfterRevocation_Reissue()
    {
        var card = await _h.AddResidentAsync("R1");
        await _h.IssueAsync(card, CounterHarness.Request("R1"));
        await _h.Changes.ApplyAsync(new(Jpki.Municipality.Residents.ResidentChangeKind.MoveWithin, "R1", NewAddress: "東京都千代田区丸の内２－２"), _h.Clerk, default);
        _h.Clock.Advance(TimeSpan.FromHours(1));

        var outcome = await _h.IssueAsync(card, CounterHarness.Request("R1", includeAuth: false, auth: null));

        Assert.True(outcome.IsAllowed, outcome.Message);
        Assert.Equal(IssuanceMode.Reissue, outcome.Value!.Certificates.Single().Mode);
        Assert.Equal("東京都千代田区丸の内２－２", _h.Issuer.Requests.Last().Signature!.Address);
    }

    [Fact]
    public async Task IssueAsync_AuthorityFails_JournaledAsFailedAndThrown()
    {
        var card = await _h.AddResidentAsync("R1");
        _h.Issuer.Failing = true;

        await Assert.ThrowsAsync<HttpRequestException>(() => _h.IssueAsync(card, CounterHarness.Request("R1")));

        Assert.Equal(JournalEntry.Failed, Assert.Single(await _h.JournalAsync()).Outcome);
    }

    [Fact]
    public async Task Journal_NeverContainsPins()
    {
        var card = await _h.AddResidentAsync("R1");
        await _h.IssueAsync(card, CounterHarness.Request("R1", cardPin: "4321", sign: "SECRET9", auth: "8642"));
        await _h.IssueAsync(card, CounterHarness.Request("R1", cardPin: "1234", sign: "SECRET9", auth: "8642"));
        await _h.Counter.ResetPinAsync(_h.Clerk, card, new PinResetRequest("R1", true, PinKind.AuthenticationPin, Jpki.Municipality.Issuance.SecretPin.From("7531")), default);

        foreach (var entry in await _h.JournalAsync())
        {
            var text = entry.ToString();
            Assert.DoesNotContain("4321", text, StringComparison.Ordinal);
            Assert.DoesNotContain("SECRET9", text, StringComparison.Ordinal);
            Assert.DoesNotContain("8642", text, StringComparison.Ordinal);
            Assert.DoesNotContain("7531", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ResetPinAsync_BlockedPin_SetsNewPinWithoutCardPin()
    {
        var card = await _h.AddResidentAsync("R1");

        var outcome = await _h.Counter.ResetPinAsync(_h.Clerk, card, new PinResetRequest("R1", true, PinKind.AuthenticationPin, Jpki.Municipality.Issuance.SecretPin.From("2468")), default);

        Assert.True(outcome.IsAllowed, outcome.Message);
        Assert.True(card.HasPin(PinKind.AuthenticationPin, "2468"));
    }

    [Theory]
    [InlineData(false, "2468", "identity-not-checked")]
    [InlineData(true, "24a8", "pin-bad-character")]
    public async Task ResetPinAsync_Refusals(bool identity, string pin, string code)
    {
        var card = await _h.AddResidentAsync("R1");

        var outcome = await _h.Counter.ResetPinAsync(_h.Clerk, card, new PinResetRequest("R1", identity, PinKind.AuthenticationPin, Jpki.Municipality.Issuance.SecretPin.From(pin)), default);

        Assert.Equal(code, outcome.Code);
        Assert.Equal(0, card.Writes);
    }

    [Fact]
    public async Task RevokeOnRequestAsync_RevokesOnlyTheNamedKindUnspecified()
    {
        var card = await _h.AddResidentAsync("R1");
        await _h.IssueAsync(card, CounterHarness.Request("R1"));

        var outcome = await _h.Counter.RevokeOnRequestAsync(_h.Clerk, new RevocationRequest("R1", true, [CertificateKind.Signature]), default);

        Assert.True(outcome.IsAllowed, outcome.Message);
        Assert.Equal(RevocationReason.Unspecified, _h.Issuer.Single(CertificateKind.Signature, revoked: true).Revocation!.Reason);
        Assert.Null(_h.Issuer.Single(CertificateKind.Authentication, revoked: false).Revocation);
        Assert.Equal("no-certificate", (await _h.Counter.RevokeOnRequestAsync(_h.Clerk, new RevocationRequest("R1", true, [CertificateKind.Signature]), default)).Code);
    }

    [Fact]
    public async Task RevokeOnRequestAsync_ThirdParty_NeedsSupervisor()
    {
        var card = await _h.AddResidentAsync("R1");
        await _h.IssueAsync(card, CounterHarness.Request("R1"));
        var request = new RevocationRequest("R1", true, [CertificateKind.Signature, CertificateKind.Authentication], ByThirdParty: true);

        Assert.Equal("supervisor-required", (await _h.Counter.RevokeOnRequestAsync(_h.Clerk, request, default)).Code);
        Assert.True((await _h.Counter.RevokeOnRequestAsync(_h.Supervisor, request, default)).IsAllowed);
        Assert.All(_h.Issuer.Records, r => Assert.NotNull(r.Revocation));
    }

    [Fact]
    public async Task DailyReport_CountsActionsAndCertificates()
    {
        var card = await _h.AddResidentAsync("R1");
        await _h.IssueAsync(card, CounterHarness.Request("R1", cardPin: "0000"));
        await _h.IssueAsync(card, CounterHarness.Request("R1"));

        var report = await new DailyReportBuilder(_h.Store).BuildAsync(_h.Today, default);

        Assert.Equal(2, report.CertificatesIssued);
        Assert.Equal(0, report.FeesYen);
        Assert.Equal([new DailyReportLine("issue", "card-pin-wrong", 1), new DailyReportLine("issue", "ok", 1)], report.Lines);
        Assert.Empty((await new DailyReportBuilder(_h.Store).BuildAsync(_h.Today.AddDays(1), default)).Lines);
    }
}

/// <summary>The workflow on the embedded SQLite store.</summary>
public sealed class SqliteIssuanceTests() : IssuanceTests(new CounterHarness());

/// <summary>The workflow on PostgreSQL.</summary>
[Collection(Jpki.Municipality.Tests.Storage.PostgresCollection.Name)]
public sealed class PostgresIssuanceTests(Jpki.Testing.PostgresServer server)
    : IssuanceTests(new CounterHarness(async () => Jpki.Municipality.Storage.CounterStores.OpenPostgres(await server.CreateSchemaAsync())));
